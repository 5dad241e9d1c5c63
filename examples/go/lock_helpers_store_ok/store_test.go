package store

import (
	"strconv"
	"sync"
	"testing"
)

func TestConcurrentUse(t *testing.T) {
	s := New()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				k := strconv.Itoa(g*1000 + i)
				s.Put(k, "v")
				s.Get(k)
				s.Len()
			}
		}()
	}
	wg.Wait()
	if s.Len() != 800 {
		t.Fatalf("len %d, want 800", s.Len())
	}
}
