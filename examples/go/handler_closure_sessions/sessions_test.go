package sessions

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func TestLoginWhileOthersBrowse(t *testing.T) {
	srv := NewServer(func(user, pass string) bool { return pass == "hunter2" })

	logins := make([]*http.Request, 300)
	for i := range logins {
		logins[i] = httptest.NewRequest(http.MethodPost, "/login", nil)
		logins[i].SetBasicAuth("alice", "hunter2")
	}
	browsing := make([]*http.Request, 300)
	for i := range browsing {
		method, path := http.MethodGet, "/whoami"
		if i%3 == 0 {
			method, path = http.MethodPost, "/logout"
		}
		browsing[i] = httptest.NewRequest(method, path, nil)
		browsing[i].AddCookie(&http.Cookie{Name: cookieName, Value: "stale-session"})
	}

	var wg sync.WaitGroup
	for _, reqs := range [][]*http.Request{logins, browsing} {
		wg.Go(func() {
			for i, r := range reqs {
				if i%50 == 49 {
					time.Sleep(100 * time.Microsecond)
				}
				srv.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
	wg.Wait()
}
