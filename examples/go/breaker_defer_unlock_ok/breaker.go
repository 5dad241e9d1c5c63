// Package breaker trips per-host circuit breakers after repeated failures.
package breaker

import "sync"

type Breaker struct {
	mu        sync.Mutex
	failures  map[string]int
	threshold int
	onTrip    func(host string)
}

func New(threshold int, onTrip func(host string)) *Breaker {
	return &Breaker{failures: make(map[string]int), threshold: threshold, onTrip: onTrip}
}

// Record notes the outcome of a request to host. After threshold consecutive
// failures onTrip is called (outside the lock: it may block) and the count
// starts over.
func (b *Breaker) Record(host string, err error) {
	if b.record(host, err) {
		b.onTrip(host)
	}
}

func (b *Breaker) record(host string, err error) (tripped bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err == nil {
		delete(b.failures, host)
		return false
	}
	n := b.failures[host] + 1
	if n >= b.threshold {
		n, tripped = 0, true
	}
	b.failures[host] = n
	return tripped
}

func (b *Breaker) Failures(host string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.failures[host]
}
