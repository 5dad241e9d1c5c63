// Package uploads accepts file uploads subject to a per-user daily quota.
package uploads

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

type Server struct {
	mu       sync.Mutex
	quota    map[string]int
	lastSeen map[string]time.Time
}

func NewServer(users map[string]int) *Server {
	return &Server{quota: users, lastSeen: make(map[string]time.Time)}
}

func (s *Server) Routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /upload", s.handleUpload)
	mux.HandleFunc("GET /status", s.handleStatus)
	return mux
}

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	user := r.Header.Get("X-User")
	s.mu.Lock()
	if s.quota[user] <= 0 {
		s.mu.Unlock()
		w.WriteHeader(http.StatusForbidden)
		return
	}
	s.quota[user]--
	s.mu.Unlock()

	go func() {
		s.lastSeen[user] = time.Now() // want ML101
	}()
	w.WriteHeader(http.StatusAccepted)
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	user := r.Header.Get("X-User")
	s.mu.Lock()
	left, seen := s.quota[user], s.lastSeen[user]
	s.mu.Unlock()
	w.Header().Set("X-Quota-Left", strconv.Itoa(left))
	if !seen.IsZero() {
		w.Header().Set("X-Last-Upload", seen.Format(time.RFC3339))
	}
	w.WriteHeader(http.StatusNoContent)
}
