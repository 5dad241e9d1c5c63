package currency

import (
	"sync"
	"testing"
)

func TestFormatConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for _, code := range []string{"USD", "JPY", "KWD"} {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				Format(int64(i), code)
			}
		})
	}
	wg.Wait()
	for in, want := range map[string]string{"USD": "19.99 USD", "JPY": "1999 JPY", "KWD": "1.999 KWD"} {
		if got := Format(1999, in); got != want {
			t.Errorf("Format(1999, %s) = %q, want %q", in, got, want)
		}
	}
}
