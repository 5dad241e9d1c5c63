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
	if status["10.1.0.7:8080"] == "up" || status["10.1.0.8:8080"] != "up" {
		t.Fatalf("unexpected status: %v", status)
	}
}
