"""Reporters: each renders the same list of `Finding`s in one format."""
from __future__ import annotations

import json
import os
import sys

from maplint import __version__
from maplint.finding import Finding


def _colour(stream) -> bool:
    return hasattr(stream, "isatty") and stream.isatty() and "NO_COLOR" not in os.environ


def text(findings: list[Finding], stream=None, explain: bool = False) -> None:
    stream = stream or sys.stdout
    colour = _colour(stream)
    for f in findings:
        code = f"\033[1;31m{f.code}\033[0m" if colour and f.severity == "error" else f.code
        stream.write(f"{f.span}: {code} {f.message}\n")
        if f.simulation is not None and f.simulation.summary:
            stream.write(f"    {f.simulation.summary}\n")
        for r in f.related:
            stream.write(f"    {r.span}: {r.message}\n")
        if explain and f.simulation is not None and f.simulation.timeline:
            for line in f.simulation.timeline.splitlines():
                stream.write(f"    {line}\n")


def as_dict(f: Finding) -> dict:
    d = {
        "code": f.code,
        "name": f.name,
        "message": f.message,
        "severity": f.severity,
        "location": {"path": f.span.path, "line": f.span.line, "column": f.span.col,
                     "end_line": f.span.end_line or f.span.line, "end_column": f.span.end_col or f.span.col},
        "related": [{"path": r.span.path, "line": r.span.line, "column": r.span.col, "message": r.message}
                    for r in f.related],
        "fingerprint": f.fingerprint(),
    }
    if f.simulation is not None and f.simulation.data is not None:
        d["simulation"] = f.simulation.data
    return d


def json_report(findings: list[Finding], stream=None) -> None:
    stream = stream or sys.stdout
    json.dump({"version": 1, "tool": "maplint", "tool_version": __version__,
               "findings": [as_dict(f) for f in findings]}, stream, indent=2)
    stream.write("\n")
