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
	srv := httptest.NewServer(lim)
	defer srv.Close()

	var wg sync.WaitGroup
	for c := 0; c < 4; c++ {
		wg.Go(func() {
			for i := 0; i < 50; i++ {
				resp, err := srv.Client().Get(srv.URL + "/api/items?c=" + strconv.Itoa(c))
				if err != nil {
					continue
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	cancel()
	<-stopped
}
