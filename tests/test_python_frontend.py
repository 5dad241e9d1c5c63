"""The Python front-end on bad input and on the semantics the examples do not pin."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from maplint.config import Settings
from maplint.engine import check_paths

ROOT = Path(__file__).resolve().parents[1]

GOOD = """\
import threading

d = {}


def w():
    d[1] = d.get(1, 0) + 1


ts = [threading.Thread(target=w) for _ in range(2)]
for t in ts:
    t.start()
"""


def check(tmp_path: Path, files: dict[str, str | bytes], settings: Settings | None = None):
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(textwrap.dedent(text), encoding="utf-8")
    return check_paths([str(tmp_path)], settings or Settings())


def codes(result, name: str) -> list[str]:
    return [f.code for f in result.findings if Path(f.span.path).name == name]


# ---- bad input: one ML900 per file, and the run goes on ---------------------------------------

def test_syntax_error_is_one_ml900_with_its_line(tmp_path):
    r = check(tmp_path, {"bad.py": "import threading\ndef f(:\n    pass\n", "good.py": GOOD})
    bad = [f for f in r.findings if f.span.path.endswith("bad.py")]
    assert [f.code for f in bad] == ["ML900"]
    assert bad[0].span.line == 2 and "syntax error" in bad[0].message
    assert codes(r, "good.py") == ["ML201"]


def test_non_utf8_file(tmp_path):
    r = check(tmp_path, {"latin.py": b"import threading\nx = '\xe9'\n", "good.py": GOOD})
    assert codes(r, "latin.py") == ["ML900"]
    assert codes(r, "good.py") == ["ML201"]


def test_huge_file(tmp_path):
    s = Settings()
    s.max_file_bytes = 1000
    r = check(tmp_path, {"huge.py": "import threading\n" + "x = 1\n" * 500, "good.py": GOOD}, s)
    assert codes(r, "huge.py") == ["ML900"]
    assert "too large" in r.findings[0].message or any("too large" in f.message for f in r.findings)
    assert codes(r, "good.py") == ["ML201"]


DEEP = {
    "paren.py": "import threading\nx = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n",
    "plus.py": "import threading\nx = " + "+".join(["1"] * 100_000) + "\n",
    "bool.py": "import threading\nx = " + " and ".join(["a"] * 100_000) + "\n",
    "attr.py": "import threading\nx = a" + ".b" * 50_000 + "\n",
    "calls.py": "import threading\nx = f" + "()" * 5_000 + "\n",
    "unary.py": "import threading\nx = " + "-" * 10_000 + "1\n",
    "lambda.py": "import threading\nx = " + "lambda: " * 5_000 + "1\n",
    "indent.py": "import threading\n" + "".join(" " * i + "if x:\n" for i in range(150)) + " " * 150 + "pass\n",
}


def test_deep_nesting_never_crashes(tmp_path):
    """libcst's native parser overflows the C stack (a segfault, not an
    exception) on such files; run in a child process so that a regression
    shows as a failed test rather than a dead test run."""
    for name, text in DEEP.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "good.py").write_text(GOOD, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "maplint", "check", "--no-sim", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "RecursionError" not in proc.stderr and "Traceback" not in proc.stderr
    for name in DEEP:
        lines = [ln for ln in proc.stderr.splitlines() if f"{name}:" in ln]
        assert len(lines) == 1 and "ML900" in lines[0], (name, proc.stderr[-2000:])
    assert "good.py:7:5: ML201" in proc.stdout


def test_binary_and_empty_files(tmp_path):
    r = check(tmp_path, {"nul.py": b"import threading\x00\n", "empty.py": "", "good.py": GOOD})
    assert codes(r, "nul.py") == ["ML900"]
    assert codes(r, "empty.py") == []
    assert codes(r, "good.py") == ["ML201"]


def test_modules_without_threads_are_only_syntax_checked(tmp_path):
    """The pre-filter: a module that starts no threads and guards nothing is
    never analysed, but its syntax errors are still reported."""
    r = check(tmp_path, {
        "plain.py": """
            counts = {}
            def add(k):
                counts[k] = counts.get(k, 0) + 1
        """,
        "broken_plain.py": "def f(:\n",
    })
    assert codes(r, "plain.py") == []
    assert codes(r, "broken_plain.py") == ["ML900"]


# ---- semantics -------------------------------------------------------------------------------------

def test_plain_concurrent_inserts_are_not_a_finding(tmp_path):
    r = check(tmp_path, {"m.py": """
        import threading
        d = {}
        def w(k):
            d[k] = k
            d.setdefault(k, []).append(1)
            d.pop(k, None)
            if k in d:
                print(d.get(k))
        ts = [threading.Thread(target=w, args=(i,)) for i in range(4)]
        for t in ts:
            t.start()
    """})
    assert codes(r, "m.py") == []


def test_threads_started_in_a_loop_race_with_themselves(tmp_path):
    r = check(tmp_path, {"m.py": """
        import threading
        d = {}
        def w():
            d["n"] += 1
        for _ in range(4):
            threading.Thread(target=w).start()
    """})
    assert codes(r, "m.py") == ["ML201"]


def test_one_thread_does_not_race_with_itself(tmp_path):
    r = check(tmp_path, {"m.py": """
        import threading
        d = {}
        def w():
            d["n"] = d.get("n", 0) + 1
        t = threading.Thread(target=w)
        t.start()
        t.join()
        for k in d:
            print(k)
    """})
    assert codes(r, "m.py") == []


@pytest.mark.parametrize("snapshot", ["list(d)", "d.copy()", "dict(d)", "list(d.items())", "sorted(d)", "tuple(d)"])
def test_snapshots_are_safe_to_iterate(tmp_path, snapshot):
    r = check(tmp_path, {"m.py": f"""
        import threading
        d = {{}}
        def w():
            for i in range(100):
                d[i] = i
                del d[i]
        t = threading.Thread(target=w)
        t.start()
        for k in {snapshot}:
            print(k)
        t.join()
    """})
    assert codes(r, "m.py") == []


@pytest.mark.parametrize("iteration", [
    "for k in d: pass",
    "for k, v in d.items(): pass",
    "x = [k for k in d.keys()]",
    "x = sum(v for v in d.values())",
    "x = max(d, key=lambda k: len(str(k)))",
    "x = {k: v for k, v in d.items()}",
])
def test_python_level_iterations_race_with_inserts(tmp_path, iteration):
    r = check(tmp_path, {"m.py": f"""
        import threading
        d = {{}}
        def w():
            for i in range(100):
                d[i] = i
        t = threading.Thread(target=w)
        t.start()
        {iteration}
        t.join()
    """})
    assert codes(r, "m.py") == ["ML203"]


def test_messages_never_claim_a_go_crash(tmp_path):
    r = check(tmp_path, {"m.py": GOOD})
    for f in r.findings:
        assert "fatal error" not in f.message and "concurrent map" not in f.message


def test_go_rules_do_not_run_on_python(tmp_path):
    r = check(tmp_path, {"m.py": GOOD})
    assert all(not f.code.startswith("ML1") for f in r.findings)


def test_simulation_is_attached_with_python_ops(tmp_path):
    r = check(tmp_path, {"m.py": GOOD})
    sims = [f.simulation for f in r.findings if f.simulation is not None]
    assert sims and sims[0].runtime.startswith("cpython") and sims[0].op_a == "get-set"


def test_join_inside_a_comprehension_over_threads(tmp_path):
    r = check(tmp_path, {"m.py": """
        import threading
        d = {}
        def w(i):
            d[i] = d.get(i, 0) + 1
        ts = [threading.Thread(target=w, args=(1,)) for _ in range(3)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        for k in d:
            print(k)
    """})
    assert codes(r, "m.py") == ["ML201"]


def race_lines(tmp_path: Path, src: str) -> set[int]:
    res = check(tmp_path, {"m.py": src}, Settings(no_cache=True))
    return {f.span.line for f in res.findings if f.code.startswith("ML2")}


def test_a_thread_kept_in_a_global_is_started_through_it(tmp_path):
    """`global _timer; _timer = threading.Timer(…, flush); _timer.start()`."""
    assert race_lines(tmp_path, """\
        import threading

        buf = {}
        _timer = None


        def flush():
            for k in buf:
                print(k)


        def schedule():
            global _timer
            _timer = threading.Timer(0.1, flush)
            _timer.start()


        def add(k):
            buf[k] = 1


        schedule()
        ts = [threading.Thread(target=add, args=(i,)) for i in range(4)]
        for t in ts:
            t.start()
        """) == {8}


def test_done_callbacks_run_in_the_executors_threads(tmp_path):
    """A done callback of a future the executor returned runs in a worker
    thread; with a lock it is safe, and the pool's shutdown waits for it."""
    src = """\
        import threading
        from concurrent.futures import ThreadPoolExecutor

        totals = {}
        lock = threading.Lock()


        def work(i):
            return i % 3, i


        def on_done(fut):
            k, n = fut.result()
            LOCKED totals[k] = totals.get(k, 0) + n


        def run():
            with ThreadPoolExecutor(4) as ex:
                for i in range(100):
                    ex.submit(work, i).add_done_callback(on_done)
            return sum(totals.values())


        run()
        """
    assert race_lines(tmp_path / "racy", src.replace("LOCKED ", "")) == {14}
    assert race_lines(tmp_path / "safe", src.replace("LOCKED ", "with lock:\n                ")) == set()


def test_a_decorators_wrapper_runs_on_every_call_and_shares_its_state(tmp_path):
    """`@memoize`: the wrapper's check-then-insert on the cache the decorator
    made (once) races between callers; `@functools.lru_cache` and a wrapper
    that takes a lock do not."""
    src = """\
        import functools
        import threading


        def memoize(fn):
            cache = {}
            lock = threading.Lock()

            def wrapper(*args):
                LOCKED if args not in cache:
                    cache[args] = fn(*args)
                return cache[args]
            return wrapper


        @memoize
        def load(k):
            return [k]


        @functools.lru_cache
        def parse(s):
            return s.split()


        def handler(i):
            parse("a b")
            return load(i % 3)


        ts = [threading.Thread(target=handler, args=(i,)) for i in range(8)]
        for t in ts:
            t.start()
        """
    assert race_lines(tmp_path / "racy", src.replace("LOCKED ", "")) == {11}
    locked = src.replace("LOCKED if args not in cache:\n                    cache[args] = fn(*args)\n"
                         "                return cache[args]",
                         "with lock:\n                    if args not in cache:\n"
                         "                        cache[args] = fn(*args)\n                    return cache[args]")
    assert "with lock" in locked
    assert race_lines(tmp_path / "safe", locked) == set()


def test_a_constructors_thread_runs_alongside_the_classs_methods(tmp_path):
    """A library class whose `__init__` starts a thread on its own state: its
    public methods may be called (from any thread, the main one included)
    while that thread runs, even though no caller is in view."""
    src = """\
        import threading


        class StatsClient:
            def __init__(self):
                self.gauges = {}
                self._lock = threading.Lock()
                threading.Thread(target=self._flush, daemon=True).start()

            def _flush(self):
                while True:
                    LOCKED payload = [k for k in self.gauges]
                    print(payload)

            def gauge(self, name, value):
                LOCKED self.gauges[name] = value
        """
    assert race_lines(tmp_path / "racy", src.replace("LOCKED ", "")) == {12}
    assert race_lines(tmp_path / "safe", src.replace("LOCKED payload", "with self._lock:\n                        payload")
                      .replace("LOCKED self.gauges", "with self._lock:\n                    self.gauges")) == set()


def test_a_signal_handler_runs_between_any_two_bytecodes(tmp_path):
    """`signal.signal(SIGUSR1, dump)`: the handler interrupts the main thread
    anywhere and runs while the workers do; one that only sets an Event
    touches no dict."""
    src = """\
        import signal
        import threading

        jobs = {}
        dumped = threading.Event()


        def dump(signum, frame):
            BODY


        def worker(k):
            for i in range(100):
                jobs[(k, i)] = i


        signal.signal(signal.SIGUSR1, dump)
        ts = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
        for t in ts:
            t.start()
        """
    assert race_lines(tmp_path / "racy", src.replace("BODY", "for k in jobs:\n                print(k)")) == {9}
    assert race_lines(tmp_path / "safe", src.replace("BODY", "dumped.set()")) == set()


def test_popitem_after_a_size_check_is_an_eviction_not_a_key_check(tmp_path):
    """`if len(d) > limit: d.popitem()`: two threads both evict (one entry too
    many); the message does not claim a checked key vanished."""
    res = check(tmp_path, {"lru.py": """\
        import threading
        from collections import OrderedDict

        cache = OrderedDict()


        def put(k, v):
            cache[k] = v
            if len(cache) > 8:
                cache.popitem(last=False)


        ts = [threading.Thread(target=put, args=(i, i)) for i in range(20)]
        for t in ts:
            t.start()
        """}, Settings(no_cache=True))
    msgs = [f.message for f in res.findings if f.code == "ML202"]
    assert msgs and all("evicted (`popitem`) after checking the dict's size" in m and "one entry more" in m
                        for m in msgs), msgs


def test_a_striped_lock_guards_the_compound_operations_on_its_key(tmp_path):
    """`with self._locks[hash(key) % N]:` is one lock per key: the
    read-modify-write of that key is guarded (single dict operations are
    atomic), an iteration under one stripe is not."""
    src = """\
        import threading

        N = 8


        class StripedCounter:
            def __init__(self):
                self._locks = [threading.Lock() for _ in range(N)]
                self._counts = {}

            def incr(self, key, n=1):
                with self._locks[hash(key) % N]:
                    self._counts[key] = self._counts.get(key, 0) + n

            def total(self):
                with self._locks[0]:
                    return sum(v for v in self._counts.values())


        c = StripedCounter()
        ts = [threading.Thread(target=c.incr, args=(i,)) for i in range(8)] + [threading.Thread(target=c.total)]
        for t in ts:
            t.start()
        """
    assert race_lines(tmp_path, src) == {17}


def test_a_subclass_inherits_its_base_classs_lock_discipline(tmp_path):
    """The base class guards `_items` with its lock (so its API is called
    from threads); a subclass's methods that skip the lock race with it —
    also when the threads are added to the list with `+=`."""
    base = """\
        import threading


        class LockedRegistry:
            def __init__(self):
                self._lock = threading.Lock()
                self._items = {}

            def add(self, key, value):
                with self._lock:
                    self._items[key] = value

            def discard(self, key):
                with self._lock:
                    self._items.pop(key, None)


        class SessionRegistry(LockedRegistry):
            def active(self):
                return [s for s in self._items.values() if s]

            def locked_active(self):
                with self._lock:
                    return [s for s in self._items.values() if s]
        """
    assert race_lines(tmp_path / "lib", base) == {20}
    script = base + """
        reg = SessionRegistry()
        ts = [threading.Thread(target=reg.add, args=(i, i)) for i in range(4)]
        ts += [threading.Thread(target=reg.locked_active) for _ in range(4)]
        for t in ts:
            t.start()
        """
    assert race_lines(tmp_path / "script", script.replace("def active(self):\n                return [s for s in "
                                                          "self._items.values() if s]\n\n", "")) == set()
    racy = script.replace("target=reg.locked_active", "target=reg.active")
    assert race_lines(tmp_path / "racy", racy) == {20}


def test_a_dict_a_getter_returns_is_the_objects_own(tmp_path):
    """`for p in router.routes.items():` where the `routes` property (or a
    method) returns `self._routes`: the caller iterates the object's live
    dict, which its locked methods change; a getter returning a copy is safe."""
    src = """\
        import threading


        class Router:
            def __init__(self):
                self._lock = threading.Lock()
                self._routes = {}

            def add(self, path, h):
                with self._lock:
                    self._routes[path] = h

            @property
            def routes(self):
                return self._routes

            def table(self):
                return self._routes


        def dump(router):
            return [p for p in router.routes] + [p for p in router.table()]


        r = Router()
        ts = [threading.Thread(target=r.add, args=(str(i), i)) for i in range(4)]
        ts += [threading.Thread(target=dump, args=(r,)) for _ in range(2)]
        for t in ts:
            t.start()
        """
    assert race_lines(tmp_path / "live", src) == {22}
    copies = src.replace("return self._routes\n", "return dict(self._routes)\n")
    assert race_lines(tmp_path / "copy", copies) == set()


def test_a_drain_loop_checks_then_pops(tmp_path):
    """`while pending: pending.popitem()` in several threads: the dict may be
    emptied by another thread between the check and the pop (KeyError)."""
    src = """\
        import threading

        pending = {i: i for i in range(100)}


        def consumer():
            while pending:
                pending.popitem()


        ts = [threading.Thread(target=consumer) for _ in range(4)]
        for t in ts:
            t.start()
        """
    assert race_lines(tmp_path, src) == {8}


def test_an_ordereddict_iteration_always_says_mutated(tmp_path):
    """odictiter_nextkey checks od_state before the size, so an OrderedDict
    iterated while another thread inserts raises `OrderedDict mutated during
    iteration`, never the plain dict's `changed size`."""
    res = check(tmp_path, {"od.py": """\
        import threading
        from collections import OrderedDict

        recent = OrderedDict()


        def add(k):
            recent[k] = True


        def show():
            return [k for k in recent]


        ts = [threading.Thread(target=add, args=(i,)) for i in range(4)] + [threading.Thread(target=show)]
        for t in ts:
            t.start()
        """}, Settings(no_cache=True))
    msgs = [f.message for f in res.findings if f.code == "ML203"]
    assert msgs and all("OrderedDict mutated during iteration" in m and "changed size" not in m for m in msgs), msgs


def test_an_enum_key_passed_as_a_parameter_hashes_in_python(tmp_path):
    """`counts[status] += 1` where callers pass `Status.PAID`: Enum.__hash__
    is Python code, so the increment loses updates on every CPython."""
    res = check(tmp_path, {"orders.py": """\
        import enum
        import threading


        class Status(enum.Enum):
            NEW = "new"
            PAID = "paid"


        per_status = {s: 0 for s in Status}


        def on_order(status):
            per_status[status] += 1


        ts = [threading.Thread(target=on_order, args=(Status.PAID,)) for _ in range(4)]
        for t in ts:
            t.start()
        """}, Settings(no_cache=True))
    msgs = [f.message for f in res.findings if f.code == "ML201"]
    assert msgs and all("every CPython: the key's `__hash__`/`__eq__` is Python code" in m for m in msgs), msgs


def test_a_logging_handlers_emit_runs_under_its_lock_in_the_callers_thread(tmp_path):
    """Handler.handle() calls emit() with `self.lock` held, from whichever
    thread logs: a method that reads emit's dict must take the lock too
    (`self.acquire()` / `with self.lock:`)."""
    src = """\
        import logging
        import threading


        class LastRecord(logging.Handler):
            def __init__(self):
                super().__init__()
                self.last = {}

            def emit(self, record):
                self.last[record.name] = record.getMessage()

            def page(self):
                BODY
        """
    assert race_lines(tmp_path / "racy", src.replace("BODY", "return [n for n in self.last]")) == {14}
    locked = src.replace("BODY", "self.acquire()\n                try:\n                    return [n for n in self.last]\n"
                                 "                finally:\n                    self.release()")
    assert race_lines(tmp_path / "acquire", locked) == set()
    with_lock = src.replace("BODY", "with self.lock:\n                    return [n for n in self.last]")
    assert race_lines(tmp_path / "with", with_lock) == set()


def test_coroutines_gathered_run_their_executor_calls_together(tmp_path):
    """`await asyncio.gather(*(handle(d) for d in docs))` where each handle
    awaits `loop.run_in_executor(None, parse, d)`: the await does not hold the
    generator back (gather runs the coroutines together), so the parses
    overlap in the pool's threads."""
    src = """\
        import asyncio

        counts = {}


        def parse(doc):
            for tok in doc.split():
                counts[tok] = counts.get(tok, 0) + 1


        async def handle(loop, doc):
            return await loop.run_in_executor(None, parse, doc)


        async def main():
            loop = asyncio.get_running_loop()
            await asyncio.gather(*(handle(loop, d) for d in ["a b", "a c"]))


        asyncio.run(main())
        """
    assert race_lines(tmp_path, src) == {8}
