// Package quota counts requests per tenant, with one mutex per tenant.
package quota

import "sync"

type Counter struct {
	locks map[string]*sync.Mutex
	used  map[string]int
}

func New(tenants []string) *Counter {
	c := &Counter{locks: map[string]*sync.Mutex{}, used: map[string]int{}}
	for _, t := range tenants {
		c.locks[t] = &sync.Mutex{}
	}
	return c
}

func (c *Counter) Take(tenant string, n int) int {
	mu := c.locks[tenant]
	mu.Lock()
	defer mu.Unlock()
	c.used[tenant] += n   // want ML101
	return c.used[tenant] // want ML102
}
