package proxyroutes

import (
	"sync"
	"testing"
	"time"
)

func TestControlPlaneAndTraffic(t *testing.T) {
	pushed := map[string]string{"/": "web", "/api": "api-v1", "/api/v2": "api-v2", "/static": "cdn"}
	tbl := NewTable(pushed)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			if i%50 == 49 {
				time.Sleep(100 * time.Microsecond)
			}
			tbl.Replace(pushed)
		}
	})
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			if i%50 == 49 {
				time.Sleep(100 * time.Microsecond)
			}
			tbl.Drain("cdn")
			tbl.Remove("/api/v2")
		}
	})
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			if i%50 == 49 {
				time.Sleep(100 * time.Microsecond)
			}
			tbl.Match("/api/v2/users/42")
			tbl.Match("/static/app.js")
		}
	})
	wg.Wait()
}
