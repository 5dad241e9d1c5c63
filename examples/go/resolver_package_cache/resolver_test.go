package resolver

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestDialAnyConcurrently(t *testing.T) {
	saved := lookupHost
	defer func() { lookupHost = saved }()
	lookupHost = func(_ context.Context, host string) ([]string, error) {
		return []string{"192.0.2." + strconv.Itoa(len(host)), "192.0.2.200"}, nil
	}
	dial := func(string) error { return nil }
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				if i%50 == 49 {
					time.Sleep(100 * time.Microsecond)
				}
				host := "shard" + strconv.Itoa(i%30) + ".db.internal"
				if err := DialAny(context.Background(), host, "5432", dial); err != nil {
					panic(err)
				}
			}
		})
	}
	wg.Wait()
}
