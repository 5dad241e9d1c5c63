package target

import (
	"strconv"
	"sync"
	"testing"
)

func TestStringWhileRelabeling(t *testing.T) {
	tg := New()
	tg.SetLabel("job", "node")
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			tg.SetLabel("l"+strconv.Itoa(i), "v")
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			_ = String(tg)
		}
	}()
	wg.Wait()
}
