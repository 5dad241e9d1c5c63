"""Exhaustive, bounded exploration of the interleavings of a few operations.

A *machine* (one per runtime model) owns a mutable `World`: the shared map
state plus one dict of locals per actor (its program counter ``pc`` and the
values it has already loaded: almost every corruption is "acts on a stale
load", so stale loads must be part of the state). `machine.step(world, i)`
runs actor i's next atomic step in place.

The explorer does a depth-first search over schedules with

* **a preemption bound** (context bounding, as in CHESS): switching away from an
  actor that could still run costs one preemption; switching after it
  finished is free. Real GOMAXPROCS=2 runs can interleave anywhere; the bound
  only keeps the search finite, and small bounds already reach every outcome
  class of the runtime notes (see docs/simulation.md).
* **state deduplication**: a node is (world snapshot, last actor, preemptions
  used); a node reached twice is explored once and its statistics reused.
* **path counting**: the statistics of a node are, per outcome class, the
  number of schedules (paths) from it and the length of the shortest one.
  So the share of an outcome is exact over all schedules within the bound,
  although each state is visited once.
* **step reuse**: a step of actor i reads and writes only the shared state
  and i's own locals, so its result is computed once per (shared state,
  locals of i) and reused in every state that differs only in the other
  actors' locals (about 70 % of the steps of a typical search).
* **a budget** on distinct nodes: past it no new node is expanded (those
  schedules are not counted) and the result says ``budget_hit``.

Everything is deterministic: actors are tried in index order, ties between
equally short witnesses go to the lower actor index.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from maplint.sim.model import Step

HANG_LOOP = ("hang", "in an endless loop", "endless loop")  # (kind, message, site)


@dataclass(frozen=True)
class Crash:
    """Returned by a step that ends the process (or, for Python, the thread)."""

    kind: str  # fatal | panic | hang
    message: str
    label: str
    detail: str


@dataclass
class Verdict:
    """What the machine says about a finished (or crashed) world."""

    kind: str
    message: str
    rows: list[tuple[str, str]] = field(default_factory=list)  # audit rows (label, detail), actor 0


class Interner:
    """Small integer tokens for big immutable heap objects (bucket arrays,
    tables), so a state key hashes a token instead of a 1024-slot table.
    Objects are shared between state copies, so identity is checked first;
    the object is kept alive so its id() is never reused."""

    __slots__ = ("by_id", "by_val")

    def __init__(self) -> None:
        self.by_id: dict[int, tuple[Any, int]] = {}
        self.by_val: dict[Any, int] = {}

    def __call__(self, obj: Any) -> int:
        e = self.by_id.get(id(obj))
        if e is not None and e[0] is obj:
            return e[1]
        tok = self.by_val.setdefault(obj, len(self.by_val))
        self.by_id[id(obj)] = (obj, tok)
        return tok


class World:
    """Shared state + per-actor locals. `sh` must provide copy() and key().

    A step of actor i changes only the shared state and actor i's locals, so
    `child(i)` copies those and shares the other actors' dicts (and the keys
    already computed for them) with its parent: most of a state key is the
    locals, and the search makes one child per actor per state."""

    __slots__ = ("sh", "th", "tk", "shk")

    def __init__(self, sh: Any, th: list[dict]):
        self.sh = sh
        self.th = th
        self.tk: list = [None] * len(th)  # per actor: frozenset of its locals, once computed
        self.shk = None  # the shared state's key as a small integer, once computed by key()

    def copy(self) -> "World":
        w = World.__new__(World)
        w.sh = self.sh.copy()
        w.th = [dict(t) for t in self.th]
        w.tk = [None] * len(self.th)
        w.shk = None
        return w

    def child(self, i: int) -> "World":
        """A copy in which only actor i (and the shared state) may change."""
        w = World.__new__(World)
        w.sh = self.sh.copy()
        th = w.th = self.th.copy()
        th[i] = dict(th[i])
        tk = w.tk = self.tk.copy()
        tk[i] = None
        w.shk = None
        return w

    def moved(self, i: int, sh: Any, shk: int, locals_: dict, locals_key: frozenset) -> "World":
        """The world after a step of actor i already taken from another world
        with the same shared state and the same locals of i (`sh` and
        `locals_` are that step's results, shared, never changed: every
        later step works on a child())."""
        w = World.__new__(World)
        w.sh = sh
        w.shk = shk
        th = w.th = self.th.copy()
        th[i] = locals_
        tk = w.tk = self.tk.copy()
        tk[i] = locals_key
        return w

    def key(self, ids: dict) -> tuple:
        """(shared state id, locals of each actor). `ids` numbers the shared
        states' keys (big nested tuples, which do not cache their hash): each
        is hashed once, when first computed."""
        # frozenset: canonical whatever order the locals were assigned in.
        tk = self.tk
        for i, k in enumerate(tk):
            if k is None:
                tk[i] = frozenset(self.th[i].items())
        if self.shk is None:
            self.shk = ids.setdefault(self.sh.key(), len(ids))
        return (self.shk, tuple(tk))


class Machine(Protocol):
    """What a runtime model provides to the explorer."""

    n: int  # number of actors

    def initial(self) -> World: ...

    def step(self, w: World, i: int) -> tuple[str, str] | Crash: ...

    def done(self, w: World, i: int) -> bool: ...

    def sticky(self, w: World, i: int) -> bool:
        """True if actor i may not be switched away from now (e.g. the GIL
        has no switch point between two bytecodes)."""
        ...

    def finish(self, w: World) -> Verdict:
        """Audit a world where every actor returned."""
        ...

    def crashed(self, before: World, after: World, i: int, crash: Crash) -> Crash:
        """Chance to refine a crash (e.g. a simultaneous second crash)."""
        ...

    def view(self, w: World, i: int) -> tuple[tuple[str, str], ...]: ...


@dataclass
class Explored:
    """Per terminal (kind, message, site): schedule count and shortest witness.
    The site is the label of the step where it happens (which check fired)."""

    counts: dict[tuple[str, str, str], int]
    witnesses: dict[tuple[str, str, str], tuple[Step, ...]]
    explored: int
    states: int
    budget_hit: bool
    time_hit: bool = False  # the state budget or the deadline: the search stopped early


class _Node:
    __slots__ = ("counts", "best", "edges")

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], int] = {}
        # cls -> (length, edge index)
        self.best: dict[tuple[str, str], tuple[int, int]] = {}
        # edges: (actor, child key or None, terminal cls or None)
        self.edges: list[tuple[int, Any, Any]] = []


def explore(machine: Machine, bound: int, budget: int, deadline: float | None = None,
            reuse_moves: bool = True) -> Explored:
    """deadline: a time.monotonic() value past which no new state is expanded
    (like the state budget: the result is partial and says so). reuse_moves:
    take a step once per (shared state, actor's locals); False is the plain
    search, which tests compare it with."""
    root_w = machine.initial()
    # A world's key is a big nested tuple (tuples do not cache their hash):
    # it is hashed once, here, and the search uses its small-integer id.
    state_ids: dict[tuple, int] = {}
    moves: dict[tuple, tuple] = {}  # (shared key, locals key, actor) -> the step's result
    shared_ids: dict[tuple, int] = {}
    root_key = (state_ids.setdefault(root_w.key(shared_ids), 0), -1, 0)
    memo: dict[Any, _Node] = {}
    verdicts: dict[Any, Verdict] = {}
    budget_hit = False
    time_hit = False
    steps = 0

    # Iterative DFS. Frame: [key, world, last, pre, successors, index, node]
    on_stack: set = set()

    def successors(w: World, wkey: Any, last: int, pre: int) -> list[tuple[int, World | None, Any, Any]]:
        """(actor, child world, child key, terminal cls) for each allowed move."""
        out = []
        n = machine.n
        done = [machine.done(w, j) for j in range(n)]  # a step of i changes only whether i is done
        last_runnable = last >= 0 and not done[last]
        if last_runnable and machine.sticky(w, last):
            actors = [last]
        else:
            actors = [i for i in range(n) if not done[i]]
        for i in actors:
            cost = 1 if (last_runnable and i != last) else 0
            if pre + cost > bound:
                continue
            # A step of actor i depends only on the shared state and i's
            # locals (the key holds all of both): taken once per such pair,
            # then reused whatever the other actors are doing.
            move = (w.shk, w.tk[i], i)
            known = moves.get(move) if reuse_moves else None
            if known is not None:
                w2 = w.moved(i, *known)
            else:
                w2 = w.child(i)
                r = machine.step(w2, i)
                if isinstance(r, Crash):
                    r = machine.crashed(w, w2, i, r)
                    out.append((i, None, None, (r.kind, r.message, r.label)))
                    continue
                w2.key(shared_ids)
                moves[move] = (w2.sh, w2.shk, w2.th[i], w2.tk[i])
            k2 = state_ids.setdefault(w2.key(shared_ids), len(state_ids))
            if machine.done(w2, i) and all(done[j] for j in range(n) if j != i):
                v = verdicts.get(k2)
                if v is None:
                    v = verdicts[k2] = machine.finish(w2)
                out.append((i, None, None, (v.kind, v.message, "after both return")))
                continue
            if k2 == wkey:
                # The step changed nothing (a spin loop waiting for another
                # actor). Fair scheduling lets the others run; only when no
                # one else can run is it an endless loop.
                if any(j != i and not done[j] for j in range(n)):
                    continue
                out.append((i, None, None, HANG_LOOP))
                continue
            out.append((i, w2, (k2, i, pre + cost), None))
        return out

    stack: list[list] = [[root_key, root_w, -1, 0, None, 0, _Node()]]
    on_stack.add(root_key)
    while stack:
        fr = stack[-1]
        key, w, last, pre, succ, idx, node = fr
        if succ is None:
            succ = fr[4] = successors(w, key[0], last, pre)
        if idx < len(succ):
            fr[5] = idx + 1
            actor, cw, ckey, term = succ[idx]
            if term is not None:
                node.edges.append((actor, None, term))
                continue
            if ckey in on_stack:
                # The same state again on this path: this actor can spin
                # forever (e.g. a probe loop over a table with no empty slot).
                node.edges.append((actor, None, HANG_LOOP))
                continue
            if ckey in memo:
                node.edges.append((actor, ckey, None))
                continue
            steps += 1
            if deadline is not None and not time_hit and steps & 1023 == 0 and time.monotonic() > deadline:
                time_hit = True
            if time_hit or len(memo) + len(stack) >= budget:
                budget_hit = True
                continue
            node.edges.append((actor, ckey, None))
            on_stack.add(ckey)
            stack.append([ckey, cw, ckey[1], ckey[2], None, 0, _Node()])
            continue
        # Post-order: aggregate children.
        _aggregate(node, memo)
        fr[1] = None  # drop the world, keep memory flat
        memo[key] = node
        on_stack.discard(key)
        stack.pop()

    root = memo[root_key]
    witnesses = {cls: _witness(machine, root_w, memo, root_key, cls) for cls in root.counts}
    return Explored(
        counts=dict(root.counts),
        witnesses=witnesses,
        explored=sum(root.counts.values()),
        states=len(memo),
        budget_hit=budget_hit,
        time_hit=time_hit,
    )


def _aggregate(node: _Node, memo: dict[Any, _Node]) -> None:
    counts = node.counts
    best = node.best
    for ei, (actor, ckey, term) in enumerate(node.edges):
        if term is not None:
            counts[term] = counts.get(term, 0) + 1
            b = best.get(term)
            if b is None or 1 < b[0]:
                best[term] = (1, ei)
            continue
        child = memo[ckey]
        for cls, c in child.counts.items():
            counts[cls] = counts.get(cls, 0) + c
            ln = child.best[cls][0] + 1
            b = best.get(cls)
            if b is None or ln < b[0]:
                best[cls] = (ln, ei)
    # Edges are only needed to rebuild witnesses; keep them.


def _witness(machine: Machine, root_w: World, memo: dict, root_key: Any, cls: tuple[str, str]) -> tuple[Step, ...]:
    """Replay the shortest schedule reaching `cls`, recording each step."""
    steps: list[Step] = []
    w = root_w.copy()
    key = root_key
    while True:
        node = memo[key]
        _, ei = node.best[cls]
        actor, ckey, term = node.edges[ei]
        before = w.copy()
        r = machine.step(w, actor)
        if isinstance(r, Crash):
            r = machine.crashed(before, w, actor, r)
            steps.append(Step(actor + 1, r.label, r.detail, machine.view(w, actor), True))
            return tuple(steps)
        label, detail = r
        if term is not None:
            if term == HANG_LOOP:
                steps.append(Step(actor + 1, label, detail + " (the same state as before: loops forever)",
                                  machine.view(w, actor), True))
                return tuple(steps)
            steps.append(Step(actor + 1, label, detail, machine.view(w, actor), False))
            v = machine.finish(w)
            for j, (lab, det) in enumerate(v.rows):
                steps.append(Step(0, lab, det, machine.view(w, -1), j == len(v.rows) - 1 and v.kind != "ok"))
            return tuple(steps)
        steps.append(Step(actor + 1, label, detail, machine.view(w, actor), False))
        key = ckey

