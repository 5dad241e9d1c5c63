package sessions

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

func TestLoginWhileOthersBrowse(t *testing.T) {
	srv := NewServer(func(user, pass string) bool { return pass == "hunter2" })
	var clients [3][]*http.Request
	for i := 0; i < 200; i++ {
		login := httptest.NewRequest(http.MethodPost, "/login", nil)
		login.SetBasicAuth("alice", "hunter2")
		clients[0] = append(clients[0], login)
		who := httptest.NewRequest(http.MethodGet, "/whoami", nil)
		who.AddCookie(&http.Cookie{Name: cookieName, Value: "stale"})
		clients[1] = append(clients[1], who)
		out := httptest.NewRequest(http.MethodPost, "/logout", nil)
		out.AddCookie(&http.Cookie{Name: cookieName, Value: "stale"})
		clients[2] = append(clients[2], out)
	}
	var wg sync.WaitGroup
	for _, reqs := range clients {
		wg.Go(func() {
			for _, r := range reqs {
				srv.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
	wg.Wait()

	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, clients[0][0])
	who := httptest.NewRequest(http.MethodGet, "/whoami", nil)
	for _, c := range rec.Result().Cookies() {
		who.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, who)
	if rec.Body.String() != "alice" {
		t.Fatalf("whoami = %q", rec.Body.String())
	}
}
