// Package logscan counts distinct error signatures across log shards.
package logscan

import (
	"regexp"
	"strings"
	"sync"
)

var digits = regexp.MustCompile(`[0-9]+`)

func signature(line string) string {
	_, msg, _ := strings.Cut(line, "ERROR ")
	return digits.ReplaceAllString(msg, "N")
}

// Distinct returns, per shard, how many distinct error signatures it holds,
// and the union across shards.
func Distinct(shards [][]string) (perShard []int, union map[string]int) {
	perShard = make([]int, len(shards))
	partial := make(chan map[string]int, len(shards))
	var wg sync.WaitGroup
	for i, lines := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen := make(map[string]int)
			for _, l := range lines {
				if strings.Contains(l, "ERROR ") {
					seen[signature(l)]++
				}
			}
			perShard[i] = len(seen)
			partial <- seen
		}()
	}
	wg.Wait()
	close(partial)
	union = make(map[string]int)
	for seen := range partial {
		for sig, n := range seen {
			union[sig] += n
		}
	}
	return perShard, union
}
