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
