package main

import (
	"strconv"
	"testing"
)

func TestHashAll(t *testing.T) {
	files := make(map[string][]byte)
	for i := 0; i < 300; i++ {
		files["f"+strconv.Itoa(i)] = []byte(strconv.Itoa(i))
	}
	manifest, errs := hashAll(files, 4)
	if len(errs) != 0 || len(manifest) != len(files) {
		t.Fatalf("manifest has %d entries, errs %v", len(manifest), errs)
	}
}
