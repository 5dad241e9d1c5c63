// Package dnscache caches resolved addresses for a fixed time-to-live.
package dnscache

import (
	"context"
	"time"
)

type LookupFunc func(ctx context.Context, host string) ([]string, error)

type Cache struct {
	ttl     time.Duration
	lookup  LookupFunc
	entries map[string][]string
}

func New(ttl time.Duration, lookup LookupFunc) *Cache {
	return &Cache{ttl: ttl, lookup: lookup, entries: make(map[string][]string)}
}

// Resolve returns the cached addresses for host, resolving and caching them
// on a miss. Entries are evicted once their TTL has passed.
func (c *Cache) Resolve(ctx context.Context, host string) ([]string, error) {
	if addrs, ok := c.entries[host]; ok { // want ML102
		return addrs, nil
	}
	addrs, err := c.lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	c.entries[host] = addrs // want ML101
	time.AfterFunc(c.ttl, func() {
		delete(c.entries, host) // want ML101
	})
	return addrs, nil
}
