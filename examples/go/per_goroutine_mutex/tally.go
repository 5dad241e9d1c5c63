// Package tally counts status codes from several log shards.
package tally

import (
	"strings"
	"sync"
)

// Codes counts the HTTP status codes found in the shards.
func Codes(shards []string) map[string]int {
	counts := make(map[string]int)
	var wg sync.WaitGroup
	for _, shard := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mu sync.Mutex
			for _, line := range strings.Split(shard, "\n") {
				fields := strings.Fields(line)
				if len(fields) < 2 {
					continue
				}
				mu.Lock()
				counts[fields[1]]++ // want ML101
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return counts
}
