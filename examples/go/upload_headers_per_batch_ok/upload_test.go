package upload

import (
	"strconv"
	"sync"
	"testing"
)

func TestAll(t *testing.T) {
	var files []string
	for i := 0; i < 200; i++ {
		files = append(files, "f"+strconv.Itoa(i))
	}
	var mu sync.Mutex
	seen := 0
	err := All(files, 7, "tok", func(h map[string]string, batch []string) error {
		if h["Authorization"] != "Bearer tok" || h["X-Count"] != strconv.Itoa(len(batch)) {
			t.Errorf("headers %v for a batch of %d", h, len(batch))
		}
		mu.Lock()
		seen += len(batch)
		mu.Unlock()
		return nil
	})
	if err != nil || seen != len(files) {
		t.Fatalf("err %v, sent %d of %d", err, seen, len(files))
	}
}
