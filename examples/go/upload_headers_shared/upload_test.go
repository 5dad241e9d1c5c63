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
	err := All(files, 7, "tok", func(_ map[string]string, batch []string) error {
		mu.Lock()
		seen += len(batch)
		mu.Unlock()
		return nil
	})
	if err != nil || seen != len(files) {
		t.Fatalf("err %v, sent %d of %d", err, seen, len(files))
	}
}
