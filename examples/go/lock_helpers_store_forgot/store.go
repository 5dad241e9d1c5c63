// Package store is an in-memory key-value store with lock helpers.
package store

import "sync"

type Store struct {
	mu   sync.RWMutex
	data map[string]string
}

func New() *Store { return &Store{data: map[string]string{}} }

func (s *Store) lock()    { s.mu.Lock() }
func (s *Store) unlock()  { s.mu.Unlock() }
func (s *Store) rlock()   { s.mu.RLock() }
func (s *Store) runlock() { s.mu.RUnlock() }

func (s *Store) Put(k, v string) {
	s.lock()
	defer s.unlock()
	s.data[k] = v
}

func (s *Store) Get(k string) (string, bool) {
	s.rlock()
	defer s.runlock()
	v, ok := s.data[k]
	return v, ok
}

func (s *Store) Len() int {
	return len(s.data) // want ML102
}
