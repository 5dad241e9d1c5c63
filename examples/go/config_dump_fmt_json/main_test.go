package main

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDumpWhileOperatorsEdit(t *testing.T) {
	s := &settings{values: map[string]string{"log_level": "info"}}
	mux := newMux(s)
	var clients [3][]*http.Request
	for i := 0; i < 200; i++ {
		key := "limit_" + strconv.Itoa(i%10)
		clients[0] = append(clients[0], httptest.NewRequest(http.MethodPut, "/settings/"+key, strings.NewReader(strconv.Itoa(i))))
		clients[1] = append(clients[1], httptest.NewRequest(http.MethodPut, "/settings/"+key, strings.NewReader("0")))
		clients[2] = append(clients[2], httptest.NewRequest(http.MethodGet, "/settings", nil))
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
	wg.Go(func() {
		for i := 0; i < 100; i++ {
			if i%25 == 24 {
				time.Sleep(100 * time.Microsecond)
			}
			_ = s.String()
		}
	})
	wg.Wait()
}
