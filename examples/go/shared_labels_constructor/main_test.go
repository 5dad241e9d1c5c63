package main

import (
	"strconv"
	"testing"
)

func TestCollect(t *testing.T) {
	var srcs []source
	for i := 0; i < 200; i++ {
		srcs = append(srcs, source{name: "src" + strconv.Itoa(i), metric: "m" + strconv.Itoa(i), read: func() float64 { return float64(i) }})
	}
	samples := collect("node-1", srcs)
	if len(samples) != len(srcs) {
		t.Fatalf("got %d samples, want %d", len(samples), len(srcs))
	}
	_ = format(samples[0])
}
