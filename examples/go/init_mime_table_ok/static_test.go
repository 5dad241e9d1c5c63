package static

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

func TestConcurrentAssets(t *testing.T) {
	h := Handler(map[string][]byte{"app.js": []byte("main()"), "site.css": []byte("body{}"), "index.html": []byte("<p>")})
	var wg sync.WaitGroup
	for _, p := range []string{"/app.js", "/site.css", "/index.html"} {
		reqs := make([]*http.Request, 200)
		for i := range reqs {
			reqs[i] = httptest.NewRequest(http.MethodGet, p, nil)
		}
		wg.Go(func() {
			for _, r := range reqs {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				if rec.Header().Get("Content-Type") == "application/octet-stream" {
					panic("unknown type for " + r.URL.Path)
				}
			}
		})
	}
	wg.Wait()
}
