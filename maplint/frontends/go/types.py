"""Go types as far as maplint needs them, resolved from one package's declarations.

No type checker: a type is what the source spells. Types are tuples:
("name", "Server") a named type of this package or a builtin,
("qual", "sync.Mutex") a type of another package, ("ptr", T), ("map", K, V),
("slice", E), ("array", E), ("chan", E), ("func", (results...), (params...)),
("struct", ((field, T, embedded), ...)), ("iface",), and None when unknown.
"""
from __future__ import annotations

from dataclasses import dataclass, field

Type = tuple | None

BUILTIN_NAMES = {
    "bool", "byte", "rune", "string", "error", "any", "int", "int8", "int16", "int32", "int64",
    "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "float32", "float64",
    "complex64", "complex128", "comparable",
}
PLAIN_BUILTINS = BUILTIN_NAMES - {"error", "any", "comparable"}
MUTEX = {"sync.Mutex": False, "sync.RWMutex": True}  # -> has a read lock


def parse_type(node, src: bytes) -> Type:
    """A tree-sitter type node to a Type tuple."""
    if node is None:
        return None
    t = node.type
    if t in ("type_identifier", "identifier"):
        return ("name", _text(node, src))
    if t == "qualified_type":
        return ("qual", _text(node, src).replace(" ", ""))
    if t == "pointer_type":
        return ("ptr", parse_type(node.named_children[-1], src))
    if t == "map_type":
        return ("map", parse_type(node.child_by_field_name("key"), src), parse_type(node.child_by_field_name("value"), src))
    if t == "slice_type":
        return ("slice", parse_type(node.child_by_field_name("element"), src))
    if t == "array_type":
        return ("array", parse_type(node.child_by_field_name("element"), src))
    if t == "channel_type":
        return ("chan", parse_type(node.child_by_field_name("value"), src))
    if t == "generic_type":
        inner = parse_type(node.child_by_field_name("type"), src)
        if inner is not None and inner[0] == "qual" and inner[1] == "atomic.Pointer":
            targs = node.child_by_field_name("type_arguments")
            arg = parse_type(targs.named_children[0], src) if targs is not None and targs.named_children else None
            return ("qual", "atomic.Pointer", arg)
        return inner
    if t == "parenthesized_type":
        return parse_type(node.named_children[0], src) if node.named_children else None
    if t == "function_type":
        return ("func", result_types(node.child_by_field_name("result"), src), param_types(node.child_by_field_name("parameters"), src))
    if t == "struct_type":
        return ("struct", struct_fields(node, src))
    if t == "interface_type":
        return ("iface",)
    if t in ("type_elem", "type_constraint"):
        return parse_type(node.named_children[0], src) if node.named_children else None
    return None


def param_types(node, src: bytes) -> tuple:
    if node is None:
        return ()
    out = []
    for p in node.named_children:
        if p.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        ty = parse_type(p.child_by_field_name("type"), src)
        if p.type == "variadic_parameter_declaration":
            ty = ("slice", ty)
        names = [c for c in p.children_by_field_name("name")]
        out.extend([ty] * max(1, len(names)))
    return tuple(out)


def result_types(node, src: bytes) -> tuple:
    if node is None:
        return ()
    if node.type == "parameter_list":
        return param_types(node, src)
    return (parse_type(node, src),)


def struct_fields(node, src: bytes) -> tuple:
    fields = []
    body = next((c for c in node.named_children if c.type == "field_declaration_list"), None)
    if body is None:
        return ()
    for fd in body.named_children:
        if fd.type != "field_declaration":
            continue
        ty = parse_type(fd.child_by_field_name("type"), src)
        names = fd.children_by_field_name("name")
        if names:
            for n in names:
                fields.append((_text(n, src), ty, False))
        else:  # embedded: the field name is the type name without package or pointer
            base = ty[1] if ty and ty[0] == "ptr" else ty
            if base and base[0] in ("name", "qual"):
                fields.append((base[1].rsplit(".", 1)[-1], ty, True))
    return tuple(fields)


def _text(node, src: bytes) -> str:
    return src[node.start_byte:node.end_byte].decode("utf-8", "replace")


@dataclass
class TypeTable:
    """The package's declared types, methods, functions and globals."""

    named: dict[str, Type] = field(default_factory=dict)  # type name -> underlying type expression
    methods: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, method) -> func id
    method_names: dict[str, list[str]] = field(default_factory=dict)  # method -> func ids
    funcs: dict[str, str] = field(default_factory=dict)  # func name -> func id
    results: dict[str, tuple] = field(default_factory=dict)  # func id -> result types
    globals: dict[str, Type] = field(default_factory=dict)
    guards: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, field) -> guard field
    # (type, method) -> (field path, Lock|RLock|Unlock|RUnlock): methods whose
    # whole body is `r.mu.Lock()` (lock helpers: `func (s *S) lock() { s.mu.Lock() }`)
    lock_wrappers: dict[tuple[str, str], tuple[tuple[str, ...], str]] = field(default_factory=dict)

    def underlying(self, t: Type, depth: int = 0) -> Type:
        while t is not None and t[0] == "name" and t[1] in self.named and depth < 20:
            t = self.named[t[1]]
            depth += 1
        return t

    def plain(self, t: Type, seen: frozenset = frozenset()) -> bool:
        """Can a value of type `t` lead to nothing the engine tracks — no
        map, channel, lock, function or interface, through any field,
        pointer or element? (strings, numbers, and structs, arrays and
        pointers made of them.) Unknown, foreign and type-parameter types are
        not plain: nothing is known of what they hold."""
        if t is None:
            return False
        kind = t[0]
        if kind == "name":
            name = t[1]
            if name in self.named:
                # A type met again inside itself (a linked list) adds
                # nothing: the rest of it is checked on the way.
                return name in seen or self.plain(self.named[name], seen | {name})
            return name in PLAIN_BUILTINS
        if kind in ("ptr", "slice", "array"):
            return self.plain(t[1], seen)
        if kind == "struct":
            return all(self.plain(ft, seen) for _, ft, _ in t[1])
        return False  # map, chan, func, iface, qual

    def deref(self, t: Type) -> Type:
        u = self.underlying(t)
        if u is not None and u[0] == "ptr":
            return u[1]
        return t

    def map_of(self, t: Type) -> Type:
        u = self.underlying(self.deref(t))
        return u if u is not None and u[0] == "map" else None

    def base_name(self, t: Type) -> str:
        """`Server` for Server, *Server and Server[K, V]; "" otherwise."""
        d = self.deref(t)
        if d is not None and d[0] in ("name", "qual"):
            return d[1]
        return ""

    def mutex_kind(self, t: Type) -> str | None:
        """"rw" or "mu" when t is a sync mutex (or a pointer to one)."""
        d = self.deref(t)
        if d is not None and d[0] == "qual" and d[1] in MUTEX:
            return "rw" if MUTEX[d[1]] else "mu"
        return None

    def field(self, t: Type, name: str) -> tuple[tuple[str, ...], str, Type] | None:
        """Find field `name` in struct type t, through embedded structs.

        Returns (path, owner type name, field type); the path includes the
        embedded fields walked through, so promoted and explicit selections
        of the same field compare equal."""
        seen: set[str] = set()
        frontier = [((), t)]
        for _ in range(6):
            nxt = []
            for path, ty in frontier:
                owner = self.base_name(ty)
                if owner in seen:
                    continue
                if owner:
                    seen.add(owner)
                st = self.underlying(self.deref(ty))
                if st is None or st[0] != "struct":
                    continue
                for fname, ftype, embedded in st[1]:
                    if fname == name:
                        return path + (fname,), owner or "struct", ftype
                for fname, ftype, embedded in st[1]:
                    if embedded:
                        nxt.append((path + (fname,), ftype))
            if not nxt:
                return None
            frontier = nxt
        return None

    def method(self, t: Type, name: str) -> tuple[tuple[str, ...], str] | None:
        """Find method `name` on t or its embedded types: (embedded path, func id)."""
        seen: set[str] = set()
        frontier = [((), t)]
        for _ in range(6):
            nxt = []
            for path, ty in frontier:
                owner = self.base_name(ty)
                if not owner or owner in seen:
                    continue
                seen.add(owner)
                fid = self.methods.get((owner, name))
                if fid:
                    return path, fid
                st = self.underlying(self.deref(ty))
                if st is not None and st[0] == "struct":
                    for fname, ftype, embedded in st[1]:
                        if embedded:
                            nxt.append((path + (fname,), ftype))
            if not nxt:
                return None
            frontier = nxt
        return None

    def embedded_mutex(self, t: Type) -> tuple[tuple[str, ...], str] | None:
        """For `s.Lock()` on a struct that embeds a mutex: (path to it, kind)."""
        st = self.underlying(self.deref(t))
        if st is None or st[0] != "struct":
            return None
        for fname, ftype, embedded in st[1]:
            if embedded:
                k = self.mutex_kind(ftype)
                if k:
                    return (fname,), k
        for fname, ftype, embedded in st[1]:
            if embedded:
                inner = self.embedded_mutex(ftype)
                if inner:
                    return (fname,) + inner[0], inner[1]
        return None


def key_kind(table: TypeTable, map_type: Type) -> str:
    """Which runtime fast path the map's key type takes (mapassign_fast32/64/str)."""
    m = table.map_of(map_type)
    if m is None:
        return "generic"
    k = table.underlying(m[1])
    if k is None or k[0] != "name":
        return "generic"
    n = k[1]
    if n in ("int32", "uint32", "rune"):
        return "int32"
    if n in ("int", "int64", "uint", "uint64", "uintptr"):
        return "int64"
    if n == "string":
        return "string"
    return "generic"
