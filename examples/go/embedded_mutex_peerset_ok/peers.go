// Package p2p manages the set of connected peers of a node.
package p2p

import "sync"

type Peer struct {
	ID  string
	out chan []byte
}

func NewPeer(id string, queue int) *Peer {
	return &Peer{ID: id, out: make(chan []byte, queue)}
}

func (p *Peer) Send(msg []byte) bool {
	select {
	case p.out <- msg:
		return true
	default:
		return false
	}
}

type PeerSet struct {
	sync.Mutex
	peers map[string]*Peer
}

func NewPeerSet() *PeerSet { return &PeerSet{peers: make(map[string]*Peer)} }

func (ps *PeerSet) Add(p *Peer) {
	ps.Lock()
	defer ps.Unlock()
	ps.peers[p.ID] = p
}

func (ps *PeerSet) Remove(id string) {
	ps.Lock()
	defer ps.Unlock()
	delete(ps.peers, id)
}

func (ps *PeerSet) list() []*Peer {
	ps.Lock()
	defer ps.Unlock()
	out := make([]*Peer, 0, len(ps.peers))
	for _, p := range ps.peers {
		out = append(out, p)
	}
	return out
}

// Broadcast queues msg on every peer and returns how many accepted it.
func (ps *PeerSet) Broadcast(msg []byte) int {
	sent := 0
	for _, p := range ps.list() {
		if p.Send(msg) {
			sent++
		}
	}
	return sent
}
