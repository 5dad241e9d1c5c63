package logscan

import (
	"strconv"
	"testing"
)

func TestDistinct(t *testing.T) {
	shards := make([][]string, 4)
	for s := range shards {
		for i := 0; i < 200; i++ {
			shards[s] = append(shards[s], "2024-05-01T10:00:00Z ERROR dial tcp 10.0.0."+strconv.Itoa(i)+": timeout after "+strconv.Itoa(s)+"s")
			shards[s] = append(shards[s], "2024-05-01T10:00:01Z INFO ok")
		}
	}
	per, union := Distinct(shards)
	if per[0] != 1 || len(union) != 1 {
		t.Fatalf("per = %v, union = %v", per, union)
	}
}
