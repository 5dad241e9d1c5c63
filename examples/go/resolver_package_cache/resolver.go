// Package resolver resolves service host names with a process-wide cache.
package resolver

import (
	"context"
	"errors"
	"net"
)

var (
	lookupHost = net.DefaultResolver.LookupHost
	hostCache  = map[string][]string{}
)

func Resolve(ctx context.Context, host string) ([]string, error) {
	if addrs, ok := hostCache[host]; ok { // want ML102
		return addrs, nil
	}
	addrs, err := lookupHost(ctx, host)
	if err != nil {
		return nil, err
	}
	hostCache[host] = addrs // want ML101
	return addrs, nil
}

// DialAny tries every address of host until dial succeeds.
func DialAny(ctx context.Context, host, port string, dial func(addr string) error) error {
	addrs, err := Resolve(ctx, host)
	if err != nil {
		return err
	}
	errs := make([]error, 0, len(addrs))
	for _, a := range addrs {
		err := dial(net.JoinHostPort(a, port))
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
