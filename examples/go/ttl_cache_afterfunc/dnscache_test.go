package dnscache

import (
	"context"
	"strconv"
	"testing"
	"time"
)

func TestExpiryWhileResolving(t *testing.T) {
	lookups := 0
	c := New(100*time.Microsecond, func(ctx context.Context, host string) ([]string, error) {
		lookups++
		return []string{"192.0.2." + strconv.Itoa(len(host))}, nil
	})
	ctx := context.Background()
	for i := 0; i < 400; i++ {
		host := "svc" + strconv.Itoa(i%8) + ".internal"
		if _, err := c.Resolve(ctx, host); err != nil {
			t.Fatal(err)
		}
		if i%20 == 0 {
			time.Sleep(200 * time.Microsecond)
		}
	}
	time.Sleep(5 * time.Millisecond)
	if lookups < 8 {
		t.Fatalf("lookups = %d, want at least one per host", lookups)
	}
}
