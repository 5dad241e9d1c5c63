// Package memo caches the results of an expensive lookup function.
package memo

type Cache[K comparable, V any] struct {
	load  func(K) (V, error)
	items map[K]V
}

func New[K comparable, V any](load func(K) (V, error)) *Cache[K, V] {
	return &Cache[K, V]{load: load, items: make(map[K]V)}
}

func (c *Cache[K, V]) Get(key K) (V, error) {
	if v, ok := c.items[key]; ok { // want ML102
		return v, nil
	}
	v, err := c.load(key)
	if err != nil {
		var zero V
		return zero, err
	}
	c.items[key] = v // want ML101
	return v, nil
}

// Invalidate forgets key so the next Get reloads it.
func (c *Cache[K, V]) Invalidate(key K) {
	delete(c.items, key) // want ML101
}
