"""What the rules see: the racing access pairs of one analysis unit.

Rules are pure functions of a `Model`. The model is language-neutral: accesses
carry their kind (read/write/iterate), the runtime operation, the locks held
and the context (goroutine or thread) that performs them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from maplint import ir
from maplint.concurrency import Context, IAccess
from maplint.finding import Related, Simulation, Span


@dataclass
class Model:
    lang: str
    runtime: str  # go1.23, go1.27, cpython3.11...
    races: list[tuple[IAccess, IAccess]]  # concurrent, a write involved, no common lock
    guarded: list[tuple[IAccess, IAccess]]  # concurrent, a write involved, a common lock
    contexts: list[Context]
    decls: dict[str, Span] = field(default_factory=dict)
    report_paths: frozenset[str] | None = None  # None: every file of the unit
    lock_names: dict[str, str] = field(default_factory=dict)
    unshared_locks: dict[tuple, tuple[str, str]] = field(default_factory=dict)  # Engine.unshared_locks

    def unshared(self, s: IAccess, p: IAccess) -> str:
        """Why the lock both sides take is no common lock, if they take one:
        ` (`mu` is a different mutex in each goroutine)`, or ""."""
        why = self.unshared_locks.get((s.span, s.ctx, p.span, p.ctx))
        if why is None:
            return ""
        name, kind = why
        if kind == "copy":
            return f" (`{name}` is copied with the receiver: each call locks its own)"
        each = ("thread" if self.lang == "python" else "goroutine") if kind == "instance" else "key"
        return f" (`{name}` is a different mutex for each {each})"

    def locks(self, acc: IAccess) -> str:
        """The locks an access holds, as written in the source."""
        return ", ".join(sorted(self.lock_names.get(k, k) for k, _ in acc.held))

    def pair(self, s: IAccess, p: IAccess, verb_s: str, verb_p: str) -> str:
        """`written by X and read by Y at f.go:12` (or one X doing both)."""
        who_s, who_p = self.who(s), self.who(p)
        if s.ctx == p.ctx or who_s == who_p:
            several = ", several at once" if self.contexts[s.ctx].many else ""
            return f"{verb_s} and {verb_p} (at {p.span.short()}) by {who_s}{several}"
        return f"{verb_s} by {who_s} and {verb_p} by {who_p} at {p.span.short()}"

    def reportable(self, span: Span) -> bool:
        return self.report_paths is None or span.path in self.report_paths

    # ---- descriptions used in messages ---------------------------------
    def who(self, acc: IAccess) -> str:
        c = self.contexts[acc.ctx]
        where = c.spawn.short() if c.spawn is not None else ""
        several = c.many
        if c.kind in ("go", "errgroup", "wggo", "thread", "executor"):
            what = {"errgroup": f"{c.label}", "wggo": f"{c.label}"}.get(c.kind, "")
            base = "goroutines started" if several else "the goroutine started"
            if self.lang == "python":
                base = "threads started" if several else "the thread started"
            return f"{base} at {where}" + (f" ({what})" if what else "")
        if c.kind == "handler":
            if c.parent is None:
                return f"{c.label} (each request runs in its own goroutine)"
            return f"HTTP handlers registered at {where}"
        if c.kind == "afterfunc":
            return f"the {c.label} callback at {where}"
        if c.kind == "subtest":
            return f"parallel subtests started at {where}"
        if c.kind == "external":
            return c.label
        if c.kind == "test":
            return f"test {c.label}"
        if c.kind == "api":
            return f"the caller of {c.label}"
        return c.label

    def simulation(self, acc: IAccess, other: IAccess) -> Simulation:
        return Simulation(self.runtime, acc.op, other.op, acc.key_kind, acc.size)

    def related(self, acc: IAccess, other: IAccess, role: str) -> tuple[Related, ...]:
        """The other access, the spawn sites, and where the map is declared."""
        out = [Related(other.span, role, "other")]
        spawns: dict[Span, Related] = {}
        for i, a in enumerate((acc, other), 1):
            c = self.contexts[a.ctx]
            if c.spawn is not None and c.kind not in ("main", "test", "init", "external", "api"):
                prev = spawns.get(c.spawn)
                spawns[c.spawn] = Related(c.spawn, self.who(a), "spawn:both" if prev is not None else f"spawn:{i}")
        out.extend(spawns.values())
        decl = self.declaration(acc)
        if decl is not None and decl != acc.span:
            out.append(Related(decl, f"`{acc.name}` is declared here", "declaration"))
        return tuple(out)

    def declaration(self, acc: IAccess) -> Span | None:
        loc = acc.loc
        if loc.fieldkey and not loc.fieldkey.endswith("]"):
            return self.decls.get(loc.fieldkey)
        if loc.path:
            return None
        if loc.kind == "global":
            return self.decls.get(f"g:{loc.root}")
        if loc.kind == "local":
            return self.decls.get(loc.root.split("@", 1)[0])
        return None


@dataclass(frozen=True)
class Site:
    """One access that takes part in at least one race, with its partners."""

    acc: IAccess
    partners: tuple[IAccess, ...]  # racing partners that make this site reportable
    code: str


def _only_shared(acc: IAccess) -> bool:
    return bool(acc.held) and all(shared for _, shared in acc.held)


def sites(model: Model) -> list[Site]:
    """Classify every reportable access site (see docs/rules.md):

    - a write that holds only read locks: ML104;
    - a site whose every racing partner holds some lock, while it holds a
      different one: ML105;
    - otherwise by what meets what: write+write ML101, iteration ML103,
      read ML102.
    The side of a race that holds a lock is not reported when the other side
    holds none: the fix belongs to the unguarded access.
    """
    partners: dict[tuple, list[tuple[IAccess, IAccess]]] = defaultdict(list)
    rlock_writes: dict[tuple, IAccess] = {}
    for a, b in model.races + model.guarded:
        for s, p in ((a, b), (b, a)):
            if s.kind == ir.WRITE and _only_shared(s) and model.reportable(s.span):
                rlock_writes.setdefault(_key(s), s)
    for a, b in model.races:
        for s, p in ((a, b), (b, a)):
            if bool(s.held) and not p.held:
                continue  # the partner is the unguarded one
            if _key(p) in rlock_writes and _key(s) not in rlock_writes and {k for k, _ in s.held} & {k for k, _ in p.held}:
                continue  # the write under the read lock is the bug, not this reader
            partners[_key(s)].append((s, p))
    out: list[Site] = []
    for key, acc in rlock_writes.items():
        out.append(Site(acc, tuple(p for _, p in partners.get(key, [])), "ML104"))
    for key, pairs in partners.items():
        if key in rlock_writes:
            continue
        first = pairs[0][0]
        if not model.reportable(first.span):
            continue
        # The code is the site's: every race of this line, whatever the path
        # or goroutine that runs it (twin accesses). The message then shows
        # one real pair of that class: an access and partners of its own.
        unlocked = [(a, p) for a, p in pairs if not (a.held and p.held)]
        if not unlocked:
            code, chosen = "ML105", pairs
        elif first.kind == ir.WRITE:
            writes = [(a, p) for a, p in unlocked if p.kind == ir.WRITE]
            iters = [(a, p) for a, p in unlocked if p.kind == ir.ITERATE]
            code, chosen = ("ML101", writes) if writes else (("ML103", iters) if iters else ("ML102", unlocked))
        elif first.kind == ir.ITERATE:
            code, chosen = "ML103", unlocked
        else:
            code, chosen = "ML102", unlocked
        chosen = sorted(chosen, key=lambda ap: (ap[1].span, ap[1].ctx, ap[0].ctx))
        s = first if any(a is first for a, _ in chosen) else chosen[0][0]
        out.append(Site(s, tuple(p for a, p in chosen if a is s), code))
    out.sort(key=lambda x: (x.acc.span, x.code))
    return out


def _key(acc: IAccess) -> tuple:
    return (acc.span.path, acc.span.line, acc.span.col, acc.kind)
