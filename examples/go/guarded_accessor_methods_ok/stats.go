// Package proxystats records per-upstream request statistics for a reverse
// proxy and serves them as JSON.
package proxystats

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

type upstreamStats struct {
	Requests int           `json:"requests"`
	Errors   int           `json:"errors"`
	Latency  time.Duration `json:"latency_ns"`
}

type Stats struct {
	mu        sync.Mutex
	upstreams map[string]*upstreamStats
}

func New() *Stats { return &Stats{upstreams: make(map[string]*upstreamStats)} }

func (s *Stats) get(upstream string) *upstreamStats {
	st, ok := s.upstreams[upstream]
	if !ok {
		st = &upstreamStats{}
		s.upstreams[upstream] = st
	}
	return st
}

func (s *Stats) Observe(upstream string, d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.get(upstream)
	st.Requests++
	st.Latency += d
	if err != nil {
		st.Errors++
	}
}

func (s *Stats) snapshot() map[string]upstreamStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]upstreamStats, len(s.upstreams))
	for name, st := range s.upstreams {
		out[name] = *st
	}
	return out
}

func (s *Stats) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(s.snapshot())
}
