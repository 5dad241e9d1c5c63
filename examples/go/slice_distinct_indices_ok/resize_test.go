package resize

import "testing"

func TestHalfAndHistogram(t *testing.T) {
	img := Image{W: 128, H: 96, Pix: make([]uint8, 128*96)}
	for i := range img.Pix {
		img.Pix[i] = uint8(i % 7 * 10)
	}
	small := Half(img)
	if small.W != 64 || small.H != 48 {
		t.Fatalf("size %dx%d", small.W, small.H)
	}
	h := Histogram(img, 4)
	sum := 0
	for _, n := range h {
		sum += n
	}
	if sum != len(img.Pix) {
		t.Fatalf("histogram covers %d pixels, want %d", sum, len(img.Pix))
	}
}
