package geoip

import (
	"strconv"
	"sync"
	"testing"
)

func TestCountryConcurrent(t *testing.T) {
	db := New(func() map[string]string {
		return map[string]string{"81.2": "FR", "62.154": "DE", "8.8": "US"}
	})
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				ip := []string{"81.2.69.", "62.154.1.", "8.8.4."}[i%3] + strconv.Itoa(i%40)
				if db.Country(ip) == "ZZ" {
					panic("unknown " + ip)
				}
			}
		})
	}
	wg.Wait()
}
