package presence

import (
	"strconv"
	"testing"
	"time"
)

func TestHeartbeatsWhileSweeping(t *testing.T) {
	m := NewManager(200*time.Microsecond, 100*time.Microsecond)
	defer m.Close()
	for i := 0; i < 400; i++ {
		m.Heartbeat("device-" + strconv.Itoa(i%25))
		m.Online("device-0")
		if i%25 == 0 {
			time.Sleep(300 * time.Microsecond)
		}
	}
	m.Heartbeat("fresh")
	if !m.Online("fresh") {
		t.Fatal("fresh device not online")
	}
}
