"""The part of a Go map model that does not depend on the map layout: step
dispatch, crash translation, the crash-path lookahead, the final audit.

A model subclasses `GoMachine` and provides
* `p_<pc>(sh, g)` step methods (one atomic runtime step each),
* `start(op, spec) -> dict` (the initial locals of an operation),
* `observe(world) -> Observed` (a sequential audit of the final state),
* `view(world, i)`.
"""
from __future__ import annotations

from maplint.sim.go_common import (
    MSG_FAULT,
    MSG_NILDEREF,
    Observed,
    OpSpec,
    Scenario,
    classify,
)
from maplint.sim.scheduler import Crash, Verdict, World


class Fault(Exception):
    """A load from memory that is not part of the object (past an array's
    end, a damaged pointer): the runtime's `throw("fault")`."""


class NilDeref(Exception):
    """A load through a nil pointer inside runtime code on the user
    goroutine: `sigpanic` -> `panicmem`, a recoverable run-time panic."""


class GoMachine:
    runtime = "go"
    # go1.24+ `fatal` takes printlock before printing (issue 69447); a panic
    # takes paniclk first and printlock second: the two can deadlock (S-10).
    print_lock = False

    def __init__(self, scenario: Scenario, sh, threads: list[dict]):
        self.sc = scenario
        self.n = len(threads)
        self._sh0 = sh
        self._th0 = threads

    # ------------------------------------------------------------ protocol
    def initial(self) -> World:
        return World(self._sh0.copy(), [dict(t) for t in self._th0])

    def done(self, w: World, i: int) -> bool:
        return w.th[i]["pc"] == "done"

    def sticky(self, w: World, i: int) -> bool:
        return False

    def step(self, w: World, i: int):
        g = w.th[i]
        pc = g["pc"]
        try:
            return getattr(self, "p_" + pc)(w.sh, g)
        except Fault as e:
            return Crash("fatal", MSG_FAULT, f"{g.get('fn', 'runtime')}: load from a bad address",
                         f"{e} → unexpected fault address; fatal error: fault")
        except NilDeref as e:
            return Crash("panic", MSG_NILDEREF, f"{g.get('fn', 'runtime')}: load through nil",
                         f"{e} → sigpanic → panicmem")

    def crashed(self, before: World, after: World, i: int, crash: Crash) -> Crash:
        """Look one step ahead at the other actors: if one of them is running
        a step that crashes too, both crash at once.

        go ≤1.23 prints both messages (`fatal` takes no lock). go1.24+ prints
        one; but a fatal racing a *panic* can deadlock on printlock/paniclk
        (fatal: printlock → startpanic_m lock(&paniclk); fatalpanic:
        startpanic_m lock(&paniclk) → printpanics → printlock) — the observed
        crash-path hang (runtime notes S-10).
        """
        for j in range(self.n):
            if j == i or self.done(before, j):
                continue
            w2 = before.copy()
            other = self.step(w2, j)
            if not isinstance(other, Crash):
                continue
            kinds = {crash.kind, other.kind}
            if self.print_lock and kinds == {"fatal", "panic"}:
                first = crash if crash.kind == "fatal" else other
                return Crash("hang", f"after fatal error: {first.message} (printlock/paniclk deadlock)",
                             crash.label,
                             crash.detail + f"; goroutine {j + 1} crashes at the same time ({other.kind}: "
                             f"{other.message}): fatal holds printlock and waits for paniclk, the panic holds "
                             "paniclk and waits for printlock")
            if not self.print_lock and crash.kind == "fatal" and other.kind == "fatal":
                return Crash(crash.kind, crash.message, crash.label,
                             crash.detail + f"; goroutine {j + 1} fails its check too: both print "
                             "'fatal error: …' (no print lock before go1.24)")
        return crash

    def finish(self, w: World) -> Verdict:
        try:
            ob = self.observe(w)
        except Fault as e:
            return Verdict("fatal", MSG_FAULT, [("after both return: next use of the map", f"{e} → fatal error: fault")])
        except NilDeref as e:
            return Verdict("panic", MSG_NILDEREF, [("after both return: next use of the map", str(e))])
        name, damages = classify(self.sc, ob)
        rows = [("after both return: audit", self._audit_summary(ob))]
        if name == "ok":
            return Verdict("ok", "", rows)
        for _, detail in damages[:3]:
            rows.append((f"damage: {name}" if detail == damages[0][1] else "also", detail))
        return Verdict("corruption", name, rows)

    # ------------------------------------------------------------- helpers
    def _audit_summary(self, ob: Observed) -> str:
        keys = sorted({str(k) for k, _ in ob.range_items})
        return f"len(m) = {ob.length}; range yields {len(ob.range_items)} entries ({', '.join(keys) or 'none'})"

    def observe(self, w: World) -> Observed:  # pragma: no cover - abstract
        raise NotImplementedError

    def run_solo(self, sh, spec: OpSpec) -> dict:
        """Run one operation alone to completion (used to build the map the
        race starts from, and by tests)."""
        g = self.start(spec)
        for _ in range(100000):
            if g["pc"] == "done":
                return g
            r = getattr(self, "p_" + g["pc"])(sh, g)
            if isinstance(r, Crash):
                raise RuntimeError(f"solo {spec} crashed: {r}")
        raise RuntimeError("solo run did not terminate")

    def start(self, spec: OpSpec) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError
