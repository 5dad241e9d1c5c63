"""A Go package directory to an `ir.Package`.

Go's unit is the package: types, methods and globals are resolved across all
its files (tests included), then every function body is summarised.
"""
from __future__ import annotations

import re

from maplint import budget, ir
from maplint.frontends.go.bodies import Bodies, walks_everything
from maplint.frontends.go.parse import GoFile, parse

BIG_PACKAGE_BYTES = 8 * 1024 * 1024
from maplint.frontends.go.summarize import (
    FuncWalker, PackageContext, X, _span, is_handler_signature,
)
from maplint.frontends.go.types import TypeTable, param_types, parse_type, result_types

# Guard annotations on a field or package variable: gVisor checklocks, maplint's
# own directive, and the prose convention used across the Go ecosystem.
GUARD_RE = re.compile(
    r"\+checklocks:([\w.]+)|maplint:guarded-?by[ =:]+([\w.]+)|\b(?:guarded|protected) by ([\w.]+)", re.I)


def _text(node, src: bytes) -> str:
    return src[node.start_byte:node.end_byte].decode("utf-8", "replace")


def _imports(f: GoFile) -> dict[str, str]:
    out: dict[str, str] = {}
    for decl in f.root.named_children:
        if decl.type != "import_declaration":
            continue
        specs = []
        for c in decl.named_children:
            if c.type == "import_spec":
                specs.append(c)
            elif c.type == "import_spec_list":
                specs.extend(s for s in c.named_children if s.type == "import_spec")
        for spec in specs:
            path_node = spec.child_by_field_name("path")
            if path_node is None:
                continue
            path = _text(path_node, f.src).strip('"`')
            alias = spec.child_by_field_name("name")
            name = _text(alias, f.src) if alias is not None else path.rsplit("/", 1)[-1]
            if name in ("_", "."):
                continue
            # golang.org/x/sync/errgroup and gopkg.in/yaml.v3 style paths.
            if re.fullmatch(r"v\d+", name) and "/" in path:
                name = path.rsplit("/", 2)[-2]
            out[name] = path
    return out


def _comment_guard(node, src: bytes) -> str | None:
    """A guard named in a comment on the same line as `node` or just above it."""
    candidates = []
    nxt = node.next_sibling
    if nxt is not None and nxt.type == "comment" and nxt.start_point[0] == node.end_point[0]:
        candidates.append(nxt)
    for c in node.named_children:
        if c.type == "comment":
            candidates.append(c)
    prev = node.prev_sibling
    while prev is not None and prev.type == "comment" and prev.end_point[0] >= node.start_point[0] - 3:
        candidates.append(prev)
        prev = prev.prev_sibling
    for c in candidates:
        m = GUARD_RE.search(_text(c, src))
        if m:
            return next(g for g in m.groups() if g)
    return None


def _receiver(decl, src: bytes) -> tuple[str, object, object]:
    """(type name, type, name node) of a method's receiver."""
    plist = decl.child_by_field_name("receiver")
    for p in plist.named_children if plist is not None else []:
        if p.type == "parameter_declaration":
            ty = parse_type(p.child_by_field_name("type"), src)
            base = ty[1] if ty and ty[0] == "ptr" else ty
            name = base[1] if base and base[0] == "name" else ""
            names = p.children_by_field_name("name")
            return name, ty, names[0] if names else None
    return "", None, None


LOCK_OPS = ("Lock", "RLock", "Unlock", "RUnlock")


def _lock_wrapper(decl, rname, src: bytes) -> tuple[tuple[str, ...], str] | None:
    """(field path, lock method) when the method's whole body is one call
    `r.f1.f2.Lock()` (or RLock/Unlock/RUnlock, or `r.Lock()` on a receiver
    that embeds a mutex) on its receiver r: a lock helper, whose call is
    that lock operation. Known from the declaration alone, as types are."""
    body = decl.child_by_field_name("body")
    if rname is None or body is None:
        return None
    stmts = [c for c in body.named_children if c.type != "comment"]
    if len(stmts) == 1 and stmts[0].type == "statement_list":  # (tree-sitter-go 0.23+ wraps them)
        stmts = [c for c in stmts[0].named_children if c.type != "comment"]
    if len(stmts) != 1 or stmts[0].type != "expression_statement" or not stmts[0].named_children:
        return None
    call = stmts[0].named_children[0]
    args = call.child_by_field_name("arguments") if call.type == "call_expression" else None
    fn = call.child_by_field_name("function") if call.type == "call_expression" else None
    if fn is None or fn.type != "selector_expression" or args is None or args.named_children:
        return None
    op = _text(fn.child_by_field_name("field"), src)
    if op not in LOCK_OPS:
        return None
    path: list[str] = []
    x = fn.child_by_field_name("operand")
    while x is not None and x.type == "selector_expression":
        path.append(_text(x.child_by_field_name("field"), src))
        x = x.child_by_field_name("operand")
    if x is None or x.type != "identifier" or _text(x, src) != _text(rname, src):
        return None
    return tuple(reversed(path)), op


def load(files: list[GoFile], dir_: str, go_version: str | None = None) -> ir.Package:
    table = TypeTable()
    pkg_name = ""
    for f in files:
        for c in f.root.named_children:
            if c.type == "package_clause":
                pkg_name = _text(c.named_children[-1], f.src) if c.named_children else ""
                break
    pkg = ir.Package(lang="go", dir=dir_, name=pkg_name, is_main=pkg_name == "main")
    imports = {f.index: _imports(f) for f in files}
    ctx = PackageContext(table, pkg, imports)
    if go_version:
        ctx.loopvar_per_iteration = int(go_version.split(".")[1]) >= 22
    decls: list[tuple[GoFile, object, ir.FuncSummary]] = []

    # Pass 1: declarations.
    func_ids = set(table.funcs.values())  # a set: `in table.funcs.values()` made big packages quadratic
    for f in files:
        for d in f.root.named_children:
            try:
                if d.type == "type_declaration":
                    for spec in d.named_children:
                        if spec.type in ("type_spec", "type_alias"):
                            name_node = spec.child_by_field_name("name")
                            tnode = spec.child_by_field_name("type")
                            if name_node is None:
                                continue
                            tname = _text(name_node, f.src)
                            table.named[tname] = parse_type(tnode, f.src)
                            if tnode is not None and tnode.type == "struct_type":
                                _field_guards(table, tname, tnode, f.src)
                                _field_decls(pkg, f, tname, tnode)
                elif d.type in ("var_declaration", "const_declaration"):
                    for spec in _specs(d):
                        _global_spec(ctx, f, spec, is_var=d.type == "var_declaration")
                elif d.type == "function_declaration":
                    name = _text(d.child_by_field_name("name"), f.src)
                    fid = name if name not in ("init", "_") else f"{name}#{f.index}:{d.start_point[0] + 1}"
                    if fid in func_ids or (name in table.funcs and name not in ("init", "_")):
                        fid = f"{name}#{f.index}:{d.start_point[0] + 1}"
                    else:
                        table.funcs.setdefault(name, fid)
                        func_ids.add(table.funcs[name])
                    params = d.child_by_field_name("parameters")
                    table.results[fid] = result_types(d.child_by_field_name("result"), f.src)
                    s = ir.FuncSummary(id=fid, name=name, span=_span(f, d), exported=name[:1].isupper(),
                                       broken=d.has_error, assume_locked=_locked_name(name))
                    ptypes = param_types(params, f.src)
                    s.role = _role(name, f, ptypes, pkg.is_main, table)
                    s.param_types = tuple(table.base_name(t) for t in ptypes)
                    pkg.funcs[fid] = s
                    decls.append((f, d, s))
                elif d.type == "method_declaration":
                    name = _text(d.child_by_field_name("name"), f.src)
                    rtype, _, rname = _receiver(d, f.src)
                    fid = f"{rtype}.{name}" if rtype else f"?.{name}#{d.start_byte}"
                    table.methods[(rtype, name)] = fid
                    wrapped = _lock_wrapper(d, rname, f.src)
                    if wrapped is not None and rtype:
                        table.lock_wrappers[(rtype, name)] = wrapped
                    table.method_names.setdefault(name, []).append(fid)
                    table.results[fid] = result_types(d.child_by_field_name("result"), f.src)
                    s = ir.FuncSummary(id=fid, name=name, span=_span(f, d), recv_type=rtype,
                                       exported=name[:1].isupper(), broken=d.has_error, assume_locked=_locked_name(name))
                    ptypes = param_types(d.child_by_field_name("parameters"), f.src)
                    if name == "ServeHTTP" or is_handler_signature(table, ptypes):
                        s.role = "handler"
                    pkg.funcs[fid] = s
                    decls.append((f, d, s))
            except RecursionError:
                # A declaration nested absurdly deep (types, initializers):
                # skip it, say so, keep the rest of the package.
                pkg.problems.append((f.path, d.start_point[0] + 1,
                                     "declaration nested too deeply to analyse; it is skipped"))
    resolve_lazy_globals(pkg, table)
    pkg.struct_types = {n for n, t in table.named.items() if t is not None and t[0] == "struct"}
    for (tname, fname), guard in table.guards.items():
        pkg.guarded_by[f"{tname}.{fname}" if tname else fname] = guard

    # Pass 2: bodies, most of them only when the engine needs them
    # (maplint.frontends.go.bodies). A very large package (generated code)
    # keeps the trees of LIVE_BYTES of source alive, re-parsing a file when needed.
    pkg.registered_handlers = ctx.registered_handlers
    big = sum(len(f.src) for f in files) > BIG_PACKAGE_BYTES
    if not walks_everything(files):
        # A call of a lock helper (`s.lock()`) takes a lock as `Lock(` does.
        helpers = tuple(sorted({f".{name}(".encode() for _, name in table.lock_wrappers}))
        Bodies(pkg, decls, lambda f, d, s: _walk_decl(ctx, table, pkg, f, d, s), keep_trees=not big,
               eager_markers=helpers)
        return pkg
    if big:
        by_file: dict[int, dict[int, ir.FuncSummary]] = {}
        for f, d, s in decls:
            by_file.setdefault(f.index, {})[d.start_byte] = s  # by position: pass 1 may have skipped some
        decls.clear()
        for f in files:
            f.tree = None
        for f in files:
            f.tree = parse(f.path, f.src, f.index).tree
            sums = by_file.get(f.index, {})
            for d in f.root.named_children:
                s = sums.get(d.start_byte) if d.type in ("function_declaration", "method_declaration") else None
                if s is not None:
                    _walk_decl(ctx, table, pkg, f, d, s)
            f.tree = None
        pkg.registered_handlers = ctx.registered_handlers
        return pkg
    for f, d, s in decls:
        _walk_decl(ctx, table, pkg, f, d, s)
    pkg.registered_handlers = ctx.registered_handlers
    return pkg


def _walk_decl(ctx: PackageContext, table: TypeTable, pkg: ir.Package, f: GoFile, d, s: ir.FuncSummary) -> None:
    budget.check()  # the package's time budget (maplint.budget), once per function
    w = FuncWalker(ctx, f, s, [{}])
    if d.type == "method_declaration":
        _, rty, rname = _receiver(d, f.src)
        if rname is not None:
            v = w.declare(rname, _text(rname, f.src), rty, fresh=False)
            s.recv = v.sym
            if rty is not None and rty[0] != "ptr":
                w.value_recv = v.sym  # a copy: its mutex fields are the call's own
        else:
            s.recv = f"v:{f.index}:{d.start_byte}:recv"
    params = d.child_by_field_name("parameters")
    s.params = w.declare_params(params)
    w.results_types = table.results.get(s.id, ())
    try:
        w.walk_body(d.child_by_field_name("body"))
    except RecursionError:
        # Absurdly deep nesting: skip this function, say so, keep the rest.
        s.events.clear()
        s.broken = True
        pkg.problems.append((f.path, d.start_point[0] + 1, "code nested too deeply to analyse; this function is skipped"))


def _specs(decl):
    for c in decl.named_children:
        if c.type in ("var_spec", "const_spec"):
            yield c
        elif c.type in ("var_spec_list", "const_spec_list"):
            yield from (s for s in c.named_children if s.type in ("var_spec", "const_spec"))


def _global_spec(ctx: PackageContext, f: GoFile, spec, is_var: bool) -> None:
    names = spec.children_by_field_name("name")
    tnode = spec.child_by_field_name("type")
    declared = parse_type(tnode, f.src) if tnode is not None else None
    values_node = spec.child_by_field_name("value")
    values = values_node.named_children if values_node is not None else []
    guard = _comment_guard(spec, f.src) if is_var else None
    for i, nm in enumerate(names):
        name = _text(nm, f.src)
        if name == "_":
            continue
        if not is_var:
            if i < len(values) and _text(values[i], f.src) == "false":
                ctx.false_consts.add(name)
            continue
        ty = declared
        size = None
        if ty is None and i < len(values):
            ty, size = _literal_type(values[i], f.src, ctx.table)
        ctx.table.globals[name] = ty
        sym = f"g:{name}"
        ctx.global_syms[name] = sym
        ctx.global_sizes[name] = size
        ctx.pkg.names[sym] = name
        ctx.pkg.decls[sym] = _span(f, nm)
        if guard:
            ctx.table.guards[("", name)] = guard


def _literal_type(v, src: bytes, table: TypeTable):
    """The type of a package-level initializer, without evaluating it."""
    t = v.type
    if t == "composite_literal":
        ty = parse_type(v.child_by_field_name("type"), src)
        body = v.child_by_field_name("body")
        n = sum(1 for e in body.named_children if e.type in ("keyed_element", "literal_element")) if body is not None else 0
        return ty, n
    if t == "call_expression":
        fn = v.child_by_field_name("function")
        args = v.child_by_field_name("arguments")
        a = [c for c in args.named_children] if args is not None else []
        if fn is not None and _text(fn, src) == "make" and a:
            size = None
            if len(a) > 1 and a[1].type == "int_literal":
                try:
                    size = int(_text(a[1], src), 0)
                except ValueError:
                    size = None
            return parse_type(a[0], src), size
        if fn is not None and _text(fn, src) == "new" and a:
            return ("ptr", parse_type(a[0], src)), None
        if fn is not None and fn.type == "identifier":
            return ("lazy-result", _text(fn, src)), None
    if t == "unary_expression" and v.named_children:
        inner, size = _literal_type(v.named_children[-1], src, table)
        return (("ptr", inner) if inner else None), size
    return None, None


def _field_guards(table: TypeTable, tname: str, struct_node, src: bytes) -> None:
    body = next((c for c in struct_node.named_children if c.type == "field_declaration_list"), None)
    if body is None:
        return
    for fd in body.named_children:
        if fd.type != "field_declaration":
            continue
        guard = _comment_guard(fd, src)
        if guard:
            for nm in fd.children_by_field_name("name"):
                table.guards[(tname, _text(nm, src))] = guard


def _field_decls(pkg: ir.Package, f: GoFile, tname: str, struct_node) -> None:
    """Where each field is declared, by its field key (`Server.sessions`)."""
    body = next((c for c in struct_node.named_children if c.type == "field_declaration_list"), None)
    for fd in body.named_children if body is not None else []:
        if fd.type == "field_declaration":
            for nm in fd.children_by_field_name("name"):
                pkg.decls[f"{tname}.{_text(nm, f.src)}"] = _span(f, nm)


def _locked_name(name: str) -> bool:
    """The `fooLocked` convention: the caller holds the guard."""
    return name.endswith("Locked") or name.endswith("_locked")


def _role(name: str, f: GoFile, ptypes: tuple, is_main: bool, table: TypeTable) -> str:
    if name == "main" and is_main:
        return "main"
    if name == "init":
        return "init"
    if f.is_test and re.match(r"^(Test|Benchmark|Fuzz|Example)([A-Z_0-9]|$)", name):
        return "test"
    if f.is_test and name == "TestMain":
        return "test"
    if is_handler_signature(table, ptypes):
        return "handler"
    return ""


def resolve_lazy_globals(pkg: ir.Package, table: TypeTable) -> None:
    for name, ty in list(table.globals.items()):
        if ty is not None and ty[0] == "lazy-result":
            fid = table.funcs.get(ty[1])
            res = table.results.get(fid, ()) if fid else ()
            table.globals[name] = res[0] if res else (("name", ty[1]) if ty[1] in table.named else None)


__all__ = ["load", "X"]
