"""GitHub Actions workflow commands: one annotation per finding.

    ::error file=pkg/cache.go,line=21,col=3,endLine=21,endColumn=16,title=ML101 concurrent-map-writes::map `hits` …

Paths are relative to the repository root (the Actions workspace), so the
annotations land on the pull request's diff. ML900/ML999 diagnostics become
annotations too. GitHub shows at most 10 error and 10 warning annotations per
step in the summary, all of them in the log: use SARIF for code scanning.
"""
from __future__ import annotations

import sys
from pathlib import Path

from maplint.baseline import repo_path, source_root
from maplint.finding import Finding

COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def _data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding, root: Path) -> str:
    s = f.span
    props = [f"file={_prop(repo_path(s.path, root))}", f"line={s.line}", f"col={s.col}"]
    if s.end_line and (s.end_line > s.line or s.end_col > s.col):
        props += [f"endLine={s.end_line}", f"endColumn={s.end_col}"]
    props.append(f"title={_prop(f'{f.code} {f.name}')}")
    body = [f.message]
    if f.simulation is not None and f.simulation.summary:
        body.append(f.simulation.summary)
    body += [f"{r.span}: {r.message}" for r in f.related]
    return f"::{COMMAND.get(f.severity, 'warning')} {','.join(props)}::{_data(chr(10).join(body))}"


def write(findings: list[Finding], stream=None, root: Path | None = None) -> None:
    stream = stream or sys.stdout
    root = root or source_root()
    for f in findings:
        stream.write(annotation(f, root) + "\n")
