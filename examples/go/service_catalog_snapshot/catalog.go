// Package catalog keeps the set of live backends announced by a service
// discovery watch.
package catalog

import (
	"maps"
	"slices"
)

type Backend struct {
	Addr   string
	Weight int
}

type Op int

const (
	OpPut Op = iota
	OpDelete
)

type Event struct {
	Op      Op
	ID      string
	Backend Backend
}

type Catalog struct {
	backends map[string]Backend
}

func New() *Catalog { return &Catalog{backends: make(map[string]Backend)} }

// Watch applies discovery events until the channel is closed.
func (c *Catalog) Watch(events <-chan Event) {
	for ev := range events {
		switch ev.Op {
		case OpPut:
			c.backends[ev.ID] = ev.Backend // want ML103
		case OpDelete:
			delete(c.backends, ev.ID) // want ML103
		}
	}
}

func (c *Catalog) IDs() []string {
	return slices.Sorted(maps.Keys(c.backends)) // want ML103
}

func (c *Catalog) Backends() []Backend {
	return slices.Collect(maps.Values(c.backends)) // want ML103
}

func (c *Catalog) Snapshot() map[string]Backend {
	return maps.Clone(c.backends) // want ML103
}

func (c *Catalog) Size() int {
	return len(c.backends) // want ML102
}
