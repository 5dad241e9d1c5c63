"""Runtime-map simulator: what the real map does when two goroutines (or
threads) use it at once without a lock.

    >>> r = simulate("go1.23", "insert", "insert", key_kind="int64")
    >>> summary_line(r)                              # doctest: +SKIP
    '→ fatal error: concurrent map writes in 78% of 1,190 schedules; …'

Models (docs/simulation.md):
* go1.6 … go1.23: the classic `hmap` (go1.23.9 runtime/map.go), `go_classic`;
* go1.24 and later: the Swiss table (go1.24.11 / 1.25.5 / 1.26.6 / 1.27.3
  internal/runtime/maps), `go_swiss`;
* cpython3.N / cpython3.Nt: the compact dict with the thread-switch points of
  the version (`cpython_dict`).

The scheduler (`scheduler.explore`) enumerates every interleaving of the two
operations' runtime steps up to a preemption bound, deduplicating states, and
reports each reachable outcome class with its share of the schedules and the
shortest schedule that reaches it.
"""
from __future__ import annotations

import gc
import re
import time
from functools import lru_cache

from maplint.sim.cpython_dict import PY_KEY_KINDS, PY_OPS, PyMachine, PyVersion
from maplint.sim.go_classic import ClassicMachine, over_load_factor
from maplint.sim.go_common import GO_KEY_KINDS, GO_OPS
from maplint.sim.go_swiss import SwissFeatures, SwissMachine
from maplint.sim.model import Outcome, SimResult, Site, Step
from maplint.sim.render import render_timeline, summary_line
from maplint.sim.scheduler import explore

__all__ = [
    "GO_OPS",
    "PY_OPS",
    "Outcome",
    "SimResult",
    "Site",
    "Step",
    "runtime_for_go",
    "normalize_runtime",
    "simulate",
    "summary_line",
    "render_timeline",
    "model_size",
    "growth_sizes",
    "DEFAULT_BOUND",
    "DEFAULT_BUDGET",
    "DEFAULT_SECONDS",
]

LATEST_GO = 27  # newest Go minor version whose runtime source was read
DEFAULT_BOUND = 3  # preemptions per schedule
DEFAULT_BUDGET = 40_000  # distinct states per exploration
DEFAULT_SECONDS = 10.0  # time per simulation (all its explorations together)
DEFAULT_SIZE = 4  # entries when the code does not show the size (see docs)
EXACT_SIZE_LIMIT = 16  # sizes up to this are modelled as given

_GO_RE = re.compile(r"^(?:go)?1\.(\d+)(?:\.\d+)?(?:(?:rc|beta)\d+)?$")
_PY_RE = re.compile(r"^(?:cpython|python|py)?3\.(\d+)(t?)(?:\.\d+)?$")


def runtime_for_go(version: str | None) -> str:
    """The runtime name for a Go version: "1.22" → "go1.22", "go1.24.3" → "go1.24";
    None (unknown) → the latest modelled runtime."""
    if version is None:
        return f"go1.{LATEST_GO}"
    m = _GO_RE.match(version.strip().lower())
    if not m:
        raise ValueError(f"not a Go version: {version!r} (expected e.g. 1.22, go1.22 or go1.22.3)")
    return f"go1.{int(m.group(1))}"


def normalize_runtime(r: str) -> str:
    """Validate a runtime name and return its canonical form
    (go1.NN, cpython3.NN, cpython3.NNt)."""
    s = (r or "").strip().lower()
    m = _GO_RE.match(s)
    if m and (s.startswith("go") or s.startswith("1.")):
        minor = int(m.group(1))
        if minor < 6:
            raise ValueError(f"{r}: Go maps detect concurrent misuse only since go1.6; "
                             "maplint simulates go1.6 and later")
        return f"go1.{minor}"
    m = _PY_RE.match(s)
    if m:
        minor, ft = int(m.group(1)), m.group(2)
        if minor < 6:
            raise ValueError(f"{r}: maplint simulates the compact dict of CPython 3.6 and later")
        if ft and minor < 13:
            raise ValueError(f"{r}: free-threaded builds exist from CPython 3.13 (cpython3.13t)")
        return f"cpython3.{minor}{ft}"
    raise ValueError(
        f"unknown runtime {r!r}: use go1.NN (e.g. go1.23 for the classic hmap, go1.24 or later for Swiss "
        "tables) or cpython3.NN / cpython3.NNt (e.g. cpython3.9, cpython3.11, cpython3.13t)")


def _family(rt: str) -> tuple:
    """The model a canonical runtime runs on: ("classic",), ("swiss", features) or ("py", mode)."""
    if rt.startswith("go"):
        minor = int(rt.split(".")[1])
        if minor <= 23:
            return ("classic",)
        return ("swiss", SwissFeatures.for_minor(min(minor, LATEST_GO)))
    minor = int(rt[len("cpython3."):].rstrip("t"))
    if rt.endswith("t"):
        return ("py", "free")
    return ("py", "any" if minor <= 9 else "calls")


def growth_sizes(runtime: str, limit: int = 1000) -> list[int]:
    """Map sizes (entries present) at which one more insert grows the map."""
    fam = _family(normalize_runtime(runtime))
    if fam[0] == "classic":
        out, b = [], 0
        for n in range(limit):
            if over_load_factor(n + 1, b):
                out.append(n)
                b += 1
        return out
    if fam[0] == "swiss":
        out, cap = [8], 16
        while cap <= 1024 and cap * 7 // 8 < limit:
            out.append(cap * 7 // 8)
            cap *= 2
        return out
    return []


def _classic_regime(n: int, inserts: int) -> tuple[str, int]:
    """('grow', offset) if insert number offset+1 of this pair grows the map,
    ('growing', 0) if a grow is still being evacuated, else ('quiet', 0)."""
    b = 0
    while over_load_factor(n, b):
        b += 1
    for extra in range(1, inserts + 1):
        if over_load_factor(n + extra, b):
            return "grow", extra - 1
    if b > 1:
        # The grow to B was triggered by element c0; each later write
        # evacuates at most 2 of the 2^(B-1) old buckets (growWork).
        c0 = next(c for c in range(1, n + 1) if over_load_factor(c, b - 1))
        if (n - c0 + 1) * 2 < (1 << (b - 1)):
            return "growing", 0
    return "quiet", 0


def model_size(runtime: str, op_a: str, op_b: str, size: int | None) -> int:
    """The size actually modelled: `size` itself up to 16 entries, else the
    smallest size with the same behaviour class (see docs/simulation.md):
    classic: 13 − k when the (k+1)-th insert of the pair grows the map
    (B 1→2), 27 while a grow is being evacuated, else 20; Swiss: 14 − k
    (table 16→32), 896 − k (a 1024-slot table splits), else 20."""
    if size is None:
        return DEFAULT_SIZE
    if size < 0:
        raise ValueError("size must be >= 0")
    if size <= EXACT_SIZE_LIMIT:
        return size
    fam = _family(normalize_runtime(runtime))
    inserts = sum(o in ("insert", "incr", "get-set", "check-insert") for o in (op_a, op_b))
    if fam[0] == "classic":
        regime, k = _classic_regime(size, inserts)
        return {"grow": 13 - k, "growing": 27, "quiet": 20}[regime]
    if fam[0] == "swiss":
        iterates = "range" in (op_a, op_b) or ("clone" in (op_a, op_b) and not fam[1].direct_clone)
        for t in growth_sizes(runtime, max(size, 1000)):
            if size <= t < size + inserts:
                k = t - size
                # A split needs 896 entries; iterating over them is too long
                # to interleave exhaustively, so iteration pairs get a grow.
                return (896 if t == 896 and not iterates else 14) - k
        return 20
    return 10


def simulate(runtime: str, op_a: str, op_b: str, *, key_kind: str = "generic", size: int | None = None,
             bound: int | None = None, budget: int | None = None, seconds: float | None = None) -> SimResult:
    """Simulate `op_a` ‖ `op_b` on `runtime` (cached). At most `budget`
    distinct states per exploration and `seconds` in all (default
    DEFAULT_SECONDS; 0: no limit): past either, the result is partial and its
    `budget_hit` is set (the summary line says so)."""
    rt = normalize_runtime(runtime)
    fam = _family(rt)
    ops = (op_a.strip().lower(), op_b.strip().lower())
    if fam[0] == "py":
        for o in ops:
            if o not in PY_OPS:
                raise ValueError(f"unknown CPython operation {o!r}; choose from {', '.join(PY_OPS)}")
        kk = key_kind if key_kind in PY_KEY_KINDS else ("builtin" if key_kind in GO_KEY_KINDS else None)
        if kk is None:
            raise ValueError(f"unknown key kind {key_kind!r} for CPython; choose from {', '.join(PY_KEY_KINDS)}")
    else:
        for o in ops:
            if o not in GO_OPS:
                raise ValueError(f"unknown Go map operation {o!r}; choose from {', '.join(GO_OPS)}")
        if key_kind not in GO_KEY_KINDS:
            raise ValueError(f"unknown key kind {key_kind!r} for Go; choose from {', '.join(GO_KEY_KINDS)}")
        kk = key_kind
    msize = model_size(rt, *ops, size)
    core = _explore_cached(fam, ops, kk, msize, DEFAULT_BOUND if bound is None else bound,
                           DEFAULT_BUDGET if budget is None else budget,
                           DEFAULT_SECONDS if seconds is None else seconds)
    notes = list(core["notes"])
    if fam[0] == "classic" and int(rt.split(".")[1]) != 23:
        notes.insert(0, f"{rt} is simulated with the go1.23.9 hmap source")
        if int(rt.split(".")[1]) < 21 and ({"clear", "clone"} & set(ops)):
            notes.append("clear(m) and maps.Clone need go1.21 or later")
    if fam[0] == "swiss" and int(rt.split(".")[1]) > LATEST_GO:
        notes.insert(0, f"{rt} is simulated with the go1.{LATEST_GO}.3 source")
    if size is not None and msize != size:
        notes.append(f"a map of {size} entries is modelled by one of {msize} in the same size class")
        if fam[0] == "swiss" and msize < 20 and size > 448:
            notes.append("a directory split (a 1024-slot table growing) is modelled only for pairs without "
                         "iteration; this one is modelled with a table grow")
    return SimResult(rt, ops, kk, size, core["explored"], core["budget_hit"], core["outcomes"],
                     states=core["states"], preemption_bound=core["bound"], model_size=msize, notes=tuple(notes))


def _machine(fam: tuple, ops: tuple[str, str], kk: str, msize: int):
    if fam[0] == "classic":
        return ClassicMachine(ops, msize, kk)
    if fam[0] == "swiss":
        return SwissMachine(ops, msize, kk, fam[1].minor)
    mode = fam[1]
    return PyMachine(ops, msize, kk, PyVersion(mode, mode))


@lru_cache(maxsize=512)
def _explore_cached(fam: tuple, ops: tuple[str, str], kk: str, msize: int, bound: int, budget: int,
                    seconds: float = DEFAULT_SECONDS) -> dict:
    notes: list[str] = []
    deadline = time.monotonic() + seconds if seconds and seconds > 0 else None
    enabled = gc.isenabled()
    gc.disable()  # the search allocates millions of short-lived tuples; cyclic GC only slows it down
    try:
        machine = _machine(fam, ops, kk, msize)
        ex = explore(machine, bound, budget, deadline)
        hit = ex.budget_hit
        while ex.budget_hit and not ex.time_hit and bound > 1:
            bound -= 1
            notes.append(f"state budget ({budget:,}) hit: preemption bound lowered to {bound}")
            ex = explore(_machine(fam, ops, kk, msize), bound, budget, deadline)
        if ex.time_hit:
            notes.append(f"time budget ({seconds:g} s) hit: the search stopped early; shares are over the "
                         "schedules explored")
    finally:
        if enabled:
            gc.enable()
    total = ex.explored or 1
    groups: dict[tuple[str, str], list[Site]] = {}
    for (kind, msg, site), count in ex.counts.items():
        groups.setdefault((kind, msg), []).append(Site(site, count, ex.witnesses[(kind, msg, site)]))
    outs = []
    for (kind, msg), sites in groups.items():
        sites.sort(key=lambda s: (-s.count, s.label))
        count = sum(s.count for s in sites)
        shortest = min(sites, key=lambda s: (len(s.witness), -s.count, s.label)).witness
        outs.append(Outcome(kind, msg, count / total, count, shortest, tuple(sites)))
    outs.sort(key=lambda o: (o.kind == "ok", -o.count, o.kind, o.message))
    return {"explored": ex.explored, "states": ex.states, "budget_hit": hit or ex.budget_hit,
            "outcomes": tuple(outs), "bound": bound, "notes": tuple(notes)}
