package session

import (
	"sync"
	"testing"
	"time"
)

func TestGaugeDuringLogins(t *testing.T) {
	s := NewStore(time.Minute)
	now := time.Now()
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			if i%50 == 49 {
				time.Sleep(100 * time.Microsecond)
			}
			sess := s.Create("user", now)
			if i%2 == 0 {
				s.Delete(sess.ID)
			}
		}
	})
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			if i%50 == 49 {
				time.Sleep(100 * time.Microsecond)
			}
			if s.Len() < 0 {
				panic("negative gauge")
			}
		}
	})
	wg.Wait()
	if n := s.Expire(now.Add(time.Hour)); n != 150 {
		t.Fatalf("expired %d sessions, want 150", n)
	}
}
