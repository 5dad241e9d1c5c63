package errgroup

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestFirstErrorWins(t *testing.T) {
	g, ctx := WithContext(context.Background())
	boom := errors.New("boom")
	var ran atomic.Int32
	for i := 0; i < 8; i++ {
		g.Go(func() error {
			ran.Add(1)
			if i == 3 {
				return boom
			}
			<-ctx.Done()
			return ctx.Err()
		})
	}
	if err := g.Wait(); !errors.Is(err, boom) && !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait() = %v", err)
	}
	if ran.Load() != 8 {
		t.Fatalf("ran %d functions, want 8", ran.Load())
	}
}

func TestLimit(t *testing.T) {
	var g Group
	g.SetLimit(2)
	var active, peak atomic.Int32
	for i := 0; i < 20; i++ {
		g.Go(func() error {
			n := active.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			active.Add(-1)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if peak.Load() > 2 {
		t.Fatalf("peak concurrency %d exceeds limit 2", peak.Load())
	}
}
