package debounce

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

func TestBurstsCoalesce(t *testing.T) {
	var fired atomic.Int64
	d := New(200*time.Microsecond, func(string) { fired.Add(1) })
	for i := 0; i < 400; i++ {
		d.Trigger("pkg/" + strconv.Itoa(i%10))
		if i%40 == 39 {
			time.Sleep(500 * time.Microsecond)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for d.Pending() > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := fired.Load(); n == 0 || n > 400 {
		t.Fatalf("fired %d times", n)
	}
}
