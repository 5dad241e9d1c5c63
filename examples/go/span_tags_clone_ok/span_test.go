package trace

import (
	"strconv"
	"sync"
	"testing"
)

func TestParallelChildren(t *testing.T) {
	root := Start("POST /orders")
	root.SetTag("http.method", "POST")
	var wg sync.WaitGroup
	for _, step := range []string{"reserve-stock", "charge-card"} {
		wg.Go(func() {
			sp := root.Child(step)
			for i := 0; i < 300; i++ {
				sp.SetTag("attempt", strconv.Itoa(i))
			}
			_ = sp.Encode()
		})
	}
	wg.Go(func() {
		for i := 0; i < 100; i++ {
			_ = root.Encode()
		}
	})
	wg.Wait()
	if got := root.Encode(); got != "POST /orders http.method=POST service=checkout" {
		t.Fatalf("root = %q", got)
	}
}
