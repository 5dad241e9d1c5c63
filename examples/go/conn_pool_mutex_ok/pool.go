// Package connpool keeps idle connections per backend address.
package connpool

import (
	"errors"
	"io"
	"sync"
)

var ErrClosed = errors.New("pool closed")

type Conn interface {
	io.ReadWriteCloser
}

type Pool struct {
	dial    func(addr string) (Conn, error)
	maxIdle int

	mu     sync.Mutex
	closed bool
	idle   map[string][]Conn
}

func New(dial func(addr string) (Conn, error), maxIdle int) *Pool {
	return &Pool{dial: dial, maxIdle: maxIdle, idle: make(map[string][]Conn)}
}

func (p *Pool) Get(addr string) (Conn, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
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
	if p.closed || len(p.idle[addr]) >= p.maxIdle {
		p.mu.Unlock()
		c.Close()
		return
	}
	p.idle[addr] = append(p.idle[addr], c)
	p.mu.Unlock()
}

func (p *Pool) Close() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.closed = true
	p.mu.Unlock()
	for _, conns := range idle {
		for _, c := range conns {
			c.Close()
		}
	}
}
