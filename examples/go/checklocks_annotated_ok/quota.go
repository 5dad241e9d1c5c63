// Package quota tracks storage usage per bucket against configured limits.
package quota

import (
	"errors"
	"sync"
)

var ErrQuotaExceeded = errors.New("quota exceeded")

type Tracker struct {
	mu sync.Mutex

	// +checklocks:mu
	used map[string]int64

	// +checklocks:mu
	limits map[string]int64
}

func NewTracker(limits map[string]int64) *Tracker {
	t := &Tracker{used: make(map[string]int64), limits: make(map[string]int64)}
	t.mu.Lock()
	defer t.mu.Unlock()
	for b, n := range limits {
		t.limits[b] = n
	}
	return t
}

// Reserve accounts n bytes against bucket, failing if that exceeds its limit.
func (t *Tracker) Reserve(bucket string, n int64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if limit, ok := t.limits[bucket]; ok && t.used[bucket]+n > limit {
		return ErrQuotaExceeded
	}
	t.used[bucket] += n
	return nil
}

func (t *Tracker) Release(bucket string, n int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.used[bucket] -= n; t.used[bucket] <= 0 {
		delete(t.used, bucket)
	}
}

func (t *Tracker) SetLimit(bucket string, n int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.limits[bucket] = n
}

func (t *Tracker) Used(bucket string) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.used[bucket]
}
