package leases

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestContendedLeases(t *testing.T) {
	m := NewManager()
	now := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		owner := "node-" + strconv.Itoa(w)
		wg.Go(func() {
			for i := 0; i < 200; i++ {
				m.Acquire("shard-"+strconv.Itoa(i%10), owner, time.Duration(i%3)*time.Millisecond, now.Add(time.Duration(i)*time.Millisecond))
				if i%50 == 49 {
					m.ReleaseAll(owner)
				}
			}
		})
	}
	wg.Wait()
	for w := 0; w < 3; w++ {
		m.ReleaseAll("node-" + strconv.Itoa(w))
	}
	if err := m.Acquire("shard-0", "late", time.Second, now); err != nil {
		t.Fatal(err)
	}
}
