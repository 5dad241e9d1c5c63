package kv

import (
	"strconv"
	"sync"
	"testing"
)

func TestConcurrentClients(t *testing.T) {
	s := New()
	defer s.Close()
	var wg sync.WaitGroup
	for c := 0; c < 3; c++ {
		wg.Go(func() {
			for i := 0; i < 200; i++ {
				key := "k" + strconv.Itoa(i%10)
				s.Put(key, strconv.Itoa(c))
				s.Get(key)
				if i%4 == 0 {
					s.Delete(key)
				}
				s.Len()
			}
		})
	}
	wg.Wait()
	s.Put("final", "x")
	if v, ok := s.Get("final"); !ok || v != "x" {
		t.Fatalf("Get(final) = %q, %v", v, ok)
	}
}
