package flags

import (
	"strconv"
	"testing"
	"time"
)

func TestFlagsWhileReloading(t *testing.T) {
	gen := 0
	src := func() map[string]bool {
		gen++
		m := map[string]bool{"new-checkout": gen%2 == 0}
		for i := 0; i < gen%16; i++ {
			m["exp-"+strconv.Itoa(i)] = true
		}
		return m
	}
	s := NewStore(src, 100*time.Microsecond)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		s.Watch(stop)
		close(done)
	}()
	enabled := 0
	for i := 0; i < 400; i++ {
		if s.Enabled("new-checkout") {
			enabled++
		}
		if s.Count() == 0 {
			t.Fatal("no flags")
		}
		if i%40 == 0 {
			time.Sleep(300 * time.Microsecond)
		}
	}
	close(stop)
	<-done
}
