// Package kv is an in-memory key/value store whose table is owned by a single
// goroutine; all other goroutines send it requests.
package kv

type op int

const (
	opGet op = iota
	opPut
	opDelete
	opLen
)

type request struct {
	op    op
	key   string
	value string
	reply chan response
}

type response struct {
	value string
	ok    bool
	n     int
}

type Store struct {
	reqs chan request
	done chan struct{}
}

func New() *Store {
	s := &Store{reqs: make(chan request), done: make(chan struct{})}
	go s.loop()
	return s
}

func (s *Store) loop() {
	defer close(s.done)
	data := make(map[string]string)
	for req := range s.reqs {
		var resp response
		switch req.op {
		case opGet:
			resp.value, resp.ok = data[req.key]
		case opPut:
			data[req.key] = req.value
		case opDelete:
			_, resp.ok = data[req.key]
			delete(data, req.key)
		case opLen:
			resp.n = len(data)
		}
		req.reply <- resp
	}
}

func (s *Store) do(req request) response {
	req.reply = make(chan response, 1)
	s.reqs <- req
	return <-req.reply
}

func (s *Store) Get(key string) (string, bool) {
	r := s.do(request{op: opGet, key: key})
	return r.value, r.ok
}

func (s *Store) Put(key, value string)  { s.do(request{op: opPut, key: key, value: value}) }
func (s *Store) Delete(key string) bool { return s.do(request{op: opDelete, key: key}).ok }
func (s *Store) Len() int               { return s.do(request{op: opLen}).n }

func (s *Store) Close() {
	close(s.reqs)
	<-s.done
}
