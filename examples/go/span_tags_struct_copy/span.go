// Package trace is a tiny span model used by the request pipeline.
package trace

import (
	"maps"
	"slices"
	"strings"
)

type Span struct {
	Name string
	Tags map[string]string
}

func Start(name string) Span {
	return Span{Name: name, Tags: map[string]string{"service": "checkout"}}
}

// Child starts a span that inherits the parent's tags.
func (s Span) Child(name string) Span {
	c := s
	c.Name = name
	return c
}

func (s Span) SetTag(k, v string) {
	s.Tags[k] = v // want ML101
}

// Encode renders the span as "name k=v k=v".
func (s Span) Encode() string {
	var b strings.Builder
	b.WriteString(s.Name)
	for _, k := range slices.Sorted(maps.Keys(s.Tags)) { // want ML103
		b.WriteString(" " + k + "=" + s.Tags[k]) // want ML102
	}
	return b.String()
}
