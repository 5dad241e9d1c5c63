package runtimecfg

import (
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestReadDuringReload(t *testing.T) {
	var c Config
	if err := c.Reload(strings.NewReader("log_level = info\n")); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; i < 200; i++ {
			c.Reload(strings.NewReader("# generation " + strconv.Itoa(i) + "\nlog_level = debug\nmax_conns = " + strconv.Itoa(i) + "\n"))
		}
	})
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				if c.Get("log_level", "") == "" {
					panic("log_level missing")
				}
			}
		})
	}
	wg.Wait()
	if got := c.Get("max_conns", ""); got != "199" {
		t.Fatalf("max_conns = %q", got)
	}
}
