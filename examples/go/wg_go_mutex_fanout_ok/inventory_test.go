package inventory

import (
	"strconv"
	"testing"
)

func TestTotals(t *testing.T) {
	var ws []Warehouse
	for i := 0; i < 20; i++ {
		ws = append(ws, Warehouse{Name: "wh-" + strconv.Itoa(i), Stock: func(skus []string) map[string]int {
			levels := make(map[string]int, len(skus))
			for _, s := range skus {
				levels[s] = i % 3
			}
			return levels
		}})
	}
	skus := []string{"MUG-02", "TEE-L", "CAP-01"}
	totals, holders := Totals(ws, skus)
	if totals["MUG-02"] != 19 || len(holders["TEE-L"]) != 13 {
		t.Fatalf("totals = %v, holders = %d", totals, len(holders["TEE-L"]))
	}
}
