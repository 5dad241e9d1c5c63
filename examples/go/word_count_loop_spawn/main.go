// Command wordfreq prints the most frequent words across the files named on
// the command line.
package main

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
)

func countWords(docs []string) map[string]int {
	counts := make(map[string]int)
	var wg sync.WaitGroup
	for _, doc := range docs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, w := range strings.Fields(strings.ToLower(doc)) {
				if w = strings.Trim(w, ".,;:!?\"'()"); w != "" {
					counts[w]++ // want ML101
				}
			}
		}()
	}
	wg.Wait()
	return counts
}

func top(counts map[string]int, n int) []string {
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), strings.Compare(a, b))
	})
	return words[:min(n, len(words))]
}

func main() {
	var docs []string
	for _, name := range os.Args[1:] {
		b, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		docs = append(docs, string(b))
	}
	counts := countWords(docs)
	for _, w := range top(counts, 20) {
		fmt.Println(counts[w], w)
	}
}
