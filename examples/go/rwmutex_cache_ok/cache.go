// Package blobcache caches object-store blobs in memory.
package blobcache

import "sync"

type Fetcher func(key string) ([]byte, error)

type Cache struct {
	fetch Fetcher

	mu    sync.RWMutex
	blobs map[string][]byte
	bytes int
}

// New returns a cache pre-warmed with seed.
func New(fetch Fetcher, seed map[string][]byte) *Cache {
	c := &Cache{fetch: fetch, blobs: make(map[string][]byte, len(seed))}
	for k, v := range seed {
		c.blobs[k] = v
		c.bytes += len(v)
	}
	return c
}

func (c *Cache) Get(key string) ([]byte, error) {
	c.mu.RLock()
	b, ok := c.blobs[key]
	c.mu.RUnlock()
	if ok {
		return b, nil
	}

	b, err := c.fetch(key)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cached, ok := c.blobs[key]; ok {
		return cached, nil
	}
	c.blobs[key] = b
	c.bytes += len(b)
	return b, nil
}

func (c *Cache) Evict(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.blobs[key]; ok {
		c.bytes -= len(b)
		delete(c.blobs, key)
	}
}

// Stats returns the number of cached blobs and their total size.
func (c *Cache) Stats() (n, bytes int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.blobs), c.bytes
}
