package blobcache

import (
	"bytes"
	"strconv"
	"sync"
	"testing"
)

func TestConcurrentGetEvict(t *testing.T) {
	c := New(func(key string) ([]byte, error) {
		return bytes.Repeat([]byte{'x'}, len(key)), nil
	}, map[string][]byte{"index.html": []byte("<html></html>")})
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				if _, err := c.Get("obj/" + strconv.Itoa(i%30)); err != nil {
					panic(err)
				}
				c.Stats()
			}
		})
	}
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			c.Evict("obj/" + strconv.Itoa(i%30))
		}
	})
	wg.Wait()
	if n, _ := c.Stats(); n == 0 {
		t.Fatal("cache empty")
	}
}
