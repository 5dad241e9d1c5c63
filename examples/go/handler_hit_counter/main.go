// Command hitcounter serves a per-path hit counter and a /top report.
package main

import (
	"cmp"
	"log"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

var hits = map[string]int{}

func init() {
	http.HandleFunc("/top", topPaths)
	http.HandleFunc("/", countHit)
}

func countHit(w http.ResponseWriter, r *http.Request) {
	hits[r.URL.Path]++                                       // want ML101
	w.Header().Set("X-Hits", strconv.Itoa(hits[r.URL.Path])) // want ML102
	w.WriteHeader(http.StatusNoContent)
}

type pathCount struct {
	path  string
	count int
}

func topPaths(w http.ResponseWriter, r *http.Request) {
	limit, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || limit <= 0 {
		limit = 10
	}
	all := make([]pathCount, 0, len(hits)) // want ML102
	for p, n := range hits {               // want ML103
		all = append(all, pathCount{p, n})
	}
	slices.SortFunc(all, func(a, b pathCount) int { return cmp.Compare(b.count, a.count) })
	var b strings.Builder
	for i, pc := range all {
		if i == limit {
			break
		}
		b.WriteString(pc.path + " " + strconv.Itoa(pc.count) + "\n")
	}
	w.Header().Set("Content-Type", "text/plain")
	w.Write([]byte(b.String()))
}

func main() {
	log.Fatal(http.ListenAndServe("localhost:8080", nil))
}
