// Command hostagent samples local metric sources and prints them with labels.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
)

type source struct {
	name   string
	metric string
	read   func() float64
}

type sample struct {
	metric string
	value  float64
	labels map[string]string
}

func baseLabels(host string) map[string]string {
	return map[string]string{"host": host, "env": "prod", "agent": "v2"}
}

func collect(host string, sources []source) []sample {
	labels := baseLabels(host)
	out := make(chan sample)
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			labels["source"] = src.name // want ML101
			out <- sample{metric: src.metric, value: src.read(), labels: labels}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	var samples []sample
	for s := range out {
		samples = append(samples, s)
	}
	return samples
}

func format(s sample) string {
	keys := make([]string, 0, len(s.labels))
	for k := range s.labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + fmt.Sprintf("%q", s.labels[k])
	}
	return fmt.Sprintf("%s{%s} %g", s.metric, strings.Join(pairs, ","), s.value)
}

func main() {
	host, _ := os.Hostname()
	srcs := []source{
		{"proc", "load1", func() float64 { return 0.42 }},
		{"disk", "disk_free_bytes", func() float64 { return 1 << 30 }},
	}
	for _, s := range collect(host, srcs) {
		fmt.Println(format(s))
	}
}
