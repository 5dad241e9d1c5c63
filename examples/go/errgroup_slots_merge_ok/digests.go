// Package layers computes content digests for image layers.
package layers

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"examples/internal/errgroup"
)

type Layer struct {
	Name string
	Data []byte
}

// Digests hashes every layer in parallel and returns name → "sha256:…".
func Digests(layers []Layer) (map[string]string, error) {
	sums := make([]string, len(layers))
	var g errgroup.Group
	g.SetLimit(4)
	for i, l := range layers {
		g.Go(func() error {
			if len(l.Data) == 0 {
				return fmt.Errorf("layer %s is empty", l.Name)
			}
			sum := sha256.Sum256(l.Data)
			sums[i] = "sha256:" + hex.EncodeToString(sum[:])
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	digests := make(map[string]string, len(layers))
	for i, l := range layers {
		if _, dup := digests[l.Name]; dup {
			return nil, fmt.Errorf("duplicate layer %s", l.Name)
		}
		digests[l.Name] = sums[i]
	}
	return digests, nil
}
