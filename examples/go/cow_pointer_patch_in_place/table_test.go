package vhosts

import (
	"strconv"
	"sync"
	"testing"
)

func TestLookupDuringPatches(t *testing.T) {
	tbl := New(map[string]string{"shop.example.com": "shop-v1", "api.example.com": "api-v1"})
	updates := make(chan [2]string, 8)
	var wg sync.WaitGroup
	wg.Go(func() { tbl.Watch(updates) })
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			tbl.Lookup("shop.example.com")
			tbl.Lookup("blog.example.com")
		}
	})
	for i := 0; i < 300; i++ {
		backend := "blog-v" + strconv.Itoa(i)
		if i%5 == 0 {
			backend = ""
		}
		updates <- [2]string{"blog.example.com", backend}
	}
	close(updates)
	wg.Wait()
}
