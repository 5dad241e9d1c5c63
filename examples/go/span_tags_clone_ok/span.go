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

// Child starts a span that inherits a copy of the parent's tags.
func (s Span) Child(name string) Span {
	return Span{Name: name, Tags: maps.Clone(s.Tags)}
}

func (s Span) SetTag(k, v string) {
	s.Tags[k] = v
}

// Encode renders the span as "name k=v k=v".
func (s Span) Encode() string {
	var b strings.Builder
	b.WriteString(s.Name)
	for _, k := range slices.Sorted(maps.Keys(s.Tags)) {
		b.WriteString(" " + k + "=" + s.Tags[k])
	}
	return b.String()
}
