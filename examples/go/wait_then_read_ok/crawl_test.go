package crawl

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestCrawl(t *testing.T) {
	var urls []string
	for i := 0; i < 300; i++ {
		urls = append(urls, "https://example.com/page/"+strconv.Itoa(i))
	}
	s := Crawl(urls, func(u string) (int, error) {
		if strings.HasSuffix(u, "13") {
			return 0, errors.New("timeout")
		}
		return len(u) * 100, nil
	})
	if s.Fetched != len(urls) || len(s.Failed) != 3 {
		t.Fatalf("Fetched = %d, Failed = %v", s.Fetched, s.Failed)
	}
}
