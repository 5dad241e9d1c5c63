package breaker

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestConcurrentFailures(t *testing.T) {
	var trips atomic.Int64
	b := New(3, func(string) { trips.Add(1) })
	errDown := errors.New("503")
	var wg sync.WaitGroup
	for _, host := range []string{"db-1", "db-2"} {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				if i%50 == 49 {
					time.Sleep(100 * time.Microsecond)
				}
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
	if trips.Load() == 0 {
		t.Fatal("breaker never tripped")
	}
	if n := b.Failures("db-1"); n >= 3 {
		t.Fatalf("Failures(db-1) = %d after trips", n)
	}
}
