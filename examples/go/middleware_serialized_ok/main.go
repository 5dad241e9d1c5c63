// Command guestbook serves a guestbook whose handlers were written for one
// request at a time: the serialized middleware makes that true.
package main

import (
	"fmt"
	"log"
	"net/http"
	"sort"
	"sync"
)

var (
	serial  sync.Mutex
	entries = map[string][]string{} // page -> messages
	views   = map[string]int{}
)

// serialized runs the requests it wraps one at a time.
func serialized(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serial.Lock()
		defer serial.Unlock()
		next.ServeHTTP(w, r)
	})
}

// locked is serialized for a handler function.
func locked(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		serial.Lock()
		defer serial.Unlock()
		f(w, r)
	}
}

func sign(w http.ResponseWriter, r *http.Request) {
	page := r.URL.Query().Get("page")
	entries[page] = append(entries[page], r.URL.Query().Get("msg"))
	w.WriteHeader(http.StatusCreated)
}

func show(w http.ResponseWriter, r *http.Request) {
	page := r.URL.Query().Get("page")
	views[page]++
	for _, m := range entries[page] {
		fmt.Fprintln(w, m)
	}
}

func pages(w http.ResponseWriter, r *http.Request) {
	names := make([]string, 0, len(entries))
	for p := range entries {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		fmt.Fprintf(w, "%s %d\n", p, views[p])
	}
}

func routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/sign", serialized(http.HandlerFunc(sign)))
	mux.Handle("/show", serialized(http.HandlerFunc(show)))
	mux.HandleFunc("/pages", locked(pages))
	return mux
}

func main() {
	log.Fatal(http.ListenAndServe("localhost:8080", routes()))
}
