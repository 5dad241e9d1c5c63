// Package quota counts requests per tenant and endpoint, with one mutex and
// one table per tenant.
package quota

import "sync"

type Counter struct {
	locks map[string]*sync.Mutex
	used  map[string]map[string]int
}

func New(tenants []string) *Counter {
	c := &Counter{locks: map[string]*sync.Mutex{}, used: map[string]map[string]int{}}
	for _, t := range tenants {
		c.locks[t] = &sync.Mutex{}
		c.used[t] = map[string]int{}
	}
	return c
}

func (c *Counter) Take(tenant, endpoint string, n int) int {
	mu := c.locks[tenant]
	mu.Lock()
	defer mu.Unlock()
	c.used[tenant][endpoint] += n
	return c.used[tenant][endpoint]
}
