package inflight

import (
	"context"
	"testing"
	"time"
)

func TestShutdown(t *testing.T) {
	tr := NewTracker()
	var live []context.Context
	var finishers []context.CancelFunc
	for i := 0; i < 300; i++ {
		reqCtx, finish := context.WithCancel(context.Background())
		finishers = append(finishers, finish)
		ctx, _ := tr.Track(reqCtx)
		if i%2 == 0 {
			finish()
		} else {
			live = append(live, ctx)
		}
	}
	tr.CancelAll()
	for _, ctx := range live {
		<-ctx.Done()
	}
	for _, finish := range finishers {
		finish()
	}
	time.Sleep(10 * time.Millisecond)
}
