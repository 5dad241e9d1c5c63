package main

import (
	"strconv"
	"testing"
)

func TestRoute(t *testing.T) {
	dsn := shardTable(8)
	var users []string
	for i := 0; i < 500; i++ {
		users = append(users, "user"+strconv.Itoa(i))
	}
	got := route(users, dsn, 4)
	for i, u := range users {
		if got[i] != dsn[shardOf(u, 8)] {
			t.Fatalf("%s routed to %q", u, got[i])
		}
	}
}
