"""Which racing pairs are Python bugs, and where CPython fails on them.

A single dict operation is atomic in CPython (the GIL, or the per-object lock
on free-threaded builds), so two plain inserts racing is *not* a bug. What
fails is a compound operation — read-modify-write, check-then-act — and
Python-level iteration while another thread changes the dict's size
(shared/design/python-dict-semantics.md). The Python rules (ML201-ML203) are
views of `sites(model)`.
"""
from __future__ import annotations

from dataclasses import dataclass

from maplint import ir
from maplint.concurrency import IAccess
from maplint.finding import Related, Simulation, Span
from maplint.model import Model

RMW = {"rmw", "get-set"}
CHECK_INSERT = {"check-insert"}
CHECK_GONE = {"check-delete", "check-lookup", "check-move"}
INSERTS = {"insert", "rmw", "get-set", "check-insert"}
DELETES = {"delete", "check-delete"}
SIZE_CHANGING = {"insert", "delete", "get-set", "check-insert", "check-delete"}
REORDERING = {"move", "check-move"}

ML201, ML202, ML203 = "ML201", "ML202", "ML203"


def base(op: str) -> str:
    return op.split("+", 1)[0]


def quals(op: str) -> set[str]:
    return set(op.split("+")[1:])


def changes_size(op: str) -> bool:
    b = base(op)
    return b in SIZE_CHANGING or (b == "rmw" and "missing" in quals(op))


@dataclass(frozen=True)
class Site:
    acc: IAccess  # where the finding is reported
    other: IAccess  # the racing partner
    code: str
    compound: IAccess  # the compound operation or iteration the race breaks


def _category(s: IAccess, p: IAccess) -> str | None:
    """The rule for compound/iterating access s racing with access p."""
    b = base(s.op)
    if b in RMW and p.kind == ir.WRITE:
        return ML201
    if b in CHECK_INSERT and base(p.op) in INSERTS:
        return ML202
    if b in CHECK_GONE and base(p.op) in DELETES:
        return ML202
    if s.kind == ir.ITERATE and (changes_size(p.op) or base(p.op) in REORDERING):
        return ML203
    return None


def sites(model: Model) -> list[Site]:
    out: dict[tuple, Site] = {}
    for a, b in model.races:
        for s, p in ((a, b), (b, a)):
            code = _category(s, p)
            if code is None:
                continue
            where = s
            if s.held and not p.held:
                if _category(p, s) is not None:
                    continue  # the unguarded compound side is reported on its own
                where = p  # the compound side is guarded: the unguarded plain write is the bug
            if not model.reportable(where.span):
                continue
            other = p if where is s else s
            key = (where.span.path, where.span.line, where.span.col, code)
            prev = out.get(key)
            if prev is None or _rank(model, where, other) < _rank(model, prev.acc, prev.other):
                out[key] = Site(where, other, code, s)
    return sorted(out.values(), key=lambda x: (x.acc.span, x.code))


def _rank(model: Model, acc: IAccess, other: IAccess) -> tuple:
    """Prefer describing a race through the contexts that run the code
    directly: the thread or caller whose own function makes the access."""
    ca, co = model.contexts[acc.ctx], model.contexts[other.ctx]
    return (ca.func != acc.func, co.func != other.func, other.span, other.ctx)


# ---- descriptions ------------------------------------------------------------

def short_fid(fid: str) -> str:
    """`cache.Cache.get` → `Cache.get` (the module part is in the location)."""
    parts = fid.split(".")
    for i, p in enumerate(parts):
        if p[:1].isupper() or p.startswith("<"):
            return ".".join(parts[i:])
    return parts[-1]


def who(model: Model, acc: IAccess) -> str:
    c = model.contexts[acc.ctx]
    where = c.spawn.short() if c.spawn is not None else ""
    many = c.many
    if c.kind == "main":
        return "the main thread"
    if c.kind == "init":
        return "module import"
    if c.kind == "test":
        return f"test {c.label}"
    if c.kind in ("thread", "go"):
        lab = f" ({c.label})" if c.label and c.label not in ("thread", "go", "threading.Thread") else ""
        return (f"threads started at {where}" if many else f"the thread started at {where}") + lab
    if c.kind == "executor":
        return f"tasks submitted at {where}" if many else f"the task submitted at {where}"
    if c.kind == "handler":
        return f"request handlers ({c.label}) started at {where}"
    if c.kind == "external":
        return f"concurrent callers of {short_fid(c.func)}"
    if c.kind == "api":
        return f"the caller of {short_fid(c.func)}"
    return c.label


def by(model: Model, s: IAccess, p: IAccess) -> tuple[str, str]:
    ws, wp = who(model, s), who(model, p)
    if s.ctx == p.ctx or ws == wp:
        return ws, "another of them"
    return ws, wp


PLURAL = ("threads ", "tasks ", "concurrent callers", "request handlers")


def plural(who_: str) -> bool:
    return who_.startswith(PLURAL)


def verb(who_: str, singular: str) -> str:
    """`writes` → `write` after a plural subject."""
    if not plural(who_):
        return singular
    head, _, rest = singular.partition(" ")
    head = head[:-2] if head.endswith("es") and head[:-2].endswith(("sh", "ch", "x", "ss")) else head[:-1]
    return f"{head} {rest}".strip()


def partner(model: Model, s: IAccess, p: IAccess, verb_: str) -> str:
    """`while another of them writes it at f.py:12` / `while the main thread writes it`."""
    _, wp = by(model, s, p)
    at = "" if p.span == s.span else f" at {p.span.short()}"
    if wp == "another of them" and p.span == s.span:
        return "while another of them does the same"
    return f"while {wp} {verb(wp, verb_)} it{at}"


def locks(model: Model, acc: IAccess) -> str:
    """The locks an access holds, as the source names them (a module-level
    lock's key is `<module>.name`; a class attribute's `Class.name`)."""
    out = []
    for key, _ in acc.held:
        if key.startswith("<") and "." in key:
            out.append(key.split(".", 1)[1])
        else:
            out.append(model.lock_names.get(key, key))
    return ", ".join(sorted(out))


def locks_note(model: Model, s: IAccess, p: IAccess) -> str:
    if s.held and p.held:
        return f" (`{locks(model, s)}` here, `{locks(model, p)}` there: different locks do not exclude each other)"
    if p.held and not s.held:
        return f" (the other side holds `{locks(model, p)}`, this one no lock)"
    if s.held and not p.held:
        return f" (this side holds `{locks(model, s)}`, the other no lock)"
    return ", with no common lock" + model.unshared(s, p)


def fails_compound(op: str, key_kind: str, what: str) -> str:
    """Where a compound operation (read-modify-write, check-then-act) fails."""
    q = quals(op)
    between = "the check and the act" if base(op).startswith("check-") else "the read and the write"
    if "missing" in q:
        return (f"{what} on every CPython: a new key goes through the dict's `__missing__` "
                f"(Python code), where the GIL can switch threads")
    if "call" in q or base(op) == "get-set":
        return f"{what} on every CPython: a call between {between} lets another thread run"
    if key_kind == "pyhash":
        return (f"{what} on every CPython: the key's `__hash__`/`__eq__` is Python code, where the GIL can "
                f"switch threads")
    if "ft" in q:
        return (f"{what} on free-threaded CPython (3.13t and later); with the GIL only when the key's "
                f"`__hash__`/`__eq__` is Python code")
    return (f"{what} on free-threaded CPython and on CPython ≤ 3.9; with the GIL on 3.10 and later only when "
            f"the key's `__hash__`/`__eq__` is Python code")


def fails_iteration(op: str, other_op: str) -> str:
    # odictiter_nextkey tests od_state (changed by every insert, delete and
    # move) before the size: an OrderedDict always says "mutated".
    if base(other_op) in REORDERING or "odict" in quals(op):
        err = "RuntimeError: OrderedDict mutated during iteration"
    else:
        err = "RuntimeError: dictionary changed size during iteration"
    if "json" in quals(op):
        return f"raises `{err}` on CPython ≤ 3.12 (json's pure-Python encoder runs when `indent` is given)"
    return f"raises `{err}` on every CPython (each step of the loop is a point where the GIL can switch threads)"


SIM_OPS = {"insert": "insert", "lookup": "lookup", "delete": "delete", "rmw": "incr", "get-set": "get-set",
           "check-insert": "check-insert", "check-delete": "check-delete", "iterate": "iterate",
           "check-lookup": "check-delete", "copy": "lookup"}


def simulation(model: Model, s: IAccess, p: IAccess) -> Simulation | None:
    def sim_op(op: str) -> str | None:
        b = base(op)
        if b == "rmw" and quals(op) & {"call", "missing"}:
            return "get-set"
        if b.startswith("check-") and "call" in quals(op) and b in SIM_OPS:
            return SIM_OPS[b] + "-call"  # a call between the check and the act: a switch point
        return SIM_OPS.get(b)

    a, b = sim_op(s.op), sim_op(p.op)
    if a is None or b is None:
        return None
    if "iterate" in (a, b):
        # What breaks an iteration is the size change: simulate the other side
        # adding a new key (or removing one), not updating an existing one.
        size_change = {"get-set": "insert", "incr": "insert", "check-insert": "insert", "check-delete": "delete",
                       "check-insert-call": "insert", "check-delete-call": "delete"}
        a, b = size_change.get(a, a), size_change.get(b, b)
    return Simulation(model.runtime or "cpython3.11", a, b, "pyhash" if s.key_kind == "pyhash" else "builtin")


def related(model: Model, site: Site, role: str) -> tuple[Related, ...]:
    s, p = site.acc, site.other
    out = [Related(p.span, role)]
    check = model.decls.get(f"py:check:{site.compound.span.path}:{site.compound.span.line}:{site.compound.span.col}")
    if isinstance(check, Span):
        out.append(Related(check, "the check"))
    for a in (s, p):
        c = model.contexts[a.ctx]
        if c.spawn is not None and c.kind not in ("main", "test", "init", "external", "api"):
            r = Related(c.spawn, who(model, a))
            if r not in out:
                out.append(r)
    return tuple(out)


def check_span(model: Model, acc: IAccess) -> Span | None:
    v = model.decls.get(f"py:check:{acc.span.path}:{acc.span.line}:{acc.span.col}")
    return v if isinstance(v, Span) else None
