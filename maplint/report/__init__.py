"""Reporters: each renders the same list of `Finding`s in one format."""
from __future__ import annotations

import json
import os
import sys

from maplint import __version__
from maplint.finding import Finding


def _colour(stream) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to anything
    but the empty string (no-color.org)."""
    return hasattr(stream, "isatty") and stream.isatty() and not os.environ.get("NO_COLOR")


_CODE_COLOUR = {"error": "1;31", "warning": "1;33", "note": "1;36"}


def text(findings: list[Finding], stream=None, explain: bool = False) -> None:
    stream = stream or sys.stdout
    colour = _colour(stream)
    for f in findings:
        code = f"\033[{_CODE_COLOUR.get(f.severity, '1')}m{f.code}\033[0m" if colour else f.code
        where = f"\033[1m{f.span}\033[0m" if colour else str(f.span)
        stream.write(f"{where}: {code} {f.message}\n")
        if f.simulation is not None and f.simulation.summary:
            stream.write(f"    {f.simulation.summary}\n")
        for r in f.related:
            stream.write(f"    \033[2m{r.span}\033[0m: {r.message}\n" if colour else f"    {r.span}: {r.message}\n")
        if explain and f.simulation is not None and f.simulation.timeline:
            for line in f.simulation.timeline.splitlines():
                stream.write(f"    {line}\n")


def as_dict(f: Finding, fingerprint: str | None = None) -> dict:
    d = {
        "code": f.code,
        "name": f.name,
        "message": f.message,
        "severity": f.severity,
        "location": {"path": f.span.path, "line": f.span.line, "column": f.span.col,
                     "end_line": f.span.end_line or f.span.line, "end_column": f.span.end_col or f.span.col},
        "related": [{"path": r.span.path, "line": r.span.line, "column": r.span.col, "message": r.message}
                    for r in f.related],
        "fingerprint": fingerprint or f.fingerprint(),
    }
    if f.simulation is not None and f.simulation.data is not None:
        d["simulation"] = f.simulation.data
    return d


def json_report(findings: list[Finding], stream=None, fingerprints: dict[tuple, str] | None = None) -> None:
    """fingerprints: the engine's stable identities (maplint.baseline), keyed by
    (code, path, line, col)."""
    stream = stream or sys.stdout
    fps = fingerprints or {}
    json.dump({"version": 1, "tool": "maplint", "tool_version": __version__,
               "findings": [as_dict(f, fps.get((f.code, f.span.path, f.span.line, f.span.col))) for f in findings]},
              stream, indent=2)
    stream.write("\n")


def statistics(findings: list[Finding], stream=None, as_json: bool = False) -> None:
    """`--statistics`: how many findings of each code, most frequent first (ruff)."""
    from collections import Counter

    stream = stream or sys.stdout
    counts = Counter((f.code, f.name) for f in findings)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    if as_json:
        json.dump([{"code": c, "name": n, "count": k} for (c, n), k in rows], stream, indent=2)
        stream.write("\n")
        return
    width = max((len(f"{k:,}") for _, k in rows), default=1)
    for (code, name), k in rows:
        stream.write(f"{k:>{width},}\t{code}\t{name}\n")


class Progress:
    """Progress of a long run on stderr: only on a terminal, only once the run
    has taken a second, on one line that is erased at the end.

        with Progress(sys.stderr) as p:
            check_paths(..., progress=p.update)
    """

    DELAY = 1.0

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty() and not os.environ.get("CI")
        self.label = ""
        self._shown = False
        self._stop = None
        self._thread = None

    def update(self, label: str) -> None:
        self.label = label

    def __enter__(self) -> "Progress":
        if self.enabled:
            import threading
            import time

            self._stop = threading.Event()
            start = time.monotonic()

            def run() -> None:
                spin = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
                i = 0
                while not self._stop.wait(0.1 if self._shown else self.DELAY):
                    what = f" {self.label}" if self.label else ""
                    self.stream.write(f"\r\033[K{spin[i % len(spin)]} maplint: checking{what}… "
                                      f"{time.monotonic() - start:.0f}s")
                    self.stream.flush()
                    self._shown = True
                    i += 1

            self._thread = threading.Thread(target=run, name="maplint-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            if self._shown:
                self.stream.write("\r\033[K")
                self.stream.flush()
