// Package health probes a set of backends in parallel.
package health

import (
	"sync"
	"time"
)

type Probe func(target string, timeout time.Duration) error

type Checker struct {
	Probe   Probe
	Timeout time.Duration
}

// CheckAll probes every target concurrently and reports "up" or the error.
func (c *Checker) CheckAll(targets []string) map[string]string {
	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	for i, target := range targets {
		wg.Go(func() {
			errs[i] = c.Probe(target, c.Timeout)
		})
	}
	wg.Wait()

	status := make(map[string]string, len(targets))
	for i, target := range targets {
		if errs[i] != nil {
			status[target] = "down: " + errs[i].Error()
			continue
		}
		status[target] = "up"
	}
	return status
}
