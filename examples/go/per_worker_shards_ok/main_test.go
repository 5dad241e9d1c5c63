package main

import "testing"

func TestAggregate(t *testing.T) {
	var reqs []request
	for i := 0; i < 600; i++ {
		reqs = append(reqs, request{country: []string{"DE", "US", "JP"}[i%3], bytes: 10})
	}
	total := aggregate(reqs, 4)
	if total["DE"] != 2000 || total["US"] != 2000 || total["JP"] != 2000 {
		t.Fatalf("total = %v", total)
	}
}
