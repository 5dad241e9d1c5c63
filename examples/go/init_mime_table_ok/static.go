// Package static serves embedded assets with the right Content-Type.
package static

import (
	"net/http"
	"path"
	"strings"
)

var contentTypes map[string]string

func init() {
	contentTypes = make(map[string]string)
	for _, pair := range [][2]string{
		{".html", "text/html; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".json", "application/json"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".woff2", "font/woff2"},
	} {
		contentTypes[pair[0]] = pair[1]
	}
}

func contentType(name string) string {
	if ct, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return ct
	}
	return "application/octet-stream"
}

// Handler serves files from assets.
func Handler(assets map[string][]byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := assets[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", contentType(r.URL.Path))
		w.Write(body)
	})
}
