package uploads

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func TestUploadsAndStatus(t *testing.T) {
	s := NewServer(map[string]int{"alice": 1000, "bob": 1000})
	mux := s.Routes()
	var clients [3][]*http.Request
	for i := 0; i < 200; i++ {
		for c, user := range []string{"alice", "bob"} {
			r := httptest.NewRequest(http.MethodPost, "/upload", nil)
			r.Header.Set("X-User", user)
			clients[c] = append(clients[c], r)
		}
		r := httptest.NewRequest(http.MethodGet, "/status", nil)
		r.Header.Set("X-User", "alice")
		clients[2] = append(clients[2], r)
	}
	var wg sync.WaitGroup
	for _, reqs := range clients {
		wg.Go(func() {
			for i, r := range reqs {
				if i%50 == 49 {
					time.Sleep(100 * time.Microsecond)
				}
				mux.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
	wg.Wait()
	time.Sleep(10 * time.Millisecond)
}
