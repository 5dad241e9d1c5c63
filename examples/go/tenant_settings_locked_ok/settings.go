// Package tenants holds per-tenant key/value settings fed by several update
// streams (admin API, config sync, billing).
package tenants

import "sync"

type Update struct {
	Tenant string
	Key    string
	Value  string
}

type Settings struct {
	mu sync.RWMutex
	kv map[string]map[string]string // tenant → key → value
}

func NewSettings() *Settings {
	return &Settings{kv: make(map[string]map[string]string)}
}

// Apply sets or (for an empty Value) removes one setting, creating the
// tenant on first use.
func (s *Settings) Apply(u Update) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kv, ok := s.kv[u.Tenant]
	if !ok {
		kv = make(map[string]string)
		s.kv[u.Tenant] = kv
	}
	if u.Value == "" {
		delete(kv, u.Key)
		return
	}
	kv[u.Key] = u.Value
}

func (s *Settings) Get(tenant, key string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.kv[tenant][key]
}

func (s *Settings) Consume(updates <-chan Update) {
	for u := range updates {
		s.Apply(u)
	}
}
