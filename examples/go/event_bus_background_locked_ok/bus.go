// Package bus delivers events to a background loop that counts them.
package bus

import "sync"

type Bus struct {
	mu     sync.Mutex
	counts map[string]int
	events chan string
	done   chan struct{}
}

// New starts the bus's delivery loop.
func New() *Bus {
	b := &Bus{counts: map[string]int{}, events: make(chan string), done: make(chan struct{})}
	go b.loop()
	return b
}

func (b *Bus) loop() {
	defer close(b.done)
	for e := range b.events {
		b.mu.Lock()
		b.counts[e]++
		b.mu.Unlock()
	}
}

func (b *Bus) Publish(e string) { b.events <- e }

func (b *Bus) Close() {
	close(b.events)
	<-b.done
}

// Count says how many events of a kind were delivered so far.
func (b *Bus) Count(e string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.counts[e]
}
