// Package flags serves feature flags that are periodically re-read from a
// source such as a config file or a key-value store.
package flags

import "time"

type Source func() map[string]bool

type Store struct {
	source   Source
	interval time.Duration
	flags    map[string]bool
}

func NewStore(src Source, interval time.Duration) *Store {
	return &Store{source: src, interval: interval, flags: src()}
}

// Watch re-reads the source every interval until stop is closed.
func (s *Store) Watch(stop <-chan struct{}) {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			for name, on := range s.source() {
				s.flags[name] = on // want ML102
			}
		}
	}
}

// Enabled reports whether the named flag is known and on.
func (s *Store) Enabled(name string) bool {
	on, ok := s.flags[name] // want ML102
	return ok && on
}

// Count is exported as a gauge.
func (s *Store) Count() int {
	return len(s.flags) // want ML102
}
