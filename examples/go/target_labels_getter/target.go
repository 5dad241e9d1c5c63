// Package target keeps the labels of a scrape target.
package target

import (
	"sort"
	"strings"
	"sync"
)

type Target struct {
	mu     sync.RWMutex
	labels map[string]string
}

func New() *Target { return &Target{labels: map[string]string{}} }

func (t *Target) SetLabel(k, v string) {
	t.mu.Lock()
	t.labels[k] = v
	t.mu.Unlock()
}

func (t *Target) Labels() map[string]string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.labels
}

// String renders the labels as k="v" pairs, sorted by key.
func String(t *Target) string {
	var parts []string
	for k, v := range t.Labels() { // want ML103
		parts = append(parts, k+"=\""+v+"\"")
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ",") + "}"
}
