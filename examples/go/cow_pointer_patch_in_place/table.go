// Package vhosts maps virtual host names to backend clusters. Readers get the
// current table with a single atomic load.
package vhosts

import "sync/atomic"

type Table struct {
	cur atomic.Pointer[map[string]string]
}

func New(initial map[string]string) *Table {
	t := &Table{}
	t.Replace(initial)
	return t
}

// Replace installs a complete table from a full config push.
func (t *Table) Replace(m map[string]string) {
	t.cur.Store(&m)
}

func (t *Table) Lookup(host string) (string, bool) {
	m := *t.cur.Load()
	backend, ok := m[host] // want ML102
	return backend, ok
}

// Patch applies an incremental update from the config stream; an empty
// backend removes the host.
func (t *Table) Patch(host, backend string) {
	m := *t.cur.Load()
	if backend == "" {
		delete(m, host) // want ML102
		return
	}
	m[host] = backend // want ML102
}

// Watch applies config-stream updates until the channel is closed.
func (t *Table) Watch(updates <-chan [2]string) {
	for u := range updates {
		t.Patch(u[0], u[1])
	}
}
