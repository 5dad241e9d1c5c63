package hub

import (
	"strconv"
	"sync"
	"testing"
)

func TestOnlineGauge(t *testing.T) {
	h := New()
	defer h.Close()
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			id := "ws-" + strconv.Itoa(i)
			h.Register(id, "198.51.100."+strconv.Itoa(i%250)+":443")
			if i%2 == 1 {
				h.Unregister(id)
			}
		}
	})
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			if h.Online() < 0 {
				panic("negative gauge")
			}
		}
	})
	wg.Wait()
	if got := h.Online(); got != 150 {
		t.Fatalf("Online() = %d, want 150", got)
	}
}
