// Command configd holds runtime settings that operators can change over HTTP.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
)

type settings struct {
	values map[string]string
}

func (s *settings) set(key, value string) {
	s.values[key] = value // want ML101
}

func (s *settings) String() string {
	return fmt.Sprint(s.values) // want ML103
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
	b, err := json.MarshalIndent(s.values, "", "  ") // want ML103
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
	s := &settings{values: map[string]string{"log_level": "info"}}
	log.Printf("starting with %v", s)
	log.Fatal(http.ListenAndServe("localhost:8081", newMux(s)))
}
