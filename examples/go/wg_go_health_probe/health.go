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
	status := make(map[string]string, len(targets))
	var wg sync.WaitGroup
	for _, target := range targets {
		wg.Go(func() {
			if err := c.Probe(target, c.Timeout); err != nil {
				status[target] = "down: " + err.Error() // want ML101
				return
			}
			status[target] = "up" // want ML101
		})
	}
	wg.Wait()
	return status
}

// Healthy reports whether every target in a CheckAll result is up.
func Healthy(status map[string]string) bool {
	for _, s := range status {
		if s != "up" {
			return false
		}
	}
	return true
}
