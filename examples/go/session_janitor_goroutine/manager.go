// Package presence tracks which clients sent a heartbeat recently.
package presence

import "time"

type Manager struct {
	ttl      time.Duration
	lastSeen map[string]time.Time
	stop     chan struct{}
	stopped  chan struct{}
}

// NewManager starts a janitor that drops clients silent for longer than ttl.
func NewManager(ttl, sweepEvery time.Duration) *Manager {
	m := &Manager{
		ttl:      ttl,
		lastSeen: make(map[string]time.Time),
		stop:     make(chan struct{}),
		stopped:  make(chan struct{}),
	}
	go m.janitor(sweepEvery)
	return m
}

func (m *Manager) janitor(every time.Duration) {
	defer close(m.stopped)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case now := <-t.C:
			m.sweep(now)
		}
	}
}

func (m *Manager) sweep(now time.Time) {
	for id, seen := range m.lastSeen { // want ML103
		if now.Sub(seen) > m.ttl {
			delete(m.lastSeen, id) // want ML101
		}
	}
}

func (m *Manager) Heartbeat(id string) {
	m.lastSeen[id] = time.Now() // want ML101
}

func (m *Manager) Online(id string) bool {
	_, ok := m.lastSeen[id] // want ML102
	return ok
}

func (m *Manager) Close() {
	close(m.stop)
	<-m.stopped
}
