package broker

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestSubscribeWhilePublishing(t *testing.T) {
	b := New()
	var wg sync.WaitGroup
	for c := 0; c < 2; c++ {
		wg.Go(func() {
			for i := 0; i < 150; i++ {
				if i%25 == 24 {
					time.Sleep(100 * time.Microsecond)
				}
				b.Subscribe("orders."+strconv.Itoa(i%6), 4)
			}
		})
	}
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			if i%50 == 49 {
				time.Sleep(100 * time.Microsecond)
			}
			b.Publish(Message{Topic: "orders." + strconv.Itoa(i%6), Payload: []byte("{}")})
		}
	})
	wg.Go(func() {
		for i := 0; i < 50; i++ {
			if i%10 == 9 {
				time.Sleep(100 * time.Microsecond)
			}
			b.Topics()
		}
	})
	wg.Wait()
}
