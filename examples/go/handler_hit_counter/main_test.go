package main

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

func requests(n int, path func(i int) string) []*http.Request {
	reqs := make([]*http.Request, n)
	for i := range reqs {
		reqs[i] = httptest.NewRequest(http.MethodGet, path(i), nil)
	}
	return reqs
}

func TestConcurrentHits(t *testing.T) {
	clients := [][]*http.Request{
		requests(300, func(i int) string { return "/docs/" + strconv.Itoa(i%7) }),
		requests(300, func(i int) string { return "/blog/" + strconv.Itoa(i%5) }),
		requests(100, func(int) string { return "/top?n=3" }),
	}
	var wg sync.WaitGroup
	for _, reqs := range clients {
		wg.Go(func() {
			for i, r := range reqs {
				if i%50 == 49 {
					time.Sleep(100 * time.Microsecond)
				}
				http.DefaultServeMux.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
	wg.Wait()
}
