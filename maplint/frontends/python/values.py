"""What a Python expression denotes, as far as races on dicts are concerned."""
from __future__ import annotations

from dataclasses import dataclass, replace

from maplint import ir


@dataclass(frozen=True)
class ThreadSpec:
    """A thread (or timer) constructed but not yet started."""

    fn: ir.FuncRef | None
    args: tuple = ()
    kind: str = "thread"
    label: str = "threading.Thread"


@dataclass(frozen=True)
class Val:
    ref: ir.Ref | None = None  # the location (dicts, objects, locks, queues...)
    kind: str | None = None  # dict defaultdict Counter OrderedDict lock rlock cond sem1 queue event local executor ...
    tkey: tuple | None = None  # the type key that decides the kind when it is not known yet
    fn: ir.FuncRef | None = None  # a function value
    spec: ThreadSpec | None = None  # a thread not yet started
    cid: str | None = None  # an instance of a class of the unit
    cls: str | None = None  # a class of the unit itself
    module: str | None = None  # a module of the unit
    ext: str | None = None  # an external dotted name (module, class or function)
    fresh: bool = False  # a new object
    elem: "Val | None" = None  # what a list/tuple/dict value holds
    factory: str = ""  # defaultdict: "py" (a Python factory) or "builtin"
    awaits: tuple = ()  # group refs that awaiting this value waits for
    getof: tuple | None = None  # (dict ref, key text, calls counter, held, anchor) for a value read from a dict
    view: str = ""  # keys | values | items: a view of the dict `ref`
    bound: tuple = ()  # functools.partial: arguments bound before the call's own
    future: ir.Ref | None = None  # a future of a submitted task
    calls: int = 0  # calls counter when the value was computed
    one_of: bool = False  # an element taken from a collection by a loop: a join on it waits for one of many
    alts: tuple = ()  # other values the same element may be (threads of different targets in one list)

    def with_(self, **kw) -> "Val":
        return replace(self, **kw)


NONE = Val()


def merge_elem(a: "Val | None", b: "Val | None") -> "Val | None":
    """What a collection holds after adding b to what it held (a)."""
    if a is None:
        return b
    if b is None or b == a or b in a.alts:
        return a
    return a.with_(alts=a.alts + (b,))


def variants(v: Val) -> tuple:
    """v and the alternatives it stands for."""
    return (v.with_(alts=()),) + tuple(v.alts) if v.alts else (v,)
