package main

import (
	"strconv"
	"testing"
)

func TestReplay(t *testing.T) {
	conns := capture()
	for p := 0; p < 32; p++ {
		peer := "192.168.1." + strconv.Itoa(p)
		for j := 0; j < 500; j++ {
			conns[peer] = append(conns[peer], make([]byte, 32+j%64))
		}
	}
	u := replay(conns)
	for peer, frames := range conns {
		if got := u.requests[peer]; got != len(frames) {
			t.Errorf("%s: %d requests, want %d", peer, got, len(frames))
		}
	}
}
