package inflight

import (
	"context"
	"testing"
	"time"
)

func TestShutdown(t *testing.T) {
	tr := NewTracker()
	var finishers []context.CancelFunc
	for i := 0; i < 300; i++ {
		reqCtx, finish := context.WithCancel(context.Background())
		finishers = append(finishers, finish)
		tr.Track(reqCtx)
		if i%2 == 0 {
			finish()
		}
	}
	tr.CancelAll()
	deadline := time.Now().Add(2 * time.Second)
	for tr.Len() > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	for _, finish := range finishers {
		finish()
	}
	if n := tr.Len(); n != 0 {
		t.Fatalf("%d requests still tracked", n)
	}
}
