"""`// want CODE "regex"` annotations, in the spirit of go/analysis's analysistest.

A line may carry several codes: `// want ML101 ML102`, each optionally followed
by a quoted regular expression over the message (Go-quoted "..." or `...`).
Python fixtures use `# want ...`. Every finding must be expected on its line
(same code, regex matching), and every expectation must be found.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

WANT_RE = re.compile(r"(?://|#)\s*want\s+(.*)$")
TOKEN_RE = re.compile(r'\s*(ML\d{3})(?:\s+("(?:[^"\\]|\\.)*"|`[^`]*`))?')


@dataclass(frozen=True)
class Expectation:
    path: str
    line: int
    code: str
    pattern: str | None


def parse_wants(path: Path, shown: str) -> list[Expectation]:
    out = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = WANT_RE.search(line)
        if not m:
            continue
        rest = m.group(1)
        pos = 0
        while True:
            t = TOKEN_RE.match(rest, pos)
            if not t:
                break
            pat = t.group(2)
            if pat is not None:
                pat = (pat[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
                       if pat.startswith('"') else pat[1:-1])
            out.append(Expectation(shown, i, t.group(1), pat))
            pos = t.end()
        if pos == 0:
            raise ValueError(f"{shown}:{i}: malformed want annotation: {line.strip()}")
    return out


def compare(findings, expectations: list[Expectation]) -> list[str]:
    """Mismatches as readable lines; empty when findings and wants agree."""
    problems = []
    by_line: dict[tuple, list[Expectation]] = {}
    for e in expectations:
        by_line.setdefault((e.path, e.line, e.code), []).append(e)
    matched: set[Expectation] = set()
    for f in findings:
        cands = by_line.get((f.span.path, f.span.line, f.code), [])
        ok = [e for e in cands if e.pattern is None or re.search(e.pattern, f.message)]
        if not ok:
            problems.append(f"unexpected: {f.span}: {f.code} {f.message}")
        matched.update(ok)
    for e in expectations:
        if e not in matched:
            problems.append(f"missing: {e.path}:{e.line}: {e.code}" + (f" {e.pattern!r}" if e.pattern else ""))
    return problems


def findings_by_dir(tree: str, root: Path) -> dict[str, list]:
    """Check `tree` (relative to root) once; findings grouped by directory."""
    import os
    from collections import defaultdict

    from maplint.config import Settings
    from maplint.engine import check_paths

    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = check_paths([tree], Settings())
    finally:
        os.chdir(cwd)
    by_dir: dict[str, list] = defaultdict(list)
    for f in result.findings:
        by_dir[str(Path(f.span.path).parent)].append(f)
    return by_dir


def check_package(pkg: Path, root: Path, suffix: str, by_dir: dict[str, list]) -> list[str]:
    """Mismatches between one example directory's wants and its findings."""
    wants = []
    for f in sorted(pkg.glob(f"*{suffix}")):
        wants += parse_wants(f, str(f.relative_to(root)))
    return compare(by_dir.get(str(pkg.relative_to(root)), []), wants)
