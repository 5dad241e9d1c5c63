// Package runtimecfg exposes settings that are reloaded from disk on SIGHUP.
package runtimecfg

import (
	"bufio"
	"io"
	"strings"
	"sync/atomic"
)

type Config struct {
	v atomic.Value // map[string]string, never modified after Store
}

// Parse reads "key = value" lines, ignoring blanks and # comments.
func Parse(r io.Reader) (map[string]string, error) {
	m := make(map[string]string)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m, sc.Err()
}

func (c *Config) Reload(r io.Reader) error {
	m, err := Parse(r)
	if err != nil {
		return err
	}
	c.v.Store(m)
	return nil
}

func (c *Config) Get(key, def string) string {
	m, _ := c.v.Load().(map[string]string)
	if v, ok := m[key]; ok {
		return v
	}
	return def
}
