package tally

import (
	"strings"
	"testing"
)

func TestCodes(t *testing.T) {
	shard := strings.Repeat("GET 200\nGET 404\nPOST 500\n", 100)
	counts := Codes([]string{shard, shard, shard, shard})
	if counts["200"]+counts["404"]+counts["500"] > 1200 {
		t.Fatalf("counts %v", counts)
	}
}
