package p2p

import (
	"strconv"
	"sync"
	"testing"
)

func TestBroadcastDuringChurn(t *testing.T) {
	ps := NewPeerSet()
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			id := "peer-" + strconv.Itoa(i%8)
			ps.Add(NewPeer(id, 8))
			if i%3 == 0 {
				ps.Remove(id)
			}
		}
	})
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			ps.Broadcast([]byte("block 1234"))
		}
	})
	wg.Wait()
	if len(ps.list()) == 0 {
		t.Fatal("no peers left")
	}
}
