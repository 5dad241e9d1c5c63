package main

import (
	"strings"
	"testing"
)

func TestCountWords(t *testing.T) {
	docs := make([]string, 200)
	for i := range docs {
		docs[i] = strings.Repeat("the quick brown fox jumps over the lazy dog. ", 10)
	}
	counts := countWords(docs)
	if got := top(counts, 1); len(got) != 1 || got[0] != "the" {
		t.Fatalf("top word = %v, want [the]", got)
	}
}
