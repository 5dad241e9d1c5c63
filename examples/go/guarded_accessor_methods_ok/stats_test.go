package proxystats

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func TestObserveWhileScraping(t *testing.T) {
	s := New()
	var wg sync.WaitGroup
	for _, up := range []string{"api", "auth"} {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				var err error
				if i%10 == 0 {
					err = errors.New("502")
				}
				s.Observe(up, time.Duration(i)*time.Microsecond, err)
			}
		})
	}
	wg.Go(func() {
		for i := 0; i < 50; i++ {
			s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/stats", nil))
		}
	})
	wg.Wait()
	if got := s.snapshot()["api"].Requests; got != 300 {
		t.Fatalf("api requests = %d", got)
	}
}
