package main

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
)

func TestConcurrentHits(t *testing.T) {
	var wg sync.WaitGroup
	for c := 0; c < 3; c++ {
		reqs := make([]*http.Request, 300)
		for i := range reqs {
			path := "/docs/" + strconv.Itoa(i%7)
			if c == 2 {
				path = "/top?n=3"
			}
			reqs[i] = httptest.NewRequest(http.MethodGet, path, nil)
		}
		wg.Go(func() {
			for _, r := range reqs {
				http.DefaultServeMux.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
	wg.Wait()
	rec := httptest.NewRecorder()
	http.DefaultServeMux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/docs/1", nil))
	if got := rec.Header().Get("X-Hits"); got == "" || got == "1" {
		t.Fatalf("X-Hits = %q after concurrent load", got)
	}
}
