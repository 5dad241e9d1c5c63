// Command configd holds runtime settings that operators can change over HTTP.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"maps"
	"net/http"
	"sync"
)

type settings struct {
	mu     sync.RWMutex
	values map[string]string
}

func (s *settings) set(key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values[key] = value
}

func (s *settings) snapshot() map[string]string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.Clone(s.values)
}

func (s *settings) String() string {
	return fmt.Sprint(s.snapshot())
}

func (s *settings) handlePut(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	body, err := io.ReadAll(io.LimitReader(r.Body, 4096))
	if err != nil || key == "" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	s.set(key, string(body))
	w.WriteHeader(http.StatusNoContent)
}

func (s *settings) handleDump(w http.ResponseWriter, r *http.Request) {
	snap := s.snapshot()
	for k := range snap {
		if len(k) > 0 && k[0] == '_' {
			delete(snap, k)
		}
	}
	b, err := json.MarshalIndent(snap, "", "  ")
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

func newMux(s *settings) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /settings/{key}", s.handlePut)
	mux.HandleFunc("GET /settings", s.handleDump)
	return mux
}

func main() {
	s := &settings{values: map[string]string{"log_level": "info", "_secret": "x"}}
	log.Printf("starting with %v", s)
	log.Fatal(http.ListenAndServe("localhost:8081", newMux(s)))
}
