// Package vhosts maps virtual host names to backend clusters. Readers get the
// current table with a single atomic load; writers publish a modified copy.
package vhosts

import (
	"maps"
	"sync"
	"sync/atomic"
)

type Table struct {
	mu  sync.Mutex
	cur atomic.Pointer[map[string]string]
}

func New(initial map[string]string) *Table {
	t := &Table{}
	m := maps.Clone(initial)
	t.cur.Store(&m)
	return t
}

func (t *Table) Lookup(host string) (string, bool) {
	m := *t.cur.Load()
	backend, ok := m[host]
	return backend, ok
}

// Patch publishes a copy of the table with host set to backend; an empty
// backend removes the host.
func (t *Table) Patch(host, backend string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	next := maps.Clone(*t.cur.Load())
	if backend == "" {
		delete(next, host)
	} else {
		next[host] = backend
	}
	t.cur.Store(&next)
}
