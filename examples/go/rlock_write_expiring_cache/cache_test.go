package tokencache

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestConcurrentLookups(t *testing.T) {
	c := New()
	c.Put("svc-a", "billing", time.Hour)
	for i := 0; i < 50; i++ {
		c.Put("ci-"+strconv.Itoa(i), "ci-runner", -time.Second)
	}
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				if i%50 == 49 {
					time.Sleep(100 * time.Microsecond)
				}
				c.Lookup("svc-a")
				c.Lookup("ci-" + strconv.Itoa(i%50))
				c.Hits("svc-a")
			}
		})
	}
	wg.Wait()
	if c.Hits("svc-a") == 0 {
		t.Fatal("no hits recorded")
	}
}
