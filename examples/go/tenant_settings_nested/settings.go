// Package tenants holds per-tenant key/value settings fed by several update
// streams (admin API, config sync, billing).
package tenants

import "errors"

var ErrUnknownTenant = errors.New("unknown tenant")

// Settings maps tenant → setting key → value.
type Settings map[string]map[string]string

type Update struct {
	Tenant string
	Key    string
	Value  string
}

func NewSettings(tenants ...string) Settings {
	s := make(Settings, len(tenants))
	for _, t := range tenants {
		s[t] = make(map[string]string)
	}
	return s
}

// Apply sets or (for an empty Value) removes one setting.
func (s Settings) Apply(u Update) error {
	kv, ok := s[u.Tenant]
	if !ok {
		return ErrUnknownTenant
	}
	if u.Value == "" {
		delete(kv, u.Key) // want ML101
		return nil
	}
	kv[u.Key] = u.Value // want ML101
	return nil
}

func (s Settings) Get(tenant, key string) string {
	return s[tenant][key] // want ML102
}

// Consume applies every update from one stream.
func (s Settings) Consume(updates <-chan Update) {
	for u := range updates {
		s.Apply(u)
	}
}
