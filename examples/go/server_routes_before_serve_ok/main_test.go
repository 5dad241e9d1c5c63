package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestRedirectsOverHTTP(t *testing.T) {
	rd, err := load(strings.NewReader("go https://go.dev\nspec https://go.dev/ref/spec\n/blog https://go.dev/blog\n"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rd)
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	var wg sync.WaitGroup
	for _, path := range []string{"/go", "/spec", "/blog", "/nope", "/_links"} {
		wg.Go(func() {
			for i := 0; i < 20; i++ {
				resp, err := client.Get(srv.URL + path)
				if err != nil {
					continue
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	resp, err := client.Get(srv.URL + "/spec")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); loc != "https://go.dev/ref/spec" {
		t.Fatalf("Location = %q", loc)
	}
}
