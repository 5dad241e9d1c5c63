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
	b.mu.Lock()
	if err == nil {
		delete(b.failures, host)
		b.mu.Unlock()
		return
	}
	n := b.failures[host] + 1
	tripped := n >= b.threshold
	if tripped {
		b.mu.Unlock()
		b.onTrip(host)
		n = 0
	}
	b.failures[host] = n // want ML101
	if !tripped {
		b.mu.Unlock()
	}
}

// Failures returns the current consecutive-failure count for host.
func (b *Breaker) Failures(host string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.failures[host]
}
