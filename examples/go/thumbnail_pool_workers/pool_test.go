package thumbs

import (
	"strconv"
	"testing"
)

func TestPool(t *testing.T) {
	p := NewPool(func(j Job) Result {
		w, h := j.Width/4, j.Height/4
		return Result{Width: w, Height: h, Bytes: w * h * 3}
	})
	p.Start(4)
	for i := 0; i < 400; i++ {
		p.Submit(Job{ID: "img" + strconv.Itoa(i), Width: 1024 + i, Height: 768})
	}
	if got := len(p.Close()); got != 400 {
		t.Fatalf("got %d results, want 400", got)
	}
}
