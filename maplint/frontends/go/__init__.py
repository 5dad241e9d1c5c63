"""The Go front-end: tree-sitter-go, no Go toolchain, no type checker."""
from __future__ import annotations

import os
import re
from pathlib import Path

from maplint import budget, ir
from maplint.files import Problem, display, read_source, real
from maplint.frontends.go.package import load
from maplint.frontends.go.parse import first_error, go_statements, parse


# Everything that can start a goroutine or mark shared state. A package whose
# files match none of these has a single thread of control.
CONCURRENCY = re.compile(
    rb"\.Go\(|AfterFunc\(|Handle(?:Func)?\(|ServeHTTP|ResponseWriter|Parallel\(|"
    rb"\.(?:R|Try)?Lock\(|checklocks|guarded.by|protected.by|maplint:")


def concurrent_file(gf) -> bool:
    """Can this file start a goroutine or mark shared state? (`go` in a
    comment does not count: each is confirmed in the syntax tree.)"""
    if CONCURRENCY.search(gf.src):
        return True
    return bool(go_statements(gf))


def _package_clause(f) -> str:
    for c in f.root.named_children:
        if c.type == "package_clause" and c.named_children:
            return f.src[c.named_children[-1].start_byte:c.named_children[-1].end_byte].decode("utf-8", "replace")
    return ""


def load_package(directory: Path, wanted: set[str], max_bytes: int, go_version: str | None,
                 plain: list[str] | None = None):
    """Parse every .go file of `directory`; return the analysis units (one per
    package clause; an external `_test` package is its own unit), the
    problems of the files that were asked for, and how many of those parsed.
    `plain` receives the asked-for files that hold no suppression directive
    (known here from the bytes just read, so nobody reads them again)."""
    from maplint.suppress import may_have_directives

    problems: list[Problem] = []
    files = []
    checked = 0
    try:
        # (Path.suffix of a file named ".go" is "": such a file is not Go source.)
        with os.scandir(directory) as entries:
            names = [e.path for e in entries if e.name.endswith(".go") and len(e.name) > 3 and e.is_file()]
    except OSError:
        names = []
    paths = {real(p) for p in names} | set(wanted)
    real_dir = real(directory)
    for i, path_str in enumerate(sorted(paths)):
        path = Path(path_str)
        asked = path_str in wanted
        src, problem = read_source(path, max_bytes)
        shown = display(path) if not asked else display(_original(path, directory, real_dir))
        if problem is not None:
            if asked:
                problems.append(problem)
            continue
        if asked and plain is not None and not may_have_directives(src):
            plain.append(path_str)
        gf = parse(shown, src, index=i)
        budget.check()  # a huge file may use up the package's time budget on its own
        err = first_error(gf.root)
        if err is not None and asked:
            problems.append(Problem(shown, "syntax error; accesses in the broken function(s) are not reported", err[0], err[1]))
        if asked:
            checked += 1
        gf.asked = asked  # type: ignore[attr-defined]
        files.append(gf)
    if not any(concurrent_file(gf) for gf in files):
        # No goroutine, handler, lock or guard annotation anywhere in the
        # package: nothing in it can race, so skip the analysis (the files
        # were still read and parsed, so bad input is still reported).
        return [], problems, checked
    by_pkg: dict[str, list] = {}
    for gf in files:
        by_pkg.setdefault(_package_clause(gf), []).append(gf)
    units = []
    runtime = f"go{go_version}" if go_version else "go1.27"
    for name in sorted(by_pkg):
        group = by_pkg[name]
        report = frozenset(g.path for g in group if getattr(g, "asked", False))
        if not report:
            continue
        pkg: ir.Package = load(group, str(directory), go_version)
        pkg.runtime = runtime
        for path, line, message in pkg.problems:
            if path in report:
                problems.append(Problem(path, message, line))
        units.append((pkg, report))
    return units, problems, checked


def _original(path: Path, directory: Path, real_dir: str | None = None) -> Path:
    """Show a file under the directory as the user spelled the directory
    (`real_dir`: real(directory), when the caller has it)."""
    try:
        return directory / path.relative_to(real_dir or real(directory))
    except ValueError:
        return path
