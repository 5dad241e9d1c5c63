// Package leases hands out exclusive, expiring leases on named resources.
package leases

import (
	"errors"
	"sync"
	"time"
)

var ErrHeld = errors.New("lease held by another owner")

type lease struct {
	owner   string
	expires time.Time
}

type Manager struct {
	mu     sync.Mutex
	leases map[string]lease
	owned  map[string]map[string]bool // owner → resources
}

func NewManager() *Manager {
	return &Manager{leases: make(map[string]lease), owned: make(map[string]map[string]bool)}
}

func (m *Manager) Acquire(resource, owner string, ttl time.Duration, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expireLocked(now)
	if l, ok := m.leases[resource]; ok && l.owner != owner {
		return ErrHeld
	}
	m.grantLocked(resource, owner, now.Add(ttl))
	return nil
}

func (m *Manager) ReleaseAll(owner string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for res := range m.owned[owner] {
		m.revokeLocked(res)
		n++
	}
	return n
}

func (m *Manager) grantLocked(resource, owner string, expires time.Time) {
	m.leases[resource] = lease{owner: owner, expires: expires}
	if m.owned[owner] == nil {
		m.owned[owner] = make(map[string]bool)
	}
	m.owned[owner][resource] = true
}

func (m *Manager) revokeLocked(resource string) {
	l, ok := m.leases[resource]
	if !ok {
		return
	}
	delete(m.leases, resource)
	delete(m.owned[l.owner], resource)
	if len(m.owned[l.owner]) == 0 {
		delete(m.owned, l.owner)
	}
}

func (m *Manager) expireLocked(now time.Time) {
	for res, l := range m.leases {
		if now.After(l.expires) {
			m.revokeLocked(res)
		}
	}
}
