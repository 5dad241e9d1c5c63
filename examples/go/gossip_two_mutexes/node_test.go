package gossip

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestJoinWhileGossiping(t *testing.T) {
	n := NewNode()
	in := make(chan alive, 32)
	var wg sync.WaitGroup
	wg.Go(func() { n.Receive(in) })
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			in <- alive{Addr: "10.3.0." + strconv.Itoa(i%16) + ":7946", Incarnation: uint64(i)}
			if i%30 == 0 {
				time.Sleep(100 * time.Microsecond)
			}
		}
		close(in)
	})
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			n.Join(Peer{Addr: "10.4.0." + strconv.Itoa(i%16) + ":7946"})
			if i%30 == 0 {
				time.Sleep(100 * time.Microsecond)
			}
		}
	})
	wg.Go(func() {
		for i := 0; i < 100; i++ {
			n.Members()
			if i%10 == 0 {
				time.Sleep(100 * time.Microsecond)
			}
		}
	})
	wg.Wait()
	if len(n.Members()) == 0 {
		t.Fatal("no members")
	}
}
