// Package facets serves faceted product search.
package facets

import (
	"encoding/json"
	"net/http"
	"strings"
)

type Product struct {
	Name   string            `json:"name"`
	Attrs  map[string]string `json:"attrs"`
	Tokens []string          `json:"-"`
}

type Handler struct {
	Catalog []Product
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	filters := make(map[string]string)
	for key, vals := range r.URL.Query() {
		if key != "q" && len(vals) > 0 {
			filters[key] = vals[0]
		}
	}
	q := strings.ToLower(r.URL.Query().Get("q"))

	counts := make(map[string]map[string]int)
	var hits []Product
	for _, p := range h.Catalog {
		if !strings.Contains(strings.ToLower(p.Name), q) || !matches(p, filters) {
			continue
		}
		hits = append(hits, p)
		for k, v := range p.Attrs {
			if counts[k] == nil {
				counts[k] = make(map[string]int)
			}
			counts[k][v]++
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"hits": hits, "facets": counts})
}

func matches(p Product, filters map[string]string) bool {
	for k, want := range filters {
		if p.Attrs[k] != want {
			return false
		}
	}
	return true
}
