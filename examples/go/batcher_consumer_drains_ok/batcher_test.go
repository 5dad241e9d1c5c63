package batcher

import (
	"strconv"
	"testing"
)

func TestRunFlush(t *testing.T) {
	in := make(chan Event)
	out := make(chan map[string]int)
	go Run(in, out, 8)
	go func() {
		for i := 0; i < 400; i++ {
			in <- Event{Key: "page:" + strconv.Itoa(i%20), Count: 1}
		}
		close(in)
	}()
	total := 0
	Flush(out, func(key string, delta int) { total += delta })
	if total != 400 {
		t.Fatalf("flushed %d increments, want 400", total)
	}
}
