package merge

import (
	"strconv"
	"testing"
)

func TestInto(t *testing.T) {
	var sources []string
	for i := 0; i < 8; i++ {
		s := ""
		for j := 0; j < 50; j++ {
			s += "k" + strconv.Itoa(i*50+j) + "=v\n"
		}
		sources = append(sources, s)
	}
	index := map[string]string{}
	Into(index, sources)
	if len(index) != 400 {
		t.Fatalf("%d labels, want 400", len(index))
	}
}
