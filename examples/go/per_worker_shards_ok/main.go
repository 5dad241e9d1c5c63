// Command geoagg aggregates request counts per country, one partial table per
// worker, and merges them at the end.
package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

type request struct {
	country string
	bytes   int
}

func aggregate(reqs []request, workers int) map[string]int {
	partial := make(map[int]map[string]int, workers)
	for w := 0; w < workers; w++ {
		partial[w] = make(map[string]int)
	}

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := partial[w]
			for i := w; i < len(reqs); i += workers {
				mine[reqs[i].country] += reqs[i].bytes
			}
		}()
	}
	wg.Wait()

	total := make(map[string]int)
	for _, part := range partial {
		for c, n := range part {
			total[c] += n
		}
	}
	return total
}

func main() {
	var reqs []request
	for i, c := range strings.Fields("DE FR US US JP DE BR US FR IN") {
		reqs = append(reqs, request{country: c, bytes: 100 * (i + 1)})
	}
	total := aggregate(reqs, 3)
	countries := make([]string, 0, len(total))
	for c := range total {
		countries = append(countries, c)
	}
	sort.Strings(countries)
	for _, c := range countries {
		fmt.Println(c, total[c])
	}
}
