"""The result cache: findings of one analysis unit, keyed by the content hash
of every file in it (plus maplint's version and the settings that matter);
and simulation answers, keyed by their question (`explain`).

It lives outside the checked tree by default (`$MAPLINT_CACHE_DIR`,
`$XDG_CACHE_HOME/maplint` or `~/.cache/maplint`), holds its own `.gitignore`
as ruff's does, and is only ever a shortcut: an entry that cannot be read,
does not parse, fails its checksum, holds a field of the wrong type, or was
written for another key or version is ignored and rewritten.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from maplint import __version__
from maplint.finding import Finding, Related, Simulation, Span

FORMAT = 2


def default_dir() -> Path:
    env = os.environ.get("MAPLINT_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "maplint" if xdg else Path.home() / ".cache" / "maplint"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """maplint's own code (an editable install changes without a new version)."""
    import maplint
    import maplint.rules

    h = hashlib.sha256()
    roots = {Path(maplint.__file__).parent, *(Path(p) for p in maplint.rules.__path__)}
    for root in sorted(roots):
        for f in sorted(root.rglob("*.py")):
            try:
                st = f.stat()
            except OSError:
                continue
            h.update(f"{f}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def unit_key(parts: list[tuple[str, bytes]], extra: tuple) -> str:
    """A digest of the files (path and content) and everything else that
    changes the result."""
    h = hashlib.sha256()
    h.update(repr((FORMAT, __version__, code_fingerprint(), extra)).encode())
    for path, data in sorted(parts):
        h.update(path.encode("utf-8", "surrogateescape"))
        h.update(b"\0")
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


class Cache:
    def __init__(self, directory: Path | None):
        self.dir = directory

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"  # type: ignore[operator]

    def get(self, key: str) -> tuple[list[Finding], int, int] | None:
        try:
            data = self._read(key)
            if data is None or data.get("digest") != _digest(data["findings"], data["checked"], data["failed"]):
                return None  # edited or damaged on disk
            findings = [from_dict(d) for d in data["findings"]]
            checked, failed = data["checked"], data["failed"]
            if not (_valid(findings) and type(checked) is int and type(failed) is int):
                return None
            return findings, checked, failed
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None  # missing, corrupt or stale: recompute

    def put(self, key: str, findings: list[Finding], checked: int, failed: int) -> None:
        entries = [to_dict(f) for f in findings]
        self._write(key, {"format": FORMAT, "version": __version__, "key": key, "checked": checked,
                          "failed": failed, "findings": entries, "digest": _digest(entries, checked, failed)})

    def get_value(self, key: str):
        """Any JSON value stored by `put_value` (a simulation's answer), or None."""
        try:
            data = self._read(key)
            return data["value"] if data is not None and data.get("digest") == _digest(data["value"], 0, 0) else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None

    def _read(self, key: str) -> dict | None:
        """The entry for key, if it is one of ours for this key and version."""
        if self.dir is None:
            return None
        data = json.loads(self._path(key).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("key") != key or data.get("version") != __version__:
            return None
        return data

    def put_value(self, key: str, value) -> None:
        self._write(key, {"format": FORMAT, "version": __version__, "key": key, "value": value,
                          "digest": _digest(value, 0, 0)})

    def _write(self, key: str, entry: dict) -> None:
        if self.dir is None:
            return
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            ignore = self.dir / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Automatically created by maplint.\n*\n", encoding="utf-8")
            target = self._path(key)
            target.parent.mkdir(exist_ok=True)
            payload = json.dumps(entry)
            # Write then rename: a concurrent reader never sees half a file.
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only or full disk only costs speed


def _digest(findings, checked, failed) -> str:
    """A checksum of an entry's payload, so that damage that still parses as
    JSON (a flipped digit in a line number) is caught too."""
    text = json.dumps([findings, checked, failed], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _valid(findings: list[Finding]) -> bool:
    """Every field has the type the reporters expect."""
    def span_ok(s: Span) -> bool:
        return (isinstance(s.path, str) and all(type(v) is int and v >= 0 for v in (s.line, s.col, s.end_line, s.end_col))
                and s.line >= 1 and s.col >= 1)

    for f in findings:
        if not all(isinstance(v, str) for v in (f.code, f.name, f.message, f.severity)) or not span_ok(f.span):
            return False
        if not all(span_ok(r.span) and isinstance(r.message, str) and isinstance(r.role, str) for r in f.related):
            return False
        if not all(isinstance(x, str) for x in f.identity):
            return False
        sim = f.simulation
        if sim is not None and not (isinstance(sim.runtime, str) and isinstance(sim.op_a, str)
                                    and isinstance(sim.op_b, str) and isinstance(sim.key_kind, str)
                                    and (sim.size is None or type(sim.size) is int)):
            return False
    return True


def _span(d: dict) -> Span:
    return Span(d["path"], d["line"], d["col"], d.get("end_line", 0), d.get("end_col", 0))


def to_dict(f: Finding) -> dict:
    s = f.span
    sim = f.simulation
    return {
        "code": f.code, "name": f.name, "message": f.message, "severity": f.severity,
        "span": {"path": s.path, "line": s.line, "col": s.col, "end_line": s.end_line, "end_col": s.end_col},
        "related": [{"span": {"path": r.span.path, "line": r.span.line, "col": r.span.col,
                              "end_line": r.span.end_line, "end_col": r.span.end_col}, "message": r.message,
                     "role": r.role}
                    for r in f.related],
        "identity": list(f.identity),
        "simulation": None if sim is None else {"runtime": sim.runtime, "op_a": sim.op_a, "op_b": sim.op_b,
                                                "key_kind": sim.key_kind, "size": sim.size},
    }


def from_dict(d: dict) -> Finding:
    sim = d.get("simulation")
    return Finding(
        code=d["code"], name=d["name"], message=d["message"], span=_span(d["span"]), severity=d["severity"],
        related=tuple(Related(_span(r["span"]), r["message"], r.get("role", "")) for r in d["related"]),
        identity=tuple(d.get("identity", ())),
        simulation=None if sim is None else Simulation(sim["runtime"], sim["op_a"], sim["op_b"], sim["key_kind"],
                                                       sim["size"]),
    )
