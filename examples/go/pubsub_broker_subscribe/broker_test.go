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
				b.Subscribe("orders."+strconv.Itoa(i%6), 4)
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
}
