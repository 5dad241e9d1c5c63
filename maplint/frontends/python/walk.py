"""Python function bodies to `ir.FuncSummary` events.

One walk per function (method, lambda, module body) in statement order, with
no libcst metadata providers: the walker keeps its own scopes (Python's
rules: a name assigned in a function is local unless declared `global` or
`nonlocal`; otherwise it is the enclosing function's, then the module's), the
must-hold lock set (`with lock:`, `acquire()`/`release()`, branches meet by
intersection), the enclosing loops and branches, and the checks in force
(`if k not in d:`, `v = d.get(k)`, an early `return` after `if k in d:`) so
that the act that follows a check becomes one compound access.

Dict operations become accesses whose `op` says what they are (see
docs/python.md): insert delete lookup copy rmw get-set check-insert
check-delete check-lookup check-move move iterate update, optionally
followed by `+call` (a call or loop back-edge sits between the read and the
write, so the GIL can switch threads there), `+json` or `+ft`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from maplint import ir
from maplint.frontends.python.decls import (
    DICT_KINDS, ENUM_BASES, HANDLER_METHODS, LOCK_KINDS, LOGGING_HANDLERS, SERVER_MIXINS, THREAD_BASES, _asname,
    dotted,
)
from maplint.frontends.python.positions import Anchor, ast_block, ast_suite
from maplint.frontends.python.unit import (
    FuncInfo, Unit, annotation_val, ctor_val, factory_elem, factory_kind,
)
from maplint.frontends.python.values import NONE, ThreadSpec, Val, merge_elem, variants

SMALL_STATEMENTS = frozenset({
    cst.Expr, cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Del, cst.Return, cst.Raise, cst.Pass, cst.Break,
    cst.Continue, cst.Global, cst.Nonlocal, cst.Assert, cst.Import, cst.ImportFrom, cst.TypeAlias,
})
LAZY = ir.Span("", 0)  # an access's span before it is known to be kept
LOCKLIKE = re.compile(r"(^|[._])(r?lock|mutex|mu|lck|cond|condition|cv|sem|semaphore|guard)s?$|lock$", re.I)
DICT_ONLY_METHODS = {"items", "keys", "values", "get", "setdefault", "popitem", "move_to_end", "most_common",
                     "fromkeys", "subtract", "elements"}
ITERATOR_WRAPPERS = {"enumerate", "zip", "reversed", "iter", "map", "filter"}
SNAPSHOT_CALLS = {"list", "tuple", "set", "frozenset", "sorted", "dict", "len", "sum", "any", "all", "bool",
                  "OrderedDict", "Counter", "str", "repr", "print", "format", "id", "hash", "isinstance"}
COMMON_METHODS = {"get", "set", "put", "add", "update", "pop", "remove", "clear", "close", "start", "stop", "run",
                  "join", "wait", "result", "items", "keys", "values", "copy", "append", "extend", "send", "recv",
                  "read", "write", "flush", "open", "acquire", "release", "submit", "map", "shutdown", "cancel",
                  "format", "encode", "decode", "split", "strip", "lower", "upper", "insert", "delete", "reset",
                  "setdefault", "sort", "count", "index", "notify", "notify_all", "is_set", "is_alive", "done",
                  "handle", "process", "call", "execute", "load", "save", "dump", "dumps", "loads", "info",
                  "debug", "warning", "error", "exception", "log", "emit", "apply", "filter", "next", "__enter__",
                  "__exit__", "__call__", "__init__", "main", "connect", "serve_forever", "shutdown_request"}


@dataclass
class Check:
    """A fact the current code relies on: `k in d` (present) / `k not in d`
    (absent) / `len(d)` is at the limit (full)."""

    pol: str  # present | absent | full | first
    ref: ir.Ref
    key: str
    calls: int
    held: frozenset
    span: object  # ir.Span, or (node, anchor) until it is needed (Walker.lazy_span)
    via_call: bool = False


class Walker:
    def __init__(self, u: Unit, fi: FuncInfo, outer: "Walker | None" = None, anchor: Anchor | None = None):
        self.u = u
        self.fi = fi
        self.mod = fi.mod
        self.s = fi.summary
        self.pos = u.positions[fi.mod.key]
        self.outer = outer
        self.cands: list = []  # (event, kind Val | None, tkey, parent tkey)
        self.env: dict[str, Val] = {}
        self.comp: list[dict[str, Val]] = []
        self.held: frozenset = outer.held if outer is not None and fi.kind == "lambda" else frozenset()
        self.released: frozenset = frozenset()
        self.loops: list[int] = []
        self.branches: list[int] = []
        self.counter = 0
        self.terminated = False
        self.calls = 0
        self.checks: list[Check] = []
        self.anchor = anchor
        self.pending_handlers: list[ir.Spawn] = []
        self.after_loop: list[ir.Ref] = []
        self.seen_gets: list[Val] = []
        self.globals_decl: set[str] = set()
        self.nonlocal_decl: set[str] = set()
        self.locals: set[str] = set()
        self.is_module = fi.kind == "module"
        self.try_lookups: list[list] = []
        self.loop_waits: list[list] = []
        self.queries: dict = {}
        self.root: Walker = outer.root if outer is not None else self
        self.nested: list[Walker] = []  # walkers of the functions defined inside (on the root only)
        self.created: list[str] = []  # ids of the functions made while walking (on the root only)
        self.future_pools: dict[ir.Ref, ir.Ref] = {}  # future -> the executor that runs its task

    # ---- helpers -------------------------------------------------------
    def next_id(self) -> int:
        self.counter += 1
        return self.counter

    def span(self, node) -> ir.Span:
        if self.anchor is None:
            return ir.Span(self.mod.file.shown, self.s.span.line, self.s.span.col)
        return self.pos.span(node, self.anchor)

    def line_span(self) -> ir.Span:
        if self.anchor is None:
            return ir.Span(self.mod.file.shown, self.s.span.line, self.s.span.col)
        return self.pos.line_span(self.anchor)

    def sym(self, name: str) -> str:
        sym = f"v:{self.fi.fid}:{name}"
        if sym not in self.u.pkg.owner:
            self.u.pkg.owner[sym] = self.fi.fid
            self.u.pkg.names[sym] = name
        return sym

    def synth(self, tag: str, fresh: bool = True) -> ir.Ref:
        sym = f"v:{self.fi.fid}:@{tag}{self.next_id()}"
        self.u.pkg.owner[sym] = self.fi.fid
        self.u.pkg.names[sym] = tag
        if fresh:
            self.s.locals_fresh.add(sym)
            self.s.local_loops[sym] = tuple(self.loops)
        return ir.Ref(sym)

    def emit(self, ev: ir.Event, kind: Val | None = None, tkey=None, parent=None, lazy=None) -> None:
        """Record an event; an access's position is worked out only if it is kept."""
        if self.terminated:
            return
        if self.branches:
            ev = _with_branch(ev, tuple(self.branches))
        self.cands.append((ev, kind, tkey, parent, lazy))

    def text(self, node) -> str:
        """A key's identity for matching a check with its act: the source
        text for the usual shapes, a unique token otherwise."""
        return _ktext(node) or f"<expr@{id(node)}>"

    # ---- accesses ------------------------------------------------------
    def access(self, node, v: Val, kind: str, op: str, key_node=None, keyval: Val | None = None,
               held: frozenset | None = None, parent: tuple | None = None) -> None:
        """A dict operation on v (dropped later unless v turns out to be a dict)."""
        if v.ref is None or self.terminated:
            return
        if not self.dictish(v):
            return
        if v.ref.root.startswith("local:"):
            return
        ev = ir.Access(
            span=LAZY, loops=tuple(self.loops), ref=v.ref, kind=kind, op=op,
            held=self.held if held is None else held, released=self.released, text=self.dict_text(v),
            key_kind=self.key_kind(keyval),
        )
        self.emit(ev, v if v.kind else None, v.tkey, parent, lazy=(self.pos, node, self.anchor))

    def enum_member(self, v: Val) -> bool:
        """`Status.PAID`: a class attribute of an Enum class of the unit."""
        t = v.tkey
        return bool(t and t[0] == "c" and t[1] in self.u.classes and self.u.is_subclass_ext(t[1], ENUM_BASES))

    def dict_text(self, v: Val) -> str:
        if v.ref is None:
            return "?"
        return self.u.text(v.ref)

    def key_kind(self, k: Val | None) -> str:
        if k is not None and k.cid is None and k.kind in (None, "other") and k.tkey is not None \
                and self.u.hashes_in_python():
            known = self.kind_now(k.tkey)  # a parameter: what its callers pass (`on_order(Status.PAID)`)
            if known is not None and (known.cid is not None or known.kind == "enum" or self.enum_member(known)):
                k = known
        if k is not None and self.enum_member(k):
            return "pyhash"  # Enum.__hash__ is Python code
        if k is not None and k.cid is not None:
            c = self.u.classes.get(k.cid)
            if c is not None and (c.defines_hash or c.dataclass or self.u.is_subclass_ext(k.cid, ENUM_BASES)):
                return "pyhash"
        if k is not None and k.kind == "enum":
            return "pyhash"
        return "builtin"

    def evidence(self, v: Val) -> None:
        if v.tkey is not None and v.kind is None:
            self.u.evidence.add(v.tkey)

    def dictish(self, v: Val) -> bool:
        if v.cid is not None:
            return v.ref is not None and v.kind in DICT_KINDS  # an instance of a dict subclass
        return (v.ref is not None and v.spec is None and v.fn is None
                and (v.kind in DICT_KINDS or (v.kind is None and v.tkey is not None)))

    def kind_now(self, key):
        """What the unit knows so far about a type key; remembered, so that a
        function is walked again only when what it relied on has changed."""
        v = self.u.kind_now(key)
        self.root.queries[key] = v
        return v

    def class_spec(self, owner: str, name: str):
        v = self.u.query(("spec", owner, name))
        self.root.queries[("spec", owner, name)] = v
        return v

    def handler_server(self, hcid: str) -> str | None:
        v = self.u.query(("server", hcid))
        self.root.queries[("server", hcid)] = v
        return v

    def lock_effect(self, fid: str):
        v = self.u.query(("locks", fid))
        self.root.queries[("locks", fid)] = v
        return v

    # ---- names ---------------------------------------------------------
    def load_name(self, name: str) -> Val:
        for scope in reversed(self.comp):
            if name in scope:
                return scope[name]
        if self.is_module:
            v = self.env.get(name)
            return v if v is not None else self.global_val(self.mod, name)
        if name in self.globals_decl:
            v = self.env.get(name)
            return v if v is not None else self.global_val(self.mod, name)
        if name in self.env:
            return self.env[name]
        if name in self.locals:
            sym = self.sym(name)
            return Val(ref=ir.Ref(sym), tkey=("l", sym))
        w = self.outer
        while w is not None:
            if w.is_module:
                break
            if name in w.locals and name not in w.globals_decl and w.fi.fid in self.u.decorators:
                # What a decorator's wrapper captures from the decorator
                # (`cache = {}`) is made once, when the function is
                # decorated: one object for every call, like a global.
                sym = w.sym(name)
                v = w.env.get(name)
                return Val(ref=ir.Ref(f"g:{sym}", (name,), ""), tkey=("l", sym), kind=v.kind if v else None)
            if name in w.env and name not in w.globals_decl:
                return w.env[name]
            if name in w.locals and name not in w.globals_decl:
                sym = w.sym(name)
                return Val(ref=ir.Ref(sym), tkey=("l", sym))
            w = w.outer
        return self.global_val(self.mod, name)

    def global_val(self, mod, name: str) -> Val:
        t = self.u.lookup_global(mod, name)
        if t is None:
            if name in ("dict", "list", "set", "tuple", "frozenset", "len", "sorted", "min", "max", "sum", "any",
                        "all", "next", "iter", "enumerate", "zip", "reversed", "map", "filter", "print", "str",
                        "repr", "isinstance", "super", "getattr", "setattr", "hasattr", "type", "id", "hash",
                        "object", "open", "range", "int", "float", "bool", "vars", "callable", "format"):
                return Val(ext=name)
            return NONE
        return self.target_val(t)

    def target_val(self, t) -> Val:
        kind, target = t
        if kind == "var":
            mkey, nm = target
            key = ("g", mkey, nm)
            info = self.kind_now(key)
            return _merge_info(Val(ref=self.u.global_ref(mkey, nm), tkey=key), info)
        if kind == "func":
            return Val(fn=ir.FuncRef(target))
        if kind == "class":
            return Val(cls=target)
        if kind == "module":
            return Val(module=target)
        if kind == "ext":
            return Val(ext=target)
        if kind == "classattr":
            cid, rest = target
            if "." in rest:
                return NONE
            return self.class_member(cid, rest, None)
        return NONE

    def store_name(self, name: str, v: Val, node=None) -> None:
        for scope in reversed(self.comp):
            if name in scope:  # a comprehension's own variable
                scope[name] = v
                return
        if self.is_module or name in self.globals_decl:
            key = ("g", self.mod.key, name)
            self.u.add_source(key, v)
            if self.is_module or v.spec is not None:
                # Module code runs top to bottom: later statements see this
                # value. So do a function's, for a thread it keeps in a global
                # (`global _timer; _timer = Timer(…); _timer.start()`).
                self.env[name] = v.with_(ref=self.u.global_ref(self.mod.key, name), tkey=key, fresh=False) if (
                    v.ref is None or v.fresh) else v
            return
        if name in self.nonlocal_decl:
            w = self.outer
            while w is not None and not w.is_module:
                if name in w.locals:
                    sym = w.sym(name)
                    self.u.add_source(("l", sym), v)
                    return
                w = w.outer
            return
        sym = self.sym(name)
        key = ("l", sym)
        self.u.add_source(key, v)
        if v.ref is not None:
            self.env[name] = v  # an alias of another location (or of the new object's own)
            return
        if v.fresh or name not in self.env:
            prev = self.s.local_loops.get(sym)
            if prev is None or len(self.loops) > len(prev):
                self.s.local_loops[sym] = tuple(self.loops)
            self.s.locals_fresh.add(sym)
        self.env[name] = Val(ref=ir.Ref(sym), kind=v.kind, tkey=key, fn=v.fn, spec=v.spec, cid=v.cid, cls=v.cls,
                             module=v.module, ext=v.ext, elem=v.elem, factory=v.factory, awaits=v.awaits,
                             getof=v.getof, view=v.view, bound=v.bound, future=v.future, calls=v.calls)

    # ---- the walk ------------------------------------------------------
    def walk_function(self) -> None:
        node = self.fi.node
        if type(node) is cst.FunctionDef:
            self.collect_scope(node)
            self.bind_params()
            self.decorator_locks(node)
            self.handler_lock(node)
            for wrapper in self.u.decorated.get(self.fi.fid, ()):
                # `@memoize`: each call runs the decorator's wrapper too (its
                # check of the cache, its insert), here in the caller's thread.
                self.emit_call(node, ir.FuncRef(wrapper), [], None)
            a = self.fi.ast_node
            self.block(node.body, a.body if a is not None else [])
        elif type(node) is cst.Lambda:
            self.collect_scope(node)
            self.bind_params()
            v = self.expr(node.body)
            if v.ref is not None:
                self.s.returns.append(v.ref)
        elif self.is_module:
            f = self.mod.file
            self.block_list(f.module.body, f.tree.body)
        self.flush_handlers()
        if not self.is_module and self.fi.kind != "lambda":
            self.record_lock_effect()

    def decorator_locks(self, node: cst.FunctionDef) -> None:
        """`@synchronized`: a decorator of the unit whose wrapper runs the
        function inside `with self.<lock>:` (or a module-level lock): the
        body holds that lock."""
        for d in node.decorators:
            name = dotted(d.decorator)
            if name is None:
                continue
            t = self.u.lookup_global(self.mod, name)
            if t is None or t[0] != "func":
                continue
            dfi = self.u.funcs.get(t[1])
            lock = _wrapper_lock(dfi.node) if dfi is not None and type(dfi.node) is cst.FunctionDef else None
            if lock is None:
                continue
            kind, attr = lock
            if kind == "self" and self.s.recv is not None and self.fi.cls is not None:
                _, owner = self.u.attr_owner(self.fi.cls.cid, attr)
                ref = ir.Ref(self.s.recv, (attr,), f"{owner}.{attr}", self.fi.cls.cid)
            elif kind == "global":
                ref = self.u.global_ref(dfi.mod.key, attr)
            else:
                continue
            self.held = self.held | {ir.Held(ref)}

    def handler_lock(self, node: cst.FunctionDef) -> None:
        """`emit` of a logging handler runs with the handler's `self.lock`
        held (Handler.handle takes it), in the thread that logged."""
        cls = self.fi.cls
        if cls is None or self.s.recv is None or node.name.value != "emit" \
                or not self.u.is_subclass_ext(cls.cid, LOGGING_HANDLERS):
            return
        _, owner = self.u.attr_owner(cls.cid, "lock")
        self.held = self.held | {ir.Held(ir.Ref(self.s.recv, ("lock",), f"{owner}.lock", cls.cid))}

    def record_lock_effect(self) -> None:
        """A function that returns holding a lock it acquired (`_acquireLock()`),
        or having released one it did not take: its callers' lock set changes."""
        me = self.s.recv

        def portable(r: ir.Ref):
            if r.root.startswith("g:"):
                return r
            if me is not None and r.root == me:
                return ir.Ref("@self", r.path, r.fieldkey, r.root_type)
            return None

        acq = tuple(sorted({p for p in (portable(h.lock) for h in self.held) if p is not None}, key=repr))
        rel = tuple(sorted({p for p in (portable(r) for r in self.released) if p is not None}, key=repr))
        self.u.lock_effects[self.fi.fid] = (acq, rel) if acq or rel else None

    def bind_params(self) -> None:
        fi = self.fi
        node = fi.node
        params = []
        if fi.self_name:
            if fi.kind == "class" and fi.cls is not None:
                self.env[fi.self_name] = Val(cls=fi.cls.cid)
            else:
                sym = self.sym(fi.self_name)
                self.s.recv = sym
                self.env[fi.self_name] = Val(ref=ir.Ref(sym, (), "", fi.cls.cid if fi.cls else ""),
                                             cid=fi.cls.cid if fi.cls else None,
                                             kind=self.u.dict_base(fi.cls.cid) if fi.cls else None)
        all_params = []
        if type(node) in (cst.FunctionDef, cst.Lambda,):
            ps = node.params
            all_params = list(ps.posonly_params) + list(ps.params) + list(ps.kwonly_params)
            if fi.self_name:
                all_params = all_params[1:]
        for p in all_params:
            name = p.name.value
            sym = self.sym(name)
            params.append(sym)
            key = ("l", sym)
            ann = p.annotation.annotation if p.annotation is not None else None
            if ann is not None:
                av = annotation_val(ann, self.u, ("l", sym))
                if av is not None:
                    self.u.add_source(key, av)
            info = self.kind_now(key)
            self.env[name] = _merge_info(Val(ref=ir.Ref(sym), tkey=key), info)
            if p.default is not None:
                self.expr(p.default)
        for star in (getattr(node.params, "star_arg", None), getattr(node.params, "star_kwarg", None)):
            if type(star) is cst.Param:
                self.env[star.name.value] = NONE
        self.s.params = tuple(params)

    def collect_scope(self, node) -> None:
        """Names assigned in the function body (its locals), `global` and
        `nonlocal` declarations."""
        loc = self.locals
        ps = node.params
        for p in list(ps.posonly_params) + list(ps.params) + list(ps.kwonly_params):
            loc.add(p.name.value)
        for star in (ps.star_arg, ps.star_kwarg):
            if type(star) is cst.Param:
                loc.add(star.name.value)
        if type(node) is cst.Lambda:
            return
        _collect_assigned(node.body, loc, self.globals_decl, self.nonlocal_decl)
        loc -= self.globals_decl
        loc -= self.nonlocal_decl

    def block(self, body, ast_body) -> None:
        n_checks = len(self.checks)
        for node, a in ast_suite(body, ast_body):
            self.stmt(node, a)
        del self.checks[n_checks:]

    def block_list(self, stmts, ast_body) -> None:
        n_checks = len(self.checks)
        for node, a in ast_block(stmts, ast_body):
            self.stmt(node, a)
        del self.checks[n_checks:]

    def set_anchor(self, node, a) -> None:
        self.anchor = self.pos.anchor(node, a, self.anchor)

    def stmt(self, node, a) -> None:  # noqa: C901 - a dispatch over statement kinds
        if type(node) in SMALL_STATEMENTS:
            self.set_anchor(node, a)
            self.seen_gets = []
            return self.small(node)
        if type(node) is cst.If:
            return self.if_stmt(node, a)
        if type(node) in (cst.For,):
            return self.for_stmt(node, a)
        if type(node) is cst.While:
            return self.while_stmt(node, a)
        if type(node) is cst.With:
            return self.with_stmt(node, a)
        if type(node) in (cst.Try, cst.TryStar,):
            return self.try_stmt(node, a)
        if type(node) is cst.FunctionDef:
            self.set_anchor(node, a)
            return self.def_stmt(node, a)
        if type(node) is cst.ClassDef:
            self.set_anchor(node, a)
            if not self.is_module:
                self.store_name(node.name.value, NONE)
            return
        if type(node) is cst.Match:
            self.set_anchor(node.subject, getattr(a, "subject", None))
            self.expr(node.subject)
            states = []
            for i, case in enumerate(node.cases):
                ca = a.cases[i] if a is not None and i < len(a.cases) else None
                states.append(self.branch(lambda case=case, ca=ca: self.block(case.body, ca.body if ca else [])))
            states.append(self.state())
            self.join(states)
            return

    def small(self, node) -> None:  # noqa: C901
        if type(node) is cst.Expr:
            self.expr(node.value, statement=True)
            return
        if type(node) is cst.Assign:
            return self.assign(node)
        if type(node) is cst.AnnAssign:
            if node.value is not None:
                v = self.expr(node.value)
                av = annotation_val(node.annotation.annotation, self.u, None)
                if av is not None and v.kind is None:
                    v = v.with_(kind=av.kind) if av.kind else v
                self.store(node.target, v, node.value)
            return
        if type(node) is cst.AugAssign:
            return self.augassign(node)
        if type(node) is cst.Del:
            for t in _flat(node.target):
                self.delete(t)
            return
        if type(node) is cst.Return:
            if node.value is not None:
                v = self.expr(node.value)
                if v.ref is not None:
                    self.s.returns.append(v.ref)
                    if v.ref.root.startswith("v:"):
                        self.s.escaping.add(v.ref.root)
                self.u.add_source(("ret", self.fi.fid), v)
            self.terminated = True
            return
        if type(node) is cst.Raise:
            if node.exc is not None:
                self.expr(node.exc)
            self.terminated = True
            return
        if type(node) in (cst.Break, cst.Continue,):
            self.terminated = True
            return
        if type(node) is cst.Global:
            for n in node.names:
                self.globals_decl.add(n.name.value)
            return
        if type(node) is cst.Nonlocal:
            for n in node.names:
                self.nonlocal_decl.add(n.name.value)
            return
        if type(node) is cst.Assert:
            self.expr(node.test)
            return
        if type(node) in (cst.Import, cst.ImportFrom,):
            if not self.is_module:
                self.local_import(node)
            return

    def local_import(self, node) -> None:
        if type(node) is cst.Import:
            for alias in node.names:
                full = dotted(alias.name) or ""
                name = _asname(alias) or full.split(".", 1)[0]
                target = self.u.resolve_module(self.mod, full if alias.asname else name, 0)
                self.env[name] = Val(module=target) if target else Val(ext=full if alias.asname else name)
        elif type(node) is cst.ImportFrom and not type(node.names) is cst.ImportStar:
            base = dotted(node.module) if node.module is not None else ""
            target = self.u.resolve_module(self.mod, base or "", len(node.relative))
            for alias in node.names:
                nm = dotted(alias.name) or ""
                local = _asname(alias) or nm
                if target is not None:
                    t = self.u.lookup_global(self.u.mods[target], nm)
                    self.env[local] = self.target_val(t) if t else NONE
                else:
                    self.env[local] = Val(ext=f"{base}.{nm}" if base else nm)

    def def_stmt(self, node: cst.FunctionDef, a) -> None:
        if self.is_module:
            return  # declared and walked on its own
        fi = self.u.new_func(f"{self.fi.fid}.{node.name.value}", node, self.mod, None, "function", self.fi, a)
        self.root.created.append(fi.fid)
        for d in node.decorators:
            self.expr(d.decorator)
        w = Walker(self.u, fi, self)
        w.walk_function()
        fi.walked = True
        self.u.finish(w)
        self.root.nested.append(w)
        self.store_name(node.name.value, Val(fn=ir.FuncRef(fi.fid)))

    # ---- control flow --------------------------------------------------
    def state(self):
        return (self.held, self.released, self.terminated)

    def branch(self, fn):
        held, released, term = self.held, self.released, self.terminated
        bid = self.next_id()
        self.branches.append(bid)
        try:
            fn()
        finally:
            self.branches.pop()
        out = (self.held, self.released, self.terminated)
        self.held, self.released, self.terminated = held, released, term
        return out

    def join(self, states) -> None:
        live = [s for s in states if not s[2]]
        if not live:
            self.terminated = True
            return
        held, released = live[0][0], live[0][1]
        for h, r, _ in live[1:]:
            held = held & h
            released = released | r
        self.held, self.released = held, released

    def if_stmt(self, node: cst.If, a) -> None:
        self.set_anchor(node.test, getattr(a, "test", None))
        self.seen_gets = []
        calls0 = self.calls
        trylock = self.trylock(node.test)
        self.expr(node.test)
        facts = self.facts(node.test, calls0)
        body_a = a.body if a is not None else []
        n0 = len(self.checks)

        def then():
            if trylock is not None:
                self.held = self.held | {trylock}
            self.checks.extend(facts)
            self.block(node.body, body_a)

        states = [self.branch(then)]
        always = self.always_true(node.test)
        del self.checks[n0:]
        inv = _invert(facts[0]) if len(facts) == 1 else None
        inverse = [inv] if inv is not None else []
        if node.orelse is not None:
            orelse_a = a.orelse if a is not None else []

            def other():
                self.checks.extend(inverse)
                if type(node.orelse) is cst.If:
                    self.if_stmt(node.orelse, orelse_a[0] if orelse_a else None)
                else:
                    self.block(node.orelse.body, orelse_a)

            states.append(self.branch(other))
        elif not always:
            states.append(self.state())
        self.join(states)
        if node.orelse is None and states[0][2] and not self.terminated:
            # `if k in d: return d[k]` — what follows runs only when k was absent.
            self.checks.extend(inverse)

    def always_true(self, test) -> bool:
        """`if _lock:` — a lock object is always true (logging's helpers)."""
        if type(test) in (cst.Name, cst.Attribute,):
            v = self.peek(test)
            return v is not None and v.kind in LOCK_KINDS
        return False

    def facts(self, test, calls0: int) -> list[Check]:
        """What the then-branch of `if test:` may rely on about dicts."""
        out: list[Check] = []
        if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
            inner = self.facts(test.expression, calls0)
            return [f for f in (_invert(x) for x in inner) if f is not None] if len(inner) == 1 else []
        if type(test) is cst.BooleanOperation:
            left = self.facts(test.left, calls0)
            right = self.facts(test.right, calls0)
            if type(test.operator) is cst.And:
                return left + right
            return [f for f in left + right if f.pol == "absent"]
        if type(test) is cst.Comparison and len(test.comparisons) == 1:
            c = test.comparisons[0]
            op = c.operator
            if type(op) in (cst.In, cst.NotIn,):
                d = self.peek(c.comparator)
                if d is not None and self.dictish(d):
                    pol = "present" if type(op) is cst.In else "absent"
                    out.append(Check(pol, d.ref, self.text(test.left), calls0, self.held, self.lazy_span(test)))
                return out
            if type(op) in (cst.Is, cst.IsNot, cst.Equal, cst.NotEqual,) and _is_none(c.comparator):
                g = self.getof(test.left)
                if g is not None:
                    pol = "absent" if type(op) in (cst.Is, cst.Equal,) else "present"
                    out.append(Check(pol, g[0], g[1], min(calls0, g[2]), g[3] & self.held, self.lazy_span(test), True))
                return out
            if type(op) in (cst.GreaterThan, cst.GreaterThanEqual, cst.NotEqual,) and type(test.left) is cst.Call:
                if dotted(test.left.func) == "len" and test.left.args:
                    d = self.peek(test.left.args[0].value)
                    if d is not None and self.dictish(d):
                        out.append(Check("full", d.ref, "", calls0, self.held, self.lazy_span(test)))
            return out
        if type(test) in (cst.Name, cst.Attribute,) or (type(test) is cst.Call and dotted(test.func) == "len"
                                                          and test.args):
            # `if pending:` / `while len(pending):` — not empty, so popitem() may run.
            d = self.peek(test if type(test) is not cst.Call else test.args[0].value)
            if d is not None and self.dictish(d) and d.getof is None:
                out.append(Check("full", d.ref, "", calls0, self.held, self.lazy_span(test)))
                return out
        g = self.getof(test)
        if g is not None:
            out.append(Check("present", g[0], g[1], min(calls0, g[2]), g[3] & self.held, self.lazy_span(test), True))
        return out

    def getof(self, node):
        """(dict ref, key text, calls, held) when node is a value read from a
        dict: `d.get(k)`, `d[k]`, or a local bound to one."""
        if type(node) is cst.Name:
            v = self.peek(node)
            return v.getof if v is not None else None
        if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "get":
            d = self.peek(node.func.value)
            if d is not None and self.dictish(d) and node.args:
                return (d.ref, self.text(node.args[0].value), self.calls, self.held, None)
        return None

    def peek(self, node) -> Val | None:
        """The value of a simple expression without emitting anything."""
        if type(node) is cst.Name:
            return self.load_name(node.value)
        if type(node) is cst.Attribute:
            base = self.peek(node.value)
            if base is None:
                return None
            return self.attr_of(base, node.attr.value, emit=False)
        return None

    def trylock(self, test):
        if type(test) is cst.Call and type(test.func) is cst.Attribute and test.func.attr.value == "acquire":
            lv = self.peek(test.func.value)
            if lv is not None and self.is_lock(lv, test.func.value):
                return ir.Held(lv.ref)
        return None

    def new_loop(self) -> int:
        return self.next_id()

    def for_stmt(self, node: cst.For, a) -> None:
        self.set_anchor(node.iter, getattr(a, "iter", None))
        self.seen_gets = []
        it = self.expr(node.iter)
        self.iterate(node.iter, it, "for")
        loop = self.new_loop()
        self.loops.append(loop)
        self.calls += 1
        entry = (self.held, self.released)
        waits_after = list(it.awaits) if it.view == "results" else []
        elem = self.element_of(it, node.iter)
        self.store(node.target, elem, None)
        term = self.terminated
        self.loop_waits.append([])
        self.block(node.body, a.body if a is not None else [])
        self.loops.pop()
        for wait in self.loop_waits.pop():
            self.emit(_relocate(wait, tuple(self.loops)))
        self.held = entry[0] & self.held
        self.released = entry[1] | self.released
        self.terminated = term
        if node.orelse is not None:
            self.block(node.orelse.body, a.orelse if a is not None else [])
        for g in waits_after:
            self.emit(ir.Wait(self.line_span(), tuple(self.loops), g, "join"))

    def element_of(self, it: Val, node=None) -> Val:
        """The loop variable's value when iterating `it` (the loop is pushed)."""
        if it.elem is not None:
            e = it.elem
            if e.alts:
                e = e.with_(alts=tuple(self.per_iteration(a, {}) for a in e.alts))
            e = self.per_iteration(e, {})
            if e.future is not None or e.spec is not None or e.kind in ("thread", "timer", "future"):
                return e.with_(one_of=True)
            return e
        if it.view == "values" and it.ref is not None:
            return self.element(it, None)
        if it.view == "items" and it.ref is not None:
            return Val(kind="tuple", elem=None, fresh=True)
        return NONE

    def element(self, d: Val, getof) -> Val:
        ref = d.ref.extend("[]", (d.ref.fieldkey + "[]") if d.ref.fieldkey else "") if d.ref is not None else None
        tkey = ("e", d.tkey) if d.tkey is not None else None
        elem = d.elem
        if elem is None and d.kind == "defaultdict" and d.factory:
            elem = None
        v = Val(ref=ref, tkey=tkey, getof=getof, calls=self.calls)
        if elem is not None:
            v = v.with_(kind=elem.kind, factory=elem.factory, elem=elem.elem, cid=elem.cid, spec=elem.spec,
                        fn=elem.fn, future=elem.future, awaits=elem.awaits)
        elif tkey is not None:
            v = _merge_info(v, self.kind_now(tkey))
        return v

    def per_iteration(self, v: Val, seen: dict) -> Val:
        """An element of a collection built in an earlier loop, one object per
        iteration there (`workers = [Worker() for _ in range(n)]`), is again a
        different object in each iteration of this loop: it counts as declared
        in this loop too (so do the receiver and the arguments of a thread it
        describes), and threads started here do not share it."""
        def each(r):
            if isinstance(r, ir.FuncRef):
                if r.recv is not None:
                    each(r.recv)
                return
            if not isinstance(r, ir.Ref):
                return
            declared = self.s.local_loops.get(r.root)
            if not declared or r.root not in self.s.locals_fresh or set(declared) <= set(self.loops):
                return
            self.s.local_loops[r.root] = tuple(declared) + tuple(lp for lp in self.loops if lp not in declared)

        if v.spec is not None:
            each(v.spec.fn)
            for a in v.spec.args:
                each(a)
        elif v.cid is not None and v.ref is not None:
            each(v.ref)
        return v

    def iterate(self, node, it: Val, how: str) -> None:
        """Iterating it in Python code: `for`, a comprehension, a generator."""
        if it.view in ("", "keys", "values", "items", "iter") and self.dictish(it):
            self.access(node, it, ir.ITERATE, "iterate")

    def while_stmt(self, node: cst.While, a) -> None:
        self.set_anchor(node.test, getattr(a, "test", None))
        calls0 = self.calls
        self.expr(node.test)
        facts = self.facts(node.test, calls0)  # `while pending: pending.popitem()` acts on a check
        loop = self.new_loop()
        self.loops.append(loop)
        self.calls += 1
        entry = (self.held, self.released)
        term = self.terminated
        n0 = len(self.checks)
        self.checks.extend(facts)
        self.block(node.body, a.body if a is not None else [])
        del self.checks[n0:]
        self.loops.pop()
        self.held = entry[0] & self.held
        self.released = entry[1] | self.released
        infinite = type(node.test) is cst.Name and node.test.value == "True"
        self.terminated = term
        if node.orelse is not None:
            self.block(node.orelse.body, a.orelse if a is not None else [])
        if infinite and not _has_break(node.body):
            self.terminated = True

    def with_stmt(self, node: cst.With, a) -> None:
        added: list[ir.Held] = []
        waits: list[ir.Ref] = []
        for i, item in enumerate(node.items):
            ia = a.items[i].context_expr if a is not None and i < len(a.items) else None
            self.set_anchor(item.item, ia)
            v = self.expr(item.item)
            if self.is_lock(v, item.item):
                h = ir.Held(self.lock_in_container(item.item) or v.ref)
                if h not in self.held:
                    added.append(h)
                    self.held = self.held | {h}
            if v.kind in ("executor", "pool") and v.ref is not None:
                waits.append(v.ref)
            if item.asname is not None:
                self.store(item.asname.name, v if v.kind in ("executor", "pool", "tserver") or v.cid else NONE, None)
        self.block(node.body, a.body if a is not None else [])
        term = self.terminated
        self.terminated = False
        for h in added:
            self.held = frozenset(x for x in self.held if x != h)
        for r in waits:
            self.emit(ir.Wait(self.line_span(), tuple(self.loops), r, "shutdown"))
        self.terminated = term

    def try_stmt(self, node, a) -> None:
        entry = self.state()
        n0 = len(self.checks)
        self.try_lookups.append([])
        self.block(node.body, a.body if a is not None else [])
        looked = self.try_lookups.pop()
        body_state = self.state()
        states = []
        for i, h in enumerate(node.handlers):
            ha = a.handlers[i] if a is not None and i < len(a.handlers) else None
            catches_key = h.type is None or (dotted(h.type) or "").rsplit(".", 1)[-1] in (
                "KeyError", "LookupError", "Exception", "BaseException")

            def run(h=h, ha=ha, catches_key=catches_key):
                self.held, self.released, self.terminated = entry
                if catches_key:
                    self.checks.extend(Check("absent", r, k, c, held, sp) for r, k, c, held, sp in looked)
                if h.type is not None:
                    self.expr(h.type)
                if h.name is not None and type(h.name.name) is cst.Name:
                    self.store_name(h.name.name.value, NONE)
                self.block(h.body, ha.body if ha is not None else [])
                del self.checks[n0:]

            states.append(self.branch(run))
        self.held, self.released, self.terminated = body_state
        if node.orelse is not None:
            self.block(node.orelse.body, a.orelse if a is not None else [])
            body_state = self.state()
        self.join([body_state] + states)
        if body_state[2] and looked and not self.terminated:
            self.checks.extend(Check("absent", r, k, c, held, sp) for r, k, c, held, sp in looked)
        if node.finalbody is not None:
            term = self.terminated
            self.terminated = False
            self.block(node.finalbody.body, a.finalbody if a is not None else [])
            self.terminated = self.terminated or term

    def wait(self, node, v: Val, ref: ir.Ref, kind: str) -> None:
        """A join/result on v; on one element of a collection of threads or
        futures, it orders only that one: it counts once the loop over the
        collection is done."""
        ev = ir.Wait(self.span(node), tuple(self.loops), ref, kind)
        if v.one_of and self.loop_waits:
            if all(w.obj != ref for w in self.loop_waits[-1]):
                self.loop_waits[-1].append(ev)
            return
        self.emit(ev)

    # ---- assignment ----------------------------------------------------
    def assign(self, node: cst.Assign) -> None:
        targets = [t.target for t in node.targets]
        calls0 = self.calls
        self.seen_gets = []
        v = self.expr(node.value, result_target=targets[0] if len(targets) == 1 else None)
        gets = list(self.seen_gets)
        for t in targets:
            self.store(t, v, node.value, gets=gets, calls0=calls0)

    def store(self, target, v: Val, value_node, gets=(), calls0: int | None = None) -> None:
        if type(target) is cst.Name:
            self.store_name(target.value, v, target)
            return
        if type(target) in (cst.Tuple, cst.List,):
            for e in target.elements:
                sub = v.elem if v.elem is not None else NONE
                self.store(e.value, sub, None)
            return
        if type(target) is cst.StarredElement:
            self.store(target.value, NONE, None)
            return
        if type(target) is cst.Attribute:
            base = self.expr(target.value)
            self.store_attr(base, target.attr.value, v)
            return
        if type(target) is cst.Subscript:
            d = self.expr(target.value)
            k, ktext, knode = self.subscript_key(target)
            if d.elem is not None and not self.dictish(d):
                return
            if d.tkey is not None:
                self.u.add_source(("e", d.tkey), v)
            if _is_str(knode):
                self.evidence(d)
            op = "insert"
            held = None
            for g in gets:
                if g.getof is not None and g.getof[0] == d.ref and g.getof[1] == ktext:
                    op = "get-set" if g.getof[4] == "call" else "rmw"
                    held = self.held & g.getof[3]
                    if op == "rmw" and self.calls > g.getof[2]:
                        op = "rmw+call"
                    break
            if op == "insert":
                chk = self.active_check("absent", d.ref, ktext)
                if chk is not None:
                    op = "check-insert" + ("+call" if chk.via_call or self.calls > chk.calls else "")
                    held = self.held & chk.held
                    self.note_check(target, chk)
            self.access(target, d, ir.WRITE, op, knode, k, held=held)
            return
        self.expr(target)

    def store_attr(self, base: Val, name: str, v: Val) -> None:
        if base.cid is not None:
            kind, owner = self.u.attr_owner(base.cid, name)
            if kind == "class":
                self.u.add_source(("c", owner, name), v)
            else:
                self.u.add_source(("i", owner, name), v)
                if v.spec is not None and base.ref is not None:
                    self.u.class_specs[(owner, name)] = _rebase_spec(v.spec, base.ref.root, "@self")
                if base.ref is not None and v.ref is not None and not v.fresh and not v.ref.root.startswith("recv:"):
                    # `self.seen = seen`: the object now reaches the caller's dict
                    # (or lock) through this field.
                    self.emit(ir.Store(self.line_span(), tuple(self.loops), base.ref.extend(name, f"{owner}.{name}"),
                                       v.ref))
            return
        if base.cls is not None:
            kind, owner = self.u.attr_owner(base.cls, name)
            self.u.add_source(("c", owner, name), v)
            return
        if base.module is not None:
            self.u.add_source(("g", base.module, name), v)
            return
        if base.tkey is not None:
            self.u.add_source(("u", name), v)

    def augassign(self, node: cst.AugAssign) -> None:
        target = node.target
        calls0 = self.calls
        if type(target) is cst.Subscript:
            d = self.expr(target.value)
            k, ktext, knode = self.subscript_key(target)
            if _is_str(knode):
                self.evidence(d)
            v = self.expr(node.value)
            op = "rmw" + ("+call" if self.calls > calls0 else "")
            parent = None
            if d.tkey is not None and d.tkey[0] == "e":
                parent = d.tkey[1]
            self.access(target, d, ir.WRITE, op, knode, k, parent=parent)
            return
        v = self.expr(node.value)
        cur = self.expr(target)
        if type(node.operator) in (cst.BitOrAssign,) and self.dictish(cur):
            self.access(target, cur, ir.WRITE, "update")
        if type(node.operator) is cst.AddAssign and type(target) is cst.Name and v.elem is not None \
                and (cur.kind == "list" or cur.elem is not None):
            # `threads += [Thread(…) for …]`: the list now holds both kinds of element.
            elem = cur.elem
            for r in variants(v.elem):
                elem = merge_elem(elem, r)
            self.store_name(target.value, Val(kind="list", fresh=True, elem=elem))
            return
        if type(target) is cst.Name:
            self.store_name(target.value, cur if cur.ref is not None else v)

    def delete(self, t) -> None:
        if type(t) is cst.Subscript:
            d = self.expr(t.value)
            k, ktext, knode = self.subscript_key(t)
            op, held = "delete", None
            chk = self.active_check("present", d.ref, ktext) or self.first_key(d, k)
            if chk is not None:
                op = "check-delete" + ("+call" if chk.via_call or self.calls > chk.calls else "")
                held = self.held & chk.held
                self.note_check(t, chk)
            self.access(t, d, ir.WRITE, op, knode, k, held=held)
            return
        if type(t) is cst.Name:
            self.env.pop(t.value, None)
            return
        self.expr(t)

    def first_key(self, d: Val, k: Val | None) -> Check | None:
        """`oldest = next(iter(d))` then `del d[oldest]`: two threads evict the same key."""
        if k is not None and k.getof is not None and k.getof[1] == "<first>" and k.getof[0] == d.ref:
            return Check("present", d.ref, "<first>", k.getof[2], k.getof[3], self.span(None), True)
        return None

    def active_check(self, pol: str, ref: ir.Ref | None, key: str) -> Check | None:
        if ref is None:
            return None
        for c in reversed(self.checks):
            if c.pol == pol and c.ref == ref and (c.key == key or pol == "full"):
                return c
        return None

    def lazy_span(self, node):
        """A span computed only if it is ever used (most checks never are:
        finding a source position renders the node's code)."""
        return (node, self.anchor)

    def note_check(self, node, chk: Check) -> None:
        sp = self.span(node)
        span = chk.span
        if isinstance(span, tuple):
            cnode, anchor = span
            span = self.pos.span(cnode, anchor) if anchor is not None else ir.Span(
                self.mod.file.shown, self.s.span.line, self.s.span.col)
        self.u.check_sites[f"{sp.path}:{sp.line}:{sp.col}"] = span

    def subscript_key(self, node: cst.Subscript):
        if len(node.slice) == 1 and type(node.slice[0].slice) is cst.Index:
            knode = node.slice[0].slice.value
            k = self.expr(knode)
            return k, self.text(knode), knode
        for el in node.slice:
            if type(el.slice) is cst.Index:
                self.expr(el.slice.value)
        return NONE, self.text(node), None

    # ---- locks ---------------------------------------------------------
    def lock_in_container(self, node) -> ir.Ref | None:
        """`with self._locks[hash(key) % N]:`: a lock picked from a list or
        dict of locks is known as an element of it (`_locks[]`: one lock per
        key, a striped lock), not as the object the comprehension made."""
        if type(node) is not cst.Subscript:
            return None
        cont = self.peek(node.value)
        if cont is None or cont.ref is None:
            return None
        fk = f"{cont.ref.fieldkey}[]" if cont.ref.fieldkey else ""
        return cont.ref.extend("[]", fk)

    def is_lock(self, v: Val, node) -> bool:
        if v.kind in LOCK_KINDS:
            return True
        if v.kind is not None or v.cid is not None or v.ref is None:
            return False
        name = dotted(node) or ""
        return bool(LOCKLIKE.search(name))

    # ---- expressions ---------------------------------------------------
    def expr(self, node, statement: bool = False, result_target=None) -> Val:  # noqa: C901
        if node is None:
            return NONE
        t = type(node)
        if t is cst.Name:
            v = self.load_name(node.value)
            if v.getof is not None:
                self.seen_gets.append(v)
            return v
        if t is cst.Attribute:
            base = self.expr(node.value)
            return self.attr_of(base, node.attr.value, emit=True, node=node)
        if t is cst.Subscript:
            return self.load_subscript(node)
        if t is cst.Call:
            return self.call(node, statement, result_target)
        if t in (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis):
            return NONE
        if t is cst.ConcatenatedString:
            self.expr(node.left)
            self.expr(node.right)
            return NONE
        if t is cst.FormattedString:
            for p in node.parts:
                if type(p) is cst.FormattedStringExpression:
                    self.expr(p.expression)
            return NONE
        if t is cst.BinaryOperation:
            left = self.expr(node.left)
            right = self.expr(node.right)
            if type(node.operator) is cst.BitOr and self.dictish(left):
                return Val(kind="dict", fresh=True)
            if type(node.operator) is cst.Add and (left.elem is not None or right.elem is not None):
                elem = left.elem
                for r in variants(right.elem) if right.elem is not None else ():
                    elem = merge_elem(elem, r)
                return Val(kind="list", fresh=True, elem=elem)
            return Val(getof=left.getof) if left.getof is not None else NONE
        if t is cst.BooleanOperation:
            left = self.expr(node.left)
            right = self.expr(node.right)
            return left if left.getof is not None else (right if right.ref is not None else left)
        if t is cst.UnaryOperation:
            self.expr(node.expression)
            return NONE
        if t is cst.Comparison:
            left = self.expr(node.left)
            for c in node.comparisons:
                r = self.expr(c.comparator)
                if type(c.operator) in (cst.In, cst.NotIn,) and self.dictish(r) and not r.view:
                    self.access(c.comparator, r, ir.READ, "lookup")
                elif type(c.operator) in (cst.In, cst.NotIn,) and self.dictish(r) and r.view in ("keys", "items"):
                    self.access(c.comparator, r, ir.READ, "lookup")
            return NONE
        if t is cst.IfExp:
            self.expr(node.test)
            a = self.expr(node.body)
            b = self.expr(node.orelse)
            return a if a.ref is not None or a.kind else b
        if t is cst.Lambda:
            return self.lambda_(node)
        if t in (cst.Dict,):
            elem = None
            for e in node.elements:
                if type(e) is cst.StarredDictElement:
                    sv = self.expr(e.value)
                    if self.dictish(sv):
                        self.access(e.value, sv, ir.READ, "copy")
                    continue
                self.expr(e.key)
                ev = self.expr(e.value)
                if elem is None and (ev.kind or ev.spec or ev.fn or ev.future or ev.awaits):
                    elem = ev
            return Val(kind="dict", fresh=True, elem=elem)
        if t in (cst.List, cst.Tuple, cst.Set):
            elem = None
            for e in node.elements:
                ev = self.expr(e.value)
                if type(e) is cst.StarredElement and ev.elem is not None:
                    ev = ev.elem
                if elem is None and (ev.kind or ev.spec or ev.fn or ev.future or ev.awaits or ev.cid):
                    elem = ev
            kind = {cst.List: "list", cst.Tuple: "tuple", cst.Set: "set"}[t]
            return Val(kind=kind, fresh=True, elem=elem)
        if t in (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp):
            return self.comprehension(node)
        if t is cst.Await:
            v = self.expr(node.expression)
            for g in v.awaits:
                self.emit(ir.Wait(self.span(node), tuple(self.loops), g, "await"))
            if v.elem is not None and v.elem.awaits:
                for g in v.elem.awaits:
                    self.emit(ir.Wait(self.span(node), tuple(self.loops), g, "await"))
            return v.with_(awaits=())
        if t is cst.NamedExpr:
            v = self.expr(node.value)
            self.store(node.target, v, node.value)
            return self.expr(node.target) if type(node.target) is cst.Name else v
        if t in (cst.Yield,):
            if node.value is not None and not type(node.value) is cst.From:
                self.expr(node.value)
            elif type(node.value) is cst.From:
                self.expr(node.value.item)
            return NONE
        if t is cst.StarredElement:
            return self.expr(node.value)
        if t is cst.Slice:
            return NONE
        return NONE

    def lambda_(self, node: cst.Lambda) -> Val:
        fi = self.u.new_func(f"{self.fi.fid}.<lambda@{self.anchor.line if self.anchor else 0}>", node, self.mod,
                             None, "lambda", self.fi)
        self.root.created.append(fi.fid)
        fi.summary.span = self.span(node)
        w = Walker(self.u, fi, self, anchor=self.anchor)
        w.held = frozenset()
        w.walk_function()
        self.u.finish(w)
        self.root.nested.append(w)
        return Val(fn=ir.FuncRef(fi.fid))

    def comprehension(self, node) -> Val:
        """A comprehension or generator: its own scope, one loop per `for`."""
        scope: dict[str, Val] = {}
        depth = 0
        f = node.for_in
        first = True
        while f is not None:
            if first:
                it = self.expr(f.iter)  # evaluated in the enclosing scope
                first = False
            else:
                self.comp.append(scope)
                it = self.expr(f.iter)
                self.comp.pop()
            self.iterate(f.iter, it, "comprehension")
            self.loops.append(self.new_loop())
            self.calls += 1
            depth += 1
            self.comp.append(scope)
            for nm in _target_names(f.target):
                scope[nm] = NONE
            self.store(f.target, self.element_of(it, f.iter), None)
            for cond in f.ifs:
                self.expr(cond.test)
            self.comp.pop()
            f = f.inner_for_in
        self.comp.append(scope)
        self.loop_waits.append([])
        if type(node) is cst.DictComp:
            kv = self.expr(node.key)
            ev = self.expr(node.value)
            if kv.future or kv.spec or kv.awaits:
                ev = kv
        else:
            ev = self.expr(node.elt)
        self.comp.pop()
        for _ in range(depth):
            self.loops.pop()
        for wait in self.loop_waits.pop():
            self.emit(_relocate(wait, tuple(self.loops)))
        kind = {cst.ListComp: "list", cst.SetComp: "set", cst.GeneratorExp: "gen", cst.DictComp: "dict"}[type(node)]
        elem = ev if (ev.spec or ev.fn or ev.future or ev.awaits or ev.cid or ev.kind) else None
        return Val(kind=kind, fresh=True, elem=elem, awaits=ev.awaits)

    def load_subscript(self, node: cst.Subscript) -> Val:
        d = self.expr(node.value)
        k, ktext, knode = self.subscript_key(node)
        if d.ref is None or not self.dictish(d):
            if d.elem is not None:
                return d.elem
            return NONE
        if _is_str(knode):
            self.evidence(d)
        chk = self.active_check("present", d.ref, ktext)
        if chk is not None:
            op = "check-lookup" + ("+call" if chk.via_call or self.calls > chk.calls else "")
            self.note_check(node, chk)
            self.access(node, d, ir.READ, op, knode, k, held=self.held & chk.held)
        else:
            self.access(node, d, ir.READ, "lookup", knode, k)
        if self.try_lookups:
            self.try_lookups[-1].append((d.ref, ktext, self.calls, self.held, self.lazy_span(node)))
        getof = (d.ref, ktext, self.calls, self.held, "subscript")
        v = self.element(d, getof)
        self.seen_gets.append(v)
        return v

    def attr_of(self, base: Val, name: str, emit: bool = True, node=None) -> Val:
        if base.module is not None:
            mod = self.u.mods.get(base.module)
            if mod is None:
                return NONE
            return self.global_val(mod, name)
        if base.ext is not None:
            return Val(ext=f"{base.ext}.{name}")
        if base.cls is not None:
            return self.class_member(base.cls, name, None)
        if base.cid is not None:
            return self.instance_member(base, name, emit, node)
        if self.dictish(base) and name in ("items", "keys", "values"):
            return base.with_(view=name, fresh=False, getof=None)
        if base.ref is not None and base.kind is None:
            return Val(ref=base.ref.extend(name), tkey=("u", name))
        return NONE

    def class_member(self, cid: str, name: str, recv: ir.Ref | None) -> Val:
        fid = self.u.method(cid, name)
        if fid is not None:
            return Val(fn=ir.FuncRef(fid, recv))
        kind, owner = self.u.attr_owner(cid, name)
        key = ("c", owner, name)
        return _merge_info(Val(ref=self.u.class_ref(owner, name), tkey=key), self.kind_now(key))

    def instance_member(self, base: Val, name: str, emit: bool, node) -> Val:
        cid = base.cid
        if cid not in self.u.pkg.struct_types and cid not in self.u.handler_classes:
            return NONE  # a threading.local subclass: every thread has its own attributes
        fid = self.u.method(cid, name)
        if fid is not None:
            fi = self.u.funcs.get(fid)
            if fi is not None and fi.kind == "property":
                ret = self.kind_now(("ret", fid))
                used = self.in_place_result(ret, name) if emit else None
                if emit:
                    self.emit_call(node, ir.FuncRef(fid, base.ref), [], used.root if used is not None else None)
                if used is not None:
                    return ret.with_(ref=used, fresh=False, tkey=("ret", fid))
                return ret if ret is not None else NONE
            if fi is not None and fi.kind == "static":
                return Val(fn=ir.FuncRef(fid))
            return Val(fn=ir.FuncRef(fid, base.ref))
        kind, owner = self.u.attr_owner(cid, name)
        if kind == "class":
            return self.class_member(owner, name, None)
        if name == "server" and cid in self.u.handler_classes:
            server = self.handler_server(cid)
            if server is not None:
                # A request handler's `self.server`: the one server object
                # every request shares, known by its class (ir: a "t:" root).
                return Val(ref=ir.Ref(f"t:{server}", (), "", server), cid=server)
        key = ("i", owner, name)
        ref = base.ref.extend(name, f"{owner}.{name}") if base.ref is not None else None
        info = self.kind_now(key)
        v = _merge_info(Val(ref=ref, tkey=key), info)
        spec = self.class_spec(owner, name)
        if spec is not None and base.ref is not None:
            v = v.with_(spec=_rebase_spec(spec, "@self", base.ref))
        if info is not None and info.kind == "local":
            return Val(kind="local")
        return v

    # ---- calls ---------------------------------------------------------
    def call(self, node: cst.Call, statement: bool = False, result_target=None) -> Val:  # noqa: C901
        self.calls += 1
        func = node.func
        if type(func) is cst.Attribute:
            base = self.expr(func.value)
            name = func.attr.value
            if base.module is None and base.ext is None and base.cls is None:
                return self.method_call(node, base, name, func.value, result_target)
            fv = self.attr_of(base, name, emit=True, node=func)
        else:
            fv = self.expr(func)
        if fv.ext is not None:
            return self.ext_call(node, fv.ext, result_target)
        if fv.cls is not None:
            return self.construct(node, fv.cls, result_target)
        if fv.fn is not None:
            return self.call_func(node, fv, result_target)
        if type(func) is cst.Name and func.value == "super":
            return Val(ext="super")
        self.eval_args(node)
        return NONE

    def eval_args(self, node: cst.Call) -> list[Val]:
        return [self.expr(a.value) for a in node.args]

    def split_args(self, node: cst.Call):
        pos, kw = [], {}
        for a in node.args:
            if a.keyword is not None:
                kw[a.keyword.value] = a
            elif a.star:
                kw.setdefault("*" + a.star, a)
            else:
                pos.append(a)
        return pos, kw

    def call_func(self, node: cst.Call, fv: Val, result_target=None) -> Val:
        fid = fv.fn.callee
        fi = self.u.funcs.get(fid)
        pos, kw = self.split_args(node)
        vals_pos = [self.expr(a.value) for a in pos]
        vals_kw = {k: self.expr(a.value) for k, a in kw.items()}
        if fi is None:
            return NONE
        args = self.map_args(fi, list(fv.bound) + vals_pos, vals_kw)
        result_sym = None
        if type(result_target) is cst.Name and not self.is_module and result_target.value not in self.globals_decl:
            result_sym = self.sym(result_target.value)
        ret = self.kind_now(("ret", fid))
        used = self.in_place_result(ret, f"{fid.rsplit('.', 1)[-1]}()") if result_sym is None else None
        if used is not None:
            result_sym = used.root
        self.emit_call(node, fv.fn, args, result_sym)
        v = ret.with_(ref=None, fresh=False) if ret is not None and ret.ref is not None else (ret or NONE)
        if used is not None:
            return v.with_(ref=used, tkey=("ret", fid))
        return v.with_(tkey=("ret", fid)) if v.tkey is None and not v.kind else v

    def in_place_result(self, ret: Val | None, name: str) -> ir.Ref | None:
        """`for k in obj.table():` / `router.routes.items()`: when a getter
        returns existing state (the object's own dict, a global), not a new
        dict, a symbol for the call to bind to what it returns, so that its
        use in place is an access to that dict."""
        if ret is None or ret.kind not in DICT_KINDS or ret.ref is None or ret.fresh or self.is_module:
            return None
        used = self.synth("returned", fresh=False)
        self.u.pkg.names[used.root] = name
        return used

    def map_args(self, fi: FuncInfo, pos: list, kw: dict) -> list[Val | None]:
        out: list = [None] * len(fi.params)
        for i, v in enumerate(pos):
            if i < len(out):
                out[i] = v
        for k, v in kw.items():
            if k in fi.params:
                out[fi.params.index(k)] = v
        for i, v in enumerate(out):
            if v is not None and fi.summary is not None and i < len(fi.params):
                self.u.add_source(("l", f"v:{fi.fid}:{fi.params[i]}"), v)
        return out

    def arg_value(self, v: Val | None):
        if v is None:
            return None
        if v.fn is not None and v.ref is None:
            return v.fn
        return v.ref

    def emit_call(self, node, fn: ir.FuncRef, args: list, result_sym) -> None:
        self.emit(ir.Call(self.line_span(), tuple(self.loops), fn.callee, tuple(self.arg_value(a) for a in args),
                          fn.recv, self.held, self.released, result_sym))
        eff = self.lock_effect(fn.callee)
        if eff:
            acq, rel = eff

            def here(r: ir.Ref):
                if r.root != "@self":
                    return r
                if fn.recv is None:
                    return None
                return ir.Ref(fn.recv.root, fn.recv.path + r.path, r.fieldkey, r.root_type)

            for r in rel:
                r = here(r)
                if r is None:
                    continue
                kept = frozenset(h for h in self.held if h.lock != r)
                if kept == self.held:
                    self.released = self.released | {r}
                self.held = kept
            for r in acq:
                r = here(r)
                if r is not None:
                    self.held = self.held | {ir.Held(r)}

    def construct(self, node: cst.Call, cid: str, result_target=None) -> Val:
        c = self.u.classes[cid]
        pos, kw = self.split_args(node)
        vals_pos = [self.expr(a.value) for a in pos]
        vals_kw = {k: self.expr(a.value) for k, a in kw.items()}
        if type(result_target) is cst.Name and (self.is_module or result_target.value in self.globals_decl):
            # A module-level singleton (`stats = StatsClient()`): the object
            # its constructor works on (and may start a thread on) is the global.
            ref = self.u.global_ref(self.mod.key, result_target.value)
        else:
            ref = self.synth(f"new {c.name}")
            self.u.pkg.types[ref.root] = cid
        init = self.u.method(cid, "__init__")
        if init is not None:
            fi = self.u.funcs[init]
            self.emit_call(node, ir.FuncRef(init, ref), self.map_args(fi, vals_pos, vals_kw), None)
        v = Val(ref=ref, cid=cid, fresh=True, kind=self.u.dict_base(cid))
        ext = c.all_ext(self.u)
        if ext & THREAD_BASES:
            run = self.u.method(cid, "run")
            if run is not None:
                v = v.with_(spec=ThreadSpec(ir.FuncRef(run, ref), (), "thread", f"{c.name}.start()"))
            else:
                target = vals_kw.get("target")
                if target is not None and target.fn is not None:
                    v = v.with_(spec=ThreadSpec(target.fn, (), "thread", f"{c.name}.start()"))
        if ext & SERVER_MIXINS:
            handler = vals_pos[1] if len(vals_pos) > 1 else vals_kw.get("RequestHandlerClass")
            if handler is not None and handler.cls is not None:
                self.register_handlers(node, handler.cls, f"{c.name} handler")
                if cid in self.u.pkg.struct_types:
                    self.u.handler_servers.setdefault(handler.cls, cid)
            v = v.with_(kind=None)
        return v

    def register_handlers(self, node, hcid: str, label: str) -> None:
        hc = self.u.classes[hcid]
        names = set(HANDLER_METHODS)
        for c in self.u.mro(hcid):
            names |= {m for m in self.u.classes[c].methods if m.startswith("do_")}
        for m in sorted(names):
            fid = self.u.method(hcid, m)
            if fid is None:
                continue
            self.pending_handlers.append(ir.Spawn(self.span(node), tuple(self.loops), fid, "handler", (), None,
                                                  many=True, label=f"{label} {hc.name}.{m}"))

    def flush_handlers(self) -> None:
        for sp in self.pending_handlers:
            self.emit(sp)
        self.pending_handlers = []

    def spawn(self, node, fn: ir.FuncRef | None, args: tuple, kind: str, group: ir.Ref | None, label: str,
              many: bool = False) -> None:
        if fn is None:
            return
        self.emit(ir.Spawn(self.span(node), tuple(self.loops), fn.callee, kind, args, fn.recv, group=group,
                           many=many, label=label))

    def spawn_task(self, node, fv: Val, argvals: list, kind: str, group: ir.Ref | None, label: str,
                   signal: ir.Ref | None, many: bool = False) -> None:
        """Start fv(*argvals) concurrently; when `signal` is given, a task
        wrapper signals it when the call returns (a future, an awaitable)."""
        fn = fv.fn
        if fn is None:
            return
        fi = self.u.funcs.get(fn.callee)
        if fi is None:
            return
        args = self.map_args(fi, list(fv.bound) + argvals, {})
        if signal is None:
            self.spawn(node, fn, tuple(self.arg_value(a) for a in args), kind, group, label, many)
            return
        wid = f"{self.fi.fid}$task{self.next_id()}"
        wfi = self.u.new_func(wid, None, self.mod, None, "task", self.fi)
        self.root.created.append(wfi.fid)
        ws = wfi.summary
        ws.span = self.span(node)
        ws.events = [
            ir.Call(ws.span, (), fn.callee, tuple(self.arg_value(a) for a in args), fn.recv),
            ir.Signal(ws.span, (), signal, "done", at_end=True),
        ]
        wfi.walked = True
        self.u.pkg.funcs[wid] = ws
        self.spawn(node, ir.FuncRef(wid), (), kind, group, label, many)

    def method_call(self, node: cst.Call, base: Val, name: str, base_node, result_target=None) -> Val:  # noqa: C901
        pos, kw = self.split_args(node)
        # Thread objects, executors, queues, events, futures.
        if name == "start" and base.spec is not None and not pos:
            for v in variants(base):
                if v.spec is not None:
                    sp = v.spec
                    self.spawn(node, sp.fn, sp.args, "thread", v.ref, sp.label or "threading.Thread")
            return NONE
        if name == "start" and base.kind == "tserver_thread":
            self.flush_handlers()
            return NONE
        if name == "join" and base.ref is not None and (
                base.spec is not None or base.kind in ("thread", "timer")
                or (base.cid is not None and self.u.is_subclass_ext(base.cid, THREAD_BASES))):
            self.eval_args(node)
            for v in variants(base):
                if v.ref is not None:
                    self.wait(node, base, v.ref, "join")
            return NONE
        if base.kind == "executor" or base.kind == "pool":
            return self.executor_call(node, base, name, pos, kw)
        if base.kind == "future" or base.future is not None:
            if name in ("result", "exception"):
                for v in variants(base):
                    ref = v.future or v.ref
                    if ref is not None:
                        self.wait(node, base, ref, "result")
                return NONE
            if name == "add_done_callback":
                vals = [self.expr(a.value) for a in pos]
                pool = self.future_pools.get(base.future or base.ref)
                if vals and vals[0].fn is not None and pool is not None:
                    # The callback of a future an executor returned here runs
                    # in the worker thread that finished the task (or at once,
                    # here, when it is already done): a task of the executor,
                    # which its shutdown waits for. (An asyncio future's runs
                    # on the event loop's thread.)
                    self.spawn_task(node, vals[0], [base], "executor", pool, "Future.add_done_callback", None)
                return NONE
        if base.kind == "queue":
            vals = [self.expr(a.value) for a in node.args]
            if name in ("put", "put_nowait") and base.ref is not None:
                val = vals[0] if vals else NONE
                self.emit(ir.Signal(self.span(node), tuple(self.loops), base.ref, "send", value=val.ref))
                return NONE
            if name in ("get", "get_nowait") and base.ref is not None:
                self.emit(ir.Wait(self.span(node), tuple(self.loops), base.ref, "recv"))
                root = f"recv:{self.fi.fid}:{self.next_id()}"
                self.u.pkg.recv_chan[root] = base.ref
                return Val(ref=ir.Ref(root), tkey=("e", base.tkey) if base.tkey else None)
            # task_done()/join() is a counter apart from the items put and got:
            # join() returns once every item got has been marked done, so what a
            # consumer did for its items is done (a consumer's last task_done()
            # ends its work, whatever branch it sits in).
            if name == "task_done" and base.ref is not None:
                self.emit(ir.Signal(self.span(node), tuple(self.loops), base.ref.extend("@tasks"), "done",
                                    at_end=True))
                return NONE
            if name == "join" and base.ref is not None:
                self.emit(ir.Wait(self.span(node), tuple(self.loops), base.ref.extend("@tasks"), "join"))
                return NONE
            return NONE
        if base.kind == "event":
            self.eval_args(node)
            if name == "set" and base.ref is not None:
                self.emit(ir.Signal(self.span(node), tuple(self.loops), base.ref, "set"))
            elif name == "wait" and base.ref is not None:
                self.emit(ir.Wait(self.span(node), tuple(self.loops), base.ref, "wait"))
            return NONE
        if base.kind == "tserver" or (base.cid and self.u.is_subclass_ext(base.cid, SERVER_MIXINS)):
            self.eval_args(node)
            if name in ("serve_forever", "handle_request"):
                self.flush_handlers()
                return NONE
            if name != "__init__" and base.cid is None:
                return NONE
        # Locks.
        handler = (name in ("acquire", "release") and base.cid is not None and base.ref is not None
                   and self.u.method(base.cid, name) is None and self.u.is_subclass_ext(base.cid, LOGGING_HANDLERS))
        if (name in ("acquire", "release") and self.is_lock(base, base_node)) or handler:
            self.eval_args(node)
            if handler:  # logging.Handler.acquire(): takes the handler's self.lock
                _, owner = self.u.attr_owner(base.cid, "lock")
                h = ir.Held(base.ref.extend("lock", f"{owner}.lock"))
            else:
                h = ir.Held(base.ref)
            if name == "acquire":
                self.held = self.held | {h}
            else:
                kept = frozenset(x for x in self.held if x.lock != h.lock)
                if kept == self.held:
                    self.released = self.released | {h.lock}
                self.held = kept
            return NONE
        if base.kind in ("cond",) and name in ("wait", "wait_for", "notify", "notify_all"):
            self.eval_args(node)
            return NONE
        # Dict operations (on a dict subclass, unless the class overrides the method).
        if self.dictish(base) and not (base.cid is not None and self.u.method(base.cid, name)):
            v = self.dict_method(node, base, name, pos, kw)
            if v is not None:
                return v
        # Collections of threads, futures, callbacks: remember what they hold.
        if name in ("append", "add", "insert", "appendleft", "extend") and base.cid is None and not self.dictish(base) \
                or (name in ("append", "add", "appendleft") and base.kind in ("list", "set")):
            vals = [self.expr(a.value) for a in node.args]
            item = vals[-1] if vals else NONE
            if name == "extend":
                item = item.elem or NONE
            if item.spec or item.future or item.fn or item.awaits or item.kind in ("thread", "timer", "future") \
                    or item.cid:
                if type(base_node) is cst.Name and base_node.value in self.env:
                    cur = self.env[base_node.value]
                    self.env[base_node.value] = cur.with_(elem=merge_elem(cur.elem, item))
                elif base.tkey is not None:
                    self.u.add_source(("e", base.tkey), item)
            return NONE
        # Methods of the unit's classes.
        if base.cid is not None:
            if name == "start" and self.u.is_subclass_ext(base.cid, THREAD_BASES):
                run = self.u.method(base.cid, "run")
                self.eval_args(node)
                if run is not None:
                    self.spawn(node, ir.FuncRef(run, base.ref), (), "thread", base.ref,
                               f"{self.u.classes[base.cid].name}.start()")
                return NONE
            fv = self.instance_member(base, name, False, node.func)
            if fv.fn is not None:
                return self.call_func(node, fv, result_target)
            if fv.spec is not None and name == "start":
                self.spawn(node, fv.spec.fn, fv.spec.args, "thread", fv.ref, fv.spec.label)
                return NONE
        if base.fn is not None and name in ("__call__",):
            return self.call_func(node, base, result_target)
        if name == "run_in_executor" and len(pos) >= 2:
            ex = self.expr(pos[0].value)
            fv = self.expr(pos[1].value)
            argv = [self.expr(a.value) for a in pos[2:]]
            aw = self.synth("future")
            self.spawn_task(node, fv, argv, "executor", ex.ref if ex.kind == "executor" else None,
                            "loop.run_in_executor", aw)
            return Val(kind="future", ref=aw, future=aw, awaits=(aw,))
        # A method of an object whose class we do not know: the one class of
        # the unit that defines it, unless the name is a common one.
        vals = [self.expr(a.value) for a in pos]
        kvals = {k: self.expr(a.value) for k, a in kw.items()}
        if base.cid is None and base.ref is not None and name not in COMMON_METHODS and not name.startswith("__"):
            fids = self.u.methods_named(name)
            if len(fids) == 1:
                fi = self.u.funcs[fids[0]]
                if fi.kind in ("method", "property"):
                    args = self.map_args(fi, vals, kvals)
                    self.emit_call(node, ir.FuncRef(fids[0], base.ref), args, None)
        return NONE

    def dict_method(self, node: cst.Call, d: Val, name: str, pos, kw) -> Val | None:  # noqa: C901
        vals = [self.expr(a.value) for a in pos]
        kvals = {k: self.expr(a.value) for k, a in kw.items()}
        key = vals[0] if vals else None
        ktext = self.text(pos[0].value) if pos else ""
        knode = pos[0].value if pos else None
        if name in DICT_ONLY_METHODS or (name == "pop" and len(vals) == 2):
            self.evidence(d)
        if name == "get":
            self.access(node, d, ir.READ, "lookup", knode, key)
            getof = (d.ref, ktext, self.calls, self.held, "call")
            v = self.element(d, getof)
            self.seen_gets.append(v)
            return v
        if name == "setdefault":
            self.access(node, d, ir.WRITE, "insert", knode, key)
            return self.element(d, None)
        if name == "pop":
            if len(vals) >= 2 or "default" in kvals:
                self.access(node, d, ir.WRITE, "delete", knode, key)
            else:
                chk = self.active_check("present", d.ref, ktext) or self.first_key(d, key)
                if chk is not None:
                    op = "check-delete" + ("+call" if chk.via_call or self.calls - 1 > chk.calls else "")
                    self.note_check(node, chk)
                    self.access(node, d, ir.WRITE, op, knode, key, held=self.held & chk.held)
                else:
                    self.access(node, d, ir.WRITE, "delete", knode, key)
            return self.element(d, None)
        if name == "popitem":
            chk = self.active_check("full", d.ref, "")
            if chk is not None:
                op = "check-delete+evict" + ("+call" if self.calls - 1 > chk.calls else "")
                self.note_check(node, chk)
                self.access(node, d, ir.WRITE, op, held=self.held & chk.held)
            else:
                self.access(node, d, ir.WRITE, "delete")
            return Val(kind="tuple", fresh=True)
        if name == "clear":
            self.access(node, d, ir.WRITE, "delete")
            return NONE
        if name in ("update", "subtract"):
            arg = vals[0] if vals else None
            form = "kw" if kvals else ("mapping" if arg is not None and (self.dictish(arg) or arg.kind == "dict")
                                       else "iterable")
            if arg is not None and self.dictish(arg):
                self.access(pos[0].value, arg, ir.READ, "copy")
            self.access(node, d, ir.WRITE, f"update+{form}" if name == "update" else "rmw+call")
            return NONE
        if name in ("items", "keys", "values"):
            return d.with_(view=name, fresh=False, getof=None)
        if name in ("copy", "__copy__"):
            self.access(node, d, ir.READ, "copy")
            return Val(kind=d.kind or "dict", fresh=True, factory=d.factory, elem=d.elem)
        if name == "move_to_end":
            chk = self.active_check("present", d.ref, ktext)
            if chk is not None:
                op = "check-move" + ("+call" if chk.via_call or self.calls - 1 > chk.calls else "")
                self.note_check(node, chk)
                self.access(node, d, ir.WRITE, op, knode, key, held=self.held & chk.held)
            else:
                self.access(node, d, ir.WRITE, "move", knode, key)
            return NONE
        if name == "most_common":
            if vals or kvals:
                self.access(node, d, ir.ITERATE, "iterate@Counter")
            else:
                self.access(node, d, ir.READ, "copy")
            return Val(kind="list", fresh=True)
        if name == "elements":
            return d.with_(view="iter", fresh=False)
        if name == "__contains__":
            self.access(node, d, ir.READ, "lookup", knode, key)
            return NONE
        if name == "__getitem__":
            self.access(node, d, ir.READ, "lookup", knode, key)
            return self.element(d, (d.ref, ktext, self.calls, self.held, "call"))
        if name == "__setitem__":
            self.access(node, d, ir.WRITE, "insert", knode, key)
            return NONE
        if name == "total":
            self.access(node, d, ir.READ, "copy")
            return NONE
        return None

    def executor_call(self, node: cst.Call, ex: Val, name: str, pos, kw) -> Val:
        label = "ThreadPoolExecutor" if ex.kind == "executor" else "ThreadPool"
        if name in ("submit", "apply_async") and pos:
            fv = self.expr(pos[0].value)
            if name == "submit":
                argv = [self.expr(a.value) for a in pos[1:]]
            else:
                av = self.expr(pos[1].value) if len(pos) > 1 else NONE
                argv = []
                if len(pos) > 1 and type(pos[1].value) in (cst.Tuple, cst.List,):
                    argv = [self.expr(e.value) for e in pos[1].value.elements]
                elif av.elem is not None:
                    argv = []
            for a in kw.values():
                self.expr(a.value)
            fut = self.synth("future")
            if ex.ref is not None:
                self.future_pools[fut] = ex.ref
            self.spawn_task(node, fv, argv, "executor", ex.ref, f"{label}.{name}", fut)
            return Val(kind="future", ref=fut, future=fut)
        if name in ("map", "imap", "imap_unordered", "map_async", "starmap", "starmap_async") and pos:
            fv = self.expr(pos[0].value)
            for a in pos[1:]:
                self.expr(a.value)
            done = self.synth("results")
            self.spawn_task(node, fv, [], "executor", ex.ref, f"{label}.{name}", done, many=True)
            if ex.kind == "pool" and name in ("map", "starmap"):
                self.emit(ir.Wait(self.span(node), tuple(self.loops), done, "map"))
                return Val(kind="list", fresh=True)
            return Val(kind="results", view="results", awaits=(done,))
        if name in ("shutdown", "join"):
            wait = True
            for a in node.args:
                if a.keyword is not None and a.keyword.value == "wait" and type(a.value) is cst.Name \
                        and a.value.value == "False":
                    wait = False
                elif a.keyword is None and type(a.value) is cst.Name and a.value.value == "False":
                    wait = False
            if wait and ex.ref is not None:
                self.emit(ir.Wait(self.span(node), tuple(self.loops), ex.ref, "shutdown"))
            return NONE
        self.eval_args(node)
        return NONE

    def ext_call(self, node: cst.Call, ext: str, result_target=None) -> Val:  # noqa: C901
        last = ext.rsplit(".", 1)[-1]
        head = ext.split(".", 1)[0]
        pos, kw = self.split_args(node)
        if last in ("Thread", "Timer") and head in ("threading", "Thread", "Timer"):
            vals = [self.expr(a.value) for a in pos]
            kvals = {k: self.expr(a.value) for k, a in kw.items()}
            if last == "Thread":
                target = kvals.get("target") or (vals[1] if len(vals) > 1 else None)
                args_v = kvals.get("args") or (vals[3] if len(vals) > 3 else None)
                args_node = kw["args"].value if "args" in kw else (pos[3].value if len(pos) > 3 else None)
            else:
                target = kvals.get("function") or (vals[1] if len(vals) > 1 else None)
                args_v = kvals.get("args") or (vals[2] if len(vals) > 2 else None)
                args_node = kw["args"].value if "args" in kw else (pos[2].value if len(pos) > 2 else None)
            argvals = self.tuple_items(args_node)
            kwvals = {}
            if "kwargs" in kw and isinstance(kw["kwargs"].value, cst.Dict):
                for e in kw["kwargs"].value.elements:
                    if type(e) is cst.DictElement and type(e.key) is cst.SimpleString:
                        kwvals[e.key.evaluated_value] = self.peek(e.value) or NONE
            ref = self.synth("thread")
            spec = None
            if target is not None and target.fn is not None:
                fi = self.u.funcs.get(target.fn.callee)
                if fi is not None:
                    args = self.map_args(fi, list(target.bound) + argvals, kwvals)
                    spec = ThreadSpec(target.fn, tuple(self.arg_value(a) for a in args), "thread",
                                      f"threading.{last}")
            elif target is not None and target.kind == "tserver_method":
                return Val(kind="tserver_thread", ref=ref, fresh=True)
            _ = args_v
            return Val(kind="thread", ref=ref, spec=spec, fresh=True)
        if last == "start_new_thread" and pos:
            fv = self.expr(pos[0].value)
            argvals = self.tuple_items(pos[1].value) if len(pos) > 1 else []
            self.spawn_task(node, fv, argvals, "thread", None, "_thread.start_new_thread", None)
            return NONE
        if last == "signal" and head == "signal" and len(pos) == 2:
            # A signal handler runs on the main thread between any two of its
            # bytecodes, while the other threads run too: like a thread of
            # its own, started when it is installed.
            self.expr(pos[0].value)
            fv = self.expr(pos[1].value)
            self.spawn_task(node, fv, [NONE, NONE], "thread", None, "signal handler", None)
            return NONE
        if last == "to_thread" and head == "asyncio" and pos:
            fv = self.expr(pos[0].value)
            argv = [self.expr(a.value) for a in pos[1:]]
            aw = self.synth("to_thread")
            self.spawn_task(node, fv, argv, "thread", None, "asyncio.to_thread", aw)
            return Val(awaits=(aw,))
        if last in ("gather", "wait", "as_completed", "create_task", "ensure_future", "shield", "wait_for") and \
                head in ("asyncio", "concurrent", "as_completed", "wait", "gather"):
            vals = [self.expr(a.value) for a in pos]
            for a in kw.values():
                self.expr(a.value)
            aw = tuple(g for v in vals for g in (v.awaits + (v.elem.awaits if v.elem is not None else ())))
            futs = tuple(r for v in vals for r in ((v.future,) if v.future else ()) + (
                (v.elem.future,) if v.elem is not None and v.elem.future else ()))
            if head == "concurrent" or ext in ("as_completed", "wait") or last in ("as_completed",):
                if last == "wait" and head != "asyncio":
                    for r in futs:
                        self.emit(ir.Wait(self.span(node), tuple(self.loops), r, "wait"))
                    return NONE
                if last == "as_completed":
                    elem = vals[0].elem if vals and vals[0].elem is not None else NONE
                    return Val(view="results", elem=elem, awaits=futs)
            return Val(awaits=aw + futs)
        if last == "partial" and pos:
            fv = self.expr(pos[0].value)
            bound = tuple(self.expr(a.value) for a in pos[1:])
            for a in kw.values():
                self.expr(a.value)
            if fv.fn is not None:
                return Val(fn=fv.fn, bound=fv.bound + bound)
            return NONE
        if last in ("deepcopy",) and head == "copy" and pos:
            v = self.expr(pos[0].value)
            if self.dictish(v):
                self.access(node, v, ir.ITERATE, "iterate")
            return Val(kind=v.kind, fresh=True) if v.kind else NONE
        if last == "copy" and head == "copy" and pos:
            v = self.expr(pos[0].value)
            if self.dictish(v):
                self.access(node, v, ir.READ, "copy")
            return Val(kind=v.kind, fresh=True) if v.kind else NONE
        if last in ("dumps", "dump") and head == "json" and pos:
            v = self.expr(pos[0].value)
            for a in pos[1:]:
                self.expr(a.value)
            indent = kw.get("indent")
            for a in kw.values():
                self.expr(a.value)
            if self.dictish(v):
                if indent is not None and not (type(indent.value) is cst.Name and indent.value.value == "None"):
                    self.access(node, v, ir.ITERATE, "iterate+json")
                else:
                    self.access(node, v, ir.READ, "copy")
            return NONE
        ctor = ctor_val(ext, node, self.u)
        if ctor is not None:
            vals = [self.expr(a.value) for a in pos]
            for a in kw.values():
                self.expr(a.value)
            if ctor.kind in DICT_KINDS or ctor.kind in ("list", "tuple", "set"):
                if vals and self.dictish(vals[0]) and not vals[0].view == "iter":
                    self.access(pos[0].value, vals[0], ir.READ, "copy")
                if ctor.kind == "defaultdict" and pos:
                    ctor = ctor.with_(factory=factory_kind(pos[0].value), elem=factory_elem(pos[0].value))
                if ctor.kind in ("list", "tuple", "set") and vals and vals[0].elem is not None:
                    ctor = ctor.with_(elem=vals[0].elem, awaits=vals[0].awaits)
                if ctor.kind in ("list", "tuple") and vals and vals[0].view == "results":
                    for g in vals[0].awaits:
                        self.emit(ir.Wait(self.span(node), tuple(self.loops), g, "map"))
            if ctor.kind == "tserver":
                handler = vals[1] if len(vals) > 1 else None
                if handler is not None and handler.cls is not None:
                    self.register_handlers(node, handler.cls, last)
            return ctor.with_(ref=self.synth(ctor.kind or "obj"))
        # Builtins.
        if last in ("min", "max") and head in ("min", "max", "builtins"):
            vals = [self.expr(a.value) for a in pos]
            keyf = kw.get("key")
            kv = self.expr(keyf.value) if keyf is not None else None
            for k, a in kw.items():
                if k != "key":
                    self.expr(a.value)
            if len(vals) == 1 and self.dictish(vals[0]):
                if kv is not None and kv.fn is not None:
                    self.access(node, vals[0], ir.ITERATE, "iterate")
                else:
                    self.access(node, vals[0], ir.READ, "copy")
            return NONE
        if last == "next" and head in ("next", "builtins") and pos:
            inner = pos[0].value
            if type(inner) is cst.Call and dotted(inner.func) == "iter" and inner.args:
                self.calls += 1
                d = self.expr(inner.args[0].value)
                if self.dictish(d):
                    self.access(inner.args[0].value, d, ir.READ, "copy")
                    self.evidence(d)
                    return Val(getof=(d.ref, "<first>", self.calls, self.held, "call"), calls=self.calls)
                return NONE
            for a in node.args:
                self.expr(a.value)
            return NONE
        if last in ITERATOR_WRAPPERS and head == last:
            vals = [self.expr(a.value) for a in pos]
            fn_first = last in ("map", "filter")
            for a in kw.values():
                self.expr(a.value)
            src = vals[1] if fn_first and len(vals) > 1 else (vals[0] if vals else NONE)
            if self.dictish(src):
                if fn_first and vals[0].fn is not None:
                    return src.with_(view="iter", fresh=False)
                if not fn_first:
                    return src.with_(view="iter", fresh=False)
            if last == "zip":
                for v in vals[1:]:
                    if self.dictish(v):
                        return v.with_(view="iter", fresh=False)
            return Val(elem=src.elem) if src.elem is not None else NONE
        if last in SNAPSHOT_CALLS and head == last:
            vals = [self.expr(a.value) for a in pos]
            for a in kw.values():
                self.expr(a.value)
            if vals and self.dictish(vals[0]) and vals[0].view != "iter":
                self.access(pos[0].value, vals[0], ir.READ, "lookup" if last == "len" else "copy")
            elif vals and self.dictish(vals[0]) and vals[0].view == "iter":
                self.access(pos[0].value, vals[0], ir.ITERATE, "iterate")
            if last in ("sorted", "list", "tuple") and vals and vals[0].view == "results":
                for g in vals[0].awaits:
                    self.emit(ir.Wait(self.span(node), tuple(self.loops), g, "map"))
            if last in ("list", "tuple", "sorted", "set") and vals and vals[0].elem is not None:
                return Val(kind="list", fresh=True, elem=vals[0].elem)
            return NONE
        if last == "super":
            return Val(ext="super")
        for a in node.args:
            v = self.expr(a.value)
        return NONE

    def tuple_items(self, node) -> list[Val]:
        if type(node) in (cst.Tuple, cst.List,):
            return [self.expr(e.value) for e in node.elements]
        if node is not None:
            self.expr(node)
        return []


def _wrapper_lock(deco: cst.FunctionDef):
    """("self", attr) / ("global", name) when a decorator's inner function
    calls the decorated function inside `with <first param>.<attr>:` or
    `with <module-level name>:`."""
    from maplint.frontends.python.unit import iter_small_statements

    fn_params = [p.name.value for p in deco.params.params]
    body = deco.body.body if type(deco.body) is cst.IndentedBlock else []
    for inner in body:
        if not type(inner) is cst.FunctionDef:
            continue
        ps = [p.name.value for p in inner.params.params]
        first = ps[0] if ps else (inner.params.star_arg.name.value if type(inner.params.star_arg) is cst.Param
                                  else None)
        stack = list(inner.body.body) if type(inner.body) is cst.IndentedBlock else []
        while stack:
            st = stack.pop()
            if type(st) is cst.With:
                calls = any(type(x) in (cst.Return, cst.Expr,) for x in iter_small_statements(st.body))
                for item in st.items:
                    e = item.item
                    if type(e) is cst.Attribute and type(e.value) is cst.Name and e.value.value == first \
                            and calls:
                        return ("self", e.attr.value)
                    if type(e) is cst.Name and e.value not in ps and e.value not in fn_params and calls:
                        return ("global", e.value)
            elif type(st) in (cst.If, cst.Try,):
                stack.extend(st.body.body if type(st.body) is cst.IndentedBlock else [])
    return None


def _ktext(node, depth: int = 0) -> str | None:
    if depth > 6:
        return None
    t = type(node)
    if t is cst.Name:
        return node.value
    if t is cst.Attribute:
        b = _ktext(node.value, depth + 1)
        return f"{b}.{node.attr.value}" if b else None
    if t in (cst.SimpleString, cst.Integer, cst.Float):
        return node.value
    if t is cst.Tuple:
        parts = [_ktext(e.value, depth + 1) for e in node.elements]
        return "(" + ", ".join(parts) + ")" if all(parts) else None
    if t is cst.Subscript:
        b = _ktext(node.value, depth + 1)
        ks = [_ktext(e.slice.value, depth + 1) if type(e.slice) is cst.Index else None for e in node.slice]
        return f"{b}[{', '.join(ks)}]" if b and all(ks) else None
    if t is cst.Call:
        f = _ktext(node.func, depth + 1)
        args = [_ktext(a.value, depth + 1) for a in node.args]
        if not f or not all(args) or any(a.keyword or a.star for a in node.args):
            return None
        return f"{f}({', '.join(args)})"
    if t is cst.FormattedString:
        return None
    if t is cst.BinaryOperation:
        a, b = _ktext(node.left, depth + 1), _ktext(node.right, depth + 1)
        return f"({a} {type(node.operator).__name__} {b})" if a and b else None
    return None


def _flat(t):
    if type(t) in (cst.Tuple, cst.List,):
        for e in t.elements:
            yield from _flat(e.value)
    else:
        yield t


def _target_names(t) -> list[str]:
    if type(t) is cst.Name:
        return [t.value]
    if type(t) in (cst.Tuple, cst.List,):
        return [n for e in t.elements for n in _target_names(e.value)]
    if type(t) is cst.StarredElement:
        return _target_names(t.value)
    return []


def _is_none(n) -> bool:
    return type(n) is cst.Name and n.value == "None"


def _is_str(n) -> bool:
    return type(n) in (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString,)


def _invert(c: Check) -> Check | None:
    pol = {"present": "absent", "absent": "present"}.get(c.pol)
    if pol is None:
        return None
    return Check(pol, c.ref, c.key, c.calls, c.held, c.span, c.via_call)


def _merge_info(v: Val, info: Val | None) -> Val:
    if info is None:
        return v
    return v.with_(kind=info.kind if info.kind not in (None,) else v.kind, cid=info.cid or v.cid,
                   factory=info.factory or v.factory, elem=info.elem or v.elem,
                   spec=v.spec, fn=info.fn if info.fn and not info.ref else v.fn)


def _rebase_spec(spec: ThreadSpec, old_root, new) -> ThreadSpec:
    """A spec stored on `self.attr` in one method, used from another: refs
    rooted at the storing method's self are rooted at the user's receiver."""
    def fix(r):
        if isinstance(r, ir.Ref):
            if isinstance(new, ir.Ref):
                if r.root == old_root:
                    return ir.Ref(new.root, new.path + r.path, r.fieldkey, r.root_type)
                return None
            return ir.Ref(new, r.path, r.fieldkey, r.root_type) if r.root == old_root else None
        if isinstance(r, ir.FuncRef):
            return ir.FuncRef(r.callee, fix(r.recv) if r.recv is not None else None)
        return r
    fn = fix(spec.fn) if spec.fn is not None else None
    return ThreadSpec(fn, tuple(fix(a) for a in spec.args), spec.kind, spec.label)


def _relocate(ev, loops):
    from dataclasses import replace

    return replace(ev, loops=loops)


def _with_branch(ev, branch):
    from dataclasses import replace

    return replace(ev, branch=branch)


def _has_break(body) -> bool:
    from maplint.frontends.python.unit import iter_small_statements

    for s in iter_small_statements(body):
        if type(s) in (cst.Break, cst.Return,):
            return True
    return False


def _collect_assigned(body, loc: set, globs: set, nonlocs: set) -> None:
    """Names bound in a function body (not in nested functions or classes)."""
    stack = [body]
    while stack:
        n = stack.pop()
        if type(n) in (cst.IndentedBlock, cst.SimpleStatementSuite,):
            stack.extend(n.body)
        elif type(n) is cst.SimpleStatementLine:
            stack.extend(n.body)
        elif type(n) is cst.Assign:
            for t in n.targets:
                loc.update(_target_names(t.target))
            _walrus(n.value, loc)
        elif type(n) in (cst.AnnAssign, cst.AugAssign,):
            loc.update(_target_names(n.target))
            if n.value is not None:
                _walrus(n.value, loc)
        elif type(n) is cst.Expr:
            _walrus(n.value, loc)
        elif type(n) is cst.Return:
            if n.value is not None:
                _walrus(n.value, loc)
        elif type(n) is cst.Global:
            globs.update(x.name.value for x in n.names)
        elif type(n) is cst.Nonlocal:
            nonlocs.update(x.name.value for x in n.names)
        elif type(n) is cst.Import:
            for a in n.names:
                if a.asname is not None and type(a.asname.name) is cst.Name:
                    loc.add(a.asname.name.value)
                else:
                    loc.add((dotted(a.name) or "").split(".", 1)[0])
        elif type(n) is cst.ImportFrom:
            if not type(n.names) is cst.ImportStar:
                for a in n.names:
                    if a.asname is not None and type(a.asname.name) is cst.Name:
                        loc.add(a.asname.name.value)
                    else:
                        loc.add(dotted(a.name) or "")
        elif type(n) is cst.Del:
            pass
        elif type(n) in (cst.FunctionDef, cst.ClassDef,):
            loc.add(n.name.value)
        elif type(n) is cst.If:
            _walrus(n.test, loc)
            stack.append(n.body)
            if n.orelse is not None:
                stack.append(n.orelse if type(n.orelse) is cst.If else n.orelse.body)
        elif type(n) is cst.For:
            loc.update(_target_names(n.target))
            stack.append(n.body)
            if n.orelse is not None:
                stack.append(n.orelse.body)
        elif type(n) is cst.While:
            _walrus(n.test, loc)
            stack.append(n.body)
            if n.orelse is not None:
                stack.append(n.orelse.body)
        elif type(n) in (cst.Try, cst.TryStar,):
            stack.append(n.body)
            for h in n.handlers:
                if h.name is not None and type(h.name.name) is cst.Name:
                    loc.add(h.name.name.value)
                stack.append(h.body)
            if n.orelse is not None:
                stack.append(n.orelse.body)
            if n.finalbody is not None:
                stack.append(n.finalbody.body)
        elif type(n) is cst.With:
            for it in n.items:
                if it.asname is not None:
                    loc.update(_target_names(it.asname.name))
            stack.append(n.body)
        elif type(n) is cst.Match:
            for c in n.cases:
                stack.append(c.body)


def _walrus(expr, loc: set) -> None:
    if expr is None:
        return
    if type(expr) is cst.NamedExpr:
        loc.update(_target_names(expr.target))
        return
    if type(expr) in (cst.Comparison,):
        _walrus(expr.left, loc)
    elif type(expr) is cst.BooleanOperation:
        _walrus(expr.left, loc)
        _walrus(expr.right, loc)
    elif type(expr) is cst.UnaryOperation:
        _walrus(expr.expression, loc)


def resolve_access(u: Unit, ev: ir.Access, kind: Val | None, tkey, parent) -> ir.Access | None:
    """Keep an access once its object is known to be a dict, and say what the
    operation does to that kind of dict."""
    from dataclasses import replace

    k = kind.kind if kind is not None else None
    factory = kind.factory if kind is not None else ""
    if k is None:
        fk = u.final_kind(tkey)
        if fk is not None:
            k, factory = fk.kind, fk.factory
    op = ev.op
    if k not in DICT_KINDS:
        pk = u.final_kind(parent) if parent is not None else None
        if op.startswith("rmw") and pk is not None and pk.kind in DICT_KINDS:
            k = "dict"
        else:
            return None
    acc_kind = ev.kind
    base, _, qual = op.partition("+")
    if base == "update":
        if k == "Counter":
            op = "rmw+ft" if qual == "iterable" else "rmw+call"
        else:
            op = "insert"
    elif op == "iterate@Counter":
        if k != "Counter":
            return None
        op = "iterate"
    elif k == "defaultdict" and op == "lookup":
        acc_kind, op = ir.WRITE, "insert"
    elif base == "rmw" and (k == "Counter" or (k == "defaultdict" and factory == "py")) and not qual:
        op = "rmw+missing"
    elif base == "rmw" and not qual and parent is not None:
        pk = u.final_kind(parent)
        if pk is not None and pk.kind == "defaultdict" and pk.factory == "py":
            op = "rmw+missing"  # the outer defaultdict's factory runs Python code first
    if k == "OrderedDict" and acc_kind == ir.ITERATE and "odict" not in op.split("+"):
        op += "+odict"  # its iterator checks its own state first: "OrderedDict mutated during iteration"
    if op == ev.op and acc_kind == ev.kind:
        return ev
    return replace(ev, op=op, kind=acc_kind)
