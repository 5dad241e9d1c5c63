package gossip

import (
	"strconv"
	"sync"
	"testing"
)

func TestJoinWhileGossiping(t *testing.T) {
	n := NewNode()
	in := make(chan alive, 32)
	var wg sync.WaitGroup
	wg.Go(func() { n.Receive(in) })
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			in <- alive{Addr: "10.3.0." + strconv.Itoa(i%16) + ":7946", Incarnation: uint64(i)}
		}
		close(in)
	})
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			n.Join(Peer{Addr: "10.4.0." + strconv.Itoa(i%16) + ":7946"})
		}
	})
	wg.Go(func() {
		for i := 0; i < 100; i++ {
			n.Members()
		}
	})
	wg.Wait()
	if got := len(n.Members()); got != 32 {
		t.Fatalf("%d members, want 32", got)
	}
}
