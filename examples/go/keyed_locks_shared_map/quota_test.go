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
				c.Take(tn, 1)
			}
		}()
	}
	wg.Wait()
}
