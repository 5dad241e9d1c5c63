// Package broker is an in-process topic-based publish/subscribe broker.
package broker

import "sort"

type Message struct {
	Topic   string
	Payload []byte
}

type Broker struct {
	subs map[string][]chan Message
}

func New() *Broker { return &Broker{subs: make(map[string][]chan Message)} }

// Subscribe returns a channel that receives every message published on topic.
func (b *Broker) Subscribe(topic string, buffer int) <-chan Message {
	ch := make(chan Message, buffer)
	b.subs[topic] = append(b.subs[topic], ch) // want ML101 ML102
	return ch
}

// Publish delivers msg to every subscriber of its topic that has room and
// returns how many received it.
func (b *Broker) Publish(msg Message) int {
	n := 0
	for _, ch := range b.subs[msg.Topic] { // want ML102
		select {
		case ch <- msg:
			n++
		default:
		}
	}
	return n
}

// Topics lists topics with at least one subscriber.
func (b *Broker) Topics() []string {
	topics := make([]string, 0, len(b.subs)) // want ML102
	for t := range b.subs {                  // want ML103
		topics = append(topics, t)
	}
	sort.Strings(topics)
	return topics
}
