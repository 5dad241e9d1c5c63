package connpool

import (
	"io"
	"sync"
	"testing"
	"time"
)

type fakeConn struct {
	io.ReadWriter
	addr string
}

func (*fakeConn) Close() error { return nil }

func TestGetPut(t *testing.T) {
	p := New(func(addr string) (Conn, error) { return &fakeConn{addr: addr}, nil })
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				if i%50 == 49 {
					time.Sleep(100 * time.Microsecond)
				}
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
}
