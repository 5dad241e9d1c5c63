// Command checksum hashes files in parallel and prints a manifest.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"sync"
)

type result struct {
	name string
	sum  string
	err  error
}

func hashAll(files map[string][]byte, workers int) (map[string]string, []error) {
	names := make(chan string)
	results := make(chan result)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range names {
				sum := sha256.Sum256(files[name])
				results <- result{name: name, sum: hex.EncodeToString(sum[:])}
			}
		}()
	}
	go func() {
		for name := range files {
			names <- name
		}
		close(names)
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	manifest := make(map[string]string, len(files))
	var errs []error
	for r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		manifest[r.name] = r.sum
	}
	return manifest, errs
}

func main() {
	files := make(map[string][]byte)
	for _, name := range os.Args[1:] {
		b, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		files[name] = b
	}
	manifest, _ := hashAll(files, 4)
	names := make([]string, 0, len(manifest))
	for n := range manifest {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Printf("%s  %s\n", manifest[n], n)
	}
}
