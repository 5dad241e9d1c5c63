// Package layers computes content digests for image layers.
package layers

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"examples/internal/errgroup"
)

type Layer struct {
	Name string
	Data []byte
}

var ErrDuplicate = errors.New("duplicate layer")

// Digests hashes every layer in parallel and returns name → "sha256:…".
func Digests(layers []Layer) (map[string]string, error) {
	digests := make(map[string]string, len(layers))
	var g errgroup.Group
	for _, l := range layers {
		g.Go(func() error {
			if _, dup := digests[l.Name]; dup { // want ML102
				return ErrDuplicate
			}
			sum := sha256.Sum256(l.Data)
			digests[l.Name] = "sha256:" + hex.EncodeToString(sum[:]) // want ML101
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return digests, nil
}
