package bus

import "testing"

func TestCountWhilePublishing(t *testing.T) {
	b := New()
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				b.Count("click")
			}
		}
	}()
	for i := 0; i < 500; i++ {
		b.Publish("click")
	}
	close(stop)
	b.Close()
}
