// Package search builds an inverted index in the background; queries block
// until it is ready.
package search

import (
	"slices"
	"strings"
)

type Index struct {
	ready    chan struct{}
	postings map[string][]int
}

// Build starts indexing docs and returns immediately.
func Build(docs []string) *Index {
	idx := &Index{ready: make(chan struct{}), postings: make(map[string][]int)}
	go func() {
		defer close(idx.ready)
		for id, doc := range docs {
			for _, term := range strings.Fields(strings.ToLower(doc)) {
				if ids := idx.postings[term]; len(ids) == 0 || ids[len(ids)-1] != id {
					idx.postings[term] = append(ids, id)
				}
			}
		}
	}()
	return idx
}

// Search returns the IDs of documents containing every term of q.
func (idx *Index) Search(q string) []int {
	<-idx.ready
	var result []int
	for i, term := range strings.Fields(strings.ToLower(q)) {
		ids := idx.postings[term]
		if i == 0 {
			result = slices.Clone(ids)
			continue
		}
		result = slices.DeleteFunc(result, func(id int) bool {
			_, found := slices.BinarySearch(ids, id)
			return !found
		})
	}
	return result
}

// Terms reports the vocabulary size.
func (idx *Index) Terms() int {
	<-idx.ready
	return len(idx.postings)
}
