"""One Python analysis unit: modules that import each other, summarised
together into one `ir.Package(lang="python")`."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

import libcst as cst

from maplint import ir
from maplint.frontends.python.decls import (
    ANNOTATION_KINDS, BUILTIN_FACTORIES, CTOR_KINDS, DICT_KINDS, ENUM_BASES, HANDLER_BASES, KNOWN_MODULES, LOCAL_BASES,
    Binding, ClassInfo, ModInfo, _asname, dotted,
)
from maplint.frontends.python.positions import Positions, ast_block
from maplint.frontends.python.source import PyFile
from maplint.frontends.python.values import Val

TEST_FILE = re.compile(r"(^test_.*|.*_test|^conftest)\.py$")
NOT_EXPORTED = {"__init__", "__new__", "__del__", "__init_subclass__", "__post_init__", "__set_name__",
                "__class_getitem__", "__repr__", "__str__", "__hash__", "__eq__", "__enter__", "__exit__",
                "setUp", "tearDown", "setUpClass", "tearDownClass"}


@dataclass
class FuncInfo:
    fid: str
    node: object  # cst.FunctionDef | cst.Lambda | None (module)
    mod: ModInfo
    cls: ClassInfo | None = None
    kind: str = "function"  # function | method | static | class | property | lambda | module | task
    params: list[str] = field(default_factory=list)  # positional-or-keyword names, then keyword-only
    self_name: str | None = None
    summary: ir.FuncSummary | None = None
    parent: "FuncInfo | None" = None
    ast_node: object = None
    walked: bool = False


class Unit:
    def __init__(self, files: list[PyFile], runtime: str = "cpython3.11"):
        self.files = files
        self.pkg = ir.Package(lang="python", dir=str(files[0].path.parent) if files else "", name="")
        self.pkg.runtime = runtime
        self.mods: dict[str, ModInfo] = {}
        self.mod_by_path: dict[str, ModInfo] = {}
        self.classes: dict[str, ClassInfo] = {}
        self.funcs: dict[str, FuncInfo] = {}
        self.positions: dict[str, Positions] = {}
        # Type keys: what each value source says, and dict-only uses.
        self.sources: dict[tuple, list] = defaultdict(list)
        self.evidence: set[tuple] = set()
        self.class_specs: dict[tuple[str, str], object] = {}
        self.handler_classes: set[str] = set()
        self.handler_servers: dict[str, str] = {}  # request handler class -> the unit server class it serves
        self.check_sites: dict[str, object] = {}
        self._final: dict | None = None
        self._mro: dict[str, list[str]] = {}
        self.walkers: list = []
        self.lock_effects: dict[str, tuple | None] = {}
        # Decorators of the unit (`@memoize`): decorator -> the inner function
        # it returns, and decorated function -> those wrappers.
        self.decorators: dict[str, str] = {}
        self.decorated: dict[str, list[str]] = {}
        self._by_name = None
        self._pyhash: bool | None = None
        self._seen: dict = {}
        self._kn: dict = {}
        self.version = 0

    # ---- declarations --------------------------------------------------
    def declare(self) -> None:
        for f in self.files:
            mod = ModInfo(key=f.modkey, file=f, dotted_name=f.modkey)
            self.mods[f.modkey] = mod
            self.mod_by_path[str(f.path)] = mod
            self.positions[f.modkey] = Positions(f, f.module)
        for mod in self.mods.values():
            self._declare_module(mod)
        for c in self.classes.values():
            self._resolve_bases(c)
        self._find_decorators()
        for fi in list(self.funcs.values()):
            if fi.cls is not None and fi.self_name and type(fi.node) is cst.FunctionDef:
                _scan_self_attrs(fi.node.body, fi.self_name, fi.cls)
        for mod in self.mods.values():
            for name, b in mod.globals.items():
                if b.kind == "var":
                    self.sources[("g", mod.key, name)].extend(b.descs)
        for c in self.classes.values():
            for name, descs in c.class_attrs.items():
                self.sources[("c", c.cid, name)].extend(descs)
            for name, descs in c.inst_attrs.items():
                self.sources[("i", c.cid, name)].extend(descs)
        for c in self.classes.values():
            ext = c.all_ext(self)
            if ext & HANDLER_BASES:
                self.handler_classes.add(c.cid)
        self.pkg.struct_types = {cid for cid, c in self.classes.items()
                                 if cid not in self.handler_classes and not (c.all_ext(self) & LOCAL_BASES)}
        self.pkg.supertypes = {cid: tuple(self.mro(cid)[1:]) for cid in self.classes if len(self.mro(cid)) > 1}
        self.pkg.is_main = False

    def _declare_module(self, mod: ModInfo) -> None:
        f = mod.file
        fi = FuncInfo(fid=f"{mod.key}.<module>", node=None, mod=mod, kind="module", ast_node=f.tree)
        fi.summary = ir.FuncSummary(id=fi.fid, name=f"module {mod.key}", span=ir.Span(f.shown, 1, 1))
        self.funcs[fi.fid] = fi
        self._declare_block(mod, f.module.body, f.tree.body, None, "")

    def _declare_block(self, mod: ModInfo, body, ast_body, cls: ClassInfo | None, qual: str) -> None:
        """Top-level (or class-level) declarations, descending into if/try/with blocks."""
        for node, a in ast_block(body, ast_body):
            self._declare_stmt(mod, node, a, cls, qual)

    def _declare_stmt(self, mod: ModInfo, node, a, cls: ClassInfo | None, qual: str) -> None:
        if type(node) is cst.FunctionDef:
            name = node.name.value
            fid = f"{mod.key}.{qual}{name}"
            kind = "function"
            if cls is not None:
                kind = "method"
                for d in node.decorators:
                    dn = dotted(d.decorator) or (dotted(d.decorator.func) if type(d.decorator) is cst.Call else "")
                    dn = (dn or "").rsplit(".", 1)[-1]
                    if dn == "staticmethod":
                        kind = "static"
                    elif dn == "classmethod":
                        kind = "class"
                    elif dn in ("property", "cached_property"):
                        kind = "property"
                    elif dn in ("setter", "deleter"):
                        kind = "setter"
            if kind == "setter":
                fid += ".setter"
            fi = self.new_func(fid, node, mod, cls, kind, None, a)
            if cls is not None and kind != "setter":
                cls.methods[name] = fi.fid
                cls.method_kind[name] = kind
                if name in ("__hash__", "__eq__"):
                    cls.defines_hash = True
            elif cls is None:
                mod.globals[name] = Binding("func", fi.fid)
            return
        if type(node) is cst.ClassDef:
            name = node.name.value
            # No dots in a class id: the engine reads the type of a field
            # key `Type.field` up to the first dot.
            cid = f"{mod.key.replace('.', '/')}:{(qual + name).replace('.', '$')}"
            c = ClassInfo(cid=cid, name=name, mod=mod, node=node, bases=[b.value for b in node.bases if not b.keyword])
            for d in node.decorators:
                dn = dotted(d.decorator) or (dotted(d.decorator.func) if type(d.decorator) is cst.Call else "")
                if dn and dn.rsplit(".", 1)[-1] in ("dataclass", "dataclasses", "define", "frozen", "attrs", "s"):
                    c.dataclass = True
            self.classes[cid] = c
            if cls is None:
                mod.globals[name] = Binding("class", cid)
            else:
                cls.class_attrs.setdefault(name, [])
            body = node.body
            ast_body = a.body if a is not None else []
            if type(body) is cst.IndentedBlock:
                self._declare_block(mod, body.body, ast_body, c, f"{qual}{name}.")
            return
        if cls is not None:
            self._declare_class_attr(mod, cls, node)
            return
        # Module level.
        if type(node) in (cst.Assign, cst.AnnAssign, cst.AugAssign,):
            targets = [t.target for t in node.targets] if type(node) is cst.Assign else [node.target]
            value = node.value
            for t in targets:
                for nm in _names(t):
                    b = mod.globals.get(nm)
                    if b is None or b.kind != "var":
                        b = mod.globals[nm] = Binding("var")
                    if type(t) is cst.Name and value is not None:
                        b.descs.append(value)
                    if type(node) is cst.AnnAssign:
                        b.descs.append(("ann", node.annotation.annotation))
            return
        if type(node) is cst.Import:
            for alias in node.names:
                full = dotted(alias.name) or ""
                if alias.asname is not None and type(alias.asname.name) is cst.Name:
                    mod.globals[alias.asname.name.value] = self._import_binding(mod, full, 0, full)
                else:
                    top = full.split(".", 1)[0]
                    mod.globals[top] = self._import_binding(mod, top, 0, top)
            return
        if type(node) is cst.ImportFrom:
            if type(node.names) is cst.ImportStar:
                return
            base = dotted(node.module) if node.module is not None else ""
            level = len(node.relative)
            for alias in node.names:
                nm = dotted(alias.name) or ""
                local = _asname(alias) or nm
                mod.globals[local] = self._from_binding(mod, base or "", level, nm)
            return
        if type(node) in (cst.If, cst.Try, cst.With, cst.For, cst.While,):
            if type(node) is cst.If and _is_main_guard(node.test):
                mod.has_main_guard = True
            for body, ast_body in _sub_blocks(node, a):
                self._declare_block(mod, body, ast_body, None, qual)

    def _declare_class_attr(self, mod: ModInfo, cls: ClassInfo, node) -> None:
        if type(node) in (cst.Assign, cst.AnnAssign,):
            targets = [t.target for t in node.targets] if type(node) is cst.Assign else [node.target]
            for t in targets:
                if not type(t) is cst.Name:
                    continue
                nm = t.value
                descs = []
                if node.value is not None:
                    descs.append(node.value)
                if type(node) is cst.AnnAssign:
                    descs.append(("ann", node.annotation.annotation))
                    if cls.dataclass and not _is_classvar(node.annotation.annotation):
                        cls.inst_attrs.setdefault(nm, []).extend(descs)
                        continue
                cls.class_attrs.setdefault(nm, []).extend(descs)

    def _find_decorators(self) -> None:
        """`@memoize def load(…)`: every call of `load` runs memoize's wrapper
        (the inner function memoize returns), whose state — what it captures
        from memoize (`cache = {}`) or the module — every call shares."""
        for fi in list(self.funcs.values()):
            if type(fi.node) is not cst.FunctionDef:
                continue
            for d in fi.node.decorators:
                name = dotted(d.decorator)
                t = self.lookup_global(fi.mod, name) if name else None
                if t is None or t[0] != "func":
                    continue
                dfi = self.funcs.get(t[1])
                inner = _returned_inner(dfi.node) if dfi is not None and type(dfi.node) is cst.FunctionDef else None
                if inner is not None:
                    self.decorators[dfi.fid] = f"{dfi.fid}.{inner}"
                    self.decorated.setdefault(fi.fid, []).append(f"{dfi.fid}.{inner}")

    def _import_binding(self, mod: ModInfo, name: str, level: int, shown: str) -> Binding:
        target = self.resolve_module(mod, name, level)
        if target is not None:
            return Binding("module", target)
        return Binding("ext", name)

    def _from_binding(self, mod: ModInfo, base: str, level: int, name: str) -> Binding:
        target = self.resolve_module(mod, base, level)
        if target is not None:
            return Binding("alias", target, name)
        sub = self.resolve_module(mod, f"{base}.{name}" if base else name, level)
        if sub is not None:
            return Binding("module", sub)
        return Binding("ext", f"{base}.{name}" if base else name)

    def resolve_module(self, mod: ModInfo, name: str, level: int) -> str | None:
        """The unit module a `import name` / `from ... import` in mod denotes."""
        from maplint.frontends.python.load import module_candidates

        for p in module_candidates(mod.file.path, name, level):
            m = self.mod_by_path.get(str(p))
            if m is not None:
                return m.key
        return None

    def _resolve_bases(self, c: ClassInfo) -> None:
        for b in c.bases:
            name = dotted(b)
            if name is None:
                continue
            bind = self.lookup_global(c.mod, name)
            if bind is not None and bind[0] == "class":
                c.base_cids.append(bind[1])
            else:
                c.base_ext.add(name.rsplit(".", 1)[-1])

    def lookup_global(self, mod: ModInfo, name: str, depth: int = 0):
        """(kind, target) of a dotted name at module level: ("class", cid),
        ("func", fid), ("var", (modkey, name)), ("module", key), ("ext", dotted)."""
        if depth > 8:
            return None
        head, _, rest = name.partition(".")
        b = mod.globals.get(head)
        if b is None:
            return ("ext", name) if head in KNOWN_MODULES or head in ("dict", "list", "set") else None
        if b.kind == "alias":
            target = self.mods.get(b.target)
            if target is None:
                return None
            if not rest and _known_api(target.key, b.name):
                return ("ext", f"{target.key}.{b.name}")
            return self.lookup_global(target, b.name + ("." + rest if rest else ""), depth + 1)
        if b.kind == "module":
            if not rest:
                return ("module", b.target)
            if "." not in rest and _known_api(b.target, rest):
                return ("ext", f"{b.target}.{rest}")
            return self.lookup_global(self.mods[b.target], rest, depth + 1)
        if b.kind == "ext":
            return ("ext", b.target + ("." + rest if rest else ""))
        if rest:
            if b.kind == "class":
                return ("classattr", (b.target, rest))
            return None
        if b.kind == "var":
            return ("var", (mod.key, head))
        return (b.kind, b.target)

    def mro(self, cid: str) -> list[str]:
        out = self._mro.get(cid)
        if out is None:
            out = []
            stack = [cid]
            while stack:
                c = stack.pop(0)
                if c in out or c not in self.classes:
                    continue
                out.append(c)
                stack.extend(self.classes[c].base_cids)
            self._mro[cid] = out
        return out

    def method(self, cid: str, name: str) -> str | None:
        for c in self.mro(cid):
            fid = self.classes[c].methods.get(name)
            if fid is not None:
                return fid
        return None

    def attr_owner(self, cid: str, name: str) -> tuple[str, str]:
        """("inst", owner) for an instance attribute, ("class", owner) for a
        class attribute no method rebinds on self, ("?", cid) otherwise."""
        chain = self.mro(cid)
        for c in reversed(chain):
            if name in self.classes[c].inst_attrs:
                return "inst", c
        for c in chain:
            if name in self.classes[c].class_attrs:
                return "class", c
        return "?", cid

    # Module globals and class attributes are fields of one object per module
    # (per class): `Ref("g:<module>", ("name",))` with the field key
    # `<module>.name`. A module-level lock guarding a module-level dict then
    # guards "its own object", and the engine treats that module's public
    # functions (whose receiver type is the module) as callable from threads
    # it cannot see — per module, not for the whole unit.
    def module_type(self, modkey: str) -> str:
        return f"<{modkey.replace('.', '/')}>"

    def global_ref(self, modkey: str, name: str) -> ir.Ref:
        root = f"g:{modkey}"
        self.pkg.names.setdefault(root, modkey)
        return ir.Ref(root, (name,), f"{self.module_type(modkey)}.{name}")

    def class_ref(self, cid: str, name: str) -> ir.Ref:
        root = f"g:{cid}"
        self.pkg.names.setdefault(root, self.classes[cid].name if cid in self.classes else cid)
        return ir.Ref(root, (name,), f"{cid}.{name}")

    def text(self, ref: ir.Ref) -> str:
        """A location as the source spells it."""
        if ref.root.startswith("g:"):
            owner = ref.root[2:]
            head = self.classes[owner].name + "." if owner in self.classes else ""
            return head + ref.path[0] + "".join("[…]" if p == "[]" else "." + p for p in ref.path[1:])
        return ref.text(self.pkg.names)

    def query(self, key: tuple):
        """The current answer to something a walker looked up."""
        if key[0] == "spec":
            return self.class_specs.get(key[1:])
        if key[0] == "locks":
            return self.lock_effects.get(key[1])
        if key[0] == "server":
            return self.handler_servers.get(key[1])
        return self.kind_now(key)

    def hashes_in_python(self) -> bool:
        """Does the unit declare a class whose instances hash in Python code
        (`__hash__`, a dataclass, an Enum)? Only then can a key's kind need
        looking up through what reaches it."""
        v = self._pyhash
        if v is None:
            v = self._pyhash = any(c.defines_hash or c.dataclass or self.is_subclass_ext(cid, ENUM_BASES)
                                   for cid, c in self.classes.items())
        return v

    def dict_base(self, cid: str) -> str | None:
        """The dict kind a class of the unit inherits from (`class Registry(dict)`)."""
        c = self.classes.get(cid)
        if c is None:
            return None
        for k in ("Counter", "OrderedDict", "defaultdict", "dict", "UserDict"):
            if k in c.all_ext(self):
                return "dict" if k == "UserDict" else k
        return None

    def methods_named(self, name: str) -> list[str]:
        idx = self._by_name
        if idx is None:
            idx = self._by_name = defaultdict(list)
            for c in self.classes.values():
                for m, fid in c.methods.items():
                    idx[m].append(fid)
        return idx.get(name, [])

    def is_subclass_ext(self, cid: str, names: set[str]) -> bool:
        return bool(self.classes[cid].all_ext(self) & names)

    def new_func(self, fid: str, node, mod: ModInfo, cls: ClassInfo | None, kind: str, parent: FuncInfo | None,
                 a=None) -> FuncInfo:
        base = fid
        n = 2
        while fid in self.funcs:
            fid = f"{base}#{n}"
            n += 1
        fi = FuncInfo(fid=fid, node=node, mod=mod, cls=cls, kind=kind, parent=parent, ast_node=a)
        pos = self.positions[mod.key]
        span = pos.line_span(pos.anchor(node, a)) if a is not None else ir.Span(mod.file.shown, 1, 1)
        name = node.name.value if type(node) is cst.FunctionDef else "lambda"
        fi.summary = ir.FuncSummary(id=fid, name=name, span=span, parent=parent.fid if parent else None)
        params = node.params if type(node) in (cst.FunctionDef, cst.Lambda,) else None
        names: list[str] = []
        if params is not None:
            for p in list(params.posonly_params) + list(params.params):
                names.append(p.name.value)
            for p in params.kwonly_params:
                names.append(p.name.value)
        if kind in ("method", "property", "setter", "class") and names:
            fi.self_name = names[0]
            names = names[1:]
        fi.params = names
        exported = False
        if parent is None and type(node) is cst.FunctionDef:
            nm = node.name.value
            dunder = nm.startswith("__") and nm.endswith("__")
            exported = (not nm.startswith("_") or dunder) and nm not in NOT_EXPORTED
            if cls is not None and cls.name.startswith("_"):
                exported = False
        fi.summary.exported = exported
        if cls is not None:
            fi.summary.recv_type = cls.cid
        elif parent is None and kind == "function":
            fi.summary.recv_type = self.module_type(mod.key)
        self.funcs[fid] = fi
        return fi

    def finish(self, walker) -> None:
        """Keep a walked function's candidate events until the kinds are settled."""
        self.walkers.append(walker)

    def build(self) -> ir.Package:
        """Settle the kinds, keep the accesses to dicts, give each root its role."""
        from maplint.frontends.python.walk import resolve_access

        self.finalize_kinds()
        self.walkers = [w for w in self.walkers if not getattr(w, "dead", False)]
        for w in self.walkers:
            events = []
            for ev, kind, tkey, parent, lazy in w.cands:
                if isinstance(ev, ir.Access):
                    ev = resolve_access(self, ev, kind, tkey, parent)
                    if ev is None:
                        continue
                    if lazy is not None:
                        pos, node, anchor = lazy
                        ev = replace(ev, span=pos.span(node, anchor) if anchor is not None else pos.line_span(
                            pos.anchor(None, None)))
                events.append(ev)
            w.s.events = events
            self.pkg.funcs[w.fi.fid] = w.s
        for fi in self.funcs.values():
            if fi.summary is not None and fi.fid not in self.pkg.funcs and fi.kind == "task":
                self.pkg.funcs[fi.fid] = fi.summary
        spawning = _spawning(self.pkg)
        any_main = False
        for fi in self.funcs.values():
            s = fi.summary
            if s is None or s.id not in self.pkg.funcs:
                continue
            if fi.kind == "module":
                s.role = "main" if (fi.mod.has_main_guard or s.id in spawning) else "init"
                any_main = any_main or s.role == "main"
            elif (fi.cls is not None and fi.parent is None and type(fi.node) is cst.FunctionDef
                  and fi.node.name.value == "__init__" and s.id in spawning):
                # A constructor that starts a background thread: run it once, as a
                # program would, so that the thread is seen racing with the
                # object's methods.
                s.role = "main"
            elif fi.parent is None and type(fi.node) is cst.FunctionDef and TEST_FILE.match(fi.mod.file.path.name):
                name = fi.node.name.value
                if name.startswith("test") and (fi.cls is None or fi.cls.name.startswith("Test")):
                    s.role = "test"
        # A library and a script alike: exported API guarded by a lock is callable
        # from threads we cannot see (the engine adds those callers when not is_main).
        self.pkg.is_main = False
        for key, span in self.check_sites.items():
            self.pkg.decls[f"py:check:{key}"] = span
        return self.pkg

    # ---- type keys -----------------------------------------------------
    def add_source(self, key: tuple | None, val) -> None:
        if key is None or val is None:
            return
        if isinstance(val, Val):
            if val.tkey == key:
                return
            if not (val.kind or val.cid or val.spec or val.fn or val.elem or val.tkey or val.future or val.awaits
                    or val.cls):
                return  # says nothing
            seen = self._seen.setdefault(key, set())
            try:
                h = hash(val)
            except TypeError:
                h = id(val)
            if h in seen:
                return
            seen.add(h)
        self.sources[key].append(val)
        self.version += 1

    def kind_now(self, key: tuple | None, depth: int = 0) -> Val | None:
        """What a type key is known to hold so far (the most informative value)."""
        if key is None or depth > 6:
            return None
        hit = self._kn.get(key)
        if hit is not None and hit[0] == self.version:
            return hit[1]
        v = self._kind_now(key, depth)
        if depth == 0:
            self._kn[key] = (self.version, v)
        return v

    def _kind_now(self, key: tuple, depth: int) -> Val | None:
        best, score = None, 0
        for src in self.sources.get(key, ()):
            v = self._src_val(key, src, depth)
            if v is None:
                continue
            sc = 1
            if v.kind in DICT_KINDS or v.cid or (v.kind and v.kind != "other"):
                sc = 2
            if v.spec or v.elem or v.future or v.awaits or v.fn:
                sc = 3
            if sc > score:
                best, score = v, sc
        return best

    def _src_val(self, key, src, depth) -> Val | None:
        if isinstance(src, Val):
            if src.kind or src.cid or src.spec or src.cls or src.fn:
                return src
            if src.tkey is not None:
                return self.kind_now(src.tkey, depth + 1)
            return None
        if isinstance(src, tuple) and src and src[0] == "ann":
            return annotation_val(src[1], self, key)
        if isinstance(src, cst.BaseExpression):
            return static_val(src, self, key)
        return None

    def finalize_kinds(self) -> None:
        """Union the type keys that name the same object, and settle each
        class's kind: a dict kind from a constructor or annotation, else
        "dict" when a dict-only method is used on it."""
        parent: dict = {}

        def find(x):
            while parent.get(x, x) != x:
                parent[x] = parent.get(parent[x], parent[x])
                x = parent[x]
            return x

        def union(a, b):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb

        concrete: dict = defaultdict(list)
        for key, srcs in list(self.sources.items()):
            for src in srcs:
                if isinstance(src, Val) and src.tkey is not None and not (src.kind or src.cid):
                    union(key, src.tkey)
                else:
                    v = self._src_val(key, src, 0)
                    if v is not None and v.kind:
                        concrete[key].append(v)
                    elif isinstance(src, Val) and src.tkey is not None:
                        union(key, src.tkey)
        # Elements of unioned containers are unioned too.
        for _ in range(3):
            changed = False
            keys = set(parent) | set(self.sources) | self.evidence | set(concrete)
            for k in list(keys):
                if isinstance(k, tuple) and k and k[0] == "e":
                    canon = ("e", find(k[1]))
                    if find(k) != find(canon):
                        union(k, canon)
                        changed = True
            if not changed:
                break
        kinds: dict = {}
        for key, vs in concrete.items():
            r = find(key)
            for v in vs:
                prev = kinds.get(r)
                if prev is None or _rank(v) > _rank(prev):
                    kinds[r] = v
        ev = {find(k) for k in self.evidence}
        self._final = {"find": find, "kinds": kinds, "evidence": ev}

    def final_kind(self, key: tuple | None) -> Val | None:
        if key is None or self._final is None:
            return None
        r = self._final["find"](key)
        v = self._final["kinds"].get(r)
        if v is not None:
            return v
        if r in self._final["evidence"]:
            return Val(kind="dict")
        return None


KNOWN_API = set(CTOR_KINDS) | {
    "as_completed", "wait", "to_thread", "gather", "create_task", "ensure_future", "run_in_executor", "partial",
    "deepcopy", "copy", "dumps", "dump", "start_new_thread", "field", "ThreadingMixIn", "BaseHTTPRequestHandler",
    "StreamRequestHandler", "BaseRequestHandler", "DatagramRequestHandler", "SimpleHTTPRequestHandler",
}


def _known_api(modkey: str, name: str) -> bool:
    """A module of the unit that *is* a stdlib module (checking CPython's own
    Lib/): its well-known API keeps its meaning (threading.RLock makes a lock)."""
    return modkey.split(".", 1)[0] in KNOWN_MODULES and name in KNOWN_API


def _scan_self_attrs(node, self_name: str, cls: ClassInfo) -> None:
    """Record every `self.X = value` a method makes (statements only, not
    inside nested defs)."""
    for n in iter_small_statements(node):
        if type(n) in (cst.Assign, cst.AnnAssign, cst.AugAssign,):
            targets = [t.target for t in n.targets] if type(n) is cst.Assign else [n.target]
            for t in targets:
                for el in _flat_targets(t):
                    if (type(el) is cst.Attribute and type(el.value) is cst.Name
                            and el.value.value == self_name):
                        descs = cls.inst_attrs.setdefault(el.attr.value, [])
                        if el is t and n.value is not None and not type(n) is cst.AugAssign:
                            descs.append(n.value)
                        if type(n) is cst.AnnAssign:
                            descs.append(("ann", n.annotation.annotation))


SMALL_STATEMENTS = frozenset({
    cst.Expr, cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Del, cst.Return, cst.Raise, cst.Pass, cst.Break,
    cst.Continue, cst.Global, cst.Nonlocal, cst.Assert, cst.Import, cst.ImportFrom, cst.TypeAlias,
})


def iter_small_statements(body, defs: bool = False):
    """Every small statement in a block (or module), through compound
    statements; into nested function and class bodies only when `defs`."""
    stack = [body]
    while stack:
        n = stack.pop()
        if type(n) in (cst.IndentedBlock, cst.SimpleStatementSuite, cst.Module,):
            stack.extend(reversed(n.body))
        elif type(n) is cst.SimpleStatementLine:
            yield from n.body
        elif type(n) in SMALL_STATEMENTS:
            yield n
        elif type(n) in (cst.FunctionDef, cst.ClassDef,):
            if defs:
                stack.append(n.body)
        elif type(n) is cst.If:
            stack.append(n.body)
            if n.orelse is not None:
                stack.append(n.orelse if type(n.orelse) is cst.If else n.orelse.body)
        elif type(n) in (cst.For, cst.While,):
            stack.append(n.body)
            if n.orelse is not None:
                stack.append(n.orelse.body)
        elif type(n) in (cst.Try, cst.TryStar,):
            stack.append(n.body)
            stack.extend(h.body for h in n.handlers)
            if n.orelse is not None:
                stack.append(n.orelse.body)
            if n.finalbody is not None:
                stack.append(n.finalbody.body)
        elif type(n) is cst.With:
            stack.append(n.body)
        elif type(n) is cst.Match:
            stack.extend(c.body for c in n.cases)


def _flat_targets(t):
    if type(t) in (cst.Tuple, cst.List,):
        for e in t.elements:
            yield from _flat_targets(e.value)
    else:
        yield t


def _rank(v: Val) -> int:
    if v.kind in ("defaultdict", "Counter", "OrderedDict"):
        return 3
    if v.kind == "dict":
        return 2
    if v.kind and v.kind != "other":
        return 1
    return 0


def _names(t) -> list[str]:
    if type(t) is cst.Name:
        return [t.value]
    if type(t) in (cst.Tuple, cst.List,):
        out = []
        for e in t.elements:
            out += _names(e.value)
        return out
    if type(t) is cst.StarredElement:
        return _names(t.value)
    return []


def _returned_inner(deco: cst.FunctionDef) -> str | None:
    """The name of the function a decorator defines and returns
    (`def wrapper(*a): …` … `return wrapper`), if it does."""
    body = deco.body.body if type(deco.body) is cst.IndentedBlock else []
    inner = {st.name.value for st in body if type(st) is cst.FunctionDef}
    for st in iter_small_statements(deco.body):
        if type(st) is cst.Return and type(st.value) is cst.Name and st.value.value in inner:
            return st.value.value
    return None


def _is_main_guard(test) -> bool:
    if type(test) is cst.Comparison and len(test.comparisons) == 1:
        left = test.left
        right = test.comparisons[0].comparator
        names = {dotted(left), dotted(right)}
        strs = [x for x in (left, right) if type(x) is cst.SimpleString]
        return "__name__" in names and any("__main__" in s.value for s in strs)
    return False


def _is_classvar(ann) -> bool:
    n = dotted(ann.value if type(ann) is cst.Subscript else ann) or ""
    return n.rsplit(".", 1)[-1] == "ClassVar"


def _sub_blocks(node, a):
    """(body statements, ast statements) of each block of a compound statement."""
    def blk(body):
        return body.body if type(body) is cst.IndentedBlock else []

    if type(node) is cst.If:
        yield blk(node.body), a.body if a is not None else []
        if type(node.orelse) is cst.If:
            yield [node.orelse], a.orelse if a is not None else []
        elif node.orelse is not None:
            yield blk(node.orelse.body), a.orelse if a is not None else []
    elif type(node) is cst.Try:
        yield blk(node.body), a.body if a is not None else []
        for i, h in enumerate(node.handlers):
            yield blk(h.body), a.handlers[i].body if a is not None and i < len(a.handlers) else []
        if node.orelse is not None:
            yield blk(node.orelse.body), a.orelse if a is not None else []
        if node.finalbody is not None:
            yield blk(node.finalbody.body), a.finalbody if a is not None else []
    elif type(node) in (cst.With, cst.For, cst.While,):
        yield blk(node.body), a.body if a is not None else []


def static_val(expr, unit: Unit, key=None) -> Val | None:
    """What a declaration-level expression makes, without a function context."""
    if type(expr) in (cst.Dict, cst.DictComp,):
        return Val(kind="dict", fresh=True)
    if type(expr) in (cst.List, cst.ListComp,):
        return Val(kind="list", fresh=True)
    if type(expr) in (cst.Set, cst.SetComp,):
        return Val(kind="set", fresh=True)
    if type(expr) is cst.Tuple:
        return Val(kind="tuple", fresh=True)
    if type(expr) in (cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString, cst.FormattedString,):
        return Val(kind="other")
    if type(expr) is cst.Call:
        name = dotted(expr.func)
        if name is None:
            return None
        mod = _mod_of_key(unit, key)
        target = unit.lookup_global(mod, name) if mod is not None else None
        if target is None and "." not in name and name in CTOR_KINDS:
            target = ("ext", name)
        if target is None:
            return None
        if target[0] == "class":
            return Val(cid=target[1], fresh=True)
        if target[0] == "ext":
            return ctor_val(target[1], expr, unit)
        if target[0] == "func" and name.rsplit(".", 1)[-1] == "field":
            return None
        return None
    return None


def _mod_of_key(unit: Unit, key) -> ModInfo | None:
    if not key:
        return None
    if key[0] == "g":
        return unit.mods.get(key[1])
    if key[0] in ("i", "c"):
        c = unit.classes.get(key[1])
        return c.mod if c else None
    if key[0] == "l":
        fid = unit.pkg.owner.get(key[1])
        fi = unit.funcs.get(fid) if fid else None
        return fi.mod if fi else None
    return None


def ctor_val(ext: str, call: cst.Call, unit: Unit | None = None) -> Val | None:
    """The value an external constructor call makes (dict kinds, locks...)."""
    last = ext.rsplit(".", 1)[-1]
    head = ext.split(".", 1)[0]
    if "." in ext and head not in KNOWN_MODULES:
        return None
    if last == "field" and head in ("dataclasses", "field"):
        for a in call.args:
            if a.keyword is not None and a.keyword.value == "default_factory":
                n = (dotted(a.value) or "").rsplit(".", 1)[-1]
                k = CTOR_KINDS.get(n)
                if k:
                    return Val(kind=k, fresh=True)
        return None
    kind = CTOR_KINDS.get(last)
    if last == "Pool" and ".dummy" in ext:
        kind = "pool"  # multiprocessing.dummy.Pool: threads behind the multiprocessing API
    if kind is None:
        return None
    if kind == "sem":
        n = call.args[0].value if call.args and not call.args[0].keyword else None
        for a in call.args:
            if a.keyword is not None and a.keyword.value == "value":
                n = a.value
        if n is None or (type(n) is cst.Integer and n.value == "1"):
            kind = "sem1"
    if kind == "defaultdict":
        fac = call.args[0].value if call.args and not call.args[0].keyword else None
        return Val(kind="defaultdict", fresh=True, factory=factory_kind(fac), elem=factory_elem(fac))
    if kind == "procexec":
        return Val(kind="procexec", fresh=True)
    return Val(kind=kind, fresh=True)


def factory_kind(fac) -> str:
    if fac is None:
        return "builtin"
    n = dotted(fac)
    if n is not None and n.rsplit(".", 1)[-1] in BUILTIN_FACTORIES:
        return "builtin"
    if type(fac) is cst.Name and fac.value == "None":
        return "builtin"
    return "py"


def factory_elem(fac) -> Val | None:
    if fac is None:
        return None
    n = dotted(fac)
    if n is not None:
        k = CTOR_KINDS.get(n.rsplit(".", 1)[-1])
        return Val(kind=k) if k else None
    if type(fac) is cst.Lambda:
        body = fac.body
        if type(body) in (cst.Dict, cst.DictComp,):
            return Val(kind="dict")
        if type(body) is cst.Call:
            bn = (dotted(body.func) or "").rsplit(".", 1)[-1]
            if bn == "defaultdict":
                inner = body.args[0].value if body.args else None
                return Val(kind="defaultdict", factory=factory_kind(inner), elem=factory_elem(inner))
            k = CTOR_KINDS.get(bn)
            return Val(kind=k) if k else None
        if type(body) in (cst.List, cst.ListComp,):
            return Val(kind="list")
    return None


def annotation_val(ann, unit: Unit | None, key=None) -> Val | None:
    base = ann.value if type(ann) is cst.Subscript else ann
    if type(ann) is cst.SimpleString:
        return None
    n = dotted(base)
    if n is None:
        return None
    last = n.rsplit(".", 1)[-1]
    if last in ("Optional", "Final", "ClassVar", "Annotated") and type(ann) is cst.Subscript and ann.slice:
        inner = ann.slice[0].slice
        if type(inner) is cst.Index:
            return annotation_val(inner.value, unit, key)
        return None
    kind = ANNOTATION_KINDS.get(last)
    if kind is not None:
        return Val(kind=kind)
    if unit is not None:
        mod = _mod_of_key(unit, key)
        t = unit.lookup_global(mod, n) if mod is not None else None
        if t is not None and t[0] == "class":
            return Val(cid=t[1])
    return None


def _spawning(pkg: ir.Package) -> set[str]:
    calls: dict[str, set[str]] = defaultdict(set)
    out: set[str] = set()
    for fid, s in pkg.funcs.items():
        for ev in s.events:
            if isinstance(ev, ir.Spawn):
                out.add(fid)
            elif isinstance(ev, ir.Call):
                calls[fid].add(ev.callee)
        if s.parent is not None:
            calls[s.parent].add(fid)
    changed = True
    while changed:
        changed = False
        for fid, callees in calls.items():
            if fid not in out and callees & out:
                out.add(fid)
                changed = True
    return out
