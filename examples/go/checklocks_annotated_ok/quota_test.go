package quota

import (
	"sync"
	"testing"
)

func TestUploadsAndDeletes(t *testing.T) {
	tr := NewTracker(map[string]int64{"photos": 1 << 20})
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				if tr.Reserve("photos", 1024) == nil {
					tr.Release("photos", 1024)
				}
				tr.Used("photos")
			}
		})
	}
	wg.Go(func() {
		for i := 0; i < 100; i++ {
			tr.SetLimit("videos", int64(i)<<20)
		}
	})
	wg.Wait()
	if u := tr.Used("photos"); u != 0 {
		t.Fatalf("used = %d", u)
	}
}
