package connpool

import (
	"io"
	"sync"
	"sync/atomic"
	"testing"
)

type fakeConn struct {
	io.ReadWriter
	closed *atomic.Int64
}

func (c *fakeConn) Close() error { c.closed.Add(1); return nil }

func TestGetPut(t *testing.T) {
	var dialed, closed atomic.Int64
	p := New(func(addr string) (Conn, error) {
		dialed.Add(1)
		return &fakeConn{closed: &closed}, nil
	}, 2)
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				addr := []string{"10.0.0.1:6379", "10.0.0.2:6379"}[i%2]
				c, err := p.Get(addr)
				if err != nil {
					panic(err)
				}
				p.Put(addr, c)
			}
		})
	}
	wg.Wait()
	p.Close()
	if dialed.Load() != closed.Load() {
		t.Fatalf("dialed %d, closed %d", dialed.Load(), closed.Load())
	}
}
