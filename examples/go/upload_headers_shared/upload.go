// Package upload sends files in batches with a common set of request
// headers.
package upload

import (
	"strconv"
	"sync"
)

type Sender func(headers map[string]string, files []string) error

func baseHeaders(token string) map[string]string {
	h := make(map[string]string, 4)
	h["Authorization"] = "Bearer " + token
	h["User-Agent"] = "uploader/1.0"
	return h
}

// All uploads files in batches of size, one goroutine per batch, and returns
// the first error.
func All(files []string, size int, token string, send Sender) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	headers := baseHeaders(token)
	for i := 0; i < len(files); i += size {
		batch := files[i:min(i+size, len(files))]
		headers["X-Batch"] = strconv.Itoa(i / size) // want ML101
		wg.Add(1)
		go func() {
			defer wg.Done()
			headers["X-Count"] = strconv.Itoa(len(batch)) // want ML101
			if err := send(headers, batch); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}
