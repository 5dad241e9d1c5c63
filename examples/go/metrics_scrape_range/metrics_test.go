package metrics

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

func TestScrapeDuringIngest(t *testing.T) {
	reg := NewRegistry()
	events := make(chan string, 64)
	done := make(chan struct{})
	go func() {
		reg.Ingest(events)
		close(done)
	}()
	go func() {
		for i := 0; i < 2000; i++ {
			events <- "http_requests_total_" + strconv.Itoa(i%12)
		}
		close(events)
	}()
	for i := 0; i < 200; i++ {
		rec := httptest.NewRecorder()
		reg.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	}
	<-done
}
