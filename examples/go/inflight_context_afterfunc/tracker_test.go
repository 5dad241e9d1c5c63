package inflight

import (
	"context"
	"testing"
	"time"
)

func TestShutdown(t *testing.T) {
	tr := NewTracker()
	var live []context.Context
	for i := 0; i < 300; i++ {
		reqCtx, finish := context.WithCancel(context.Background())
		ctx, _ := tr.Track(reqCtx)
		if i%2 == 0 {
			finish()
		} else {
			live = append(live, ctx)
			defer finish()
		}
	}
	tr.CancelAll()
	for _, ctx := range live {
		<-ctx.Done()
	}
	time.Sleep(10 * time.Millisecond)
}
