// Package connpool keeps idle connections per backend address.
package connpool

import (
	"io"
	"sync"
)

type Conn interface {
	io.ReadWriteCloser
}

type Pool struct {
	mu     sync.Mutex
	closed bool
	idle   map[string][]Conn
	dial   func(addr string) (Conn, error)
}

func New(dial func(addr string) (Conn, error)) *Pool {
	return &Pool{idle: make(map[string][]Conn), dial: dial}
}

func (p *Pool) Get(addr string) (Conn, error) {
	p.mu.Lock()
	if conns := p.idle[addr]; len(conns) > 0 {
		c := conns[len(conns)-1]
		p.idle[addr] = conns[:len(conns)-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	return p.dial(addr)
}

func (p *Pool) Put(addr string, c Conn) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		c.Close()
		return
	}
	p.mu.Unlock()
	p.idle[addr] = append(p.idle[addr], c) // want ML101 ML102
}

func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, conns := range p.idle {
		for _, c := range conns {
			c.Close()
		}
	}
	clear(p.idle)
}
