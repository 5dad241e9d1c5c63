package facets

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestConcurrentSearches(t *testing.T) {
	h := &Handler{Catalog: []Product{
		{Name: "Trail Shoe", Attrs: map[string]string{"color": "red", "size": "42"}},
		{Name: "Road Shoe", Attrs: map[string]string{"color": "blue", "size": "42"}},
		{Name: "Shoe Bag", Attrs: map[string]string{"color": "red"}},
	}}
	var wg sync.WaitGroup
	for _, url := range []string{"/search?q=shoe&color=red", "/search?q=road", "/search?q=shoe&size=42"} {
		reqs := make([]*http.Request, 200)
		for i := range reqs {
			reqs[i] = httptest.NewRequest(http.MethodGet, url, nil)
		}
		wg.Go(func() {
			for _, r := range reqs {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				if !strings.Contains(rec.Body.String(), `"facets"`) {
					panic("no facets in response")
				}
			}
		})
	}
	wg.Wait()
}
