// Package grpcroute maps fully-qualified gRPC method names to backends.
package grpcroute

import "strings"

type Rules struct {
	byService map[string]string
	byMethod  map[string]string
	fallback  string
}

func NewRules(services, methods map[string]string, fallback string) *Rules {
	return &Rules{byService: services, byMethod: methods, fallback: fallback}
}

// Backend routes "/pkg.Service/Method".
func (r *Rules) Backend(fullMethod string) string {
	if b, ok := r.byMethod[fullMethod]; ok {
		return b
	}
	svc, _, _ := strings.Cut(strings.TrimPrefix(fullMethod, "/"), "/")
	if b, ok := r.byService[svc]; ok {
		return b
	}
	return r.fallback
}
