// Package batcher aggregates counter increments into batches that a flusher
// writes to the backing store.
package batcher

type Event struct {
	Key   string
	Count int
}

// Run sums events per key and hands a batch to out every time it reaches
// max distinct keys. out is closed when in is.
func Run(in <-chan Event, out chan<- map[string]int, max int) {
	batch := make(map[string]int, max)
	for ev := range in {
		batch[ev.Key] += ev.Count
		if len(batch) >= max {
			out <- batch
			batch = make(map[string]int, max)
		}
	}
	if len(batch) > 0 {
		out <- batch
	}
	close(out)
}

// Flush writes every batch received on out through store, emptying it as
// it goes: a batch belongs to the flusher once it is sent.
func Flush(out <-chan map[string]int, store func(key string, delta int)) {
	for batch := range out {
		for k, n := range batch {
			store(k, n)
			delete(batch, k)
		}
	}
}
