// Command hitcounter serves a per-path hit counter and a /top report.
package main

import (
	"cmp"
	"log"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

var (
	mu   sync.Mutex
	hits = map[string]int{}
)

func init() {
	http.HandleFunc("/top", topPaths)
	http.HandleFunc("/", countHit)
}

func record(path string) int {
	mu.Lock()
	defer mu.Unlock()
	hits[path]++
	return hits[path]
}

func countHit(w http.ResponseWriter, r *http.Request) {
	n := record(r.URL.Path)
	w.Header().Set("X-Hits", strconv.Itoa(n))
	w.WriteHeader(http.StatusNoContent)
}

type pathCount struct {
	path  string
	count int
}

func snapshot() []pathCount {
	mu.Lock()
	defer mu.Unlock()
	all := make([]pathCount, 0, len(hits))
	for p, n := range hits {
		all = append(all, pathCount{p, n})
	}
	return all
}

func topPaths(w http.ResponseWriter, r *http.Request) {
	limit, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || limit <= 0 {
		limit = 10
	}
	all := snapshot()
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
