package search

import (
	"context"
	"strconv"
	"testing"
	"time"
)

func TestPartialResults(t *testing.T) {
	var shards []Shard
	for i := 0; i < 8; i++ {
		delay := time.Duration(i%2) * 3 * time.Millisecond
		shards = append(shards, Shard{
			Name: "shard-" + strconv.Itoa(i),
			Search: func(q string) []string {
				time.Sleep(delay)
				return []string{q + "-doc" + strconv.Itoa(i)}
			},
		})
	}
	for round := 0; round < 3; round++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		got := Merge(Query(ctx, shards, "golang"))
		cancel()
		if len(got) == 0 {
			t.Fatal("no results before deadline")
		}
	}
	time.Sleep(10 * time.Millisecond)
}
