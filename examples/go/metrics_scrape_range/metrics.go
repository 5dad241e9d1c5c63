// Package metrics counts named events and exposes them in a text format.
package metrics

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

type Registry struct {
	counters map[string]uint64
}

func NewRegistry() *Registry {
	return &Registry{counters: make(map[string]uint64)}
}

// Ingest consumes event names until events is closed.
func (r *Registry) Ingest(events <-chan string) {
	for name := range events {
		r.counters[name]++ // want ML103
	}
}

// ServeHTTP writes one "name value" line per counter, sorted by name.
func (r *Registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	names := make([]string, 0, 64)
	for name := range r.counters { // want ML103
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		b.WriteString(name)
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(r.counters[name], 10)) // want ML102
		b.WriteByte('\n')
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	w.Write([]byte(b.String()))
}
