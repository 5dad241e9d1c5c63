package main

import "testing"

func TestReplay(t *testing.T) {
	conns := capture()
	u := replay(conns)
	for peer, frames := range conns {
		if got := u.requests[peer]; got != len(frames) {
			t.Errorf("%s: %d requests, want %d", peer, got, len(frames))
		}
	}
}
