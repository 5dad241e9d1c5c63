"""The language-neutral intermediate form a front-end produces.

A front-end (Go via tree-sitter, Python via libcst) turns each function body
into a `FuncSummary`: the events that matter for races, in program order, with
symbolic access paths (`Ref`) rooted at the function's parameters, its locals,
package globals or the variables a closure captures. Lock sets are computed by
the front-end (it knows the language's lock idioms); the concurrency engine
(`maplint.concurrency`) instantiates the summaries per goroutine or thread,
binds parameters to arguments, and decides which accesses may run in parallel.
Nothing here refers to a parser type.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from maplint.finding import Span
from maplint.frozen import frozen

# A variable's identity, unique in a package: "g:<name>" for a global,
# "v:<file>:<offset>" for a local or parameter (its declaration site).
Sym = str


@frozen
class Ref:
    """A symbolic access path: `root.f1.f2` (`[]` stands for a map element).

    `fieldkey` is the field-based name of the location (`Server.sessions`,
    `Server.peers[]`), computed from static types where the front-end knows
    them; it lets accesses through different variables of the same struct type
    be compared when the instances cannot be told apart.
    `root_type` is the static type name of the root ("" if unknown).
    """

    root: Sym
    path: tuple[str, ...] = ()
    fieldkey: str = ""
    root_type: str = ""

    def extend(self, name: str, fieldkey: str = "") -> Ref:
        return Ref(self.root, self.path + (name,), fieldkey, self.root_type)

    def text(self, names: dict[Sym, str] | None = None) -> str:
        names = names or {}
        out = names.get(self.root) or self.root.rsplit(":", 1)[-1]
        for p in self.path:
            if p.startswith("[="):  # an element picked with a variable: `m[group]`
                out += f"[{names.get(p[2:-1]) or '…'}]"
            else:
                out += "[…]" if p.startswith("[") else "." + p
        return out


@frozen
class FuncRef:
    """A function value: a package function, a closure, or a method bound to
    a receiver (`s.handle`)."""

    callee: str
    recv: Ref | None = None


@frozen
class Held:
    """A lock held at a point: exclusive (Lock, `with lock:`) or shared (RLock)."""

    lock: Ref
    shared: bool = False


# Access kinds and the runtime operation each one performs.
READ, WRITE, ITERATE = "read", "write", "iterate"


@frozen
class Event:
    span: Span
    loops: tuple[int, ...]  # ids of the enclosing loops in this function, outermost first


@frozen
class Access(Event):
    ref: Ref
    kind: str  # READ | WRITE | ITERATE
    op: str  # runtime operation: insert lookup delete range len clear clone incr (+ python ops)
    held: frozenset[Held] = frozenset()
    released: frozenset[Ref] = frozenset()  # caller-held locks released before this point
    text: str = ""  # the source text of the map expression, for messages
    assume_locked: bool = False  # inside a `fooLocked` helper: callers hold the guard
    key_kind: str = "generic"  # int32 / int64 / string / generic (the runtime's fast paths)
    size: int | None = None  # the map's size hint when the code shows it
    branch: tuple = ()  # the if/switch/select branches around the event



@frozen
class Call(Event):
    """A synchronous call of a function of the same package."""

    callee: str  # FuncSummary.id
    args: tuple = ()  # Ref | FuncRef | None per parameter
    recv: Ref | None = None
    held: frozenset[Held] = frozenset()
    released: frozenset[Ref] = frozenset()
    result: Sym | None = None  # the local bound to the call's result, if any
    once: Ref | None = None  # set for sync.Once.Do(f): f runs once across all callers
    branch: tuple = ()  # the if/switch/select branches around the event



@frozen
class Spawn(Event):
    """Starts `callee` concurrently.

    kind: go | errgroup | wggo | afterfunc | handler | subtest | thread | executor.
    `group` is the sync object the spawned body signals when it ends (errgroup,
    WaitGroup.Go, a joined thread). `deferred` spawns start only after the
    spawning function returns (parallel subtests).
    """

    callee: str
    kind: str = "go"
    args: tuple = ()  # Ref | FuncRef | None per parameter
    recv: Ref | None = None
    group: Ref | None = None
    many: bool = False  # runs as many instances at once (handlers, pools) even outside a loop
    deferred: bool = False
    # A handler started by a test that then talks to it synchronously: the
    # request/response round trip orders the test's own accesses with it.
    sync_with_parent: bool = False
    label: str = ""  # how the spawn reads in messages: "go worker()", "http.HandleFunc"
    branch: tuple = ()  # the if/switch/select branches around the event



@frozen
class Signal(Event):
    """Something another context can wait for: a send or close on a channel,
    WaitGroup.Done, the end of a once body. `at_end` = deferred to the end of
    the function."""

    obj: Ref
    kind: str = "send"
    at_end: bool = False
    value: Ref | None = None  # the value sent on a channel
    branch: tuple = ()  # the if/switch/select branches around the event
    # The variable sent is made to hold a new object right after the send
    # (`out <- batch; batch = make(…)`): what it touches later is not what was sent.
    rebound: bool = False



@frozen
class Wait(Event):
    """Waits for a Signal on the same object: a receive, WaitGroup.Wait, join."""

    obj: Ref
    kind: str = "recv"
    branch: tuple = ()  # the if/switch/select branches around the event


@frozen
class Store(Event):
    """A field of an object now refers to another object (`self.seen = seen`
    in a Python constructor): accesses through that field, in this context and
    the ones started after, reach the stored object. (Used by the Python
    front-end; Go's field stores are known from static types instead.)"""

    target: Ref  # the field: a path of at least one step
    value: Ref
    branch: tuple = ()


@frozen
class StoreFunc(Event):
    """A function-valued field now holds a function (`b.onEvent = func(e
    string) {…}`, a method value): a later call through the field
    (`b.onEvent(e)`, a Call with callee FIELD_CALL) calls it."""

    target: Ref  # the field
    value: FuncRef
    branch: tuple = ()


FIELD_CALL = "@."  # Call.callee of a call through a function-valued field (Call.recv: the field)



@dataclass
class FuncSummary:
    id: str  # unique in the package: "Server.Get", "main", "main$lit@12:5"
    name: str  # as written: "Get", "func literal"
    span: Span
    params: tuple[Sym, ...] = ()
    recv: Sym | None = None
    recv_type: str = ""  # receiver's base type name, "" for functions
    exported: bool = False
    events: list[Event] = field(default_factory=list)
    returns: list = field(default_factory=list)  # Ref | FuncRef: what the function may return
    locals_fresh: set[Sym] = field(default_factory=set)  # locals bound to new objects here
    escaping: set[Sym] = field(default_factory=set)  # locals returned or stored outside
    local_loops: dict[Sym, tuple[int, ...]] = field(default_factory=dict)  # loops around each local's declaration
    parent: str | None = None  # enclosing function of a closure
    broken: bool = False  # the body contains syntax errors: its accesses are not reported
    assume_locked: bool = False  # `fooLocked` naming convention
    role: str = ""  # main | init | test | handler | "" (how the runtime calls it)
    param_types: tuple[str, ...] = ()  # base type name of each parameter ("" unknown), package functions


@dataclass
class Package:
    """One analysis unit: a Go package directory or a Python module set."""

    lang: str
    dir: str
    name: str
    funcs: dict[str, FuncSummary] = field(default_factory=dict)
    names: dict[Sym, str] = field(default_factory=dict)  # sym -> source name
    decls: dict[Sym, Span] = field(default_factory=dict)  # sym -> declaration site
    owner: dict[Sym, str] = field(default_factory=dict)  # local sym -> id of the function declaring it
    types: dict[Sym, str] = field(default_factory=dict)  # sym -> static type name, where known
    registered_handlers: set[str] = field(default_factory=set)  # handler funcs given to a server in view
    recv_chan: dict[Sym, Ref] = field(default_factory=dict)  # "recv:..." value root -> the channel it came from
    guarded_by: dict[str, str] = field(default_factory=dict)  # fieldkey/global -> lock field (annotations)
    struct_types: set[str] = field(default_factory=set)  # named types whose underlying type is a struct
    concurrent_types: set[str] = field(default_factory=set)  # types whose exported methods may run concurrently
    supertypes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class -> the classes it inherits from
    runtime: str = ""  # e.g. go1.23, cpython3.11
    problems: list = field(default_factory=list)  # (path, line, message) found while loading
    is_main: bool = False
    # Bodies walked on demand (the Go front-end): `materialize(fid)` completes
    # a function's summary (and its closures') and returns the ids completed;
    # `walked` holds the complete ones. None: every summary is complete.
    materialize: Callable[[str], list[str]] | None = None
    walked: set[str] | None = None
    may_spawn: set[str] | None = None  # a superset of the functions that spawn (None: unknown)
