package router

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
)

func TestReloadWhileServing(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	rt := New()
	rt.Handle("/healthz", ok)

	reqs := make([]*http.Request, 300)
	for i := range reqs {
		reqs[i] = httptest.NewRequest(http.MethodGet, "/v1/items/"+strconv.Itoa(i%10), nil)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; i < 100; i++ {
			table := map[string]http.Handler{"/v1/items/" + strconv.Itoa(i%10): ok, "/v1/legacy": nil}
			rt.Load(table)
		}
	})
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			rt.Handle("/admin/"+strconv.Itoa(i%5), ok)
		}
	})
	wg.Go(func() {
		for _, r := range reqs {
			rt.ServeHTTP(httptest.NewRecorder(), r)
		}
	})
	wg.Wait()
}
