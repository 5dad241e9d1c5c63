package quota

import (
	"sync"
	"testing"
)

func TestTenantsInParallel(t *testing.T) {
	tenants := []string{"a", "b", "c", "d"}
	c := New(tenants)
	var wg sync.WaitGroup
	for _, tn := range tenants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				c.Take(tn, "/v1", 1)
			}
		}()
	}
	wg.Wait()
	if got := c.Take("a", "/v1", 0); got != 200 {
		t.Fatalf("a used %d, want 200", got)
	}
}
