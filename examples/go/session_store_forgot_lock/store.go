// Package session stores logged-in user sessions in memory.
package session

import (
	"strconv"
	"sync"
	"time"
)

type Session struct {
	ID      string
	User    string
	Expires time.Time
}

type Store struct {
	mu       sync.Mutex
	seq      uint64
	ttl      time.Duration
	sessions map[string]*Session
}

func NewStore(ttl time.Duration) *Store {
	return &Store{ttl: ttl, sessions: make(map[string]*Session)}
}

func (s *Store) Create(user string, now time.Time) *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	sess := &Session{ID: strconv.FormatUint(s.seq, 36), User: user, Expires: now.Add(s.ttl)}
	s.sessions[sess.ID] = sess
	return sess
}

func (s *Store) Get(id string, now time.Time) (*Session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok || now.After(sess.Expires) {
		return nil, false
	}
	return sess, true
}

func (s *Store) Delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
}

// Expire drops every session that has expired at now.
func (s *Store) Expire(now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, sess := range s.sessions {
		if now.After(sess.Expires) {
			delete(s.sessions, id)
			n++
		}
	}
	return n
}

// Len is exported as the active_sessions gauge.
func (s *Store) Len() int {
	return len(s.sessions) // want ML102
}
