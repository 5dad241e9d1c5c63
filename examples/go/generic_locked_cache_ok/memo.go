// Package memo caches the results of an expensive lookup function.
package memo

import "sync"

type Cache[K comparable, V any] struct {
	load func(K) (V, error)

	mu    sync.Mutex
	items map[K]V
}

func New[K comparable, V any](load func(K) (V, error)) *Cache[K, V] {
	return &Cache[K, V]{load: load, items: make(map[K]V)}
}

func (c *Cache[K, V]) Get(key K) (V, error) {
	c.mu.Lock()
	v, ok := c.items[key]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := c.load(key)
	if err != nil {
		var zero V
		return zero, err
	}
	c.mu.Lock()
	c.items[key] = v
	c.mu.Unlock()
	return v, nil
}

func (c *Cache[K, V]) Invalidate(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.items, key)
}

func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}
