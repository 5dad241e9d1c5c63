"""The one output type: every rule, diagnostic and reporter speaks `Finding`."""
from __future__ import annotations

import hashlib
from dataclasses import field

from maplint.frozen import frozen


@frozen(order=True)
class Span:
    """A source position: 1-based line and column (SARIF's convention)."""

    path: str
    line: int
    col: int = 1
    end_line: int = 0
    end_col: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def short(self) -> str:
        """`file.go:88`, the form used inside messages."""
        return f"{self.path.rsplit('/', 1)[-1]}:{self.line}"


@frozen
class Related:
    """A secondary location: the other access, a spawn site, the declaration."""

    span: Span
    message: str
    # What the location is to the race, for reporters that draw it:
    # "other" (the other access), "spawn:1" / "spawn:2" / "spawn:both" (where
    # the reported / the other / both accesses' goroutine starts),
    # "declaration", or "" when unspecified.
    role: str = ""


@frozen
class Simulation:
    """The runtime simulation of a race: what to simulate, and once attached
    (maplint.explain) its one-line summary, timeline and JSON trace."""

    runtime: str
    op_a: str
    op_b: str
    key_kind: str = "generic"
    size: int | None = None
    summary: str = ""
    timeline: str = ""
    data: dict | None = field(default=None, compare=False, hash=False)


@frozen
class Finding:
    code: str
    name: str
    message: str
    span: Span
    severity: str = "error"  # error | warning | note
    related: tuple[Related, ...] = ()
    # Structured explanation attached after the rules ran (the runtime
    # simulation of the race); reporters render it, rules never do.
    simulation: Simulation | None = None
    # Facts used for a stable identity (map name, access kinds), not positions.
    identity: tuple[str, ...] = field(default=(), compare=False)

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.line, self.span.col, self.code, self.message)

    def fingerprint(self, line_text: str = "", path: str | None = None) -> str:
        """Stable across unrelated edits: code, file (`path` if given, e.g.
        relative to the repository), the map and the access text, never the
        line number."""
        h = hashlib.sha256()
        for part in (self.code, self.span.path if path is None else path, *self.identity, line_text.strip()):
            h.update(part.encode("utf-8", "replace"))
            h.update(b"\0")
        return h.hexdigest()[:32]
