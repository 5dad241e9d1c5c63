"""maplint as a flake8 plugin: `flake8 --select=ML`.

Registered in the `flake8.extension` entry-point group under maplint's code
prefix `ML`; the codes are those of `maplint check`. flake8 hands a plugin a
stdlib `ast` tree, but maplint works on libcst, so the plugin re-parses
`lines` (its `__init__` must still name `tree`: flake8 sorts plugins by the
parameters they ask for). flake8 applies `# noqa: ML201` itself and reports
syntax errors as E999, so ML900 is never emitted here.

flake8 checks one file at a time, while a race usually spans files (the
thread is started in main.py, the dict lives in store.py). The plugin
therefore analyses the file's whole directory, once per process, and answers
every file of that directory from the result; a buffer that differs from the
file on disk (an editor's unsaved text, stdin) is analysed on its own.

flake8 reads its own configuration only from setup.cfg, tox.ini and .flake8,
so the plugin also honours `select`/`ignore` from `[tool.maplint]`.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from maplint import __version__

_cache: dict[tuple, dict[str, list]] = {}


class Plugin:
    name = "maplint"
    version = __version__
    # flake8 runs every plugin and filters the codes afterwards: when the
    # user's --select leaves no ML code, do no work at all.
    enabled = True

    def __init__(self, tree: Any, lines: list[str], filename: str) -> None:
        self.tree = tree  # unused: maplint reads the source with libcst
        self.lines = lines
        self.filename = filename

    @classmethod
    def parse_options(cls, options) -> None:
        chosen = list(getattr(options, "select", None) or []) + list(getattr(options, "extend_select", None) or [])
        if getattr(options, "select", None):
            cls.enabled = any("ML".startswith(c) or c.startswith("ML") for c in chosen)

    def run(self):
        if not self.enabled:
            return
        try:
            findings = _findings_for(self.filename, "".join(self.lines))
        except Exception as e:  # noqa: BLE001 - a plugin must never take flake8 down
            yield 1, 0, f"ML999 internal error in maplint: {type(e).__name__}: {e}", type(self)
            return
        for f in findings:
            yield f.span.line, max(0, f.span.col - 1), f"{f.code} {f.message}", type(self)


def _settings(start: Path):
    from maplint.config import ConfigError, Settings, load

    try:
        return load(start)
    except ConfigError:
        return Settings()


def _findings_for(filename: str, text: str) -> list:
    from maplint.rule import TOOL_CODES, all_rules, selected

    path = Path(filename)
    settings = _settings(path.parent if str(path.parent) else Path.cwd())
    rules = [r for r in all_rules() if "python" in r.languages and selected(r.code, settings.select, settings.ignore)]
    if not rules:
        return []
    data = text.encode("utf-8")
    on_disk = None
    if path.is_file():
        try:
            on_disk = path.read_bytes()
        except OSError:
            on_disk = None
    if on_disk == data:
        by_file = _directory(path.parent, tuple(r.code for r in rules), settings.max_file_bytes)
        found = by_file.get(str(path.resolve()), [])
    else:
        found = _analyse([path], settings.max_file_bytes, rules, {str(path.resolve()): data}).get(
            str(path.resolve()), [])
    return [f for f in found if f.code not in TOOL_CODES]


def _directory(directory: Path, codes: tuple[str, ...], max_bytes: int) -> dict[str, list]:
    from maplint.rule import all_rules

    try:
        files = sorted(p for p in directory.iterdir() if p.suffix == ".py" and p.is_file())
        stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    except OSError:
        files, stamp = [], ()
    key = (str(directory.resolve()), stamp, codes)
    hit = _cache.get(key)
    if hit is None:
        rules = [r for r in all_rules() if r.code in codes]
        hit = _analyse(files, max_bytes, rules, None)
        _cache.clear()  # one directory at a time: flake8 visits files directory by directory
        _cache[key] = hit
    return hit


def _analyse(paths: list[Path], max_bytes: int, rules, overrides) -> dict[str, list]:
    """Findings by resolved path for the units that hold `paths`."""
    from maplint.frontends.python import analyse

    out: dict[str, list] = {}
    for f in analyse(paths, max_bytes, rules, overrides):
        out.setdefault(os.path.realpath(f.span.path), []).append(f)
    return out
