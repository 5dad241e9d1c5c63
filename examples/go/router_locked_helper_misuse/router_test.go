package router

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
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
			if i%25 == 24 {
				time.Sleep(100 * time.Microsecond)
			}
			table := map[string]http.Handler{"/v1/items/" + strconv.Itoa(i%10): ok, "/v1/legacy": nil}
			rt.Load(table)
		}
	})
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			if i%50 == 49 {
				time.Sleep(100 * time.Microsecond)
			}
			rt.Handle("/admin/"+strconv.Itoa(i%5), ok)
		}
	})
	wg.Go(func() {
		for i, r := range reqs {
			if i%50 == 49 {
				time.Sleep(100 * time.Microsecond)
			}
			rt.ServeHTTP(httptest.NewRecorder(), r)
		}
	})
	wg.Wait()
}
