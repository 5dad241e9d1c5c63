// Package merge loads several label files into one index.
package merge

import (
	"strings"
	"sync"
)

// Into parses each source in its own goroutine and adds its labels to index.
func Into(index map[string]string, sources []string) {
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, line := range strings.Split(src, "\n") {
				if k, v, ok := strings.Cut(line, "="); ok {
					index[strings.TrimSpace(k)] = strings.TrimSpace(v) // want ML101
				}
			}
		}()
	}
	wg.Wait()
}
