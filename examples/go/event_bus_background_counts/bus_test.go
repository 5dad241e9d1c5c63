package bus

import (
	"sync"
	"testing"
)

func TestCountWhilePublishing(t *testing.T) {
	b := New()
	var wg sync.WaitGroup
	// The reader makes all its reads whenever it is scheduled: nothing
	// orders them with the loop's writes, so the race detector sees the
	// race even if the two never overlap in time.
	wg.Go(func() {
		for range 1000 {
			b.Count("click")
		}
	})
	for range 500 {
		b.Publish("click")
	}
	wg.Wait()
	b.Close()
}
