"""Which Python files are analysed together, and how.

The unit of analysis is a set of modules that import each other: the files
the user named, their sibling modules (context, as pre-commit passes only the
changed files) and the modules they import that can be found on disk. Only
modules that may start threads or guard state with a lock (a bytes scan, see
`source.MAY_THREAD`) and the modules those import are parsed with libcst;
every named file is syntax-checked with the stdlib parser.
"""
from __future__ import annotations

import ast
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from maplint.files import Problem, display, read_source, real
from maplint.frontends.python.parallel import Parses
from maplint.frontends.python.source import ParseProblem, PyFile, parse_cst, prepare, syntax_tree

if TYPE_CHECKING:  # libcst is imported where a file is parsed (0.1 s)
    import libcst as cst


@lru_cache(maxsize=65536)
def _exists(p: str) -> bool:
    return os.path.isfile(p)


def module_candidates(importer: Path, name: str, level: int) -> list[Path]:
    """Files that `import name` (with `level` leading dots) may denote."""
    parts = [p for p in name.split(".") if p]
    if level > 0:
        base = importer.parent
        for _ in range(level - 1):
            base = base.parent
        roots = [base]
    else:
        roots = [importer.parent]
        d = importer.parent
        while _exists(str(d / "__init__.py")) and d.parent != d:
            d = d.parent
        if d != importer.parent:
            roots.append(d)
    out = []
    for r in roots:
        p = r.joinpath(*parts) if parts else r
        for cand in ((str(p) + ".py") if parts else None, str(p / "__init__.py")):
            if cand and _exists(cand):
                out.append(Path(cand))
    return out


def _import_names(module: cst.Module):
    """(dotted name, level) of every import in a module, at any depth."""
    import libcst as cst  # (imported by the parse that made `module`)

    from maplint.frontends.python.unit import iter_small_statements

    for st in iter_small_statements(module, defs=True):
        if type(st) is cst.Import:
            for a in st.names:
                n = _dotted(a.name)
                if n:
                    yield n, 0
        elif type(st) is cst.ImportFrom:
            base = _dotted(st.module) if st.module is not None else ""
            level = len(st.relative)
            yield base or "", level
            if not type(st.names) is cst.ImportStar:
                for a in st.names:
                    n = _dotted(a.name)
                    if n:
                        yield (f"{base}.{n}" if base else n), level


def _ast_statements(tree: ast.AST):
    """Every statement of a module, nested ones included."""
    stack = list(tree.body)
    while stack:
        st = stack.pop()
        yield st
        for attr in ("body", "orelse", "finalbody", "handlers", "cases"):
            sub = getattr(st, attr, None)
            if sub:
                stack.extend(sub)


def _ast_imports(f: PyFile):
    """(module, level, names used from it or None for all) for every import
    of f; names used through `import m` are found by a scan for `m.name`."""
    for st in _ast_statements(f.tree):
        if isinstance(st, ast.Import):
            for a in st.names:
                alias = a.asname or a.name
                attrs = {m.decode() for m in re.findall(rb"\b" + re.escape(alias.encode()) + rb"\.(\w+)", f.src)}
                yield a.name, 0, attrs
        elif isinstance(st, ast.ImportFrom):
            base = st.module or ""
            names = {a.name for a in st.names}
            yield base, st.level, (None if "*" in names else names)
            for a in st.names:
                if a.name == "*":
                    continue
                alias = (a.asname or a.name).encode()
                attrs = {m.decode() for m in re.findall(rb"\b" + re.escape(alias) + rb"\.(\w+)", f.src)}
                yield (f"{base}.{a.name}" if base else a.name), st.level, attrs


def _defined(g: PyFile) -> set[str]:
    """Names g defines that can carry shared state or code that touches it:
    functions, classes, and module-level dicts and objects."""
    cached = getattr(g, "_defined", None)
    if cached is not None:
        return cached
    out: set[str] = set()
    classes = {st.name for st in g.tree.body if isinstance(st, ast.ClassDef)}
    for st in g.tree.body:
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(st.name)
        elif isinstance(st, (ast.Assign, ast.AnnAssign)) and st.value is not None:
            v = st.value
            ctor = v.func.id if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) else (
                v.func.attr if isinstance(v, ast.Call) and isinstance(v.func, ast.Attribute) else "")
            if isinstance(v, (ast.Dict, ast.DictComp)) or ctor in ("dict", "defaultdict", "Counter", "OrderedDict") \
                    or ctor in classes:
                targets = st.targets if isinstance(st, ast.Assign) else [st.target]
                out.update(t.id for t in targets if isinstance(t, ast.Name))
    g._defined = out  # type: ignore[attr-defined]
    return out


def _dotted(node) -> str | None:
    from maplint.frontends.python.decls import dotted

    return dotted(node) if node is not None else None


class Loader:
    def __init__(self, max_bytes: int, overrides: dict[str, bytes] | None = None):
        self.max_bytes = max_bytes
        self.overrides = overrides or {}  # resolved path -> source (an editor's unsaved buffer)
        self.files: dict[str, PyFile] = {}
        self.problems: list[Problem] = []
        self.checked = 0
        self.failed = 0
        self.counter = 0
        self.parses = Parses(1)  # parses started ahead in worker processes (none by default)

    def read(self, path: Path, asked: bool, shown: str | None = None) -> PyFile | None:
        key = real(path)
        f = self.files.get(key)
        if f is not None:
            if asked and not f.asked:
                f.asked = True
                f.shown = shown or display(path)
            return f
        if key in self.overrides:
            src, problem = _check_bytes(self.overrides[key], shown or display(path), self.max_bytes)
        else:
            src, problem = read_source(path, self.max_bytes)
        if problem is not None:
            if asked:
                self.problems.append(problem)
                self.failed += 1
            self.files[key] = None  # type: ignore[assignment]
            return None
        self.counter += 1
        f = PyFile(path=Path(key), shown=shown or display(path), src=src, asked=asked, index=self.counter)
        self.files[key] = f
        return f

    def syntax(self, f: PyFile) -> bool:
        """Check f's syntax with the stdlib parser (once)."""
        if f.tree is not None:
            return True
        if getattr(f, "bad", False):
            return False
        try:
            f.tree = syntax_tree(f.src, f.shown)
        except ParseProblem as e:
            f.bad = True  # type: ignore[attr-defined]
            if f.asked:
                self.problems.append(Problem(f.shown, e.message, e.line, e.col))
            return False
        return True

    def parse(self, f: PyFile) -> bool:
        if f.module is not None:
            return True
        if getattr(f, "bad", False) or not self.syntax(f):
            return False
        try:
            prepare(f)
            remote = self.parses.take(f)
            if remote is None:
                parse_cst(f)
            elif remote[0] == "ok":
                f.module = remote[1]
            else:
                raise ParseProblem(*remote[1:])
        except ParseProblem as e:
            f.bad = True  # type: ignore[attr-defined]
            if f.asked:
                self.problems.append(Problem(f.shown, e.message, e.line, e.col))
            return False
        return True


def _check_bytes(data: bytes, shown: str, max_bytes: int):
    if len(data) > max_bytes:
        return None, Problem(shown, f"file too large to check ({len(data):,} bytes; the limit is {max_bytes:,})")
    if b"\0" in data[:8192]:
        return None, Problem(shown, "binary file (contains NUL bytes); not checked")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, Problem(shown, f"not valid UTF-8 (byte {e.start}); not checked", data[:e.start].count(b"\n") + 1)
    return data, None


def load(targets: list[Path], max_bytes: int, overrides: dict[str, bytes] | None = None, jobs: int = 1
         ) -> tuple[list[list[PyFile]], Loader]:
    """Read, gate and parse; return the analysis units (lists of files).
    With jobs > 1, the libcst parses are shared between this process and
    jobs - 1 worker processes (`parallel.Parses`)."""
    ld = Loader(max_bytes, overrides)
    ld.parses = Parses(jobs)
    try:
        return _load(ld, targets), ld
    finally:
        ld.parses.close()


def _load(ld: Loader, targets: list[Path]) -> list[list[PyFile]]:
    asked: list[PyFile] = []
    for t in targets:
        f = ld.read(t, asked=True, shown=display(t))
        if f is not None:
            asked.append(f)
    dirs = sorted({f.path.parent for f in asked})
    context: list[PyFile] = []
    for d in dirs:
        try:
            names = sorted(p for p in d.iterdir() if p.suffix == ".py")
        except OSError:
            continue
        for p in names:
            key = real(p)
            if key in ld.files:
                continue
            f = ld.read(p, asked=False)
            if f is not None:
                context.append(f)
    seeds = [f for f in asked + context if f.may_thread and ld.syntax(f)]
    # Start the libcst parses of the seeds and of the modules they use, then
    # syntax-check the other files while workers parse.
    ld.parses.start(seeds)
    used = {id(f): list(_imported(ld, f)) for f in seeds}
    ld.parses.start([g for f in seeds for _, g, wanted in used[id(f)] if wanted])
    for f in asked:
        if ld.syntax(f):
            ld.checked += 1
        else:
            ld.failed += 1
    ld.parses.drain(ld.parse)
    seeds = [f for f in seeds if ld.parse(f)]
    analysed: dict[str, PyFile] = {str(f.path): f for f in seeds}
    for f in seeds:
        for key, g, wanted in used[id(f)]:
            if key in analysed:
                f.imports.append(g.path)
                continue
            if wanted and ld.parse(g):
                analysed[key] = g
                f.imports.append(g.path)
    # A module pulled in for what a seed uses joins the unit of the analysed
    # modules it imports in turn (`from .locks import REGISTRY_LOCK`: the
    # lock's module is a seed of its own), but pulls in nothing more.
    seed_ids = {id(f) for f in seeds}
    for g in list(analysed.values()):
        if id(g) not in seed_ids:
            g.imports.extend(analysed[key].path for key in _import_keys(g) if key in analysed and analysed[key] is not g)
    # Units: connected components of the import graph.
    parent: dict[str, str] = {k: k for k in analysed}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for key, f in analysed.items():
        for imp in f.imports:
            k2 = str(imp)
            if k2 in analysed:
                a, b = find(key), find(k2)
                if a != b:
                    parent[a] = b
    groups: dict[str, list[PyFile]] = {}
    for key, f in analysed.items():
        groups.setdefault(find(key), []).append(f)
    units = []
    for members in groups.values():
        if not any(f.asked for f in members):
            continue
        members.sort(key=lambda f: str(f.path))
        _module_keys(members)
        units.append(members)
    units.sort(key=lambda u: str(u[0].path))
    return units


def _imported(ld: Loader, f: PyFile):
    """(key, file, wanted) for the module files f imports. Wanted are those
    it uses: where its shared state and helpers live. A module imported only
    for names it does not define (re-exports of C functions, constants) adds
    nothing, unless it is analysed anyway (then the import joins the units)."""
    for module, level, uses in _ast_imports(f):
        for cand in module_candidates(f.path, module, level):
            key = real(cand)
            g = ld.files.get(key) if key in ld.files else ld.read(cand, asked=False)
            if g is not None:
                yield key, g, ld.syntax(g) and (uses is None or bool(uses & _defined(g)))


def _import_keys(f: PyFile):
    """The keys of the module files f may import (no scan for the names it
    uses: only which of the analysed modules it reaches)."""
    for st in _ast_statements(f.tree):
        if isinstance(st, ast.Import):
            names = [a.name for a in st.names]
            level = 0
        elif isinstance(st, ast.ImportFrom):
            base = st.module or ""
            names = [base] + [f"{base}.{a.name}" if base else a.name for a in st.names if a.name != "*"]
            level = st.level
        else:
            continue
        for module in names:
            for cand in module_candidates(f.path, module, level):
                yield real(cand)


def _module_keys(files: list[PyFile]) -> None:
    """A readable, unique module name per file: the dotted package path."""
    seen: dict[str, int] = {}
    for f in files:
        parts = [f.path.stem] if f.path.stem != "__init__" else []
        d = f.path.parent
        while _exists(str(d / "__init__.py")) and d.parent != d:
            parts.insert(0, d.name)
            d = d.parent
        name = ".".join(parts) or f.path.parent.name or "module"
        n = seen.get(name, 0)
        seen[name] = n + 1
        f.modkey = name if n == 0 else f"{name}#{n + 1}"
