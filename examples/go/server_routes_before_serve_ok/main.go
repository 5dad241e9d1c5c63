// Command shortlinks serves redirects loaded from a file at startup.
package main

import (
	"bufio"
	"context"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
)

type redirector struct {
	links map[string]string
}

func load(r io.Reader) (*redirector, error) {
	rd := &redirector{links: make(map[string]string)}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if from, to, ok := strings.Cut(sc.Text(), " "); ok {
			rd.links["/"+strings.TrimPrefix(from, "/")] = to
		}
	}
	return rd, sc.Err()
}

func (rd *redirector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_links" {
		for from, to := range rd.links {
			io.WriteString(w, from+" "+to+"\n")
		}
		return
	}
	to, ok := rd.links[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	http.Redirect(w, r, to, http.StatusFound)
}

func main() {
	f, err := os.Open("links.txt")
	if err != nil {
		log.Fatal(err)
	}
	rd, err := load(f)
	f.Close()
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: "localhost:8082", Handler: rd}
	go func() {
		if err := srv.ListenAndServe(); err != http.ErrServerClosed {
			log.Fatal(err)
		}
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
	srv.Shutdown(context.Background())
}
