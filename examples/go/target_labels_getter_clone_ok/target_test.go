package target

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestStringWhileRelabeling(t *testing.T) {
	tg := New()
	tg.SetLabel("job", "node")
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 2000; i++ {
			tg.SetLabel("l"+strconv.Itoa(i%50), strconv.Itoa(i))
			if i%100 == 0 {
				time.Sleep(50 * time.Microsecond)
			}
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 2000; i++ {
			_ = String(tg)
			if i%100 == 0 {
				time.Sleep(50 * time.Microsecond)
			}
		}
	}()
	wg.Wait()
}
