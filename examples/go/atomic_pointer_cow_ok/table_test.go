package vhosts

import (
	"strconv"
	"sync"
	"testing"
)

func TestLookupDuringPatches(t *testing.T) {
	tbl := New(map[string]string{"shop.example.com": "shop-v1"})
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := 0; i < 200; i++ {
				backend := "blog-v" + strconv.Itoa(i)
				if i%5 == 0 {
					backend = ""
				}
				tbl.Patch("blog"+strconv.Itoa(w)+".example.com", backend)
			}
		})
	}
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			if _, ok := tbl.Lookup("shop.example.com"); !ok {
				panic("shop vanished")
			}
			tbl.Lookup("blog0.example.com")
		}
	})
	wg.Wait()
	if b, _ := tbl.Lookup("blog1.example.com"); b != "blog-v199" {
		t.Fatalf("blog1 → %q", b)
	}
}
