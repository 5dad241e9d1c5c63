package search

import (
	"strconv"
	"sync"
	"testing"
)

func TestQueriesWhileBuilding(t *testing.T) {
	var docs []string
	for i := 0; i < 300; i++ {
		docs = append(docs, "release notes for go version "+strconv.Itoa(i%20))
	}
	idx := Build(docs)
	var wg sync.WaitGroup
	for _, q := range []string{"go version 3", "release notes", "missing"} {
		wg.Go(func() {
			for i := 0; i < 100; i++ {
				idx.Search(q)
				idx.Terms()
			}
		})
	}
	wg.Wait()
	if got := len(idx.Search("version 7")); got != 15 {
		t.Fatalf("version 7 matched %d docs, want 15", got)
	}
}
