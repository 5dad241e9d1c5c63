package breaker

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestConcurrentFailures(t *testing.T) {
	var trips atomic.Int64
	b := New(3, func(string) { trips.Add(1) })
	errDown := errors.New("503")
	var wg sync.WaitGroup
	for _, host := range []string{"db-1", "db-2"} {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				var err error
				if i%10 != 9 {
					err = errDown
				}
				b.Record(host, err)
				b.Record("shared-cache", errDown)
			}
		})
	}
	wg.Wait()
	if got := trips.Load(); got != 380 {
		t.Fatalf("trips = %d, want 380", got)
	}
}
