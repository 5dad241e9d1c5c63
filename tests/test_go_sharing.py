"""What goroutines share, and who else runs at the same time (docs/analysis.md):
a map made anew in each iteration of the loop that starts goroutines is not
shared across iterations (the iteration's own writes before its `go` are
ordered); a parameter of the function that starts them is shared; a mutex
declared inside each instance excludes nothing; an exported function that
takes a type guarding a map with a lock is part of that type's concurrent API;
a lock helper method (`func (s *S) lock() { s.mu.Lock() }`) is the lock
operation it wraps; a lock picked by key guards only what is picked by key; a
mutex in a receiver taken by value is each call's own copy; a goroutine a
constructor starts (and does not wait for) runs alongside the type's API, and a
call through a function-valued field calls what the field holds."""
from __future__ import annotations

from maplint.config import Settings
from maplint.engine import check_paths

SRC = """package p

import "sync"

func Each(xs []string) {
	var wg sync.WaitGroup
	for _, x := range xs {
		m := make(map[string]int)
		m[x] = 1
		wg.Add(1)
		go func() {
			defer wg.Done()
			m["seen"]++
		}()
	}
	wg.Wait()
}

func fresh(x string) map[string]int {
	h := map[string]int{}
	h[x] = 1
	return h
}

func Helper(xs []string) {
	var wg sync.WaitGroup
	for _, x := range xs {
		h := fresh(x)
		h["batch"] = 2
		wg.Add(1)
		go func(own map[string]int) {
			defer wg.Done()
			own["n"]++
		}(h)
	}
	wg.Wait()
}

func Shared(xs []string) {
	var wg sync.WaitGroup
	m := make(map[string]int)
	for _, x := range xs {
		m[x] = 1 // racy: shared
		wg.Add(1)
		go func() {
			defer wg.Done()
			m["seen"]++ // racy: shared
		}()
	}
	wg.Wait()
}

func Nested(groups [][]string) {
	var wg sync.WaitGroup
	for _, g := range groups {
		m := make(map[string]int)
		for _, x := range g {
			m[x] = 1 // racy: nested
			wg.Add(1)
			go func() {
				defer wg.Done()
				m["seen"]++ // racy: nested
			}()
		}
	}
	wg.Wait()
}

func After(xs []string) {
	var wg sync.WaitGroup
	for _, x := range xs {
		m := make(map[string]int)
		wg.Add(1)
		go func() {
			defer wg.Done()
			m["seen"]++ // racy: after
		}()
		m[x] = 1 // racy: after
	}
	wg.Wait()
}
"""


def race_findings(d, src: str) -> list:
    """The race findings (ML1xx) of a one-file package written to directory d."""
    d.mkdir(exist_ok=True)
    (d / "go.mod").write_text("module p\n\ngo 1.23\n")
    (d / "p.go").write_text(src)
    return [f for f in check_paths([str(d)], Settings(no_cache=True)).findings if f.code.startswith("ML1")]


def reported_and_marked(tmp_path, src: str) -> tuple[set[int], set[int]]:
    """(lines with a race finding, lines marked `// racy:`) for one package."""
    reported = {f.span.line for f in race_findings(tmp_path, src)}
    return reported, {i for i, text in enumerate(src.splitlines(), 1) if "// racy:" in text}


def test_a_map_made_in_each_iteration_is_not_shared_across_iterations(tmp_path):
    reported, expected = reported_and_marked(tmp_path, SRC)
    assert reported == expected, sorted(reported ^ expected)


LOCKS = """package p

import "sync"

func InGoroutine(keys []string, out map[string]int) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mu sync.Mutex
			mu.Lock()
			out[k]++ // racy: every goroutine locks its own mutex
			mu.Unlock()
		}()
	}
	wg.Wait()
}

func InLoop(keys []string, out map[string]int) {
	var wg sync.WaitGroup
	for _, k := range keys {
		var mu sync.Mutex
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			out[k]++ // racy: one mutex per iteration
			mu.Unlock()
		}()
	}
	wg.Wait()
}

func Shared(keys []string, out map[string]int) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			out[k]++
			mu.Unlock()
		}()
	}
	wg.Wait()
}

func PerRequest(reqs [][]string) {
	var outer sync.WaitGroup
	for _, keys := range reqs {
		outer.Add(1)
		go func() {
			defer outer.Done()
			var mu sync.Mutex
			counts := map[string]int{}
			var wg sync.WaitGroup
			for _, k := range keys {
				wg.Add(1)
				go func() {
					defer wg.Done()
					mu.Lock()
					counts[k]++
					mu.Unlock()
				}()
			}
			wg.Wait()
		}()
	}
	outer.Wait()
}

func Unguarded(keys []string, out map[string]int) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[k] = 1 // racy: the caller's map, shared by every goroutine
		}()
	}
	wg.Wait()
}
"""


def test_a_mutex_made_by_each_instance_excludes_nothing_and_a_parameter_is_shared(tmp_path):
    reported, expected = reported_and_marked(tmp_path, LOCKS)
    assert reported == expected, sorted(reported ^ expected)



GETTER = """package p

import "sync"

type Target struct {
	mu     sync.RWMutex
	labels map[string]string
}

func (t *Target) SetLabel(k, v string) {
	t.mu.Lock()
	t.labels[k] = v
	t.mu.Unlock()
}

func (t *Target) Labels() map[string]string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.labels
}

func Describe(t *Target) (n int) {
	for k := range t.Labels() { // racy: the API's function ranges the guarded map without the lock
		n += len(k)
	}
	return n
}

func describe(t *Target) (n int) {
	for k := range t.Labels() {
		n += len(k)
	}
	return n
}

func Count(names []string) int {
	return len(names)
}
"""


def test_an_exported_function_that_takes_a_guarded_type_is_its_api(tmp_path):
    reported, expected = reported_and_marked(tmp_path, GETTER)
    assert reported == expected, sorted(reported ^ expected)


def test_a_line_run_by_two_goroutines_names_both(tmp_path):
    """The same write in two goroutines started by two `go` statements: the
    message names both, and does not say one goroutine runs several times."""
    src = """package p

import "sync"

func Two() map[string]int {
	m := map[string]int{}
	var wg sync.WaitGroup
	inc := func(k string) {
		defer wg.Done()
		m[k]++
	}
	wg.Add(2)
	go inc("a")
	go inc("b")
	wg.Wait()
	return m
}
"""
    [f] = [f for f in race_findings(tmp_path, src) if f.code == "ML101"]
    assert "goroutines started at p.go:13 and p.go:14" in f.message and "several at once" not in f.message


HELPERS = """package p

import "sync"

type Store struct {
	mu sync.RWMutex
	m  map[string]int
}

func (s *Store) lock()    { s.mu.Lock() }
func (s *Store) unlock()  { s.mu.Unlock() }
func (s *Store) rlock()   { s.mu.RLock() }
func (s *Store) runlock() { s.mu.RUnlock() }

func (s *Store) Add(k string) {
	s.lock()
	defer s.unlock()
	s.m[k]++
}

func (s *Store) Get(k string) int {
	s.rlock()
	defer s.runlock()
	return s.m[k]
}

func (s *Store) Bump(k string) {
	s.rlock()
	s.m[k]++ // racy: a write under the read lock (ML104)
	s.runlock()
}

func (s *Store) Len() int {
	return len(s.m) // racy: no lock
}

type T struct {
	mu sync.Mutex
	M  map[string]int
}

func (t *T) Lock()   { t.mu.Lock() }
func (t *T) Unlock() { t.mu.Unlock() }

func Fill(t *T, keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Lock()
			t.M[k]++
			t.Unlock()
		}()
	}
	wg.Wait()
}
"""


def test_lock_helpers_take_and_release_the_lock_they_wrap(tmp_path):
    reported, expected = reported_and_marked(tmp_path, HELPERS)
    assert reported == expected, sorted(reported ^ expected)


KEYED = """package p

import "sync"

type Quota struct {
	locks  map[string]*sync.Mutex
	used   map[string]int
	shards map[string]map[string]int
}

func (q *Quota) Take(tenant string) {
	mu := q.locks[tenant]
	mu.Lock()
	q.used[tenant]++ // racy: one mutex per tenant, one map for all of them
	q.shards[tenant]["n"]++
	mu.Unlock()
}

func Run(q *Quota, tenants []string) {
	var wg sync.WaitGroup
	for _, t := range tenants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q.Take(t)
		}()
	}
	wg.Wait()
}
"""


def test_a_lock_picked_by_key_guards_only_what_is_picked_by_key(tmp_path):
    reported, expected = reported_and_marked(tmp_path, KEYED)
    assert reported == expected, sorted(reported ^ expected)


COPIES = """package p

import "sync"

type Counter struct {
	mu    sync.Mutex
	pages map[string]int
}

func (c Counter) Hit(page string) {
	c.mu.Lock()
	c.pages[page]++ // racy: each call locks its own copy of the mutex (go vet: copylocks)
	c.mu.Unlock()
}

type Tally struct {
	sync.Mutex
	m map[string]int
}

func (t Tally) Add(k string) {
	t.Lock()
	t.m[k]++ // racy: the embedded mutex is copied too
	t.Unlock()
}

type Shared struct {
	mu *sync.Mutex
	m  map[string]int
}

func (s Shared) Add(k string) {
	s.mu.Lock()
	s.m[k]++
	s.mu.Unlock()
}

func Run(c Counter, t Tally, s Shared) {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(3)
		go func() { defer wg.Done(); c.Hit("/") }()
		go func() { defer wg.Done(); t.Add("x") }()
		go func() { defer wg.Done(); s.Add("x") }()
	}
	wg.Wait()
}
"""


def test_a_mutex_in_a_value_receiver_is_the_calls_own_copy(tmp_path):
    reported, expected = reported_and_marked(tmp_path, COPIES)
    assert reported == expected, sorted(reported ^ expected)


BACKGROUND = """package p

import "sync"

type Bus struct {
	counts map[string]int
	events chan string
	onSeen func(string)
	seen   map[string]bool
}

func New() *Bus {
	b := &Bus{counts: map[string]int{}, events: make(chan string), seen: map[string]bool{}}
	b.onSeen = func(e string) { b.seen[e] = true } // racy: called by the loop goroutine through the field
	go b.loop()
	return b
}

func (b *Bus) loop() {
	for e := range b.events {
		b.counts[e]++ // racy: the constructor's goroutine, while the API reads
		b.onSeen(e)
	}
}

func (b *Bus) Count(e string) int {
	return b.counts[e] // racy: no lock against the loop
}

func (b *Bus) Seen(e string) bool {
	return b.seen[e] // racy: no lock against the callback
}

type Summary struct {
	Results map[string]int
}

func Collect(keys []string) Summary {
	s := Summary{Results: map[string]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			s.Results[k] = len(k)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return s
}

func (s Summary) Total() (n int) {
	for _, v := range s.Results {
		n += v
	}
	return n
}
"""


def test_a_constructors_goroutine_runs_alongside_the_types_api(tmp_path):
    """`go b.loop()` in a constructor: the type's methods run while the loop
    does (also through a callback stored in a field); a constructor that
    waits for its goroutines (`wg.Wait()` before `return`) leaves nothing running."""
    reported, expected = reported_and_marked(tmp_path, BACKGROUND)
    assert reported == expected, sorted(reported ^ expected)


def test_a_lock_that_is_no_common_lock_is_named_in_the_message(tmp_path):
    """Both sides visibly take a lock: the message says why it is not a common one."""
    reported = {name: [f.message for f in race_findings(tmp_path / name, src)]
                for name, src in (("instance", LOCKS), ("key", KEYED), ("copy", COPIES))}
    assert any("(`mu` is a different mutex for each goroutine)" in m for m in reported["instance"])
    assert any("(`q.locks[tenant]` is a different mutex for each key)" in m for m in reported["key"])
    assert any("(`c.mu` is copied with the receiver: each call locks its own)" in m for m in reported["copy"])


MIDDLEWARE = """package main

import (
	"net/http"
	"sync"
)

var (
	mu      sync.Mutex
	hits    = map[string]int{}
	seen    = map[string]bool{}
	chained = map[string]int{}
	held    = map[string]int{}
	loose   = map[string]int{}
	routed  = map[string]int{}
	hushed  = map[string]bool{}
	logged  = map[int]int{}
)

func serialize(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func withLock(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		f(w, r)
	}
}

func logging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		logged[200]++ // racy: the middleware's own map, no lock
	})
}

func count(w http.ResponseWriter, r *http.Request)  { hits[r.URL.Path]++ }
func mark(w http.ResponseWriter, r *http.Request)   { seen[r.URL.Path] = true }
func deep(w http.ResponseWriter, r *http.Request)   { chained[r.URL.Path]++ }
func viaVar(w http.ResponseWriter, r *http.Request) { held[r.URL.Path]++ }
func exposed(w http.ResponseWriter, r *http.Request) {
	loose[r.URL.Path]++ // racy: wrapped by a middleware that takes no lock
}

// A router of the package's own: a handler stored in it is a handler of its
// own (and one wrapped in withLock runs under the lock).
type router map[string]http.HandlerFunc

func (rt router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h, ok := rt[r.URL.Path]; ok {
		h(w, r)
	}
}

func stats(w http.ResponseWriter, r *http.Request) {
	routed[r.URL.Path]++ // racy: a handler of its own
}

func quiet(w http.ResponseWriter, r *http.Request) { hushed[r.URL.Path] = true }

func main() {
	mux := http.NewServeMux()
	mux.Handle("/count", serialize(http.HandlerFunc(count)))
	mux.HandleFunc("/mark", withLock(mark))
	mux.Handle("/deep", logging(serialize(http.HandlerFunc(deep))))
	h := serialize(http.HandlerFunc(viaVar))
	mux.Handle("/var", h)
	mux.Handle("/exposed", logging(http.HandlerFunc(exposed)))
	mux.Handle("/r/", router{"/r/stats": stats, "/r/quiet": withLock(quiet)})
	http.ListenAndServe(":8080", mux)
}
"""


def test_a_handler_wrapped_in_a_locking_middleware_runs_under_its_lock(tmp_path):
    """`mux.Handle(p, serialize(http.HandlerFunc(count)))`: the handler runs
    inside the closure the middleware returns (`next.ServeHTTP(w, r)`, or
    `f(w, r)` for an http.HandlerFunc), under the lock it takes; chained, or
    kept in a variable first. A middleware without a lock, and a handler
    stored unwrapped in a router of the package's own, are still reported."""
    reported, expected = reported_and_marked(tmp_path, MIDDLEWARE)
    assert reported == expected, sorted(reported ^ expected)


HTTPTEST = """package main

import (
	"net/http"
	"net/http/httptest"
	"sync"
)

var (
	mu     sync.Mutex
	status = map[int]int{}
)

func handler(w http.ResponseWriter, r *http.Request) {
	mu.Lock()
	status[200]++
	mu.Unlock()
}

func closedFirst() {
	srv := httptest.NewServer(http.HandlerFunc(handler))
	http.Get(srv.URL)
	srv.Close()
	for range status {
	}
}

func stillOpen() {
	srv := httptest.NewServer(http.HandlerFunc(handler))
	defer srv.Close()
	http.Get(srv.URL)
	for range status { // racy: the server is still open
	}
}

func main() {
	closedFirst()
	stillOpen()
}
"""


def test_httptest_close_waits_for_the_handlers(tmp_path):
    """`srv.Close()` of an httptest.Server blocks until the requests in flight
    complete: what follows is ordered after its handlers (a deferred Close
    orders nothing before the function returns)."""
    reported, expected = reported_and_marked(tmp_path, HTTPTEST)
    assert reported == expected, sorted(reported ^ expected)


DEFERS = """package main

import "sync"

func deferredWriteAfterDone(hosts []string) map[string]string {
	var mu sync.Mutex
	var wg sync.WaitGroup
	status := map[string]string{}
	for _, h := range hosts {
		wg.Add(1)
		go func() {
			defer func() {
				mu.Lock()
				status[h] = "checked" // runs after wg.Done (defers run last in, first out); under mu, so reported at the range
				mu.Unlock()
			}()
			defer wg.Done()
		}()
	}
	wg.Wait()
	for range status { // racy: a goroutine may still be writing
	}
	return status
}

func doneLast(hosts []string) map[string]string {
	var mu sync.Mutex
	var wg sync.WaitGroup
	status := map[string]string{}
	for _, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				mu.Lock()
				status[h] = "checked"
				mu.Unlock()
			}()
		}()
	}
	wg.Wait()
	for range status {
	}
	return status
}

func main() {
	deferredWriteAfterDone([]string{"a", "b"})
	doneLast([]string{"a", "b"})
}
"""


def test_deferred_calls_run_last_in_first_out(tmp_path):
    """A call deferred before `defer wg.Done()` runs after it, so `wg.Wait()`
    does not wait for it; deferred after it, it runs first."""
    reported, expected = reported_and_marked(tmp_path, DEFERS)
    assert reported == expected, sorted(reported ^ expected)


SHARDS = """package main

import "sync"

type shard struct {
	mu sync.Mutex
	m  map[string]int
}

type Sharded struct {
	mu     sync.Mutex
	shards [8]shard
}

func (s *Sharded) Inc(i int, k string) {
	sh := &s.shards[i%8]
	sh.mu.Lock()
	sh.m[k]++ // racy: Delete takes another mutex (ML105, reported on both sides)
	sh.mu.Unlock()
}

func (s *Sharded) Delete(i int, k string) {
	s.mu.Lock()
	delete(s.shards[i%8].m, k) // racy: the map-wide mutex is not the shard's
	s.mu.Unlock()
}

func eachInTurn(s *Sharded) {
	done := make(chan bool)
	for i := 0; i < 4; i++ {
		go func() {
			s.shards[0].m["turn"]++
			done <- true
		}()
		<-done
	}
}

func allAtOnce(s *Sharded) {
	done := make(chan bool)
	for i := 0; i < 4; i++ {
		go func() {
			s.shards[1].m["turn"]++ // racy: the loop waits only after starting them all
			done <- true
		}()
	}
	for i := 0; i < 4; i++ {
		<-done
	}
}

func main() {
	s := &Sharded{}
	for i := range s.shards {
		s.shards[i].m = map[string]int{}
	}
	eachInTurn(s)
	allAtOnce(s)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); s.Inc(i, "k") }()
		go func() { defer wg.Done(); s.Delete(i, "k") }()
	}
	wg.Wait()
}
"""


def test_a_map_in_an_element_of_an_array_of_structs(tmp_path):
    """`s.shards[i].m` is a map of its own per element: a shard's mutex
    guards it, the map-wide mutex does not; goroutines a loop starts and
    waits for in the same iteration run one at a time."""
    reported, expected = reported_and_marked(tmp_path, SHARDS)
    assert reported == expected, sorted(reported ^ expected)


FLAG = """package main

import (
	"runtime"
	"sync"
	"sync/atomic"
)

var (
	ready  atomic.Bool
	routes = map[string]string{}
)

func load() {
	routes["/a"] = "svc-a"
	ready.Store(true) // what came before is published
	routes["/late"] = "svc-b" // racy: written after the flag went up
}

func resolve(path string) string {
	for !ready.Load() {
		runtime.Gosched()
	}
	return routes[path] // racy: reads while the late write runs
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); resolve("/a") }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); load() }()
	wg.Wait()
}
"""


def test_a_package_level_atomic_flag_publishes_what_came_before(tmp_path):
    """`ready.Store(true)` after filling the map, `for !ready.Load() {}`
    before reading it: the writes before the Store are ordered before the
    reads (release/acquire); a write after the Store still races."""
    reported, expected = reported_and_marked(tmp_path, FLAG)
    assert reported == expected, sorted(reported ^ expected)
