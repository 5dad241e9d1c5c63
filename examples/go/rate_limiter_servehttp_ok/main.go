// Command gateway fronts an API with a per-client request quota.
package main

import (
	"context"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

type limiter struct {
	next   http.Handler
	limit  int
	window time.Duration

	mu     sync.Mutex
	counts map[string]int
}

func newLimiter(next http.Handler, limit int, window time.Duration) *limiter {
	return &limiter{next: next, limit: limit, window: window, counts: make(map[string]int)}
}

func clientIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

func (l *limiter) allow(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.counts[ip]++
	return l.counts[ip] <= l.limit
}

func (l *limiter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !l.allow(clientIP(r)) {
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	l.next.ServeHTTP(w, r)
}

func (l *limiter) run(ctx context.Context) {
	t := time.NewTicker(l.window)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.mu.Lock()
			clear(l.counts)
			l.mu.Unlock()
		}
	}
}

func api(w http.ResponseWriter, r *http.Request) {
	w.Write([]byte(`{"status":"ok"}`))
}

func main() {
	lim := newLimiter(http.HandlerFunc(api), 100, time.Minute)
	go lim.run(context.Background())
	http.Handle("/api/", lim)
	log.Fatal(http.ListenAndServe("localhost:8080", nil))
}
