// Package router is a minimal exact-match HTTP router whose table can be
// bulk-loaded from configuration at runtime.
package router

import (
	"net/http"
	"sync"
)

type Router struct {
	mu     sync.RWMutex
	routes map[string]http.Handler
}

func New() *Router { return &Router{routes: make(map[string]http.Handler)} }

// Handle registers h for path; a nil h removes the route.
func (rt *Router) Handle(path string, h http.Handler) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.handleLocked(path, h)
}

func (rt *Router) handleLocked(path string, h http.Handler) {
	if h == nil {
		delete(rt.routes, path) // want ML101
		return
	}
	rt.routes[path] = h // want ML101
}

// Load applies a batch of routes from a reloaded config file.
func (rt *Router) Load(table map[string]http.Handler) {
	for path, h := range table {
		rt.handleLocked(path, h)
	}
}

func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt.mu.RLock()
	h, ok := rt.routes[r.URL.Path]
	rt.mu.RUnlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	h.ServeHTTP(w, r)
}
