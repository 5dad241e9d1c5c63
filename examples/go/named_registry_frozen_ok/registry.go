// Package cli dispatches subcommands. Commands are registered while the
// program starts and the table is read-only afterwards.
package cli

import (
	"fmt"
	"sort"
	"strings"
)

type Command func(args []string) (string, error)

// Registry maps command names to their implementation.
type Registry map[string]Command

func (r Registry) Register(name string, cmd Command) {
	if _, dup := r[name]; dup {
		panic("cli: duplicate command " + name)
	}
	r[name] = cmd
}

func (r Registry) Run(line string) (string, error) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return "", fmt.Errorf("empty command")
	}
	cmd, ok := r[fields[0]]
	if !ok {
		return "", fmt.Errorf("unknown command %q (try: %s)", fields[0], strings.Join(r.Names(), ", "))
	}
	return cmd(fields[1:])
}

func (r Registry) Names() []string {
	names := make([]string, 0, len(r))
	for n := range r {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Default builds the standard command set.
func Default() Registry {
	r := Registry{}
	r.Register("echo", func(args []string) (string, error) { return strings.Join(args, " "), nil })
	r.Register("upper", func(args []string) (string, error) { return strings.ToUpper(strings.Join(args, " ")), nil })
	r.Register("count", func(args []string) (string, error) { return fmt.Sprint(len(args)), nil })
	return r
}
