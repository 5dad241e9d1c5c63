package cli

import (
	"sync"
	"testing"
)

func TestConcurrentSessions(t *testing.T) {
	r := Default()
	var wg sync.WaitGroup
	for _, line := range []string{"echo hi there", "upper shout", "count a b c", "nope"} {
		wg.Go(func() {
			for i := 0; i < 200; i++ {
				r.Run(line)
			}
		})
	}
	wg.Wait()
	if out, err := r.Run("count a b c"); err != nil || out != "3" {
		t.Fatalf("count = %q, %v", out, err)
	}
}
