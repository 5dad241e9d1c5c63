package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestQuotaUnderLoad(t *testing.T) {
	lim := newLimiter(http.HandlerFunc(api), 50, 200*time.Microsecond)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		lim.run(ctx)
		close(stopped)
	}()

	var wg sync.WaitGroup
	for c := 0; c < 2; c++ {
		reqs := make([]*http.Request, 400)
		for i := range reqs {
			reqs[i] = httptest.NewRequest(http.MethodGet, "/api/items", nil)
			reqs[i].RemoteAddr = "10.0." + strconv.Itoa(c) + "." + strconv.Itoa(i%4) + ":5000"
		}
		wg.Go(func() {
			for i, r := range reqs {
				lim.ServeHTTP(httptest.NewRecorder(), r)
				if i%50 == 0 {
					time.Sleep(100 * time.Microsecond)
				}
			}
		})
	}
	wg.Wait()
	cancel()
	<-stopped
}
