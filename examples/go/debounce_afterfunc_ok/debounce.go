// Package debounce coalesces bursts of change notifications per key, e.g.
// file-watcher events that should trigger a single rebuild.
package debounce

import (
	"sync"
	"time"
)

type Debouncer struct {
	wait time.Duration
	fire func(key string)

	mu      sync.Mutex
	pending map[string]*time.Timer
}

func New(wait time.Duration, fire func(key string)) *Debouncer {
	return &Debouncer{wait: wait, fire: fire, pending: make(map[string]*time.Timer)}
}

// Trigger (re)starts key's timer; fire runs once the key has been quiet for
// the wait period.
func (d *Debouncer) Trigger(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if t, ok := d.pending[key]; ok {
		t.Stop()
	}
	d.pending[key] = time.AfterFunc(d.wait, func() {
		d.mu.Lock()
		delete(d.pending, key)
		d.mu.Unlock()
		d.fire(key)
	})
}

// Pending reports how many keys are waiting to fire.
func (d *Debouncer) Pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.pending)
}
