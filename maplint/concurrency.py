"""Which map accesses may run at the same time: contexts, happens-before, locks.

The engine instantiates function summaries (`maplint.ir`) into *contexts*:
the sequential roots (main, each test, init), every spawned goroutine or
thread (a `go` statement, errgroup, a handler, a parallel subtest...), and —
for a library package — the exported API that unknown callers may call
concurrently. Instantiation binds parameters to arguments and closures to the
frame that created them, so an access is known by its concrete *location*: a
global, a local of one frame (with the context that created it), or a field of
a type when the instance is unknown. Two accesses race when they may alias,
run in different contexts (or two instances of one), are not ordered by a
spawn, a join or a channel hand-off, and hold no common lock.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import count

from maplint import budget, ir
from maplint.finding import Span
from maplint.frozen import frozen

MAX_DEPTH = 24  # call depth inside one context
MAX_EVENTS = 60_000  # instantiated events in one package
SEQUENTIAL = ("main", "test", "api")
_CALL = ir.Call
_ACCESS = ir.Access
_STOREFUNC = ir.StoreFunc


@frozen
class Loc:
    """A concrete location: what an access path denotes in one context."""

    kind: str  # global | local | type | param | atomic | lock
    root: str
    path: tuple[str, ...] = ()
    fieldkey: str = ""
    creator: int = -1  # context that created a local root
    decl_loops: tuple = ()  # instantiated loops around the local's declaration
    escaped: bool = False
    received: bool = False  # reached through a channel receive
    per_message: bool = False  # each send hands over a different object
    via_field: bool = False  # reached through a field it was stored in (ir.Store)

    def bucket(self) -> str:
        return self.fieldkey or f"{self.kind}:{self.root}:{'.'.join(norm(self.path))}"

    def lock_key(self) -> str:
        return self.fieldkey or f"{self.root}:{'.'.join(self.path)}"


def norm(path: tuple[str, ...]) -> tuple[str, ...]:
    """Element steps compare equal whatever their key: `[=k]` is `[]`."""
    return tuple("[]" if p.startswith("[") else p for p in path)


@frozen
class FuncVal:
    callee: str
    recv: Loc | None
    env: "Frame | None"


@dataclass
class Context:
    id: int
    kind: str  # main | init | test | external | handler | go | errgroup | wggo | afterfunc | subtest | thread | executor
    label: str
    func: str
    spawn: Span | None = None
    parent: int | None = None
    spawn_index: int = 0
    spawn_loops: tuple = ()
    many: bool = False
    intrinsic: bool = False  # many by itself (a loop, a handler), not only through its parent
    root: int = 0
    deferred: bool = False
    sync_with_parent: bool = False
    group: Loc | None = None
    counter: int = 0
    signals: list = field(default_factory=list)  # (Loc, index, at_end, value Loc | None, loops)
    waits: list = field(default_factory=list)  # (Loc, index, branch, loops)
    rebound: set = field(default_factory=set)  # indices of sends whose variable then holds a new object
    depth: int = 0
    spawn_branch: tuple = ()

    def next(self) -> int:
        self.counter += 1
        return self.counter


@frozen
class IAccess:
    """An instantiated access."""

    loc: Loc
    kind: str
    op: str
    span: Span
    text: str
    ctx: int
    index: int
    loops: tuple
    held: frozenset  # of (lock_key, shared)
    once: str = ""
    func: str = ""
    broken: bool = False
    key_kind: str = "generic"
    size: int | None = None
    name: str = ""  # the map as written at the access
    branch: tuple = ()


@dataclass
class Frame:
    vars: dict
    outer: "Frame | None"
    id: int
    fid: str = ""
    ctx: int = -1
    loops: tuple = ()

    def get(self, sym: str):
        f = self
        while f is not None:
            if sym in f.vars:
                return f.vars[sym]
            f = f.outer
        return None


class Engine:
    def __init__(self, pkg: ir.Package):
        self.pkg = pkg
        self.contexts: list[Context] = []
        self.accesses: list[IAccess] = []
        self.frames = count(1)
        self.events = 0
        self.truncated = False
        self.stopped = False  # out of budget: instantiate nothing more
        self.evidence: set[str] = set()  # location buckets accessed under a lock somewhere
        self.lock_names: dict[str, str] = {"*": "the caller's lock"}
        self.key_locs: dict[str, Loc] = {}  # element keys that are local variables
        self.heap: dict[tuple, Loc] = {}  # object field → the object stored in it (ir.Store)
        self.heap_objects: set[tuple] = set()  # (kind, root) of the objects with a field in `heap`
        self.keyed_paths: dict[tuple, bool] = {}  # access path → has an element step keyed by a local
        self.published: dict[str, tuple[int, int]] = {}  # stored object root → (context, index) of the store
        self.background: set[str] = set()  # buckets a library's own goroutines touch
        self.summaries = Summaries(pkg)
        self.irrelevant: set[str] = set()  # callees Summaries.is_relevant said no to
        self.lock_locs: dict[str, Loc] = {}  # lock key -> the lock's location
        self.field_funcs: dict[str, FuncVal] = {}  # function-valued field (bucket) -> what it holds (ir.StoreFunc)
        # (span, ctx, span, ctx) of a racing pair -> the locks both take that are not one mutex for both
        self.unshared_locks: dict[tuple, tuple[str, str]] = {}  # -> (lock as written, "key" | "instance")
        self.served: set[str] = set()  # functions instantiated inside a handler the package registers

    # ---- contexts ------------------------------------------------------
    def new_context(self, **kw) -> Context:
        ctx = Context(id=len(self.contexts), **kw)
        self.contexts.append(ctx)
        return ctx

    def run(self) -> None:
        funcs = self.pkg.funcs
        ordered_funcs = sorted(funcs.items(), key=lambda kv: (kv[1].span.path, kv[1].span.line, kv[0]))
        roots: list[tuple[str, str, bool]] = []
        # Which roots start goroutines: complete the candidates (those whose
        # text may spawn, by the front-end's reckoning) and what they reach.
        may_spawn = self.pkg.may_spawn
        for fid, s in ordered_funcs:
            if s.parent is None and (s.role in ("main", "init", "test") or (s.exported and not self.pkg.is_main)) \
                    and (may_spawn is None or fid in may_spawn):
                self.summaries.close(fid)
        spawning = _spawning_funcs(self.pkg)
        for fid, s in ordered_funcs:
            # A sequential root that starts no goroutine races with nothing:
            # its own statements are ordered with every other root's.
            if s.parent is None and s.role in ("main", "init", "test") and fid in spawning:
                roots.append((fid, s.role, False))
        for fid, s in ordered_funcs:
            if s.parent is None and s.role == "handler" and fid not in self.pkg.registered_handlers:
                roots.append((fid, "handler", True))
        api: set[str] = set()
        if not self.pkg.is_main:
            for fid, s in ordered_funcs:
                if s.parent is None and s.exported and s.role == "" and fid in spawning and not self.api_candidate(s):
                    # A library entry point that starts goroutines: one
                    # caller, racing with what it started.
                    roots.append((fid, "api", False))
                    api.add(fid)
        for fid, kind, many in roots:
            if kind == "handler" and fid in self.served:
                # Run already by a handler the package serves (wrapped in a
                # middleware, or called by another handler): not an entry
                # point of its own.
                continue
            self.root(fid, kind, many)
        if self.pkg.is_main:
            return
        # Types whose state a library's own background goroutines touch: their
        # exported methods may run while those goroutines do.
        in_background = [a for a in self.accesses if self.contexts[a.ctx].parent is not None
                         and self._background_root(self.contexts[self.contexts[a.ctx].root])]
        self.background = {a.loc.bucket() for a in in_background}
        bg_types = {a.loc.root for a in self.accesses if a.loc.kind == "type" and a.loc.bucket() in self.background}
        # An object a constructor makes, starts a goroutine on and returns
        # (`b := &Bus{…}; go b.loop(); return b`): its type's methods run
        # while that goroutine does — unless the constructor waits for it.
        rel = Relation(self)
        bg_types |= {a.loc.fieldkey.split(".", 1)[0] for a in in_background
                     if a.loc.kind == "local" and a.loc.escaped and a.loc.fieldkey
                     and not self._joined_by_root(a, rel)}
        self.pkg.concurrent_types |= bg_types
        # What a script's main body calls directly (`if __name__ == "__main__":
        # main()`) is its entry point, run once, not an API for other threads.
        entry = {ev.callee for s in funcs.values() if s.parent is None and s.role == "main"
                 for ev in s.events if type(ev) is _CALL}
        for fid, s in ordered_funcs:
            if s.parent is None and s.exported and s.role == "" and fid not in api and fid not in entry \
                    and self.api_candidate(s, True):
                self.root(fid, "external", True)

    def _background_root(self, root: Context) -> bool:
        """A root whose goroutines (threads) run in the background of the
        package's API: an API entry point, or a constructor run as a root
        (Python's `__init__` that starts a thread: a method with role main)."""
        if root.kind in ("api", "external"):
            return True
        s = self.pkg.funcs.get(root.func)
        return root.kind == "main" and s is not None and bool(s.recv_type)

    def _joined_by_root(self, a: IAccess, rel: "Relation") -> bool:
        """Does the root that started a's goroutine wait for it before it
        returns (`wg.Wait()` at the end of a constructor)?"""
        c = self.contexts[a.ctx]
        if c.parent is None or self.contexts[c.parent].parent is not None:
            return False  # (only goroutines the root starts itself)
        return rel.joined_before(self.contexts[c.parent], c, a, 1 << 62)

    def root(self, fid: str, kind: str, many: bool) -> None:
        s = self.pkg.funcs[fid]
        label = {"main": "main", "init": "init", "test": s.name, "handler": f"HTTP handler {s.name}",
                 "api": f"{fid}"}.get(kind, f"concurrent callers of {fid}")
        ctx = self.new_context(kind=kind, label=label, func=fid, many=many, intrinsic=many, spawn=s.span)
        ctx.root = ctx.id
        base = frozenset({("*", False)}) if s.assume_locked and kind == "external" else frozenset()
        self.instantiate(ctx, fid, None, (), base, None, (), "", 0, ())

    def api_candidate(self, s: ir.FuncSummary, takers: bool = False) -> bool:
        """Exported API of a type (or package) that guards some map with a
        lock: its methods (and with `takers`, the package's functions that
        take one; a function that starts goroutines stays a root of its own)."""
        types = self.pkg.concurrent_types
        if not types:
            return False
        if s.recv_type:
            # (A subclass inherits the lock discipline, and the callers.)
            return s.recv_type in types or any(t in types for t in self.pkg.supertypes.get(s.recv_type, ()))
        return "" in types or (takers and any(t in types for t in s.param_types if t))

    # ---- resolution ----------------------------------------------------
    def resolve(self, ref: ir.Ref | None, frame: Frame, ctx: Context, loops: tuple) -> Loc | None:
        if ref is None:
            return None
        root = ref.root
        if root[:1] != "v":  # locals ("v:…", the most frequent) are none of these
            if root.startswith("g:"):
                return Loc("global", root[2:], ref.path, ref.fieldkey if ref.path else "")
            if root.startswith("atomic:"):
                return Loc("atomic", root, ref.path)
            if root.startswith("lock:"):
                return Loc("lock", root, ref.path)
            if root.startswith("t:"):  # an object known only by its type (a server its handlers share)
                return Loc("type", root[2:], ref.path, ref.fieldkey if ref.path else "")
            if root.startswith("recv:"):
                chan = self.resolve(self.pkg.recv_chan.get(root), frame, ctx, loops)
                if chan is None:
                    return None
                return Loc("chanval", chan.bucket(), ref.path, "", -1, (), False, True)
        base = frame.get(root)
        if base is None or not isinstance(base, Loc):
            # A local first used here: an object of the frame that declares
            # it (a closure's captured variable belongs to its creator).
            owner = self.pkg.owner.get(root)
            f = frame
            while f is not None and f.fid != owner:
                f = f.outer
            f = f or frame
            s = self.pkg.funcs.get(f.fid)
            static = s.local_loops.get(root, ()) if s is not None else ()
            escaped = s is not None and root in s.escaping and s.exported
            base = Loc("local", f"{root}@{f.id}", (), "", f.ctx, f.loops + tuple((f.id, x) for x in static), escaped)
            f.vars[root] = base
        if not ref.path:
            return base
        keyed = self.keyed_paths.get(ref.path)
        if keyed is None:
            keyed = self.keyed_paths[ref.path] = any(p.startswith("[=") for p in ref.path)
        if keyed:
            ref = ir.Ref(ref.root, tuple(self.key_step(p, frame, ctx, loops) for p in ref.path), ref.fieldkey,
                         ref.root_type)
        fk = ref.fieldkey or (base.fieldkey + "".join("[]" if p == "[]" else "" for p in ref.path) if base.fieldkey else "")
        if base.kind == "param" and ref.root_type and ref.path and not ref.fieldkey:
            fk = ""
        loc = Loc(base.kind, base.root, base.path + ref.path, fk, base.creator, base.decl_loops, base.escaped)
        return self.through_heap(loc) if (loc.kind, loc.root) in self.heap_objects else loc

    def through_heap(self, loc: Loc) -> Loc:
        """A path through a field that holds a stored object (ir.Store) is a
        path from that object."""
        for i in range(len(loc.path), 0, -1):
            v = self.heap.get((loc.kind, loc.root, loc.path[:i]))
            if v is not None:
                # The field key is the one resolving the stored object
                # directly would give, so that both reach the same bucket.
                rest = loc.path[i:]
                if not rest:
                    fk = v.fieldkey
                elif any(p != "[]" for p in rest):
                    fk = loc.fieldkey
                else:
                    fk = v.fieldkey + "[]" * len(rest) if v.fieldkey else ""
                return Loc(v.kind, v.root, v.path + rest, fk, v.creator, v.decl_loops, v.escaped, v.received,
                           v.per_message, True)
        return loc

    def key_step(self, step: str, frame: Frame, ctx: Context, loops: tuple) -> str:
        if not step.startswith("[="):
            return step
        key = self.resolve(ir.Ref(step[2:-1]), frame, ctx, loops)
        if key is None or key.kind != "local":
            return "[]"
        self.key_locs[key.root] = key
        return f"[={key.root}]"

    def param_loc(self, sym: str, s: ir.FuncSummary, ctx: Context, frame: Frame) -> Loc:
        """An unbound parameter or receiver (a root's): known by its type only."""
        tname = s.recv_type if sym == s.recv and s.recv_type else self.pkg.types.get(sym, "")
        if tname and tname in self.pkg.struct_types:
            # Known only by its type: its fields compare by field name.
            return Loc("type", tname, (), "", -1)
        return Loc("param", f"{sym}@{frame.id}", (), "", ctx.id)

    # ---- instantiation -------------------------------------------------
    def instantiate(self, ctx: Context, fid: str, recv: Loc | None, args: tuple,
                    held: frozenset, outer: Frame, loops: tuple, once: str, depth: int, stack: tuple,
                    branch: tuple = ()):
        """Walk one function's events inside `ctx`; return what it returns."""
        s = self.summaries.get(fid)
        if s is None or fid in stack or depth > MAX_DEPTH:
            return None
        if self.stopped or self.events > MAX_EVENTS or budget.expired():  # past the unit's budget: ML903 (engine)
            self.truncated = self.stopped = True
            return None
        frame = Frame({}, outer, next(self.frames), fid, ctx.id, loops)
        if ctx.kind == "handler" and ctx.parent is not None:
            self.served.add(fid)
        if outer is not None and s.parent is None:
            frame.outer = None  # a package function sees only its own frame and globals
        if s.recv is not None:
            frame.vars[s.recv] = recv if recv is not None else self.param_loc(s.recv, s, ctx, frame)
        for i, p in enumerate(s.params):
            a = args[i] if i < len(args) else None
            frame.vars[p] = a if a is not None else self.param_loc(p, s, ctx, frame)
        stack = stack + (fid,)
        # An event's loops and branches, instantiated in this frame (the
        # events of a body share a few of them: computed once each).
        fr = frame.id
        loops_of: dict[tuple, tuple] = {(): loops}
        branch_of: dict[tuple, tuple] = {(): branch}
        irrelevant = self.irrelevant
        summaries = self.summaries
        funcs = self.pkg.funcs
        for ev in s.events:
            if self.stopped:
                break  # every frame still open unwinds at once
            self.events += 1
            t = type(ev)
            if t is _CALL and ev.callee in irrelevant:
                continue  # the most frequent event: known to touch nothing (see below)
            ev_loops = loops_of.get(ev.loops)
            if ev_loops is None:
                ev_loops = loops_of[ev.loops] = loops + tuple((fr, x) for x in ev.loops)
            ev_branch = branch_of.get(ev.branch)
            if ev_branch is None:
                ev_branch = branch_of[ev.branch] = branch + tuple((fr, b) for b in ev.branch)
            if t is _CALL:
                callee = ev.callee
                if callee[:1] != "@":
                    if not summaries.is_relevant(callee):
                        # Touches no map, starts and waits for nothing. Final:
                        # the callee is closed (everything it reaches is
                        # complete), so nothing added later can change it.
                        irrelevant.add(callee)
                        continue
                    if callee not in summaries.effectful and (ev.result is None or not funcs[callee].returns):
                        # Only a return value, and the caller drops it (or
                        # there is none): what instantiating would leave.
                        # (is_relevant closed the callee: has_effects is this.)
                        if ev.held:
                            self.held_at(held, ev.held, ev.released, frame, ctx, ev_loops)  # names its locks
                        if ev.result is not None:
                            frame.vars[ev.result] = Loc("local", f"{ev.result}@{fr}", (), "", ctx.id, ev_loops)
                        continue
                    cs = funcs.get(callee)  # self.callee(), without the FuncVal
                    if cs is None:
                        continue
                    f_recv = self.resolve(ev.recv, frame, ctx, ev_loops) if ev.recv is not None else None
                    f_env = frame if cs.parent is not None else None
                else:
                    fv = self.callee(callee, ev.recv, frame, ctx, ev_loops)
                    if fv is None:
                        continue
                    callee, f_recv, f_env = fv.callee, fv.recv, fv.env
                h = held if not ev.held and not ev.released else self.held_at(held, ev.held, ev.released, frame, ctx,
                                                                               ev_loops)
                once_key = self.resolve(ev.once, frame, ctx, ev_loops).lock_key() if ev.once is not None else once
                if callee in stack or depth >= MAX_DEPTH:
                    # instantiate() returns at once (recursion, or too
                    # deep): skip resolving the arguments, which leaves
                    # nothing behind that a later resolve would not redo.
                    summaries.get(callee)  # but the body is completed, as instantiate() does
                    ret = None
                else:
                    value = self.value
                    argv = tuple([value(a, frame, ctx, ev_loops) for a in ev.args])
                    ret = self.instantiate(ctx, callee, f_recv, argv, h, f_env or frame, ev_loops,
                                           once_key, depth + 1, stack, ev_branch)
                if ev.result is not None:
                    frame.vars[ev.result] = ret if isinstance(ret, (Loc, FuncVal)) else Loc(
                        "local", f"{ev.result}@{fr}", (), "", ctx.id, ev_loops)
            elif t is _ACCESS:
                loc = self.resolve(ev.ref, frame, ctx, ev_loops)
                if loc is None:
                    continue
                h = self.held_at(held, ev.held, ev.released, frame, ctx, ev_loops)
                if ev.assume_locked and not h and ctx.kind == "external" and depth == 0:
                    h = frozenset({("*", False)})
                self.accesses.append(IAccess(
                    loc=loc, kind=ev.kind, op=ev.op, span=ev.span, text=ev.text, ctx=ctx.id, index=ctx.next(),
                    loops=ev_loops, held=h, once=once, func=fid, broken=s.broken, key_kind=ev.key_kind,
                    size=ev.size, name=ev.text, branch=ev_branch,
                ))
                if h and self.guards_object(h, loc, frame, ctx, ev_loops, ev):
                    self.evidence.add(loc.bucket())
            elif t is _STOREFUNC:
                target = self.resolve(ev.target, frame, ctx, ev_loops)
                fv = self.callee(ev.value.callee, ev.value.recv, frame, ctx, ev_loops)
                if target is not None and fv is not None:
                    self.field_funcs[target.bucket()] = fv
            elif isinstance(ev, ir.Spawn):
                self.spawn(ctx, ev, frame, ev_loops, depth, stack, ev_branch)
            elif isinstance(ev, ir.Signal):
                obj = self.resolve(ev.obj, frame, ctx, ev_loops)
                if obj is not None:
                    idx = ctx.next()
                    ctx.signals.append((obj, idx, ev.at_end and depth == 0, self.resolve(ev.value, frame, ctx, ev_loops),
                                        ev_loops))
                    if ev.rebound:
                        ctx.rebound.add(idx)
            elif isinstance(ev, ir.Wait):
                obj = self.resolve(ev.obj, frame, ctx, ev_loops)
                if obj is not None:
                    ctx.waits.append((obj, ctx.next(), ev_branch, ev_loops))
            elif isinstance(ev, ir.Store):
                target = self.resolve(ev.target, frame, ctx, ev_loops)
                value = self.resolve(ev.value, frame, ctx, ev_loops)
                if target is not None and value is not None and target.path:
                    self.heap[(target.kind, target.root, target.path)] = value
                    self.heap_objects.add((target.kind, target.root))
                    self.published.setdefault(value.root, (ctx.id, ctx.next()))
        for r in s.returns:
            if isinstance(r, ir.FuncRef):
                return self.callee(r.callee, r.recv, frame, ctx, loops)
            loc = self.resolve(r, frame, ctx, loops)
            if loc is not None:
                if loc.kind == "local" and s.exported:
                    loc = Loc(loc.kind, loc.root, loc.path, loc.fieldkey, loc.creator, loc.decl_loops, True)
                return loc
        return None

    def guards_object(self, held: frozenset, loc: Loc, frame, ctx, loops, ev) -> bool:
        """Is one of the held locks the object's own (a mutex of the same
        struct, or a package-level mutex for a package-level map)? A caller's
        unrelated lock is no evidence that the map is meant to be shared."""
        keys = {k for k, _ in held}
        if "*" in keys:
            return True
        if loc.kind == "global":
            return any(not k.startswith("v:") for k in keys)
        owner = loc.fieldkey.split(".", 1)[0] if loc.fieldkey else ""
        for k in keys:
            if owner and k.split(".", 1)[0] == owner:
                return True
            if k.startswith(loc.root + ":"):
                return True
        return False

    def value(self, a, frame: Frame, ctx: Context, loops: tuple):
        if a is None:
            return None
        if isinstance(a, ir.FuncRef):
            return self.callee(a.callee, a.recv, frame, ctx, loops)
        if not a.path:
            bound = frame.get(a.root)
            if isinstance(bound, FuncVal):
                return bound  # a function value a call returned (a middleware's handler), passed on
        return self.resolve(a, frame, ctx, loops)

    def callee(self, callee: str, recv: ir.Ref | None, frame: Frame, ctx: Context, loops: tuple) -> FuncVal | None:
        if callee == ir.FIELD_CALL:
            field = self.resolve(recv, frame, ctx, loops) if recv is not None else None
            return self.field_funcs.get(field.bucket()) if field is not None else None
        if callee.startswith("@"):
            bound = frame.get(callee[1:])
            return bound if isinstance(bound, FuncVal) else None
        s = self.pkg.funcs.get(callee)
        if s is None:
            return None
        env = frame if s.parent is not None else None
        return FuncVal(callee, self.resolve(recv, frame, ctx, loops) if recv is not None else None, env)

    def held_at(self, base: frozenset, own: frozenset, released: frozenset, frame: Frame, ctx: Context, loops: tuple) -> frozenset:
        if not own and not released:
            return base
        rel = {self.lock_loc(r, frame, ctx, loops).lock_key() for r in released}
        out = {h for h in base if h[0] not in rel}
        for h in own:
            loc = self.lock_loc(h.lock, frame, ctx, loops)
            key = loc.lock_key()
            self.lock_names.setdefault(key, h.lock.text(self.pkg.names))
            self.lock_locs.setdefault(key, loc)
            out.add((key, h.shared))
        return frozenset(out)

    def lock_loc(self, ref: ir.Ref, frame: Frame, ctx: Context, loops: tuple) -> Loc:
        loc = self.resolve(ref, frame, ctx, loops)
        return loc if loc is not None else Loc("lock", ref.root)

    def spawn(self, parent: Context, ev: ir.Spawn, frame: Frame, loops: tuple, depth: int, stack: tuple,
              branch: tuple = ()) -> None:
        fv = self.callee(ev.callee, ev.recv, frame, parent, loops)
        if fv is None:
            return
        if parent.depth > 6 or len(self.contexts) > 2000:
            self.truncated = True
            return
        intrinsic = ev.many or bool(loops)
        many = intrinsic or parent.many
        child = self.new_context(
            kind=ev.kind, label=ev.label or ev.kind, func=fv.callee, spawn=ev.span, parent=parent.id,
            spawn_index=parent.next() if not ev.deferred else 10**9, spawn_loops=loops, many=many, intrinsic=intrinsic,
            root=parent.root, deferred=ev.deferred, sync_with_parent=ev.sync_with_parent,
            group=self.resolve(ev.group, frame, parent, loops), depth=parent.depth + 1, spawn_branch=branch,
        )
        argv = tuple(self.value(a, frame, parent, loops) for a in ev.args)
        self.instantiate(child, fv.callee, fv.recv, argv, frozenset(), fv.env or frame, (), "", 0, ())


# ---- the race relation ------------------------------------------------------

def may_alias(a: Loc, b: Loc) -> bool:
    if a.path != b.path:
        na, nb = norm(a.path), norm(b.path)
        if na != nb:
            return _alias_fieldkey(a, b)
        a, b = Loc(a.kind, a.root, na, a.fieldkey, a.creator, a.decl_loops, a.escaped), Loc(
            b.kind, b.root, nb, b.fieldkey, b.creator, b.decl_loops, b.escaped)
    if a.kind == "local" or b.kind == "local":
        if a.kind == b.kind == "local":
            return a.root == b.root and a.path == b.path
        other = b if a.kind == "local" else a
        mine = a if a.kind == "local" else b
        # A local that escapes through an exported constructor is the same
        # object the API's callers pass back in.
        return mine.escaped and other.kind == "type" and bool(mine.fieldkey) and mine.fieldkey == other.fieldkey
    if a.kind in ("param",) or b.kind in ("param",):
        return a.root == b.root and a.path == b.path
    if a.kind == "atomic" or b.kind == "atomic":
        return a.kind == b.kind and a.root == b.root and a.path == b.path
    if a.root == b.root and a.kind == b.kind and a.path == b.path:
        return True
    return bool(a.fieldkey) and a.fieldkey == b.fieldkey


def _alias_fieldkey(a: Loc, b: Loc) -> bool:
    return (a.kind not in ("local", "param", "atomic", "chanval") and b.kind not in ("local", "param", "atomic", "chanval")
            and bool(a.fieldkey) and a.fieldkey == b.fieldkey)


def common_lock(a: IAccess, b: IAccess) -> bool:
    if not a.held or not b.held:
        return False
    if any(k == "*" for k, _ in a.held) or any(k == "*" for k, _ in b.held):
        return True
    bk = {}
    for k, shared in b.held:
        bk[k] = bk.get(k, True) and shared
    for k, shared in a.held:
        if k in bk and not (shared and bk[k]):
            return True
    return False


class Relation:
    """Happens-before and instance questions over the instantiated contexts."""

    def __init__(self, engine: Engine):
        self.ctx = engine.contexts
        self.key_locs = engine.key_locs
        # (Python: an `await` in a coroutine the loop makes does not hold the
        # loop back — asyncio.gather runs them together — so no per-iteration join.)
        self.per_iteration_joins = engine.pkg.lang == "go"
        self.chain_cache: dict[int, list[int]] = {}

    def chain(self, cid: int) -> list[int]:
        c = self.chain_cache.get(cid)
        if c is None:
            c = []
            cur: int | None = cid
            while cur is not None:
                c.append(cur)
                cur = self.ctx[cur].parent
            c.reverse()
            self.chain_cache[cid] = c
        return c

    def signaled_after(self, acc: IAccess, obj: Loc) -> bool:
        """Is everything acc's context signals on `obj` sent after acc?

        A receive does not say which send it matched, so acc is ordered
        before the receiver only when no signal on that object could have
        been sent before acc (or re-sends the same object from a loop)."""
        c = self.ctx[acc.ctx]
        if c.group is not None and may_alias(c.group, obj):
            return True
        found = False
        for sobj, idx, at_end, value, loops in c.signals:
            if not may_alias(sobj, obj):
                continue
            if idx in c.rebound and idx < acc.index and value is not None and value.root == acc.loc.root:
                continue  # sent, then the variable was given a new object: acc touches that one
            if idx < acc.index or (not at_end and self.resent(acc, value, loops)):
                # (A deferred signal counts from where it runs: a call deferred
                # before `defer wg.Done()` runs after it.)
                return False
            found = True
        return found

    @staticmethod
    def resent(acc: IAccess, value: Loc | None, loops: tuple) -> bool:
        """A send inside a loop that hands over the very object acc touches:
        the next iteration touches it again after the hand-off."""
        if value is None or (value.kind, value.root) != (acc.loc.kind, acc.loc.root):
            return False
        return bool((set(acc.loops) & set(loops)) - set(acc.loc.decl_loops))

    @staticmethod
    def dominates(wait_branch: tuple, acc: IAccess) -> bool:
        return acc.branch[:len(wait_branch)] == wait_branch

    def handoff(self, a: IAccess, b: IAccess) -> bool:
        """a happens before b through a signal a's context sends after a and
        b's context waits for before b (channel, WaitGroup, once)."""
        cb = self.ctx[b.ctx]
        for wobj, widx, wb, _ in cb.waits:
            if widx < b.index and self.dominates(wb, b) and self.signaled_after(a, wobj):
                return True
        return False

    def ordered(self, a: IAccess, b: IAccess) -> bool:
        """True when a and b cannot overlap (one happens before the other)."""
        if a.ctx == b.ctx:
            return not self.ctx[a.ctx].many
        ca, cb = self.ctx[a.ctx], self.ctx[b.ctx]
        ra, rb = self.ctx[ca.root], self.ctx[cb.root]
        if ra.id != rb.id:
            if (ra.kind == "init" and a.ctx == ra.id) or (rb.kind == "init" and b.ctx == rb.id):
                return True  # init's own statements run before everything else
            if ra.kind in SEQUENTIAL and rb.kind in SEQUENTIAL:
                return True
            if (ra.kind in SEQUENTIAL and a.ctx == ra.id and rb.kind in ("external", "handler")) or (
                    rb.kind in SEQUENTIAL and b.ctx == rb.id and ra.kind in ("external", "handler")):
                # The API's unknown callers are not this test's own statements.
                return True
            return self.handoff(a, b) or self.handoff(b, a)
        chain_a, chain_b = self.chain(a.ctx), self.chain(b.ctx)
        if a.ctx in chain_b:
            return self.parent_child(a, b, chain_b)
        if b.ctx in chain_a:
            return self.parent_child(b, a, chain_a)
        # Siblings (or cousins): find the common ancestor and its two branches.
        i = 0
        while i < min(len(chain_a), len(chain_b)) and chain_a[i] == chain_b[i]:
            i += 1
        br_a, br_b = self.ctx[chain_a[i]], self.ctx[chain_b[i]]
        lca = self.ctx[chain_a[i - 1]]
        if (self.joined_before(lca, br_a, a, br_b.spawn_index, dom=br_b.spawn_branch)
                or self.joined_before(lca, br_b, b, br_a.spawn_index, dom=br_a.spawn_branch)):
            return True
        return self.handoff(a, b) or self.handoff(b, a)

    def parent_child(self, p: IAccess, c: IAccess, chain_c: list[int]) -> bool:
        """p in an ancestor context of c's."""
        branch = self.ctx[chain_c[chain_c.index(p.ctx) + 1]]
        if branch.deferred or branch.sync_with_parent:
            return True
        if p.index < branch.spawn_index:
            common = set(p.loops) & set(branch.spawn_loops)
            if not common:
                return True
            if p.loc.kind == c.loc.kind == "local" and p.loc.root == c.loc.root and common <= set(p.loc.decl_loops):
                # for { m := make(map…); m[k] = v; go f(m) }: the object is made
                # anew in every iteration that starts a goroutine, so a later
                # iteration's access is to another object than the one an
                # earlier goroutine was given (and this iteration's comes
                # before its own goroutine starts).
                return True
            # for { m[k] = v; go f(); wg.Wait() }: each iteration joins what it
            # started before the next iteration's access.
            for wobj, widx, wb, wl in self.ctx[p.ctx].waits:
                if widx > branch.spawn_index and common <= set(wl) and self.signaled_after(c, wobj):
                    return True
        elif self.joined_before(self.ctx[p.ctx], branch, c, p.index, after=branch.spawn_index, dom=p.branch):
            return True
        return self.handoff(p, c) or self.handoff(c, p)

    def joined_before(self, waiter: Context, branch: Context, acc: IAccess, before: int, after: int | None = None,
                      dom: tuple = ()) -> bool:
        """Does `waiter` wait for `branch` (which performs acc) before index `before`?"""
        lo = branch.spawn_index if after is None else after
        if acc.ctx != branch.id:
            return False
        for wobj, widx, wb, _ in waiter.waits:
            if lo < widx < before and dom[:len(wb)] == wb and self.signaled_after(acc, wobj):
                return True
        return False

    def instance_context(self, cid: int) -> Context | None:
        """The context that makes context cid run as many instances: the
        nearest one started in a loop or as a handler (None: one instance)."""
        for c in reversed(self.chain(cid)):
            if self.ctx[c].intrinsic:
                return self.ctx[c]
        return None

    def private_locks(self, a: IAccess, b: IAccess, lock_locs: dict[str, Loc]) -> set[str]:
        """For two instances of one context: the locks each instance makes
        for itself (`var mu sync.Mutex` inside the goroutine, or inside the
        loop that starts it). Both hold "mu", but not the same mutex: it
        excludes nothing between them."""
        if a.ctx != b.ctx:
            return set()
        m = self.instance_context(a.ctx)
        if m is None:
            return set()
        out = set()
        for key, _ in a.held | b.held:
            loc = lock_locs.get(key)
            # (A lock known by its field, `Encoder.mutex`, stands for that
            # field of every object of the type: not known to be private.)
            if loc is not None and loc.kind == "local" and not loc.fieldkey and not self.local_shared(loc, m):
                out.add(key)
        return out

    def instances_share(self, a: IAccess, b: IAccess) -> bool:
        """For two accesses in one many-instance context: do two instances
        see the same object?"""
        loc = a.loc
        if loc.received and loc.per_message:
            return False
        # The context that makes the instances many: a loop or a handler.
        m = self.instance_context(a.ctx)
        if m is None:
            return loc.kind != "param"
        if loc.kind == "param" and loc.creator >= 0 and m.id in self.chain(loc.creator):
            # A parameter of the instance itself (concurrent callers of an
            # API each pass their own). A parameter of the function that
            # starts the instances is one object they all share.
            return False
        for step in set(a.loc.path) | set(b.loc.path):
            key = self.key_locs.get(step[2:-1]) if step.startswith("[=") else None
            if key is not None and not self.local_shared(key, m):
                return False  # m[w] with w the instance's own key
        if loc.kind != "local":
            return True
        return self.local_shared(loc, m)

    def local_shared(self, loc: Loc, m: Context) -> bool:
        """Do the instances of many-context m share the local `loc`?"""
        if loc.creator >= 0 and m.id in self.chain(loc.creator):
            return False  # made inside each instance
        # Declared inside every loop that starts the instances: one per
        # iteration (Go 1.22 loop variables, `m := ...` inside the body).
        if not m.spawn_loops or m.kind == "handler":
            return True
        return not set(m.spawn_loops) <= set(loc.decl_loops)

    def concurrent(self, a: IAccess, b: IAccess) -> bool:
        if a.loc.per_message and b.loc.per_message and a.loc.received and b.loc.received:
            return False  # each message goes to one receiver
        if a.ctx == b.ctx:
            # Two instances of one context: ordered only through a sync
            # object (sync.Once, a channel one instance signals the next),
            # or because the loop that starts them waits for each in turn.
            return (self.ctx[a.ctx].many and self.instances_share(a, b)
                    and not self.handoff(a, b) and not self.handoff(b, a)
                    and not self.joined_each_iteration(self.ctx[a.ctx], a, b))
        return not self.ordered(a, b)

    def joined_each_iteration(self, c: Context, a: IAccess, b: IAccess) -> bool:
        """`for … { go work(); <-done }`: the loop that starts c waits, in
        the same iteration, for what c signals after both accesses (a
        receive, `wg.Wait()`, a join): one instance ends before the next
        starts."""
        if not self.per_iteration_joins or c.parent is None or not c.spawn_loops or self.ctx[c.parent].many:
            return False
        p = self.ctx[c.parent]
        loop = c.spawn_loops[-1]
        for wobj, widx, wb, wloops in p.waits:
            if widx > c.spawn_index and loop in wloops and c.spawn_branch[:len(wb)] == wb \
                    and self.signaled_after(a, wobj) and self.signaled_after(b, wobj):
                return True
        return False


def build(pkg: ir.Package) -> tuple[Engine, list[tuple[IAccess, IAccess]], list[tuple[IAccess, IAccess]]]:
    """Instantiate a package; return the engine, the racing pairs (no common
    lock) and the concurrent pairs that a common lock protects."""
    pkg.concurrent_types = _concurrent_types(pkg)
    eng = Engine(pkg)
    eng.run()
    _resolve_received(eng)
    rel = Relation(eng)
    buckets: dict[str, list[IAccess]] = defaultdict(list)
    for acc in eng.accesses:
        buckets[acc.loc.bucket()].append(acc)
    annotated = set(pkg.guarded_by)
    races: list[tuple[IAccess, IAccess]] = []
    guarded: list[tuple[IAccess, IAccess]] = []
    seen: set = set()
    for key, accs in buckets.items():
        if not any(x.kind == ir.WRITE for x in accs):
            continue
        # Deduplicate accesses that are the same site in the same context.
        uniq: dict = {}
        for x in accs:
            uniq.setdefault((x.span, x.ctx, x.loc, x.held, x.once, x.kind), x)
        items = list(uniq.values())
        if len(items) > 400:
            items = items[:400]
            eng.truncated = True
        evidence = key in eng.evidence or key in eng.background or key in annotated
        for i, a in enumerate(items):
            for b in items[i:]:
                if a.kind != ir.WRITE and b.kind != ir.WRITE:
                    continue
                if a is b and not eng.contexts[a.ctx].many:
                    continue
                if a.broken or b.broken:
                    continue
                if not may_alias(a.loc, b.loc):
                    continue
                if _before_publication(a, b) or _before_store(a, b, eng.published):
                    continue
                if a.once and a.once == b.once:
                    continue
                ka, kb = eng.contexts[eng.contexts[a.ctx].root].kind, eng.contexts[eng.contexts[b.ctx].root].kind
                if ("external" in (ka, kb)) and not evidence:
                    continue
                if not rel.concurrent(a, b):
                    continue
                sig = (a.span, b.span, a.kind, b.kind) if (a.span, a.kind) <= (b.span, b.kind) else (b.span, a.span, b.kind, a.kind)
                lock = common_lock(a, b)
                pa, pb = a, b
                if lock:
                    keyed = _keyed_locks(a, b, pkg.lang == "python")
                    private = keyed | (rel.private_locks(a, b, eng.lock_locs) if a.ctx == b.ctx else set())
                    if private:
                        key = sorted(private)[0]
                        kind = "key" if key in keyed else ("copy" if "#copy@" in key else "instance")
                        why = (eng.lock_names.get(key, key), kind)
                        eng.unshared_locks[(a.span, a.ctx, b.span, b.ctx)] = why
                        eng.unshared_locks[(b.span, b.ctx, a.span, a.ctx)] = why
                        # Seen without the locks that are not one mutex for both accesses.
                        pa = IAccess(**{**a.__dict__, "held": frozenset(h for h in a.held if h[0] not in private)})
                        pb = pa if b is a else IAccess(**{**b.__dict__, "held": frozenset(
                            h for h in b.held if h[0] not in private)})
                        lock = common_lock(pa, pb)
                if (sig, lock) in seen:
                    continue
                seen.add((sig, lock))
                (guarded if lock else races).append((pa, pb))
    return eng, races, guarded


def _keyed_locks(a: IAccess, b: IAccess, python: bool = False) -> set[str]:
    """Locks picked by key (`locks[k].Lock()`, striped locks; their lock key
    has an element step, `KeyLocked.locks[]`): a different mutex for each
    key, so one guards only what is picked by a key too (`shards[k][x] = v`),
    never a map that every key shares (`data[k] = v`) — in Go. A CPython
    dict's single operations are atomic: what races there is a compound
    operation on one key, and a lock picked by that key (`with
    self._locks[hash(key) % N]:`) is the same lock for it everywhere; only an
    iteration, which no key picks, is not guarded by it."""
    if any(p.startswith("[") for p in a.loc.path) and any(p.startswith("[") for p in b.loc.path):
        return set()
    if python and a.kind != ir.ITERATE and b.kind != ir.ITERATE:
        return set()
    return {key for key, _ in a.held | b.held if "[" in key}


def _resolve_received(eng: Engine) -> None:
    """A value received from a channel is whatever was sent on it: when every
    send on the channel hands over the same object, accesses through the
    received value are accesses to that object."""
    sends: dict[str, list[tuple[Loc, tuple]]] = defaultdict(list)
    for c in eng.contexts:
        for obj, _, _, value, loops in c.signals:
            if value is not None:
                sends[obj.bucket()].append((value, loops))
    for i, acc in enumerate(eng.accesses):
        if acc.loc.kind != "chanval":
            continue
        values = sends.get(acc.loc.root, [])
        roots = {(v.kind, v.root, v.path) for v, _ in values}
        if len(roots) != 1:
            continue
        v = values[0][0]
        per_message = any(set(v2.decl_loops) & set(loops) for v2, loops in values) or v.kind == "chanval"
        loc = Loc(v.kind, v.root, v.path + acc.loc.path, v.fieldkey, v.creator, v.decl_loops, v.escaped,
                  True, per_message)
        eng.accesses[i] = IAccess(**{**acc.__dict__, "loc": loc})


def _before_publication(a: IAccess, b: IAccess) -> bool:
    """An object a constructor returns is not yet shared while the
    constructor's own context fills it."""
    for x, y in ((a, b), (b, a)):
        if x.loc.kind == "local" and y.loc.kind == "type" and x.ctx == x.loc.creator:
            return True
    return False


def _before_store(a: IAccess, b: IAccess, published: dict) -> bool:
    """Filling a new object before storing it into a field, against an access
    that found it through that field: the field did not lead to it yet."""
    for x, y in ((a, b), (b, a)):
        if y.loc.via_field and not x.loc.via_field and x.loc.kind == "local":
            pub = published.get(x.loc.root)
            if pub is not None and x.ctx == pub[0] and x.index < pub[1]:
                return True
    return False


class Summaries:
    """The package's summaries as the engine reads them: completed on first
    need when the front-end walks bodies on demand (`ir.Package.materialize`),
    with the set of *relevant* functions kept up to date as they complete —
    those that (or whose callees) access a map, spawn, signal, wait, call a
    function value, or return a location a caller may access. Calls to the
    others are skipped."""

    def __init__(self, pkg: ir.Package):
        self.pkg = pkg
        self.complete: set[str] = set()
        self.closed: set[str] = set()  # complete, and so is every function they reach
        self.relevant: set[str] = set()
        self.effectful: set[str] = set()  # relevant for what they do, not only for what they return
        self.callers: dict[str, set[str]] = defaultdict(set)
        self.children: dict[str, list[str]] = defaultdict(list)  # closures by creator
        for fid in list(pkg.funcs) if pkg.materialize is None else list(pkg.walked or ()):
            self._add(fid)

    def get(self, fid: str) -> ir.FuncSummary | None:
        if fid in self.complete:
            return self.pkg.funcs[fid]
        if self.pkg.materialize is not None and fid in self.pkg.funcs:
            for new in self.pkg.materialize(fid):
                self._add(new)
        return self.pkg.funcs.get(fid)

    def _add(self, fid: str) -> None:
        if fid in self.complete:
            return
        self.complete.add(fid)
        s = self.pkg.funcs[fid]
        if s.parent is not None:
            self.children[s.parent].append(fid)
        effects = relevant = False
        for ev in s.events:
            if isinstance(ev, ir.Call):
                self.callers[ev.callee].add(fid)
                effects = effects or ev.callee.startswith("@") or ev.callee in self.effectful
                relevant = relevant or ev.callee in self.relevant
            else:
                effects = True
        if effects:
            self._mark(fid, self.effectful)
        if effects or relevant or s.returns:
            self._mark(fid, self.relevant)

    def _mark(self, fid: str, marked: set[str]) -> None:
        stack = [fid]
        while stack:
            x = stack.pop()
            if x not in marked:
                marked.add(x)
                stack.extend(self.callers.get(x, ()))

    def close(self, fid: str) -> None:
        """Complete `fid` and everything it calls or creates, transitively."""
        stack, seen = [fid], []
        while stack:
            x = stack.pop()
            if x in self.closed:
                continue
            self.closed.add(x)
            seen.append(x)
            s = self.get(x)
            if s is None:
                continue
            stack.extend(ev.callee for ev in s.events if isinstance(ev, ir.Call) and ev.callee in self.pkg.funcs)
            stack.extend(self.children.get(x, ()))

    def is_relevant(self, fid: str) -> bool:
        if fid not in self.closed:
            self.close(fid)
        return fid in self.relevant

    def has_effects(self, fid: str) -> bool:
        """Does calling `fid` access, spawn, signal, wait or store anything
        (or call a function value), itself or through its callees? A call to
        a function that only computes a return value matters only when the
        caller keeps the result."""
        if fid not in self.closed:
            self.close(fid)
        return fid in self.effectful


def _spawning_funcs(pkg: ir.Package) -> set[str]:
    """Functions that start a goroutine, directly or through calls."""
    calls: dict[str, set[str]] = defaultdict(set)
    spawning: set[str] = set()
    for fid, s in pkg.funcs.items():
        for ev in s.events:
            if isinstance(ev, ir.Spawn):
                spawning.add(fid)
            elif isinstance(ev, ir.Call):
                calls[fid].add(ev.callee)
        if s.parent is not None:
            calls[s.parent].add(fid)  # a closure's spawn is its creator's
    changed = True
    while changed:
        changed = False
        for fid, callees in calls.items():
            if fid not in spawning and callees & spawning:
                spawning.add(fid)
                changed = True
    return spawning


def _concurrent_types(pkg: ir.Package) -> set[str]:
    """Types (and "" for the package itself) whose maps some code guards with
    a lock: their exported API is treated as callable concurrently."""
    out: set[str] = set()
    for key in pkg.guarded_by:
        out.add(key.split(".", 1)[0] if "." in key else "")
    for s in pkg.funcs.values():
        for ev in s.events:
            if isinstance(ev, ir.Access) and (ev.held or ev.assume_locked):
                fk = ev.ref.fieldkey
                own = ev.assume_locked or any(h.lock.root == ev.ref.root for h in ev.held)
                if fk and own:
                    out.add(fk.split(".", 1)[0])
                elif ev.ref.root.startswith("g:") and any(h.lock.root.startswith("g:") for h in ev.held):
                    out.add("")
            elif isinstance(ev, ir.Call) and ev.held and ev.recv is not None:
                callee = pkg.funcs.get(ev.callee)
                if callee is not None and callee.recv_type and any(h.lock.root == ev.recv.root for h in ev.held):
                    out.add(callee.recv_type)
    return out
