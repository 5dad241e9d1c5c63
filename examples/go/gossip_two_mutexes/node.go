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
	peers map[string]Peer
}

type Node struct {
	mu       sync.Mutex
	outbound []alive

	peersMu sync.RWMutex
	state   membership
}

func NewNode() *Node {
	return &Node{state: membership{peers: make(map[string]Peer)}}
}

// Join adds a peer announced through the HTTP join endpoint.
func (n *Node) Join(p Peer) {
	n.peersMu.Lock()
	defer n.peersMu.Unlock()
	n.state.peers[p.Addr] = p // want ML105
}

// Members returns the known peers sorted by address.
func (n *Node) Members() []Peer {
	n.peersMu.RLock()
	defer n.peersMu.RUnlock()
	out := make([]Peer, 0, len(n.state.peers)) // want ML105
	for _, p := range n.state.peers {          // want ML105
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr < out[j].Addr })
	return out
}

// handleAlive processes an alive message from the gossip transport and
// queues it for re-broadcast.
func (n *Node) handleAlive(msg alive) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if old, ok := n.state.peers[msg.Addr]; ok && old.Incarnation >= msg.Incarnation { // want ML105
		return
	}
	n.state.peers[msg.Addr] = Peer{Addr: msg.Addr, Incarnation: msg.Incarnation} // want ML105
	n.outbound = append(n.outbound, msg)
}

// Receive runs the transport loop.
func (n *Node) Receive(in <-chan alive) {
	for msg := range in {
		n.handleAlive(msg)
	}
}
