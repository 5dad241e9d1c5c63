// Package search queries all index shards in parallel and returns whatever
// has arrived when the deadline expires.
package search

import (
	"context"
	"sort"
)

type Shard struct {
	Name   string
	Search func(query string) []string
}

func Query(ctx context.Context, shards []Shard, q string) map[string][]string {
	hits := make(map[string][]string, len(shards))
	done := make(chan struct{}, len(shards))
	for _, s := range shards {
		go func() {
			rows := s.Search(q)
			hits[s.Name] = rows // want ML101
			done <- struct{}{}
		}()
	}
	for range shards {
		select {
		case <-done:
		case <-ctx.Done():
			return hits
		}
	}
	return hits
}

// Merge flattens per-shard hits into one sorted, de-duplicated list.
func Merge(hits map[string][]string) []string {
	seen := make(map[string]bool)
	var out []string
	for _, rows := range hits { // want ML103
		for _, r := range rows {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	sort.Strings(out)
	return out
}
