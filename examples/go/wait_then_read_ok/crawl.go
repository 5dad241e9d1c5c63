// Package crawl fetches a batch of URLs and summarises the result.
package crawl

import (
	"sort"
	"sync"
)

type Fetcher func(url string) (size int, err error)

type Summary struct {
	Total   int
	Fetched int
	Failed  []string
	Sizes   map[string]int
}

func Crawl(urls []string, fetch Fetcher) Summary {
	var mu sync.Mutex
	sizes := make(map[string]int, len(urls))
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := fetch(u)
			if err != nil {
				n = -1
			}
			mu.Lock()
			sizes[u] = n
			mu.Unlock()
		}()
	}
	wg.Wait()

	s := Summary{Total: len(urls), Fetched: len(sizes), Sizes: sizes}
	for u, n := range sizes {
		if n < 0 {
			s.Failed = append(s.Failed, u)
		}
	}
	sort.Strings(s.Failed)
	return s
}
