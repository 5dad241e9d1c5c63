package p2p

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestBroadcastDuringChurn(t *testing.T) {
	ps := NewPeerSet()
	for i := 0; i < 4; i++ {
		ps.Add(NewPeer("seed-"+strconv.Itoa(i), 1024))
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			if i%50 == 49 {
				time.Sleep(100 * time.Microsecond)
			}
			id := "peer-" + strconv.Itoa(i%8)
			ps.Add(NewPeer(id, 8))
			if i%3 == 0 {
				ps.Remove(id)
			}
		}
	})
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			if i%50 == 49 {
				time.Sleep(100 * time.Microsecond)
			}
			ps.Broadcast([]byte("block 1234"))
		}
	})
	wg.Wait()
	if _, ok := ps.Get("seed-0"); !ok {
		t.Fatal("seed peer missing")
	}
}
