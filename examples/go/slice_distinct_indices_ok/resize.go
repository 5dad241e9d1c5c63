// Package resize downsamples grayscale images by averaging pixel blocks, one
// goroutine per band of output rows.
package resize

import (
	"runtime"
	"sync"
)

type Image struct {
	W, H int
	Pix  []uint8
}

// Half returns img scaled to half its width and height.
func Half(img Image) Image {
	out := Image{W: img.W / 2, H: img.H / 2}
	out.Pix = make([]uint8, out.W*out.H)
	bands := runtime.GOMAXPROCS(0)
	var rowsDone [64]int
	var wg sync.WaitGroup
	for b := 0; b < bands && b < len(rowsDone); b++ {
		wg.Go(func() {
			for y := b; y < out.H; y += bands {
				for x := 0; x < out.W; x++ {
					i := 2*y*img.W + 2*x
					sum := int(img.Pix[i]) + int(img.Pix[i+1]) + int(img.Pix[i+img.W]) + int(img.Pix[i+img.W+1])
					out.Pix[y*out.W+x] = uint8(sum / 4)
				}
				rowsDone[b]++
			}
		})
	}
	wg.Wait()
	return out
}

// Histogram counts pixel values using one partial histogram per worker.
func Histogram(img Image, workers int) [256]int {
	partial := make([][256]int, workers)
	var wg sync.WaitGroup
	for w := range partial {
		wg.Go(func() {
			for i := w; i < len(img.Pix); i += workers {
				partial[w][img.Pix[i]]++
			}
		})
	}
	wg.Wait()
	var total [256]int
	for _, p := range partial {
		for v, n := range p {
			total[v] += n
		}
	}
	return total
}
