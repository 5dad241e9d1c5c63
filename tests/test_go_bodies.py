"""Bodies walked on demand (maplint.frontends.go.bodies) give exactly the
analysis of walking every body up front."""
from __future__ import annotations

from pathlib import Path

import pytest

from maplint import concurrency
from maplint.frontends.go import bodies, load_package, package

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "go"
PACKAGES = sorted({p.parent for p in EXAMPLES.rglob("*.go")})


def analyse(directory: Path, eager: bool, monkeypatch) -> list:
    monkeypatch.setattr(package, "walks_everything", (lambda files: True) if eager else bodies.walks_everything)
    wanted = {str(p.resolve()) for p in directory.glob("*.go")}
    units, _, _ = load_package(directory, wanted, 1 << 24, "1.27")
    out = []
    for pkg, _ in units:
        eng, races, guarded = concurrency.build(pkg)
        out.append((
            [(c.kind, c.label, c.func, c.parent, c.many) for c in eng.contexts],
            sorted((a.span, b.span, a.kind, b.kind) for a, b in races),
            sorted((a.span, b.span, a.kind, b.kind) for a, b in guarded),
            eng.events,
        ))
    return out


@pytest.mark.parametrize("directory", PACKAGES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_on_demand_walk_is_the_full_walk(directory, monkeypatch):
    assert analyse(directory, False, monkeypatch) == analyse(directory, True, monkeypatch)


def write(tmp_path: Path, src: str) -> Path:
    d = tmp_path / "p"
    d.mkdir()
    (d / "p.go").write_text(src)
    return d


def load(d: Path):
    units, _, _ = load_package(d, {str(p.resolve()) for p in d.glob("*.go")}, 1 << 24, "1.27")
    return units[0][0]


def test_only_what_can_matter_is_walked_up_front(tmp_path):
    d = write(tmp_path, """package p

import "sync"

var (
	m  = map[int]int{}
	mu sync.Mutex
)

// A comment may say: go to the shop. It starts nothing.
func Quiet() int { return helper() }

func helper() int { return len(m) }

func start() { go func() { m[1] = 1 }() }

func Start() { start() }

func Locked() { mu.Lock(); m[2] = 2; mu.Unlock() }
""")
    pkg = load(d)
    assert "start" in pkg.walked and "Locked" in pkg.walked  # spawns, holds a lock
    assert "Quiet" not in pkg.walked and "helper" not in pkg.walked
    # `go` in a comment is not a spawn; calling a spawner by name makes a candidate.
    assert pkg.may_spawn == {"start", "Start"}
    eng, races, _ = concurrency.build(pkg)
    assert "helper" in pkg.walked  # reached from Quiet, an exported entry point of a concurrent package
    assert races


def _may_spawn_by_words(pkg) -> set[str]:
    """may_spawn as first written: every body split into words up front."""
    b = pkg.materialize.__self__
    out = set(b.spawners)
    names = {bodies.simple_name(fid).encode() for fid in out}
    seen = set(names)
    rest = [(fid, set(bodies.WORD.findall(f.src, s, e))) for fid, (f, s, e) in b.entries.items() if fid not in out]
    while names and rest:
        found, keep = set(), []
        for fid, words in rest:
            if words.isdisjoint(names):
                keep.append((fid, words))
            else:
                out.add(fid)
                found.add(bodies.simple_name(fid).encode())
        names = found - seen
        seen |= names
        rest = keep
    return out


@pytest.mark.parametrize("spawners", [1, 12])  # few names: substring pre-filter; many: words only
def test_may_spawn_finds_callers_by_word_not_by_substring(tmp_path, spawners):
    starts = "\n".join(f"func start{i}() {{ go func() {{ m[{i}] = 1 }}() }}" for i in range(spawners))
    d = write(tmp_path, f"""package p

var m = map[int]int{{}}

{starts}

// restart0 and start0x contain the name but are other words: not callers.
func restart0() {{ _ = "start0x" }}

func Outer() {{ middle() }}

func middle() {{ start0() }}

func Other() {{ restart0() }}
""")
    pkg = load(d)
    expected = {f"start{i}" for i in range(spawners)} | {"middle", "Outer"}
    assert pkg.may_spawn == expected == _may_spawn_by_words(pkg)


@pytest.mark.parametrize("directory", PACKAGES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_may_spawn_is_the_word_split_result(directory):
    wanted = {str(p.resolve()) for p in directory.glob("*.go")}
    units, _, _ = load_package(directory, wanted, 1 << 24, "1.27")
    for pkg, _ in units:
        if pkg.materialize is not None:
            assert pkg.may_spawn == _may_spawn_by_words(pkg)


def test_a_package_with_handlers_is_walked_in_full(tmp_path):
    d = write(tmp_path, """package p

import "net/http"

var hits = map[string]int{}

type h struct{}

func (h) ServeHTTP(w http.ResponseWriter, r *http.Request) { hits[r.URL.Path]++ }

func Serve() { register(h{}) }

func register(x http.Handler) { http.Handle("/", x) }
""")
    pkg = load(d)
    assert pkg.materialize is None
