package layers

import (
	"bytes"
	"strconv"
	"testing"
)

func TestDigests(t *testing.T) {
	var ls []Layer
	for i := 0; i < 200; i++ {
		ls = append(ls, Layer{Name: "layer" + strconv.Itoa(i), Data: bytes.Repeat([]byte{byte(i)}, 512)})
	}
	got, err := Digests(ls)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ls) {
		t.Fatalf("got %d digests, want %d", len(got), len(ls))
	}
	if _, err := Digests(append(ls, ls[0])); err == nil {
		t.Fatal("duplicate layer accepted")
	}
}
