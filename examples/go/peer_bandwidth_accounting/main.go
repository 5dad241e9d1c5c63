// Command peerstats replays captured connections and reports per-peer usage.
package main

import (
	"fmt"
	"sort"
	"sync"
)

type usage struct {
	bytesIn  map[string]int64
	requests map[string]int
}

func serveConn(u *usage, peer string, frames [][]byte) {
	for _, f := range frames {
		u.bytesIn[peer] += int64(len(f)) // want ML101
		u.requests[peer]++               // want ML101
	}
}

func replay(conns map[string][][]byte) *usage {
	u := &usage{bytesIn: make(map[string]int64), requests: make(map[string]int)}
	var wg sync.WaitGroup
	for peer, frames := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			serveConn(u, peer, frames)
		}()
	}
	wg.Wait()
	return u
}

func capture() map[string][][]byte {
	conns := make(map[string][][]byte)
	for i, peer := range []string{"10.0.0.5", "10.0.0.9", "10.0.3.1", "10.0.7.7"} {
		for j := 0; j < 300; j++ {
			conns[peer] = append(conns[peer], make([]byte, 64*(i+1)+j%13))
		}
	}
	return conns
}

func main() {
	u := replay(capture())
	peers := make([]string, 0, len(u.bytesIn))
	for p := range u.bytesIn {
		peers = append(peers, p)
	}
	sort.Strings(peers)
	for _, p := range peers {
		fmt.Printf("%-10s %8d bytes %5d requests\n", p, u.bytesIn[p], u.requests[p])
	}
}
