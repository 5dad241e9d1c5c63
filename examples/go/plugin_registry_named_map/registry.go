// Package plugins loads command plugins into a shared command registry.
package plugins

import (
	"errors"
	"fmt"
)

type Command func(args []string) error

// Registry maps command names to their implementation.
type Registry map[string]Command

func (r Registry) Register(name string, cmd Command) error {
	if _, exists := r[name]; exists { // want ML102
		return fmt.Errorf("command %q already registered", name)
	}
	r[name] = cmd // want ML101
	return nil
}

func (r Registry) Run(name string, args []string) error {
	cmd, ok := r[name] // want ML102
	if !ok {
		return fmt.Errorf("unknown command %q", name)
	}
	return cmd(args)
}

type Plugin interface {
	Name() string
	Init(r Registry) error
}

// LoadAll initialises every plugin concurrently; slow plugins (ones that
// dial a backend during Init) should not delay the others.
func LoadAll(r Registry, plugins []Plugin) error {
	errs := make(chan error, len(plugins))
	for _, p := range plugins {
		go func() {
			if err := p.Init(r); err != nil {
				errs <- fmt.Errorf("plugin %s: %w", p.Name(), err)
				return
			}
			errs <- nil
		}()
	}
	var all []error
	for range plugins {
		if err := <-errs; err != nil {
			all = append(all, err)
		}
	}
	return errors.Join(all...)
}
