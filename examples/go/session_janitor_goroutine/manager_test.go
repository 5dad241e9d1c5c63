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
		id := "device-" + strconv.Itoa(i%25)
		m.Heartbeat(id)
		m.Online("device-0")
		if i%25 == 0 {
			time.Sleep(300 * time.Microsecond)
		}
	}
}
