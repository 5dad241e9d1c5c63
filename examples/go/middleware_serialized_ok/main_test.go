package main

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
)

func requests(n int, path func(i int) string) []*http.Request {
	reqs := make([]*http.Request, n)
	for i := range reqs {
		reqs[i] = httptest.NewRequest(http.MethodGet, path(i), nil)
	}
	return reqs
}

func TestConcurrentGuests(t *testing.T) {
	mux := routes()
	clients := [][]*http.Request{
		requests(400, func(i int) string { return "/sign?page=p" + strconv.Itoa(i%5) + "&msg=hi" }),
		requests(400, func(i int) string { return "/show?page=p" + strconv.Itoa(i%5) }),
		requests(400, func(int) string { return "/pages" }),
	}
	var wg sync.WaitGroup
	for _, reqs := range clients {
		wg.Go(func() {
			for _, r := range reqs {
				mux.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
	wg.Wait()
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/pages", nil))
	if rec.Body.Len() == 0 {
		t.Fatal("no pages listed")
	}
}
