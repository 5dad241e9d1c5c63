// Command guestbook serves a guestbook behind a middleware that counts the
// responses by status; neither the counts nor the handlers' maps are guarded.
package main

import (
	"fmt"
	"log"
	"net/http"
	"sort"
)

var (
	statuses = map[int]int{}
	entries  = map[string][]string{} // page -> messages
)

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (s *statusWriter) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

// counted tallies the status of every response it wraps.
func counted(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(sw, r)
		statuses[sw.code]++ // want ML101
	})
}

func sign(w http.ResponseWriter, r *http.Request) {
	page := r.URL.Query().Get("page")
	entries[page] = append(entries[page], r.URL.Query().Get("msg")) // want ML101 ML102
	w.WriteHeader(http.StatusCreated)
}

func show(w http.ResponseWriter, r *http.Request) {
	page := r.URL.Query().Get("page")
	for _, m := range entries[page] { // want ML102
		fmt.Fprintln(w, m)
	}
}

func report(w http.ResponseWriter, r *http.Request) {
	codes := make([]int, 0, len(statuses)) // want ML102
	for c := range statuses {              // want ML103
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		fmt.Fprintf(w, "%d %d\n", c, statuses[c]) // want ML102
	}
}

func routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/sign", counted(http.HandlerFunc(sign)))
	mux.Handle("/show", counted(http.HandlerFunc(show)))
	mux.HandleFunc("/report", report)
	return mux
}

func main() {
	log.Fatal(http.ListenAndServe("localhost:8080", routes()))
}
