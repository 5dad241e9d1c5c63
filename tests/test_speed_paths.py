"""The shortcuts taken for speed give exactly what the long way gives:
libcst parses in worker processes, calls skipped because their result is a
plain value, simulations answered from the cache."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from maplint import concurrency, sim
from maplint.frontends.go import load_package
from maplint.frontends.go.types import TypeTable
from maplint.rule import all_rules

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
parallel = sys.modules.get("maplint.frontends.python.parallel") or __import__(
    "maplint.frontends.python.parallel", fromlist=["Parses"])


# ---------------------------------------------------------------- Python parses

def python_findings(paths: list[Path], jobs: int) -> list:
    from maplint.frontends.python import analyse

    stats: dict = {}
    found = analyse(paths, 1 << 24, all_rules(), None, False, stats, None, jobs)
    return [sorted(repr(f) for f in found), stats]


def test_parses_in_workers_are_the_parses_here(monkeypatch, tmp_path):
    """Every Python example at once (one run, as `maplint check examples/`),
    plus files that take the other paths: a syntax error, a file nested too
    deeply for a worker, a module only imported."""
    deep = "x = " + "(" * 150 + "1" + ")" * 150 + "\nimport threading\n"
    (tmp_path / "deep_threads.py").write_text(deep)
    (tmp_path / "broken_threads.py").write_text("import threading\ndef f(:\n")
    (tmp_path / "helper.py").write_text("shared = {}\n\ndef put(k, v):\n    shared[k] = v\n")
    (tmp_path / "user.py").write_text(
        "import threading\nimport helper\n\n"
        "def main():\n    ts = [threading.Thread(target=helper.put, args=(i, i)) for i in range(4)]\n"
        "    for t in ts:\n        t.start()\n")
    paths = sorted(EXAMPLES.glob("python/**/*.py")) + sorted(tmp_path.glob("*.py"))
    serial = python_findings(paths, 1)

    taken = []
    original = parallel.Parses.take

    def take(self, f):
        got = original(self, f)
        taken.append(None if got is None else got[0])
        return got

    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel.Parses, "take", take)
    assert python_findings(paths, 3) == serial
    assert "ok" in taken, "no parse came back from a worker: the test tested nothing"


def test_a_broken_pool_falls_back_to_parsing_here(monkeypatch):
    paths = sorted(EXAMPLES.glob("python/**/*.py"))
    serial = python_findings(paths, 1)

    class Broken:
        def __init__(self, *a, **k):
            raise OSError("no processes here")

    import concurrent.futures

    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Broken)
    assert python_findings(paths, 2) == serial


# ------------------------------------------------------------- Go plain results

def test_plain_types():
    t = TypeTable(named={
        "Point": ("struct", (("x", ("name", "int"), False), ("label", ("name", "string"), False))),
        "Path": ("slice", ("ptr", ("name", "Point"))),
        "Index": ("map", ("name", "string"), ("name", "int")),
        "Holder": ("struct", (("idx", ("name", "Index"), False),)),
        "List": ("struct", (("next", ("ptr", ("name", "List")), False), ("v", ("name", "int"), False))),
        "Done": ("chan", ("struct", ())),
    })
    for ty in [("name", "string"), ("name", "int64"), ("name", "Point"), ("ptr", ("name", "Point")),
               ("name", "Path"), ("array", ("name", "byte")), ("name", "List")]:
        assert t.plain(ty), ty
    for ty in [None, ("name", "error"), ("name", "any"), ("name", "Index"), ("name", "Holder"),
               ("ptr", ("name", "Holder")), ("name", "Done"), ("qual", "time.Time"), ("name", "T"),
               ("iface",), ("func", (), ()), ("slice", ("map", ("name", "string"), ("name", "int")))]:
        assert not t.plain(ty), ty


SRC = """package p

import "sync"

type S struct {
	mu   sync.Mutex
	m    map[string]int
	name string
}

func (s *S) label() string { return s.name }

func (s *S) table() map[string]int { return s.m }

func (s *S) count() int { return len(s.m) }

func (s *S) Put(k string) {
	s.mu.Lock()
	s.m[k] = 1
	s.mu.Unlock()
}

func (s *S) Get(k string) int {
	n := s.label()
	_ = n
	return s.table()[k]
}

func (s *S) pair() (string, map[string]int) { return s.name, s.m }

func (s *S) forward() (string, map[string]int) { return s.pair() }
"""


def test_a_function_that_returns_a_plain_value_is_not_instantiated_for_it(tmp_path):
    d = tmp_path / "p"
    d.mkdir()
    (d / "p.go").write_text(SRC)
    units, _, _ = load_package(d, {str(p.resolve()) for p in d.glob("*.go")}, 1 << 24, "1.27")
    pkg = units[0][0]
    s = concurrency.Summaries(pkg)
    assert not s.is_relevant("S.label")  # a string: leads to no map
    assert s.is_relevant("S.table")  # the map itself
    assert s.is_relevant("S.count")  # returns a plain value, but reads the map on the way
    assert s.is_relevant("S.pair") and s.is_relevant("S.forward")  # the second result is the map
    eng, races, _ = concurrency.build(pkg)
    assert any(a.span.line == 26 or b.span.line == 26 for a, b in races), "the read through table() is lost"


# ---------------------------------------------------------- simulation answers

def racy_findings(tmp_path: Path):
    from maplint.config import Settings
    from maplint.engine import check_paths

    r = check_paths([str(EXAMPLES / "go")], Settings(jobs=1, no_cache=True))
    found = [f for f in r.findings if f.simulation is not None]
    assert len({(f.simulation.op_a, f.simulation.op_b, f.simulation.key_kind) for f in found}) > 3
    return found


def test_simulations_come_back_from_the_cache(tmp_path, monkeypatch):
    from maplint.explain import attach_simulations

    found = racy_findings(tmp_path)
    plain = attach_simulations(found)
    assert all(f.simulation.summary for f in plain)
    cache = tmp_path / "cache"
    assert attach_simulations(found, cache_dir=cache, jobs=2) == plain
    assert list(cache.rglob("*.json"))

    def no_simulator(*a, **k):
        raise AssertionError("simulated although the answer is cached")

    monkeypatch.setattr(sim, "simulate", no_simulator)
    assert attach_simulations(found, cache_dir=cache) == plain
    # A cached answer is never reused for another question.
    other = [replace(f, simulation=replace(f.simulation, key_kind="float")) for f in found[:1]]
    assert attach_simulations(other, cache_dir=cache)[0].simulation.summary == ""


def test_an_answer_cut_short_by_the_time_budget_is_not_kept(tmp_path, monkeypatch):
    """How far a search gets in its time depends on the machine."""
    from maplint.explain import attach_simulations

    found = racy_findings(tmp_path)[:1]
    real = sim.simulate

    def cut_short(*a, **k):
        r = real(*a, **k)
        return replace(r, budget_hit=True, notes=("time budget (2 s) hit: the search stopped early", *r.notes))

    monkeypatch.setattr(sim, "simulate", cut_short)
    got = attach_simulations(found, cache_dir=tmp_path / "cache")
    assert got[0].simulation.summary
    assert not list((tmp_path / "cache").rglob("*.json"))


@pytest.mark.parametrize("jobs", [1, 2])
def test_simulations_do_not_depend_on_the_number_of_workers(tmp_path, jobs):
    from maplint.explain import attach_simulations

    found = racy_findings(tmp_path)
    assert attach_simulations(found, jobs=jobs) == attach_simulations(found, jobs=1)


# ---- @frozen: a frozen dataclass with a quick __init__ ------------------------

def test_frozen_classes_behave_as_frozen_dataclasses():
    import dataclasses
    import pickle

    from maplint.concurrency import Loc
    from maplint.finding import Span
    from maplint.frozen import frozen

    @frozen
    class P:
        a: int
        b: tuple = ()
        c: frozenset = frozenset({1})

    @dataclasses.dataclass(frozen=True)
    class Q:
        a: int
        b: tuple = ()
        c: frozenset = frozenset({1})

    for args, kw in [((1,), {}), ((1, (2,)), {}), ((), {"a": 3, "c": frozenset()}), ((4,), {"b": (5,)})]:
        p, q = P(*args, **kw), Q(*args, **kw)
        assert vars(p) == vars(q) and repr(p).split(".P(")[1] == repr(q).split(".Q(")[1]
    assert P(1).c is P.__dataclass_fields__["c"].default  # the default object itself, as dataclasses does
    assert P(1) == P(1) and hash(P(1, (2,))) == hash(P(1, (2,))) and P(1) != P(2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        P(1).a = 2
    with pytest.raises(TypeError):
        P()  # a required field stays required
    with pytest.raises(TypeError):
        P(1, 2, 3, 4)
    assert dataclasses.replace(P(1), b=(9,)) == P(1, (9,))
    loc = Loc("local", "x@1", ("f", "[]"), "T.f[]", 3)
    assert pickle.loads(pickle.dumps(loc)) == loc  # results cross process boundaries
    # The hot classes of the engine are @frozen, and stay ordered and hashable.
    assert Span("a", 1) < Span("a", 2) and {Loc("global", "m"): 1}[Loc("global", "m")] == 1
    assert type(Loc("global", "m")).__init__.__qualname__ == "Loc.__init__"


def test_frozen_refuses_what_its_init_would_change():
    import dataclasses

    from maplint.frozen import frozen

    with pytest.raises(TypeError):
        @frozen
        class F:
            xs: list = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError):
        @frozen
        class G:
            x: int = dataclasses.field(default=0, init=False)

    with pytest.raises(TypeError):
        @frozen
        class H:
            x: int

            def __post_init__(self):
                pass


# ---- discovery resolves each file once -----------------------------------------

def test_discover_resolves_files_as_real_does(tmp_path, monkeypatch):
    """discover() resolves a plain file through its directory (one lstat) and
    remembers it for the run; the answer is the careful `real()`'s, for plain
    files, linked files, files under a linked directory and relative roots."""
    from maplint import files

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.go").write_text("package pkg\n")
    (tmp_path / "pkg" / "b.py").write_text("x = 1\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "c.go").write_text("package pkg\n")
    (tmp_path / "pkg" / "c_link.go").symlink_to(tmp_path / "elsewhere" / "c.go")
    (tmp_path / "linked").symlink_to(tmp_path / "pkg", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    for roots in (["."], ["./pkg/", "linked"], [str(tmp_path)]):
        found, problems = files.discover(roots)
        assert found  # (a directory reached twice through the link is reported, not walked again)
        remembered = {str(p): files.real(p) for p in found}
        files._real_files.clear()
        files._real_dir.cache_clear()
        assert remembered == {str(p): files.real(p) for p in found}
        assert all(files.real(p) == str(p.resolve()) for p in found)


def test_files_without_directives_come_from_the_first_read(tmp_path):
    """The worker says which asked-for files hold no suppression directive
    from the bytes it parsed: the same list as reading them again."""
    from maplint import engine

    d = tmp_path / "p"
    d.mkdir()
    (d / "a.go").write_text("package p\n\nvar m = map[int]int{}\n\nfunc A() { go func() { m[1] = 1 }(); m[2] = 2 }\n")
    (d / "b.go").write_text("package p\n\nfunc B() {\n\tm[3] = 3 //nolint:maplint // reviewed\n}\n")
    (d / "c.go").write_text("package p\n\nfunc C() { _ = len(m) }\n")
    (d / "d.go").write_bytes(b"package p\x00\n")  # binary: not checked, never "plain"
    wanted = frozenset(str(p.resolve()) for p in d.glob("*.go"))
    task = engine.GoTask(str(d), wanted, "1.27", 1 << 20, ("ML101", "ML102"), False, None)
    *_, plain = engine.analyse_go_dir(task)
    assert plain == engine._without_directives(task)
    assert [Path(p).name for p in plain] == ["a.go", "c.go"]


@pytest.mark.parametrize("data", [
    b"", b"package p\n", b"lint", b"// maplint:ignore ML101", b"//nolint:maplint", b"//lint:ignore ML101 x",
    b"lint only", b"# noqa: ML201", b"# NOQA", b"// +checklocksignore", b"splint: no", b"noq a", b"nolin t",
    b"mapLint", b"checklocks", b"xlint:y",
])
def test_may_have_directives_is_any_marker(data):
    from maplint import suppress

    assert suppress.may_have_directives(data) == any(m in data for m in suppress._MARKERS)


def test_a_run_that_needs_no_libcst_tree_does_not_import_libcst(tmp_path):
    """libcst takes 0.1 s to import: a Go tree, and Python files that cannot
    start threads (only syntax-checked), never need it."""
    import subprocess

    (tmp_path / "p.go").write_text("package p\n\nfunc F() {}\n")
    (tmp_path / "script.py").write_text("import os\n\nprint(os.getcwd())\n")
    (tmp_path / "broken.py").write_text("def f(:\n")
    code = ("import sys; from maplint import cli; rc = cli.main(['check', '--no-cache', sys.argv[1]]); "
            "print('libcst' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True)
    assert out.stdout.split()[-1] == "False", out.stdout + out.stderr
    assert "broken.py:1:" in out.stdout + out.stderr  # still syntax-checked
    (tmp_path / "worker.py").write_text("import threading\n\nd = {}\nthreading.Thread(target=d.clear).start()\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True)
    assert out.stdout.split()[-1] == "True", out.stdout + out.stderr  # analysed: parsed with libcst


def test_the_go_files_of_a_directory_are_those_pathlib_finds(tmp_path, monkeypatch):
    """load_package lists a directory with os.scandir: the same files as
    Path.iterdir() filtered by suffix and is_file()."""
    import os

    from maplint.files import real

    d = tmp_path / "p"
    d.mkdir()
    (d / "a.go").write_text("package p\n")
    (d / "..go").write_text("package p\n")
    (d / ".go").write_text("package p\n")  # suffix "": not a Go file
    (d / "b.go.txt").write_text("x")
    (d / "dir.go").mkdir()
    os.symlink(d / "a.go", d / "link.go")
    os.symlink(d / "missing.go", d / "dangling.go")
    expected = sorted({real(p) for p in d.iterdir() if p.suffix == ".go" and p.is_file()})
    assert expected == sorted({real(d / n) for n in ("a.go", "..go", "link.go")})
    # load_package reads exactly these
    import maplint.frontends.go as gofront

    read = []
    orig = gofront.read_source
    monkeypatch.setattr(gofront, "read_source", lambda path, limit: (read.append(str(path)), orig(path, limit))[1])
    load_package(d, set(), 1 << 20, "1.27")
    assert sorted(read) == expected


@pytest.mark.parametrize("data, problem", [
    (b"package p\n", None),
    ("package p // caf\u00e9 \u2014 \u65e5\u672c\n".encode(), None),
    (b"package p\n// ok\n\xff\xfe\n", "not valid UTF-8 (byte 16); not checked"),
    (b"package p\n\x00", "binary file (contains NUL bytes); not checked"),
])
def test_read_source_accepts_utf8_and_names_the_bad_byte(tmp_path, data, problem):
    from maplint.files import read_source

    f = tmp_path / "f.go"
    f.write_bytes(data)
    got, prob = read_source(f)
    if problem is None:
        assert got == data and prob is None
    else:
        assert got is None and prob.message == problem and prob.path.endswith("f.go")
        assert prob.line == (3 if b"\xff" in data else 1)


# ---------------------------------------------------------------- the benchmark

def test_benchmark_reference_reads_the_files_maplint_checks(tmp_path):
    """gofmt is timed on maplint's own file list: vendored and testdata
    files, which maplint skips by default, are not given to it either."""
    sys.path.insert(0, str(EXAMPLES.parent / "tools"))
    try:
        import bench
    finally:
        sys.path.pop(0)
    for rel in ("a.go", "sub/b.go", "vendor/x/c.go", "sub/testdata/d.go", "cmd/vendor/y/e.go", "notes.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("package p\n")
    files = bench.checked_files(tmp_path, ".go")
    assert [Path(f).relative_to(tmp_path).as_posix() for f in files] == ["a.go", "sub/b.go"]
    assert bench.count_file_lines(files) == 2
