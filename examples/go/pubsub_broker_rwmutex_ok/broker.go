// Package broker is an in-process topic-based publish/subscribe broker.
package broker

import (
	"slices"
	"sort"
	"sync"
)

type Message struct {
	Topic   string
	Payload []byte
}

type Broker struct {
	mu   sync.RWMutex
	subs map[string][]chan Message
}

func New() *Broker { return &Broker{subs: make(map[string][]chan Message)} }

func (b *Broker) Subscribe(topic string, buffer int) <-chan Message {
	ch := make(chan Message, buffer)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs[topic] = append(slices.Clip(b.subs[topic]), ch)
	return ch
}

func (b *Broker) Unsubscribe(topic string, sub <-chan Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	subs := slices.DeleteFunc(slices.Clone(b.subs[topic]), func(ch chan Message) bool { return ch == sub })
	if len(subs) == 0 {
		delete(b.subs, topic)
		return
	}
	b.subs[topic] = subs
}

func (b *Broker) Publish(msg Message) int {
	b.mu.RLock()
	subs := b.subs[msg.Topic]
	b.mu.RUnlock()
	n := 0
	for _, ch := range subs {
		select {
		case ch <- msg:
			n++
		default:
		}
	}
	return n
}

func (b *Broker) Topics() []string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	topics := make([]string, 0, len(b.subs))
	for t := range b.subs {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	return topics
}
