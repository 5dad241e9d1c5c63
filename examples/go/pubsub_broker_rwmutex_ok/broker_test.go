package broker

import (
	"strconv"
	"sync"
	"testing"
)

func TestSubscribeWhilePublishing(t *testing.T) {
	b := New()
	var wg sync.WaitGroup
	for c := 0; c < 2; c++ {
		wg.Go(func() {
			for i := 0; i < 150; i++ {
				topic := "orders." + strconv.Itoa(i%6)
				ch := b.Subscribe(topic, 4)
				if i%2 == 0 {
					b.Unsubscribe(topic, ch)
				}
			}
		})
	}
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			b.Publish(Message{Topic: "orders." + strconv.Itoa(i%6), Payload: []byte("{}")})
		}
	})
	wg.Go(func() {
		for i := 0; i < 50; i++ {
			b.Topics()
		}
	})
	wg.Wait()
	if len(b.Topics()) != 3 {
		t.Fatalf("topics = %v", b.Topics())
	}
}
