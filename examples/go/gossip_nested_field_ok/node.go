// Package gossip tracks cluster membership from join requests and alive
// messages exchanged between nodes.
package gossip

import (
	"sort"
	"sync"
)

type Peer struct {
	Addr        string
	Incarnation uint64
}

type alive struct {
	Addr        string
	Incarnation uint64
}

type membership struct {
	mu    sync.RWMutex
	peers map[string]Peer
}

type Node struct {
	mu       sync.Mutex
	outbound []alive

	state membership
}

func NewNode() *Node {
	return &Node{state: membership{peers: make(map[string]Peer)}}
}

func (n *Node) Join(p Peer) {
	n.state.mu.Lock()
	defer n.state.mu.Unlock()
	n.state.peers[p.Addr] = p
}

func (n *Node) Members() []Peer {
	n.state.mu.RLock()
	defer n.state.mu.RUnlock()
	out := make([]Peer, 0, len(n.state.peers))
	for _, p := range n.state.peers {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr < out[j].Addr })
	return out
}

func (n *Node) handleAlive(msg alive) {
	n.state.mu.Lock()
	old, ok := n.state.peers[msg.Addr]
	stale := ok && old.Incarnation >= msg.Incarnation
	if !stale {
		n.state.peers[msg.Addr] = Peer{Addr: msg.Addr, Incarnation: msg.Incarnation}
	}
	n.state.mu.Unlock()
	if stale {
		return
	}
	n.mu.Lock()
	n.outbound = append(n.outbound, msg)
	n.mu.Unlock()
}

func (n *Node) Receive(in <-chan alive) {
	for msg := range in {
		n.handleAlive(msg)
	}
}
