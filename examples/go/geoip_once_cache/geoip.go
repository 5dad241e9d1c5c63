// Package geoip maps client IPv4 addresses to country codes.
package geoip

import (
	"strings"
	"sync"
)

type DB struct {
	load func() map[string]string

	once     sync.Once
	prefixes map[string]string
	cache    map[string]string
}

func New(load func() map[string]string) *DB { return &DB{load: load} }

// Country returns the ISO code for ip, or "ZZ" if unknown. The prefix table
// is loaded on first use.
func (d *DB) Country(ip string) string {
	d.once.Do(func() {
		d.prefixes = d.load()
		d.cache = make(map[string]string)
	})
	if cc, ok := d.cache[ip]; ok { // want ML102
		return cc
	}
	cc := d.match(ip)
	d.cache[ip] = cc // want ML101
	return cc
}

func (d *DB) match(ip string) string {
	for p := ip; p != ""; {
		if cc, ok := d.prefixes[p]; ok {
			return cc
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return "ZZ"
}
