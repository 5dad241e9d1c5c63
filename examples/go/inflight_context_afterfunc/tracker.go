// Package inflight keeps the cancel functions of in-flight requests so a
// server can abort them all on shutdown.
package inflight

import "context"

type Tracker struct {
	next    uint64
	cancels map[uint64]context.CancelFunc
}

func NewTracker() *Tracker {
	return &Tracker{cancels: make(map[uint64]context.CancelFunc)}
}

// Track derives a cancelable context for a new request. The entry removes
// itself once the request context is done.
func (t *Tracker) Track(parent context.Context) (context.Context, uint64) {
	ctx, cancel := context.WithCancel(parent)
	t.next++
	id := t.next
	t.cancels[id] = cancel // want ML101
	context.AfterFunc(ctx, func() {
		delete(t.cancels, id) // want ML101
	})
	return ctx, id
}

// CancelAll aborts every request still in flight.
func (t *Tracker) CancelAll() {
	for _, cancel := range t.cancels { // want ML103
		cancel()
	}
}
