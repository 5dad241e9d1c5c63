package catalog

import (
	"strconv"
	"testing"
)

func TestReadersDuringWatch(t *testing.T) {
	c := New()
	events := make(chan Event, 16)
	done := make(chan struct{})
	go func() {
		c.Watch(events)
		close(done)
	}()
	go func() {
		for i := 0; i < 1000; i++ {
			id := "web-" + strconv.Itoa(i%20)
			if i%3 == 2 {
				events <- Event{Op: OpDelete, ID: id}
				continue
			}
			events <- Event{Op: OpPut, ID: id, Backend: Backend{Addr: "10.2.0." + strconv.Itoa(i%20) + ":80", Weight: 1}}
		}
		close(events)
	}()
	for i := 0; i < 200; i++ {
		_ = c.IDs()
		_ = c.Backends()
		_ = c.Snapshot()
		_ = c.Size()
	}
	<-done
}
