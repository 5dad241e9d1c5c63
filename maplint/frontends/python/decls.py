"""Module-level declarations of a Python analysis unit.

Before any function body is summarised, every module's top-level names are
bound (globals, functions, classes, imports), every class learns its methods,
bases, class attributes and the instance attributes its methods assign, and
each of those gets a *type key* whose kind (dict, defaultdict, Counter,
OrderedDict, lock, queue...) is settled once all bodies have been walked:
Python has no static types, so a dict is recognised by what creates it
(`{}`, `dict()`, `defaultdict(list)`...), by an annotation, by the arguments
that reach a parameter, or by a dict-only method used on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from maplint.frontends.python.source import PyFile

DICT_KINDS = ("dict", "defaultdict", "Counter", "OrderedDict")
LOCK_KINDS = ("lock", "rlock", "cond", "sem1")

# The last component of an external dotted name → what calling it makes.
CTOR_KINDS = {
    "dict": "dict", "defaultdict": "defaultdict", "Counter": "Counter", "OrderedDict": "OrderedDict",
    "Lock": "lock", "RLock": "rlock", "Condition": "cond", "allocate_lock": "lock", "allocate": "lock",
    "Semaphore": "sem", "BoundedSemaphore": "sem",
    "Queue": "queue", "SimpleQueue": "queue", "LifoQueue": "queue", "PriorityQueue": "queue", "JoinableQueue": "queue",
    "Event": "event", "local": "local",
    "ThreadPoolExecutor": "executor", "ThreadPool": "pool",
    "ProcessPoolExecutor": "procexec",
    "Thread": "thread", "Timer": "timer",
    "ThreadingTCPServer": "tserver", "ThreadingUDPServer": "tserver", "ThreadingHTTPServer": "tserver",
    "ThreadingUnixStreamServer": "tserver", "ThreadingUnixDatagramServer": "tserver",
    "list": "list", "set": "set", "tuple": "tuple", "frozenset": "other", "str": "other", "int": "other",
    "float": "other", "bytes": "other", "bytearray": "other", "deque": "other", "WeakValueDictionary": "other",
    "WeakKeyDictionary": "other", "ChainMap": "other", "MappingProxyType": "other",
}
KNOWN_MODULES = {
    "threading", "_thread", "queue", "collections", "concurrent", "multiprocessing", "socketserver", "http",
    "asyncio", "typing", "functools", "json", "copy", "weakref", "enum", "dataclasses", "types", "builtins",
    "contextlib",
}
# Annotations that name a dict.
ANNOTATION_KINDS = {
    "dict": "dict", "Dict": "dict", "MutableMapping": "dict", "defaultdict": "defaultdict",
    "DefaultDict": "defaultdict", "Counter": "Counter", "OrderedDict": "OrderedDict",
    "Lock": "lock", "RLock": "rlock", "Condition": "cond", "Semaphore": "sem", "BoundedSemaphore": "sem",
    "Queue": "queue", "SimpleQueue": "queue", "Event": "event",
    "ThreadPoolExecutor": "executor", "Executor": "executor", "Thread": "thread",
    "list": "list", "List": "list", "set": "set", "Set": "set", "tuple": "tuple", "Tuple": "tuple",
    "str": "other", "int": "other", "float": "other", "bytes": "other", "bool": "other",
}
# Factories of a defaultdict whose __missing__ never runs Python code.
BUILTIN_FACTORIES = {"int", "list", "set", "dict", "float", "str", "tuple", "bool", "bytes", "frozenset",
                     "complex", "object", "OrderedDict", "deque"}
THREAD_BASES = {"Thread"}
SERVER_MIXINS = {"ThreadingMixIn", "ThreadingTCPServer", "ThreadingUDPServer", "ThreadingHTTPServer",
                 "ThreadingUnixStreamServer", "ThreadingUnixDatagramServer"}  # one thread per request
HANDLER_BASES = {"BaseHTTPRequestHandler", "SimpleHTTPRequestHandler", "CGIHTTPRequestHandler",
                 "BaseRequestHandler", "StreamRequestHandler", "DatagramRequestHandler"}
HANDLER_METHODS = ("handle", "do_GET", "do_POST", "do_PUT", "do_DELETE", "do_PATCH", "do_HEAD", "do_OPTIONS")
LOCAL_BASES = {"local"}
# logging handlers: Handler.handle() calls emit() with self.lock held, from
# whichever thread logged the record.
LOGGING_HANDLERS = {"Handler", "StreamHandler", "FileHandler", "WatchedFileHandler", "RotatingFileHandler",
                    "TimedRotatingFileHandler", "BufferingHandler", "MemoryHandler", "SocketHandler",
                    "DatagramHandler", "SysLogHandler", "SMTPHandler", "HTTPHandler", "QueueHandler", "NullHandler"}
ENUM_BASES = {"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag"}  # members hash in Python code


def dotted(node) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts = []
    while type(node) is cst.Attribute:
        parts.append(node.attr.value)
        node = node.value
    if type(node) is cst.Name:
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def call_name(call: cst.Call) -> str | None:
    return dotted(call.func)


def _asname(alias) -> str | None:
    """The `as` name of an import alias, if any."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


@dataclass
class Binding:
    """What a module-level name denotes."""

    kind: str  # var | func | class | module | ext | alias
    target: str = ""  # fid, cid, module key, external dotted name
    name: str = ""  # for alias: the name in the target module
    descs: list = field(default_factory=list)  # var: value descriptions


@dataclass
class ClassInfo:
    cid: str
    name: str
    mod: "ModInfo"
    node: cst.ClassDef
    bases: list = field(default_factory=list)  # base expressions
    base_cids: list[str] = field(default_factory=list)
    base_ext: set[str] = field(default_factory=set)  # last components of external bases
    methods: dict[str, str] = field(default_factory=dict)  # name -> fid
    method_kind: dict[str, str] = field(default_factory=dict)  # static | class | property | inst
    class_attrs: dict[str, list] = field(default_factory=dict)  # name -> descs
    inst_attrs: dict[str, list] = field(default_factory=dict)  # name -> descs
    dataclass: bool = False
    defines_hash: bool = False

    def all_ext(self, unit) -> set[str]:
        out = set(self.base_ext)
        for c in unit.mro(self.cid)[1:]:
            out |= unit.classes[c].base_ext
        return out


@dataclass
class ModInfo:
    key: str
    file: PyFile
    globals: dict[str, Binding] = field(default_factory=dict)
    dotted_name: str = ""
    has_main_guard: bool = False
