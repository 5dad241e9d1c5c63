package health

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCheckAll(t *testing.T) {
	c := &Checker{
		Timeout: time.Second,
		Probe: func(target string, _ time.Duration) error {
			if strings.HasSuffix(target, "7:8080") {
				return errors.New("connection refused")
			}
			return nil
		},
	}
	var targets []string
	for i := 0; i < 200; i++ {
		targets = append(targets, "10.1.0."+strconv.Itoa(i)+":8080")
	}
	status := c.CheckAll(targets)
	if len(status) != len(targets) {
		t.Fatalf("got %d statuses, want %d", len(status), len(targets))
	}
	if Healthy(status) {
		t.Fatal("expected some targets down")
	}
}
