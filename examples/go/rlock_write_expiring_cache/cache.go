// Package tokencache caches validated API tokens until they expire.
package tokencache

import (
	"sync"
	"time"
)

type entry struct {
	subject string
	expires time.Time
}

type Cache struct {
	mu      sync.RWMutex
	entries map[string]entry
	hits    map[string]int
}

func New() *Cache {
	return &Cache{entries: make(map[string]entry), hits: make(map[string]int)}
}

func (c *Cache) Put(token, subject string, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[token] = entry{subject: subject, expires: time.Now().Add(ttl)}
}

// Lookup returns the subject for a cached, unexpired token.
func (c *Cache) Lookup(token string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[token]
	if !ok {
		return "", false
	}
	if time.Now().After(e.expires) {
		delete(c.entries, token) // want ML104
		return "", false
	}
	c.hits[token]++ // want ML104
	return e.subject, true
}

// Hits reports how often token was served from the cache.
func (c *Cache) Hits(token string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.hits[token]
}
