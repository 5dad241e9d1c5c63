// Package sessions implements cookie sessions for a small admin UI.
package sessions

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"sync"
)

const cookieName = "sid"

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// NewServer returns the login, whoami and logout endpoints.
func NewServer(check func(user, pass string) bool) http.Handler {
	var sessions sync.Map // token → user
	mux := http.NewServeMux()

	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || !check(user, pass) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		token := newToken()
		sessions.Store(token, user)
		http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, HttpOnly: true})
		w.WriteHeader(http.StatusNoContent)
	})

	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(cookieName)
		if err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		user, ok := sessions.Load(c.Value)
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		io.WriteString(w, user.(string))
	})

	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(cookieName); err == nil {
			sessions.Delete(c.Value)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}
