// Package proxyroutes maps request path prefixes to upstream pools.
package proxyroutes

import (
	"maps"
	"path"
)

type Table struct {
	routes map[string]string
}

func NewTable(initial map[string]string) *Table {
	return &Table{routes: maps.Clone(initial)}
}

// Replace swaps in a complete routing table pushed by the control plane.
func (t *Table) Replace(routes map[string]string) {
	clear(t.routes)             // want ML101
	maps.Copy(t.routes, routes) // want ML101
}

// Drain removes every route that points at upstream.
func (t *Table) Drain(upstream string) {
	maps.DeleteFunc(t.routes, func(_, u string) bool { return u == upstream }) // want ML101
}

// Remove deletes a single prefix.
func (t *Table) Remove(prefix string) {
	delete(t.routes, prefix) // want ML101
}

// Match returns the upstream for the longest registered prefix of p.
func (t *Table) Match(p string) (string, bool) {
	for p = path.Clean("/" + p); ; p = path.Dir(p) {
		if u, ok := t.routes[p]; ok { // want ML102
			return u, true
		}
		if p == "/" {
			return "", false
		}
	}
}
