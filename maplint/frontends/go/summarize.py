"""Go function bodies to `ir.FuncSummary` events.

One walk per function in statement order. The walk keeps a lexical
environment (what each variable denotes: a fresh object, an alias of another
path, a closure), the must-hold lock set (flow-sensitive: branches meet by
intersection, `defer Unlock` keeps the lock to the end), and the enclosing
loops. It emits map accesses, calls of package functions, goroutine spawns and
the sync events (channel send/receive/close, WaitGroup Done/Wait) from which
the concurrency engine derives happens-before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from maplint import ir
from maplint.finding import Span
from maplint.frozen import frozen
from maplint.frontends.go.parse import GoFile
from maplint.frontends.go.types import (
    BUILTIN_NAMES, TypeTable, Type, key_kind, param_types, parse_type, result_types,
)

# Calls that print or encode their arguments iterate a map argument (fmt sorts
# map keys, encoding/json walks the map): an iteration for the runtime.
ITERATING_CALLS = {
    "fmt": re.compile(r"^(S|F|Ap)?[Pp]rint(f|ln)?$|^Errorf$"),
    "log": re.compile(r"^(Print|Fatal|Panic)(f|ln)?$"),
    "json": re.compile(r"^(Marshal|MarshalIndent)$"),
    "xml": re.compile(r"^(Marshal|MarshalIndent)$"),
    "reflect": re.compile(r"^DeepEqual$"),
}
ENCODER_METHODS = {"Encode", "Printf", "Println", "Print", "Fatalf", "Fatal", "Errorf", "Logf", "Log", "Error"}
TERMINATING_CALLS = {
    ("os", "Exit"), ("log", "Fatal"), ("log", "Fatalf"), ("log", "Fatalln"),
    ("log", "Panic"), ("log", "Panicf"), ("log", "Panicln"),
}
TERMINATING_METHODS = {"Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow"}
# Atomic scalars used as package-level flags (`ready.Store(true)` … `ready.Load()`).
ATOMIC_FLAGS = {"atomic.Bool", "atomic.Int32", "atomic.Int64", "atomic.Uint32", "atomic.Uint64"}
HANDLER_VALUE_TYPES = (("qual", "http.Handler"), ("qual", "http.HandlerFunc"))
SERVER_START = {"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS", "NewServer", "NewTLSServer", "Start", "StartTLS"}
SEM_RELEASE = re.compile(rb"(?m)(?:^|[{;])\s*<-\s*([\w.]+)\s*(?:$|[};])")


@dataclass
class Var:
    sym: ir.Sym
    type: Type
    ref: ir.Ref | None  # the location the variable denotes (itself, or an alias)
    fn: ir.FuncRef | None = None  # a closure or method value held in the variable


@frozen
class X:
    """The value of an expression: its static type, the location it denotes
    (for maps, structs and sync objects), and the function it is, if any."""

    type: Type = None
    ref: ir.Ref | None = None
    fn: ir.FuncRef | None = None
    fresh: bool = False  # a new object (make, literal, new, &T{})
    size: int | None = None


NONE = X()


class PackageContext:
    """What every function walk of one package shares."""

    def __init__(self, table: TypeTable, pkg: ir.Package, imports: dict[int, dict[str, str]]):
        self.table = table
        self.pkg = pkg
        self.imports = imports  # file index -> alias -> import path
        self.global_syms: dict[str, ir.Sym] = {}
        self.global_sizes: dict[str, int | None] = {}
        self.registered_handlers: set[str] = set()  # handler funcs seen given to net/http
        self.false_consts: set[str] = set()  # `const debug = false`
        self.loopvar_per_iteration = True  # Go 1.22 loop variable semantics

    def import_path(self, f: GoFile, alias: str) -> str | None:
        return self.imports.get(f.index, {}).get(alias)


def _span(f: GoFile, node) -> Span:
    (line, col), (end_line, end_col) = node.start_point, node.end_point  # each a new object per access
    return Span(f.path, line + 1, col + 1, end_line + 1, end_col + 1)


def is_handler_signature(table: TypeTable, ptypes: tuple) -> bool:
    return len(ptypes) == 2 and ptypes[0] == ("qual", "http.ResponseWriter") and ptypes[1] == ("ptr", ("qual", "http.Request"))


class FuncWalker:
    def __init__(self, ctx: PackageContext, f: GoFile, summary: ir.FuncSummary, scopes: list[dict[str, Var]]):
        self.ctx = ctx
        self.t = ctx.table
        self.f = f
        self.src = f.src
        self.s = summary
        self.scopes = scopes + [{}]
        self.held: frozenset[ir.Held] = frozenset()
        self.released: frozenset[ir.Ref] = frozenset()
        self.loops: list[int] = []
        self.results_types: tuple = ()  # the function's declared results, set by its creator
        self.loop_counter = 0
        self.branches: list[int] = []
        self.rebinds: list = []
        self.semaphores: set[bytes] = set()
        self.deferred: list[ir.Event] = []
        self.pending_handlers: list[ir.Spawn] = []
        self.terminated = False
        self.closure_count = 0
        self.value_recv: ir.Sym | None = None  # the receiver, when the method takes it by value

    # ---- helpers -------------------------------------------------------
    def text(self, node) -> str:
        return self.src[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def span(self, node) -> Span:
        return _span(self.f, node)

    def sym(self, node) -> ir.Sym:
        return f"v:{self.f.index}:{node.start_byte}"

    def lookup(self, name: str) -> Var | None:
        for scope in reversed(self.scopes):
            v = scope.get(name)
            if v is not None:
                return v
        return None

    def declare(self, node, name: str, type_: Type, ref: ir.Ref | None = None, fn: ir.FuncRef | None = None, fresh: bool = True) -> Var:
        sym = self.sym(node)
        self.ctx.pkg.names[sym] = name
        self.ctx.pkg.decls[sym] = self.span(node)
        self.ctx.pkg.owner[sym] = self.s.id
        tname = self.t.base_name(type_)
        if tname:
            self.ctx.pkg.types[sym] = tname
        if ref is None:
            ref = ir.Ref(sym, (), "", self.t.base_name(type_))
            if fresh:
                self.s.locals_fresh.add(sym)
            self.s.local_loops[sym] = tuple(self.loops)
        elif ref.root.startswith("recv:"):
            self.ctx.pkg.names.setdefault(ref.root, name)  # the received value goes by this name
        v = Var(sym, type_, ref, fn)
        self.scopes[-1][name] = v
        return v

    def emit(self, ev: ir.Event) -> None:
        if not self.terminated:
            if self.branches:
                # The event was just made and is not shared yet: set its
                # branches in place (dataclasses.replace copies, slowly).
                object.__setattr__(ev, "branch", tuple(self.branches))
            self.s.events.append(ev)

    def release_semaphore(self, recv) -> bool:
        operand = recv.child_by_field_name("operand")
        if operand is None or self.src[operand.start_byte:operand.end_byte] not in self.semaphores:
            return False
        ref = self.expr(operand).ref
        kept = frozenset(h for h in self.held if ref is None or not same_lock(h.lock, ref))
        if kept == self.held:
            return False  # not acquired here: an ordinary receive
        self.held = kept
        return True

    def in_branch(self, fn) -> None:
        """Run fn as one branch of an if/switch/select: a receive inside it
        orders only what follows inside the same branch."""
        self.loop_counter += 1
        self.branches.append(self.loop_counter)
        try:
            fn()
        finally:
            self.branches.pop()

    def access(self, node, x: X, kind: str, op: str) -> None:
        if x.ref is None or self.t.map_of(x.type) is None:
            return
        self.emit(ir.Access(
            span=self.span(node), loops=tuple(self.loops), ref=x.ref, kind=kind, op=op,
            held=self.held, released=self.released, text=x.ref.text(self.ctx.pkg.names),
            assume_locked=self.s.assume_locked, key_kind=key_kind(self.t, x.type), size=x.size,
        ))

    def is_package(self, node) -> str | None:
        """The import path when `node` names an imported package here."""
        if node.type != "identifier":
            return None
        name = self.text(node)
        if self.lookup(name) is not None or name in self.ctx.global_syms:
            return None
        return self.ctx.import_path(self.f, name)

    # ---- statements ----------------------------------------------------
    def walk_body(self, body) -> None:
        if body is not None:
            # Channels used as semaphores: `sem <- x` ... `<-sem` in one body.
            text = self.src[body.start_byte:body.end_byte]
            self.semaphores = set(SEM_RELEASE.findall(text)) if b"<-" in text else set()
            self.block(body)
        self.flush_handlers()
        self.terminated = False
        for ev in reversed(self.deferred):
            self.emit(ev)

    def flush_handlers(self) -> None:
        for sp in self.pending_handlers:
            self.s.events.append(sp)
        self.pending_handlers = []

    def block(self, node) -> None:
        self.scopes.append({})
        for child in node.named_children:
            if child.type == "statement_list":
                for st in child.named_children:
                    self.stmt(st)
            else:
                self.stmt(child)
        self.scopes.pop()

    def stmt(self, n) -> None:  # noqa: C901 - a dispatch over Go's statement kinds
        t = n.type
        if t == "comment":
            return
        if t == "block":
            return self.block(n)
        if t == "statement_list":
            for st in n.named_children:
                self.stmt(st)
            return
        if t == "expression_statement":
            for c in n.named_children:
                if c.type == "unary_expression" and self.text(c).startswith("<-") and self.release_semaphore(c):
                    continue
                self.expr(c, statement=True)
            return
        if t in ("short_var_declaration", "assignment_statement"):
            return self.assign(n)
        if t == "var_declaration":
            for spec in n.named_children:
                if spec.type == "var_spec":
                    self.var_spec(spec)
                elif spec.type == "var_spec_list":
                    for s2 in spec.named_children:
                        if s2.type == "var_spec":
                            self.var_spec(s2)
            return
        if t in ("inc_statement", "dec_statement"):
            target = n.named_children[0]
            return self.store(target, op="incr")
        if t == "go_statement":
            call = n.named_children[0] if n.named_children else None
            if call is not None and call.type == "call_expression":
                self.spawn_call(call, kind="go", node=n)
            return
        if t == "defer_statement":
            return self.defer(n)
        if t == "if_statement":
            return self.if_stmt(n)
        if t == "for_statement":
            return self.for_stmt(n)
        if t in ("expression_switch_statement", "type_switch_statement"):
            return self.switch(n)
        if t == "select_statement":
            return self.select(n)
        if t == "return_statement":
            declared = self.results_types
            for c in n.named_children:
                exprs = c.named_children if c.type == "expression_list" else [c]
                for i, e in enumerate(exprs):
                    x = self.expr(e)
                    # The declared result type first: what the source says a
                    # value is may be wrong, the signature is not. `return f()`
                    # of several results: nothing is known of each.
                    ty = declared[i] if len(declared) == len(exprs) else (None if declared else x.type)
                    if x.ref is not None and self.t.plain(ty):
                        # A string or a number leads to no map: callers that
                        # keep it need not instantiate this function for it.
                        continue
                    if x.ref is not None:
                        self.s.returns.append(x.ref)
                        if x.ref.root.startswith("v:"):
                            self.s.escaping.add(x.ref.root)
                    elif x.fn is not None:
                        self.s.returns.append(x.fn)  # a closure handed back to the caller
            self.terminated = True
            return
        if t == "send_statement":
            ch_node = n.child_by_field_name("channel")
            ch = self.expr(ch_node)
            val = self.expr(n.child_by_field_name("value"))
            if ch.ref is not None:
                if ch_node is not None and self.src[ch_node.start_byte:ch_node.end_byte] in self.semaphores:
                    # A send that a later `<-ch` in this body undoes: a
                    # buffered channel used as a lock.
                    self.held = self.held | {ir.Held(ch.ref)}
                    return
                self.emit(ir.Signal(self.span(n), tuple(self.loops), ch.ref, "send", value=val.ref))
            return
        if t == "labeled_statement":
            for c in n.named_children:
                if c.type != "label_name":
                    self.stmt(c)
            return
        if t in ("break_statement", "continue_statement", "goto_statement", "fallthrough_statement"):
            if t != "fallthrough_statement":
                self.terminated = True
            return
        if t in ("const_declaration", "type_declaration", "empty_statement"):
            return
        # Anything else: visit its expressions for accesses.
        for c in n.named_children:
            if c.type.endswith("statement") or c.type == "block":
                self.stmt(c)
            else:
                self.expr(c)

    def var_spec(self, spec) -> None:
        names = spec.children_by_field_name("name")
        tnode = spec.child_by_field_name("type")
        declared = parse_type(tnode, self.src) if tnode is not None else None
        vnode = spec.child_by_field_name("value")
        values = [self.expr(v) for v in (vnode.named_children if vnode is not None else [])]
        for i, nm in enumerate(names):
            x = values[i] if i < len(values) else X(declared, fresh=True)
            self.bind_new(nm, x, declared)

    def bind_new(self, name_node, x: X, declared: Type = None) -> Var | None:
        name = self.text(name_node)
        if name == "_":
            return None
        ty = declared or x.type
        own = self.sym(name_node)
        if x.ref is not None and not x.fresh and x.ref.root != own:
            return self.declare(name_node, name, ty, ref=x.ref, fn=x.fn)
        v = self.declare(name_node, name, ty, fn=x.fn, fresh=x.fresh or x.ref is None)
        if x.size is not None:
            self.ctx.pkg.names[v.sym + "#size"] = str(x.size)
        return v

    def assign(self, n) -> None:
        left = n.child_by_field_name("left")
        right = n.child_by_field_name("right")
        op_node = n.child_by_field_name("operator")
        op = self.text(op_node) if op_node is not None else ("=" if n.type == "assignment_statement" else ":=")
        lhs = left.named_children if left is not None and left.type == "expression_list" else ([left] if left is not None else [])
        rhs = right.named_children if right is not None and right.type == "expression_list" else ([right] if right is not None else [])
        # A call's result bound to a new variable: the engine binds the
        # variable to whatever the callee returns.
        results: list[X] = []
        call_bound: ir.Sym | None = None
        if len(rhs) == 1 and rhs[0].type == "call_expression" and lhs and lhs[0].type == "identifier" and self.text(lhs[0]) != "_":
            if op == ":=":
                call_bound = self.sym(lhs[0])
        for r in rhs:
            results.append(self.expr(r, result_sym=call_bound if r == rhs[0] else None))
        if op not in ("=", ":="):  # x op= v
            for target in lhs:
                self.store(target, op="incr")
            return
        for i, target in enumerate(lhs):
            x = results[i] if len(results) == len(lhs) else (results[0] if len(results) == 1 and i == 0 else X())
            if len(results) == 1 and len(lhs) > 1 and i > 0:
                x = X()
            if target.type == "identifier":
                name = self.text(target)
                if name == "_":
                    continue
                existing = self.lookup(name)
                if op == ":=" and (existing is None or name not in self.scopes[-1]):
                    self.bind_new(target, x)
                elif existing is not None:
                    # Reassignment: the variable now denotes the new value.
                    self.rebinds.append((existing, existing.ref, existing.fn))
                    if x.ref is not None and not x.fresh and not (call_bound and i == 0):
                        existing.ref = x.ref
                    elif x.fresh:
                        self.mark_rebound_send(existing.sym)
                        existing.ref = ir.Ref(existing.sym, (), "", self.t.base_name(x.type or existing.type))
                        # `m = make(...)` inside a loop: each iteration works on a
                        # new object, as if m were declared in that loop.
                        declared = self.s.local_loops.get(existing.sym)
                        if declared is not None:
                            extra = tuple(lp for lp in self.loops if lp not in declared)
                            self.s.local_loops[existing.sym] = declared + extra
                    if x.fn is not None:
                        existing.fn = x.fn
                    if x.type is not None and existing.type is None:
                        existing.type = x.type
                elif name in self.ctx.global_syms and x.fn is not None:
                    pass
            else:
                self.store(target, op="insert", value=x)

    def mark_rebound_send(self, sym: str) -> None:
        """`out <- batch` then `batch = make(…)` in the same block: the send
        hands the old object over for good (ir.Signal.rebound)."""
        loops = tuple(self.loops)
        for ev in reversed(self.s.events[-8:]):
            if isinstance(ev, ir.Signal) and ev.kind == "send" and ev.value is not None:
                if ev.value.root == sym and not ev.value.path and ev.loops == loops:
                    object.__setattr__(ev, "rebound", True)  # just made, not shared yet (as in emit)
                return
            if isinstance(ev, ir.Access) and ev.ref is not None and ev.ref.root == sym:
                return

    def store(self, target, op: str, value: X | None = None) -> None:
        """A write to `target`: a map element write when target is m[k]."""
        if target.type == "parenthesized_expression" and target.named_children:
            return self.store(target.named_children[0], op, value)
        if target.type == "index_expression":
            m = self.expr(target.child_by_field_name("operand"))
            self.expr(target.child_by_field_name("index"))
            if self.t.map_of(m.type) is not None:
                self.access(target, m, ir.WRITE, op)
            return
        if target.type == "selector_expression":
            x = self.selector(target)
            self.detach(x.ref)
            if value is not None and value.fn is not None and x.ref is not None and x.ref.path:
                # `b.onEvent = func(e string) {…}`: a call through b.onEvent calls it.
                self.emit(ir.StoreFunc(self.span(target), tuple(self.loops), x.ref, value.fn))
                return
            if value is not None and value.ref is not None and value.ref.root.startswith("v:"):
                self.s.escaping.add(value.ref.root)  # stored into a field: it escapes
                if x.ref is not None and x.ref.path and not self.t.plain(value.type):
                    # `s.m = m`: whoever reaches s.m reaches the object m
                    # (a string or a number leads nowhere: no store).
                    self.emit(ir.Store(self.span(target), tuple(self.loops), x.ref, value.ref))
            return
        if target.type == "identifier":
            name = self.text(target)
            if value is not None and value.ref is not None and name in self.ctx.global_syms and value.ref.root.startswith("v:"):
                self.s.escaping.add(value.ref.root)
            if name in self.ctx.global_syms and self.lookup(name) is None:
                self.detach(ir.Ref(self.ctx.global_syms[name]))
            return
        self.expr(target)

    def detach(self, ref: ir.Ref | None) -> None:
        """`old := s.m; s.m = make(...)`: the field now holds another map, so
        the local `old` is the only way left to the old one — it is ours."""
        if ref is None:
            return
        for scope in self.scopes:
            for var in scope.values():
                if var.ref is not None and var.ref.root == ref.root and var.ref.path == ref.path and var.sym != ref.root:
                    self.rebinds.append((var, var.ref, var.fn))
                    var.ref = ir.Ref(var.sym, (), "", var.ref.root_type)
                    self.s.locals_fresh.add(var.sym)
                    self.s.local_loops.setdefault(var.sym, tuple(self.loops))

    def defer(self, n) -> None:
        call = n.named_children[0] if n.named_children else None
        if call is None or call.type != "call_expression":
            return
        fn = call.child_by_field_name("function")
        args = call.child_by_field_name("arguments")
        if fn is not None and fn.type == "selector_expression":
            name = self.text(fn.child_by_field_name("field"))
            recv = fn.child_by_field_name("operand")
            if name in ("Unlock", "RUnlock") and not (args and args.named_children):
                return  # the lock stays held until the function returns
            rx = self.expr(recv)
            if not (args and args.named_children):
                wrapped = self.lock_wrapper(rx, name)
                if wrapped is not None and wrapped[1] in ("Unlock", "RUnlock"):
                    return  # `defer s.unlock()`: the lock stays held until the function returns
            if name == "Done" and self.is_waitgroup(rx):
                if rx.ref is not None:
                    self.deferred.append(ir.Signal(self.span(n), (), rx.ref, "done", at_end=True))
                return
        if fn is not None and fn.type == "identifier" and self.text(fn) == "close" and args is not None and args.named_children:
            ch = self.expr(args.named_children[0])
            if ch.ref is not None:
                self.deferred.append(ir.Signal(self.span(n), (), ch.ref, "close", at_end=True))
            return
        # Other deferred calls run at the end with the lock set held then.
        mark = len(self.s.events)
        saved = self.terminated
        self.terminated = False
        self.expr(call, statement=True)
        self.terminated = saved
        evs = self.s.events[mark:]
        del self.s.events[mark:]
        self.deferred.extend(evs)

    def branch(self, fn) -> tuple[frozenset, frozenset, bool]:
        """Run a branch from the current lock state; return its end state.

        A variable rebound inside the branch (`if p == nil { p = def }`)
        keeps its earlier meaning after it: the branch may not have run."""
        held, released, term = self.held, self.released, self.terminated
        mark = len(self.rebinds)
        fn()
        out = (self.held, self.released, self.terminated)
        self.held, self.released, self.terminated = held, released, term
        for var, ref, fnv in reversed(self.rebinds[mark:]):
            var.ref, var.fn = ref, fnv
        del self.rebinds[mark:]
        return out

    def join(self, states: list[tuple[frozenset, frozenset, bool]]) -> None:
        live = [s for s in states if not s[2]]
        if not live:
            self.terminated = True
            return
        held = live[0][0]
        released = live[0][1]
        for h, r, _ in live[1:]:
            held = held & h
            released = released | r
        self.held, self.released = held, released

    def if_stmt(self, n) -> None:
        self.scopes.append({})
        init = n.child_by_field_name("initializer")
        if init is not None:
            self.stmt(init)
        cond = n.child_by_field_name("condition")
        trylock = self.trylock(cond)
        self.expr(cond)
        cons = n.child_by_field_name("consequence")
        alt = n.child_by_field_name("alternative")
        if cond is not None and cond.type == "identifier" and self.text(cond) in self.ctx.false_consts:
            # `if debugFoo {` with `const debugFoo = false`: dead code.
            if alt is not None:
                self.stmt(alt)
            self.scopes.pop()
            return

        def then():
            if trylock is not None:
                self.held = self.held | {trylock}
            self.stmt(cons)

        states = [self.branch(lambda: self.in_branch(then))]
        if alt is not None:
            states.append(self.branch(lambda: self.in_branch(lambda: self.stmt(alt))))
        else:
            states.append((self.held, self.released, self.terminated))
        self.join(states)
        self.scopes.pop()

    def trylock(self, cond) -> ir.Held | None:
        if cond is None or cond.type != "call_expression":
            return None
        fn = cond.child_by_field_name("function")
        if fn is None or fn.type != "selector_expression":
            return None
        name = self.text(fn.child_by_field_name("field"))
        if name not in ("TryLock", "TryRLock"):
            return None
        ref = self.lock_ref(fn.child_by_field_name("operand"), name)
        return ir.Held(ref, shared=name == "TryRLock") if ref else None

    def new_loop(self) -> int:
        self.loop_counter += 1
        return self.loop_counter

    def for_stmt(self, n) -> None:
        self.scopes.append({})
        body = n.child_by_field_name("body")
        clause = next((c for c in n.named_children if c.type in ("for_clause", "range_clause")), None)
        cond_only = next((c for c in n.named_children if c != body and c.type not in ("for_clause", "range_clause", "comment")), None)
        loop = self.new_loop()
        per_iteration = self.ctx.loopvar_per_iteration
        if per_iteration:
            self.loops.append(loop)  # Go 1.22+: each iteration has its own loop variables
        if clause is not None and clause.type == "for_clause":
            init = clause.child_by_field_name("initializer")
            if init is not None:
                self.stmt(init)
        if not per_iteration:
            self.loops.append(loop)
        entry = (self.held, self.released)
        if clause is not None and clause.type == "range_clause":
            self.range_clause(clause)
        elif clause is not None:
            c = clause.child_by_field_name("condition")
            if c is not None:
                self.expr(c)
        elif cond_only is not None:
            self.expr(cond_only)
        term = self.terminated
        if body is not None:
            self.stmt(body)
        if clause is not None and clause.type == "for_clause":
            upd = clause.child_by_field_name("update")
            if upd is not None:
                self.stmt(upd)
        self.loops.pop()
        self.held = entry[0] & self.held
        self.released = entry[1] | self.released
        self.terminated = term
        self.scopes.pop()

    def range_clause(self, clause) -> None:
        right = clause.child_by_field_name("right")
        left = clause.child_by_field_name("left")
        x = self.expr(right)
        m = self.t.map_of(x.type)
        u = self.t.underlying(self.t.deref(x.type)) if x.type else None
        kt: Type = None
        vt: Type = None
        if m is not None:
            self.access(right, x, ir.ITERATE, "range")
            kt, vt = m[1], m[2]
        elif u is not None and u[0] == "chan":
            recv_ref = None
            if x.ref is not None:
                self.emit(ir.Wait(self.span(right), tuple(self.loops), x.ref, "recv"))
                recv_ref = self.received(right, x.ref)
            kt = u[1]
            if left is not None and recv_ref is not None:
                nm = left.named_children[0] if left.type == "expression_list" else left
                if nm.type == "identifier" and self.text(nm) != "_":
                    self.declare(nm, self.text(nm), kt, ref=recv_ref)
                return
        elif u is not None and u[0] in ("slice", "array"):
            kt, vt = ("name", "int"), u[1]
        elif u is not None and u[0] == "name" and u[1] == "string":
            kt, vt = ("name", "int"), ("name", "rune")
        else:
            kt = ("name", "int") if u is not None and u[0] == "name" and u[1].startswith("int") else None
        if left is None:
            return
        names = left.named_children if left.type == "expression_list" else [left]
        is_decl = any(c.type == ":=" for c in clause.children)
        saved = self.loops
        if not self.ctx.loopvar_per_iteration:
            self.loops = self.loops[:-1]  # before Go 1.22 one variable serves every iteration
        for i, nm in enumerate(names):
            ty = kt if i == 0 else vt
            if nm.type == "identifier" and is_decl:
                elem_ref = None
                if i == 1 and m is not None and x.ref is not None:
                    elem_ref = x.ref.extend("[]", (x.ref.fieldkey + "[]") if x.ref.fieldkey else "")
                if elem_ref is not None and self.t.map_of(ty) is not None:
                    self.declare(nm, self.text(nm), ty, ref=elem_ref)
                else:
                    self.declare(nm, self.text(nm), ty)
        self.loops = saved

    def switch(self, n) -> None:
        self.scopes.append({})
        init = n.child_by_field_name("initializer")
        if init is not None:
            self.stmt(init)
        value = n.child_by_field_name("value")
        alias = None
        if n.type == "type_switch_statement":
            alias = n.child_by_field_name("alias")
        if value is not None:
            self.expr(value)
        states = []
        has_default = False
        for case in n.named_children:
            if case.type not in ("expression_case", "type_case", "default_case"):
                continue
            if case.type == "default_case":
                has_default = True

            def run(case=case):
                self.scopes.append({})
                if alias is not None and case.type == "type_case":
                    types = case.children_by_field_name("type")
                    ty = parse_type(types[0], self.src) if len(types) == 1 else None
                    for a in (alias.named_children if alias.type == "expression_list" else [alias]):
                        self.declare(a, self.text(a), ty)
                for c in case.named_children:
                    if c.type in ("expression_list",) and case.type == "expression_case" and c == case.child_by_field_name("value"):
                        self.expr(c)
                    elif c.type.endswith("statement") or c.type in ("block", "statement_list"):
                        self.stmt(c)
                self.scopes.pop()

            states.append(self.branch(lambda run=run: self.in_branch(run)))
        if not has_default:
            states.append((self.held, self.released, self.terminated))
        self.join(states)
        self.scopes.pop()

    def select(self, n) -> None:
        states = []
        for case in n.named_children:
            if case.type not in ("communication_case", "default_case"):
                continue

            def run(case=case):
                self.scopes.append({})
                comm = case.child_by_field_name("communication")
                for c in case.named_children:
                    if c == comm:
                        if c.type == "receive_statement":
                            right = c.child_by_field_name("right")
                            left = c.child_by_field_name("left")
                            rx = self.expr(right)
                            if left is not None:
                                names = left.named_children if left.type == "expression_list" else [left]
                                for i, nm in enumerate(names):
                                    if nm.type == "identifier" and self.text(nm) != "_":
                                        self.declare(nm, self.text(nm), rx.type if i == 0 else ("name", "bool"),
                                                     ref=rx.ref if i == 0 else None)
                        else:
                            self.stmt(c)
                    elif c.type.endswith("statement") or c.type in ("block", "statement_list"):
                        self.stmt(c)
                self.scopes.pop()

            states.append(self.branch(lambda run=run: self.in_branch(run)))
        self.join(states or [(self.held, self.released, self.terminated)])

    def received(self, node, chan: ir.Ref) -> ir.Ref:
        """The value a receive yields: whatever is sent on that channel."""
        root = f"recv:{self.f.index}:{node.start_byte}"
        self.ctx.pkg.recv_chan[root] = chan
        return ir.Ref(root)

    # ---- expressions ---------------------------------------------------
    def expr(self, n, statement: bool = False, result_sym: ir.Sym | None = None) -> X:  # noqa: C901
        if n is None:
            return NONE
        t = n.type
        if t == "identifier":
            return self.ident(n)
        if t == "parenthesized_expression":
            return self.expr(n.named_children[0]) if n.named_children else NONE
        if t == "selector_expression":
            return self.selector(n)
        if t == "index_expression":
            return self.index(n)
        if t == "call_expression":
            return self.call(n, statement=statement, result_sym=result_sym)
        if t == "unary_expression":
            op = n.child_by_field_name("operator")
            arg = self.expr(n.child_by_field_name("operand"))
            o = self.text(op) if op is not None else ""
            if o == "<-":
                u = self.t.underlying(arg.type)
                elem = u[1] if u is not None and u[0] == "chan" else None
                if arg.ref is not None:
                    self.emit(ir.Wait(self.span(n), tuple(self.loops), arg.ref, "recv"))
                    return X(elem, self.received(n, arg.ref))
                return X(elem)
            if o == "&":
                return X(("ptr", arg.type) if arg.type else None, arg.ref, arg.fn, arg.fresh, arg.size)
            if o == "*":
                return X(self.t.deref(arg.type), arg.ref, arg.fn)
            return X(arg.type if o in ("-", "+", "^") else None)
        if t == "binary_expression":
            a = self.expr(n.child_by_field_name("left"))
            self.expr(n.child_by_field_name("right"))
            op = n.child_by_field_name("operator")
            o = self.text(op) if op is not None else ""
            if o in ("==", "!=", "<", ">", "<=", ">=", "&&", "||"):
                return X(("name", "bool"))
            return X(a.type)
        if t == "type_assertion_expression":
            x = self.expr(n.child_by_field_name("operand"))
            ty = parse_type(n.child_by_field_name("type"), self.src)
            return X(ty, x.ref if x.ref is not None and x.ref.root.startswith("atomic:") else None)
        if t == "composite_literal":
            return self.composite(n)
        if t == "func_literal":
            return X(("func",), None, self.closure(n))
        if t == "slice_expression":
            x = self.expr(n.child_by_field_name("operand"))
            for f in ("start", "end", "capacity"):
                self.expr(n.child_by_field_name(f))
            return X(x.type)
        if t in ("interpreted_string_literal", "raw_string_literal"):
            return X(("name", "string"))
        if t == "int_literal":
            return X(("name", "int"))
        if t == "type_conversion_expression":
            self.expr(n.child_by_field_name("operand"))
            return X(parse_type(n.child_by_field_name("type"), self.src))
        for c in n.named_children:
            self.expr(c)
        return NONE

    def ident(self, n) -> X:
        name = self.text(n)
        v = self.lookup(name)
        if v is not None:
            return X(v.type, v.ref, v.fn)
        g = self.ctx.global_syms.get(name)
        if g is not None:
            ty = self.t.globals.get(name)
            return X(ty, ir.Ref(g, (), "", self.t.base_name(ty)), size=self.ctx.global_sizes.get(name))
        fid = self.t.funcs.get(name)
        if fid is not None:
            return X(("func", self.t.results.get(fid, ())), None, ir.FuncRef(fid))
        return NONE

    def selector(self, n) -> X:
        operand = n.child_by_field_name("operand")
        name = self.text(n.child_by_field_name("field"))
        pkg = self.is_package(operand)
        if pkg is not None:
            short = pkg.rsplit("/", 1)[-1]
            return X(("qual", f"{short}.{name}"))
        o = self.expr(operand)
        if self.t.field(o.type, name) is not None:
            return self.field_of(o, name)
        m = self.t.method(o.type, name)
        if m is not None:
            embed, fid = m
            recv = o.ref
            if recv is not None:
                for hop in embed:
                    recv = recv.extend(hop)
            return X(("func", self.t.results.get(fid, ())), None, ir.FuncRef(fid, recv))
        if o.ref is not None:
            return X(None, o.ref.extend(name))
        return NONE

    def field_of(self, o: X, name: str) -> X:
        """o.name, for a field of o's type (NONE if there is none)."""
        found = self.t.field(o.type, name)
        if found is None:
            return NONE
        path, owner, ftype = found
        ref = None
        if o.ref is not None:
            ref = o.ref
            # Walk embedded hops; the fieldkey names the declaring type.
            for hop in path[:-1]:
                ref = ref.extend(hop, "")
            # An anonymous struct has no name to compare fields by.
            ref = ref.extend(path[-1], f"{owner}.{path[-1]}" if owner != "struct" else "")
        return X(ftype, ref)

    def index(self, n) -> X:
        o = self.expr(n.child_by_field_name("operand"))
        idx_node = n.child_by_field_name("index")
        self.expr(idx_node)
        m = self.t.map_of(o.type)
        if m is not None:
            self.access(n, o, ir.READ, "lookup")
            ref = None
            if o.ref is not None:
                ref = o.ref.extend(self.element(idx_node), (o.ref.fieldkey + "[]") if o.ref.fieldkey else "")
            return X(m[2], ref)
        u = self.t.underlying(self.t.deref(o.type))
        if u is not None and u[0] in ("slice", "array"):
            # `s.shards[i].m`: an element of a slice or array of structs that
            # hold maps is a place of its own (per index, like a map element).
            if o.ref is not None and self.t.map_of(u[1]) is None and self.holds_map(u[1]):
                return X(u[1], o.ref.extend(self.element(idx_node), (o.ref.fieldkey + "[]") if o.ref.fieldkey else ""))
            return X(u[1])
        return NONE

    def holds_map(self, ty) -> bool:
        """A struct type with a map field (what an element must lead to for
        its place to matter)."""
        st = self.t.underlying(self.t.deref(ty))
        if st is None or st[0] != "struct":
            return False
        return any(self.t.map_of(ftype) is not None for _, ftype, _ in st[1])

    def element(self, idx_node) -> str:
        """The path step of a map element: `[=sym]` when the key is a local
        variable (per-goroutine keys pick per-goroutine inner maps), else `[]`."""
        if idx_node is not None and idx_node.type == "identifier":
            v = self.lookup(self.text(idx_node))
            if v is not None and v.ref is not None and v.ref.root == v.sym and not v.ref.path:
                return f"[={v.sym}]"
        return "[]"

    def composite(self, n) -> X:
        tnode = n.child_by_field_name("type")
        ty = parse_type(tnode, self.src)
        body = n.child_by_field_name("body")
        count = 0
        if body is not None:
            for el in body.named_children:
                if el.type in ("keyed_element", "literal_element", "element"):
                    count += 1
                    for c in el.named_children:
                        inner = c.named_children[0] if c.type == "literal_element" and c.named_children else c
                        x = self.expr(inner) if inner.type != "literal_value" else NONE
                        self.maybe_handler_value(x, inner)
                elif el.type != "comment":
                    self.expr(el)
        return X(ty, None, fresh=True, size=count if self.t.map_of(ty) is not None else None)

    def closure(self, n) -> ir.FuncRef:
        self.closure_count += 1
        fid = f"{self.s.id}$lit{self.closure_count}@{n.start_point[0] + 1}"
        params_node = n.child_by_field_name("parameters")
        ptypes = param_types(params_node, self.src)
        sub = ir.FuncSummary(
            id=fid, name="func literal", span=self.span(n), parent=self.s.id,
            broken=n.has_error, assume_locked=self.s.assume_locked,
        )
        if is_handler_signature(self.t, ptypes):
            sub.role = "handler"
        self.ctx.pkg.funcs[fid] = sub
        w = FuncWalker(self.ctx, self.f, sub, self.scopes)
        w.held = frozenset()
        sub.params = w.declare_params(params_node)
        if ptypes and ptypes[0] in (("ptr", ("qual", "testing.T")), ("ptr", ("qual", "testing.B"))):
            names = params_node.named_children[0].children_by_field_name("name")
            mark_parallel(sub, n.child_by_field_name("body"), self.src, self.text(names[0]) if names else None)
        w.results_types = result_types(n.child_by_field_name("result"), self.src)
        w.walk_body(n.child_by_field_name("body"))
        self.ctx.table.results[fid] = w.results_types
        return ir.FuncRef(fid)

    def declare_params(self, params_node) -> tuple[ir.Sym, ...]:
        syms: list[ir.Sym] = []
        if params_node is None:
            return ()
        for p in params_node.named_children:
            if p.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            ty = parse_type(p.child_by_field_name("type"), self.src)
            names = p.children_by_field_name("name")
            if not names:
                syms.append(f"v:{self.f.index}:{p.start_byte}:anon")
                continue
            for nm in names:
                v = self.declare(nm, self.text(nm), ty, fresh=False)
                syms.append(v.sym)
        return tuple(syms)

    # ---- calls ---------------------------------------------------------
    def args_of(self, call) -> list:
        a = call.child_by_field_name("arguments")
        return [c for c in a.named_children if c.type != "comment"] if a is not None else []

    def is_waitgroup(self, x: X) -> bool:
        d = self.t.deref(x.type)
        if d is None:
            return x.ref is not None  # unknown type: trust the method name
        return d[0] == "qual" and d[1] in ("sync.WaitGroup", "errgroup.Group")

    def lock_wrapper(self, x: X, method: str) -> tuple[ir.Ref, str] | None:
        """(lock, Lock|RLock|Unlock|RUnlock) when `x.method()` calls a lock
        helper of x's type (`s.lock()` whose body is `s.mu.Lock()`)."""
        base = self.t.base_name(x.type)
        wrapped = self.t.lock_wrappers.get((base, method)) if base else None
        if wrapped is None or x.ref is None:
            return None
        path, op = wrapped
        for hop in path:
            x = self.field_of(x, hop)
            if x.ref is None:
                return None
        if self.t.mutex_kind(x.type) is not None:
            return x.ref, op
        emb = self.t.embedded_mutex(x.type)
        if emb is None:
            return None
        ref, owner = x.ref, self.t.base_name(x.type)
        for hop in emb[0]:
            ref = ref.extend(hop, f"{owner}.{hop}" if owner else "")
        return ref, op

    def lock_op(self, ref: ir.Ref, name: str) -> None:
        """Take or release `ref` (name: Lock, RLock, Unlock, RUnlock)."""
        if name in ("Lock", "RLock"):
            self.held = self.held | {ir.Held(ref, shared=name == "RLock")}
        else:
            kept = frozenset(h for h in self.held if not same_lock(h.lock, ref))
            if kept == self.held:
                self.released = self.released | {ref}
            self.held = kept

    def copied_lock(self, ref: ir.Ref, struct_hops: int) -> ir.Ref:
        """A mutex held directly (not through a pointer) in the receiver a
        method takes by value belongs to the copy each call makes: a lock of
        the call's own (go vet's copylocks), not the caller's. `struct_hops`:
        how many steps of the path are plain struct fields."""
        if self.value_recv is None or ref.root != self.value_recv or len(ref.path) != struct_hops:
            return ref
        names = self.ctx.pkg.names
        copy = self.value_recv + "#copy"
        names.setdefault(copy, names.get(self.value_recv, "receiver"))
        return ir.Ref(copy, ref.path)

    def lock_ref(self, operand, method: str) -> ir.Ref | None:
        x = self.expr(operand)
        if self.t.mutex_kind(x.type) is not None:
            if x.ref is None:
                return ir.Ref("lock:" + self.text(operand))
            return self.copied_lock(x.ref, 1) if x.type[0] != "ptr" else x.ref
        emb = self.t.embedded_mutex(x.type)
        if emb is not None and x.ref is not None:
            ref = x.ref
            base = self.t.base_name(x.type)
            for hop in emb[0]:
                ref = ref.extend(hop, f"{base}.{hop}" if base else "")
            field = self.t.field(x.type, emb[0][0])
            by_value = x.type[0] != "ptr" and len(emb[0]) == 1 and field is not None and field[2][0] != "ptr"
            return self.copied_lock(ref, 1) if by_value else ref
        if x.type is not None and self.t.method(x.type, method) is not None:
            return None  # a user-defined Lock method: a call like any other
        if x.ref is not None:
            return x.ref
        return ir.Ref("lock:" + self.text(operand))

    def call(self, n, statement: bool = False, result_sym: ir.Sym | None = None) -> X:  # noqa: C901
        fn = n.child_by_field_name("function")
        args = self.args_of(n)
        if fn is None:
            return NONE
        if fn.type == "parenthesized_expression" and fn.named_children:
            fn = fn.named_children[0]
        # Builtins.
        if fn.type == "identifier" and self.lookup(self.text(fn)) is None:
            name = self.text(fn)
            if name in ("len", "cap") and args:
                x = self.expr(args[0])
                if name == "len":
                    self.access(n, x, ir.READ, "len")
                return X(("name", "int"))
            if name == "delete" and args:
                x = self.expr(args[0])
                for a in args[1:]:
                    self.expr(a)
                self.access(n, x, ir.WRITE, "delete")
                return NONE
            if name == "clear" and args:
                x = self.expr(args[0])
                self.access(n, x, ir.WRITE, "clear")
                return NONE
            if name == "close" and args:
                x = self.expr(args[0])
                if x.ref is not None:
                    self.emit(ir.Signal(self.span(n), tuple(self.loops), x.ref, "close"))
                return NONE
            if name == "make" and args:
                ty = parse_type(args[0], self.src)
                size = None
                for a in args[1:]:
                    self.expr(a)
                if len(args) > 1:
                    if args[1].type == "int_literal":
                        try:
                            size = int(self.text(args[1]), 0)
                        except ValueError:
                            size = None
                return X(ty, None, fresh=True, size=size)
            if name == "new" and args:
                return X(("ptr", parse_type(args[0], self.src)), None, fresh=True)
            if name == "panic":
                for a in args:
                    self.expr(a)
                self.terminated = True
                return NONE
            if name == "append" and args:
                x = self.expr(args[0])
                for a in args[1:]:
                    self.expr(a)
                return X(x.type)
            if name in BUILTIN_NAMES and len(args) == 1:  # conversion int(x)
                self.expr(args[0])
                return X(("name", name))
            if name in self.t.named and len(args) == 1 and name not in self.t.funcs:  # conversion T(x)
                x = self.expr(args[0])
                return X(("name", name), x.ref, x.fn)
        if fn.type in ("generic_type",) or (fn.type == "index_expression" and self.t.funcs.get(self.text(fn.child_by_field_name("operand") or fn))):
            inner = fn.child_by_field_name("type") or fn.child_by_field_name("operand")
            if inner is not None:
                fn = inner
        # Package-qualified calls: fmt.Println, maps.Copy, time.AfterFunc, http.HandleFunc...
        if fn.type == "selector_expression":
            operand = fn.child_by_field_name("operand")
            mname = self.text(fn.child_by_field_name("field"))
            pkg = self.is_package(operand)
            if pkg is not None:
                return self.qualified_call(n, pkg, mname, args, statement, result_sym)
            return self.method_call(n, fn, operand, mname, args, statement, result_sym)
        if fn.type == "func_literal":
            ref = self.closure(fn)
            argx = [self.expr(a) for a in args]
            self.emit_call(n, ref, argx, result_sym)
            return X(self.first_result(ref.callee))
        callee = self.expr(fn)
        argx = [self.expr(a) for a in args]
        if callee.fn is not None:
            self.emit_call(n, callee.fn, argx, result_sym)
            return self.result_of(callee.fn, result_sym)
        u = self.t.underlying(callee.type)
        root = callee.ref.root if callee.ref is not None and not callee.ref.path else ""
        if root.startswith("v:") or root.endswith(":ret"):  # a variable, or what a call returned
            if u is None or u[0] == "func" or callee.type == ("qual", "http.HandlerFunc"):
                # Calling a function value (a parameter, a variable, a closure a
                # call returned): resolved to what it holds at instantiation.
                self.emit(ir.Call(self.span(n), tuple(self.loops), "@" + callee.ref.root,
                                  tuple(self.arg_value(a) for a in argx), None, self.held, self.released, result_sym))
        self.sync_callbacks(n, argx)
        # A closure's type is ("func",): its results are not recorded.
        ft = callee.type
        return X(ft[1][0] if ft and ft[0] == "func" and len(ft) > 1 and ft[1] else None)

    def first_result(self, fid: str) -> Type:
        r = self.t.results.get(fid, ())
        return r[0] if r else None

    def result_of(self, fr: ir.FuncRef, result_sym: ir.Sym | None) -> X:
        ty = self.first_result(fr.callee)
        if result_sym is None:
            # The last emitted Call binds a synthetic symbol to the result.
            last = self.s.events[-1] if self.s.events else None
            if isinstance(last, ir.Call) and last.callee == fr.callee and last.result is None:
                result_sym = f"{last.span.path}:{last.span.line}:{last.span.col}:ret"
                object.__setattr__(last, "result", result_sym)  # just made, not shared yet (as in emit)
                self.ctx.pkg.owner[result_sym] = self.s.id
                self.ctx.pkg.names[result_sym] = f"{fr.callee.split('$')[0]}()"
        if result_sym is not None:
            return X(ty, ir.Ref(result_sym, (), "", self.t.base_name(ty)))
        return X(ty)

    def arg_value(self, x: X):
        if x.fn is not None:
            return x.fn
        return x.ref

    def emit_call(self, n, fr: ir.FuncRef, argx: list[X], result_sym: ir.Sym | None = None, once: ir.Ref | None = None) -> None:
        self.emit(ir.Call(self.span(n), tuple(self.loops), fr.callee, tuple(self.arg_value(a) for a in argx),
                          fr.recv, self.held, self.released, result_sym, once))

    def sync_callbacks(self, n, argx: list[X]) -> None:
        """Function values handed to code we cannot see (sort.Slice, a
        filepath.Walk callback...) are assumed to run synchronously — except
        HTTP handlers, which net/http runs on request goroutines."""
        for x in argx:
            if x.fn is not None:
                sub = self.ctx.pkg.funcs.get(x.fn.callee)
                if self.is_handler_func(x.fn):
                    self.add_handler(n, x.fn, "handler")
                elif sub is not None or x.fn.callee in self.t.results:
                    self.emit_call(n, x.fn, [])
            else:
                self.maybe_handler_value(x, n)

    def is_handler_func(self, fr: ir.FuncRef) -> bool:
        sub = self.ctx.pkg.funcs.get(fr.callee)
        if sub is not None and sub.role == "handler":
            return True
        return False

    def maybe_handler_value(self, x: X, node) -> None:
        """A value whose type has a ServeHTTP method, given to net/http."""
        if x.type is None or x.fn is not None:
            if x.fn is not None and self.is_handler_func(x.fn):
                self.add_handler(node, x.fn, "handler")
            return
        root = x.ref.root if x.ref is not None and not x.ref.path else ""
        if x.type in HANDLER_VALUE_TYPES and (root.startswith("v:") or root.endswith(":ret")):
            # An http.Handler held in a variable or returned by a call (a
            # middleware's `return http.HandlerFunc(func(w, r) {…})`): the
            # function it holds when the server starts, if it holds one.
            self.add_handler(node, ir.FuncRef("@" + root, None), "handler")
            return
        m = self.t.method(x.type, "ServeHTTP")
        if m is not None:
            recv = x.ref
            for hop in m[0]:
                recv = recv.extend(hop) if recv is not None else None
            self.add_handler(node, ir.FuncRef(m[1], recv), "handler")

    def add_handler(self, node, fr: ir.FuncRef, kind: str) -> None:
        self.ctx.registered_handlers.add(fr.callee)
        sp = ir.Spawn(self.span(node), tuple(self.loops), fr.callee, kind, (), fr.recv, many=True,
                      label="HTTP handler", sync_with_parent=self.s.role == "test")
        # Requests arrive once the server starts: hold the spawn until then.
        self.pending_handlers.append(sp)

    def qualified_call(self, n, pkg: str, name: str, args: list, statement: bool,  # noqa: C901
                       result_sym: ir.Sym | None = None) -> X:
        short = pkg.rsplit("/", 1)[-1]
        if short == "maps" and args:
            xs = [self.expr(a) for a in args]
            if name in ("Copy",) and len(xs) >= 2:
                self.access(args[1], xs[1], ir.ITERATE, "range")
                self.access(args[0], xs[0], ir.WRITE, "insert")
            elif name == "DeleteFunc":
                self.access(args[0], xs[0], ir.WRITE, "delete")
                self.sync_callbacks(n, xs[1:])
            elif name == "Insert":
                self.access(args[0], xs[0], ir.WRITE, "insert")
            elif name in ("Keys", "Values", "All"):
                self.access(n, xs[0], ir.ITERATE, "range")
            elif name == "Clone":
                self.access(n, xs[0], ir.ITERATE, "clone")
                return X(xs[0].type, None, fresh=True)
            elif name in ("Equal", "EqualFunc"):
                for a, x in zip(args[:2], xs[:2]):
                    self.access(a, x, ir.ITERATE, "range")
            return NONE
        if short == "time" and name == "AfterFunc" and len(args) == 2:
            self.expr(args[0])
            self.spawn_value(n, args[1], "afterfunc", label="time.AfterFunc")
            return NONE
        if short == "context" and name == "AfterFunc" and len(args) == 2:
            self.expr(args[0])
            self.spawn_value(n, args[1], "afterfunc", label="context.AfterFunc")
            return NONE
        if short == "http" and name == "HandlerFunc" and len(args) == 1:
            x = self.expr(args[0])
            return X(("qual", "http.HandlerFunc"), None, x.fn)
        if short == "sync" and name in ("OnceFunc", "OnceValue", "OnceValues") and len(args) == 1:
            x = self.expr(args[0])
            return X(("func",), None, x.fn)
        xs = [self.expr(a) for a in args]
        rx = ITERATING_CALLS.get(short)
        if rx is not None and rx.match(name):
            for a, x in zip(args, xs):
                self.access(a, x, ir.ITERATE, "range")
        if short in ("json", "xml") and name == "Unmarshal" and len(xs) == 2:
            self.access(args[1], xs[1], ir.WRITE, "insert")
        if (short, name) in TERMINATING_CALLS:
            self.terminated = True
            return NONE
        if name in SERVER_START:
            self.sync_callbacks(n, xs)
            if short == "httptest" and result_sym is not None:
                # `srv := httptest.NewServer(h)`: srv.Close() waits for the
                # requests in flight, so its handlers are a group Close joins.
                srv = ir.Ref(result_sym)
                self.pending_handlers = [replace(sp, group=srv) for sp in self.pending_handlers]
                self.flush_handlers()
                return X(("ptr", ("qual", "httptest.Server")), srv)
            self.flush_handlers()
            return NONE
        self.sync_callbacks(n, xs)
        if short == "atomic":
            return NONE
        return X(KNOWN_RESULTS.get(f"{short}.{name}", ("qual", f"{short}.{name}")))

    def method_call(self, n, fn, operand, name: str, args: list, statement: bool, result_sym: ir.Sym | None) -> X:  # noqa: C901
        nargs = len(args)
        # Locks.
        if name in ("Lock", "RLock", "Unlock", "RUnlock") and nargs == 0:
            ref = self.lock_ref(operand, name)
            if ref is not None:
                self.lock_op(ref, name)
                return NONE
        rx = self.expr(operand)
        if nargs == 0:
            wrapped = self.lock_wrapper(rx, name)
            if wrapped is not None:
                self.lock_op(*wrapped)
                return NONE
        d = self.t.deref(rx.type)
        qual = d[1] if d is not None and d[0] == "qual" else ""
        # WaitGroup / errgroup.
        if name == "Done" and nargs == 0 and statement and self.is_waitgroup(rx):
            if rx.ref is not None:
                self.emit(ir.Signal(self.span(n), tuple(self.loops), rx.ref, "done"))
            return NONE
        if name == "Close" and nargs == 0 and qual == "httptest.Server":
            if rx.ref is not None:  # blocks until every request in flight has completed
                self.emit(ir.Wait(self.span(n), tuple(self.loops), rx.ref, "close"))
            return NONE
        if name == "Wait" and nargs == 0 and (self.is_waitgroup(rx) or qual in ("sync.Cond",)) and qual != "sync.Cond":
            if rx.ref is not None:
                self.emit(ir.Wait(self.span(n), tuple(self.loops), rx.ref, "wait"))
            return X(("name", "error"))
        own_go = rx.type is not None and self.t.method(rx.type, "Go") is not None
        if name == "Go" and nargs == 1 and not own_go and (self.is_waitgroup(rx) or qual == ""):
            kind = "wggo" if qual == "sync.WaitGroup" else "errgroup"
            self.spawn_value(n, args[0], kind, group=rx.ref, label=f"{self.text(operand)}.Go")
            return NONE
        if name == "Do" and nargs == 1 and (qual == "sync.Once" or (qual == "" and rx.ref is not None and rx.type is None)):
            x = self.expr(args[0])
            if x.fn is not None and rx.ref is not None:
                self.emit_call(n, x.fn, [], once=rx.ref)
                self.emit(ir.Signal(self.span(n), tuple(self.loops), rx.ref, "once"))
                self.emit(ir.Wait(self.span(n), tuple(self.loops), rx.ref, "once"))
                return NONE
            return NONE
        if qual == "sync.Map" and name in ("Load", "LoadOrStore", "LoadAndDelete", "Swap") and rx.ref is not None:
            for a in args:
                self.expr(a)
            key = rx.ref.fieldkey or (rx.ref.root + "." + ".".join(rx.ref.path))
            # The values a sync.Map hands out are shared by everyone who loads them.
            return X(None, ir.Ref("atomic:" + key + "[]", (), "", ""))
        if qual.startswith("atomic."):
            key = rx.ref.fieldkey if rx.ref is not None and rx.ref.fieldkey else (rx.ref.root + "." + ".".join(rx.ref.path) if rx.ref else "?")
            atom = ir.Ref("atomic:" + key, (), "", "")
            # A package-level flag (`ready.Store(true)` … `for !ready.Load() {}`)
            # publishes the writes before its Store to the code after a Load
            # (release / acquire). A flag in a struct is one per object, which
            # field keys cannot tell apart (`symOnce.inited`): not followed.
            flag = qual in ATOMIC_FLAGS and rx.ref is not None and rx.ref.root.startswith("g:")
            if name in ("Load", "Swap", "CompareAndSwap"):
                for a in args:
                    self.expr(a)
                inner = None
                if d is not None and len(d) > 2 and name != "CompareAndSwap":
                    inner = ("ptr", d[2])
                if name == "Load" and flag:
                    self.emit(ir.Wait(self.span(n), tuple(self.loops), atom, "load"))
                return X(inner, atom)
            if name == "Store":
                for a in args:
                    self.expr(a)
                if flag:
                    self.emit(ir.Signal(self.span(n), tuple(self.loops), atom, "store"))
                return NONE
        # Subtests.
        if name == "Run" and nargs == 2 and (qual in ("testing.T", "testing.B") or (rx.type is None and args[1].type == "func_literal")):
            self.expr(args[0])
            fx = self.expr(args[1])
            if fx.fn is not None:
                if self.calls_parallel(fx.fn.callee):
                    self.emit(ir.Spawn(self.span(n), tuple(self.loops), fx.fn.callee, "subtest", (None,), None,
                                       many=False, deferred=True, label="t.Run with t.Parallel"))
                else:
                    self.emit_call(n, fx.fn, [NONE])
            return NONE
        if name == "RunParallel" and nargs == 1:
            fx = self.expr(args[0])
            if fx.fn is not None:
                self.emit(ir.Spawn(self.span(n), tuple(self.loops), fx.fn.callee, "go", (None,), None, many=True,
                                   label="b.RunParallel"))
            return NONE
        if name in TERMINATING_METHODS and qual in ("testing.T", "testing.B", "testing.TB", "") and statement:
            for a in args:
                self.expr(a)
            if qual or self.text(operand) in ("t", "b", "tb"):
                self.terminated = True
            return NONE
        # Package methods.
        target = None
        if rx.type is not None:
            m = self.t.method(rx.type, name)
            if m is not None:
                recv = rx.ref
                for hop in m[0]:
                    recv = recv.extend(hop) if recv is not None else None
                target = ir.FuncRef(m[1], recv)
            elif (self.t.underlying(rx.type) or ("",))[0] == "iface":
                # An interface of this package: its one implementation here.
                target = self.unique_method(name, rx, allow_common=True)
        elif rx.fn is None:
            target = self.unique_method(name, rx)
        if target is None and rx.type is None and rx.fn is not None and name in ("Call",):
            target = rx.fn
        if target is None and name == "ServeHTTP" and nargs == 2 and rx.type in HANDLER_VALUE_TYPES:
            root = rx.ref.root if rx.ref is not None and not rx.ref.path else ""
            if root.startswith("v:") or root.endswith(":ret"):
                # `next.ServeHTTP(w, r)` in a middleware: calls the function
                # the handler value holds (an http.HandlerFunc), when bound.
                argx = [self.expr(a) for a in args]
                self.emit(ir.Call(self.span(n), tuple(self.loops), "@" + root, tuple(self.arg_value(a) for a in argx),
                                  None, self.held, self.released, result_sym))
                return NONE
        argx = [self.expr(a) for a in args]
        if target is not None:
            self.emit_call(n, target, argx, result_sym)
            return self.result_of(target, result_sym)
        field = self.field_of(rx, name) if rx.type is not None else NONE
        u = self.t.underlying(field.type)
        if field.ref is not None and u is not None and u[0] == "func":
            # A call through a function-valued field: resolved to what the
            # field holds when it runs (ir.StoreFunc).
            self.emit(ir.Call(self.span(n), tuple(self.loops), ir.FIELD_CALL,
                              tuple(self.arg_value(a) for a in argx), field.ref, self.held, self.released, result_sym))
            self.sync_callbacks(n, argx)
            return NONE
        # External methods that iterate: enc.Encode(m), t.Logf("%v", m).
        if name in ENCODER_METHODS:
            for a, x in zip(args, argx):
                self.access(a, x, ir.ITERATE, "range")
        if name in SERVER_START:
            self.sync_callbacks(n, argx)
            self.flush_handlers()
            return NONE
        self.sync_callbacks(n, argx)
        return NONE

    def unique_method(self, name: str, rx: X, allow_common: bool = False) -> ir.FuncRef | None:
        """Without a type, resolve a method by name when exactly one type of
        the package declares it (and the name is not a common library one)."""
        if (name in COMMON_METHODS and not allow_common) or rx.ref is None:
            return None
        ids = self.t.method_names.get(name, [])
        if len(ids) == 1:
            return ir.FuncRef(ids[0], rx.ref)
        return None

    def calls_parallel(self, fid: str) -> bool:
        sub = self.ctx.pkg.funcs.get(fid)
        return bool(sub and getattr(sub, "_parallel", False))

    def spawn_value(self, n, fnode, kind: str, group: ir.Ref | None = None, label: str = "") -> None:
        x = self.expr(fnode)
        if x.fn is None:
            return
        self.emit(ir.Spawn(self.span(n), tuple(self.loops), x.fn.callee, kind, (), x.fn.recv, group=group,
                           label=label or kind))

    def spawn_call(self, call, kind: str, node) -> None:
        fn = call.child_by_field_name("function")
        args = self.args_of(call)
        if fn is not None and fn.type == "parenthesized_expression" and fn.named_children:
            fn = fn.named_children[0]
        label = "go " + self.text(fn).split("{", 1)[0].strip()
        if fn is not None and fn.type == "func_literal":
            label = "go func"
        if fn is not None and fn.type == "selector_expression" and self.is_package(fn.child_by_field_name("operand")):
            # go http.ListenAndServe(...): arguments are evaluated here.
            self.call(call)
            return
        fx = self.expr(fn) if fn is not None else NONE
        argx = [self.expr(a) for a in args]
        target = fx.fn
        if target is None and fn is not None and fn.type == "identifier":
            v = self.lookup(self.text(fn))
            if v is not None:
                target = ir.FuncRef("@" + v.sym)
        if target is None and fn is not None and fn.type == "selector_expression":
            mname = self.text(fn.child_by_field_name("field"))
            rx = self.expr(fn.child_by_field_name("operand"))
            if rx.type is None:
                target = self.unique_method(mname, rx)
        if target is None:
            self.sync_callbacks(call, argx)
            return
        self.emit(ir.Spawn(self.span(node), tuple(self.loops), target.callee, kind,
                           tuple(self.arg_value(a) for a in argx), target.recv, label=label))


# Results of library constructors whose type matters (sync objects).
KNOWN_RESULTS = {
    "errgroup.WithContext": ("ptr", ("qual", "errgroup.Group")),
    "sync.NewCond": ("ptr", ("qual", "sync.Cond")),
    "httptest.NewServer": ("ptr", ("qual", "httptest.Server")),
    "httptest.NewUnstartedServer": ("ptr", ("qual", "httptest.Server")),
}

COMMON_METHODS = {
    "Close", "String", "Error", "Read", "Write", "Lock", "Unlock", "RLock", "RUnlock", "Wait", "Done", "Add",
    "Len", "Err", "Do", "Go", "Run", "Store", "Load", "Swap", "Flush", "Reset", "Stop", "Next", "Value",
    "Get", "Set", "Delete", "Put", "Send", "Recv", "Encode", "Decode", "Marshal", "Unmarshal", "Context",
    "Header", "WriteHeader", "ServeHTTP", "Printf", "Println", "Print", "Errorf", "Fatalf", "Logf", "Helper",
    "Cleanup", "Parallel", "Name", "Type", "Kind", "Int", "Sum", "Update", "Seek", "Scan", "Text", "Bytes",
    "Unwrap", "Is", "As", "Format", "Sort", "Less", "Contains", "Keys", "Values", "Range",
}


def same_lock(a: ir.Ref, b: ir.Ref) -> bool:
    if a == b:
        return True
    if a.fieldkey and a.fieldkey == b.fieldkey:
        return True
    return a.root == b.root and a.path == b.path


def mark_parallel(summary: ir.FuncSummary, body_node, src: bytes, tparam: str | None) -> None:
    """Record whether a subtest body calls t.Parallel() at its top level."""
    if tparam is None or body_node is None:
        return
    needle = f"{tparam}.Parallel()".encode()
    for child in body_node.named_children:
        nodes = child.named_children if child.type == "statement_list" else [child]
        for st in nodes:
            if st.type == "expression_statement" and src[st.start_byte:st.end_byte].strip() == needle:
                summary._parallel = True  # type: ignore[attr-defined]
                return
