// Package inflight keeps the cancel functions of in-flight requests so a
// server can abort them all on shutdown.
package inflight

import (
	"context"
	"sync"
)

type Tracker struct {
	mu      sync.Mutex
	next    uint64
	cancels map[uint64]context.CancelFunc
}

func NewTracker() *Tracker {
	return &Tracker{cancels: make(map[uint64]context.CancelFunc)}
}

func (t *Tracker) Track(parent context.Context) (context.Context, uint64) {
	ctx, cancel := context.WithCancel(parent)
	t.mu.Lock()
	t.next++
	id := t.next
	t.cancels[id] = cancel
	t.mu.Unlock()
	context.AfterFunc(ctx, func() {
		t.mu.Lock()
		delete(t.cancels, id)
		t.mu.Unlock()
	})
	return ctx, id
}

func (t *Tracker) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.cancels)
}

// CancelAll aborts every request still in flight.
func (t *Tracker) CancelAll() {
	t.mu.Lock()
	cancels := make([]context.CancelFunc, 0, len(t.cancels))
	for _, c := range t.cancels {
		cancels = append(cancels, c)
	}
	t.mu.Unlock()
	for _, cancel := range cancels {
		cancel()
	}
}
