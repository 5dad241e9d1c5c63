// Package presence tracks which clients sent a heartbeat recently.
package presence

import (
	"sync"
	"time"
)

type Manager struct {
	ttl     time.Duration
	stop    chan struct{}
	stopped chan struct{}

	mu       sync.Mutex
	lastSeen map[string]time.Time
}

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
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, seen := range m.lastSeen {
		if now.Sub(seen) > m.ttl {
			delete(m.lastSeen, id)
		}
	}
}

func (m *Manager) Heartbeat(id string) {
	m.mu.Lock()
	m.lastSeen[id] = time.Now()
	m.mu.Unlock()
}

func (m *Manager) Online(id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.lastSeen[id]
	return ok
}

func (m *Manager) Close() {
	close(m.stop)
	<-m.stopped
}
