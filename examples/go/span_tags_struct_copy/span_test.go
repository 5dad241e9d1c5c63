package trace

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestParallelChildren(t *testing.T) {
	root := Start("POST /orders")
	var wg sync.WaitGroup
	for _, step := range []string{"reserve-stock", "charge-card"} {
		wg.Go(func() {
			sp := root.Child(step)
			for i := 0; i < 300; i++ {
				if i%50 == 49 {
					time.Sleep(100 * time.Microsecond)
				}
				sp.SetTag("attempt", strconv.Itoa(i))
			}
		})
	}
	wg.Go(func() {
		for i := 0; i < 100; i++ {
			if i%25 == 24 {
				time.Sleep(100 * time.Microsecond)
			}
			_ = root.Encode()
		}
	})
	wg.Wait()
}
