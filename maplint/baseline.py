"""One stable identity per finding, and what is built on it: baselines and
`--diff-base`.

The identity (`maplint/v1` in SARIF's partialFingerprints, `fingerprint` in
baselines and JSON) hashes the rule code, the file's path from the repository
root, the map and the racing operations, and the finding's source line with
its whitespace collapsed. It leaves out the line number, so inserting or
deleting lines above a finding keeps it; editing the line itself, renaming the
map or moving the file makes it a new finding. Findings that would hash alike
in one file are told apart by their order in the file (the second one hashes
`hash:2`, and so on), as GitHub numbers its own primaryLocationLineHash.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from collections import defaultdict
from pathlib import Path

from maplint import __version__
from maplint.finding import Finding
from maplint.rule import DIAGNOSTIC_CODES

FINGERPRINT_KEY = "maplint/v1"


class BaselineError(Exception):
    pass


def source_root(start: Path | None = None) -> Path:
    """The repository root (the nearest directory with `.git`), else the
    working directory: SARIF's %SRCROOT% and the base of fingerprint paths."""
    cwd = (start or Path.cwd()).resolve()
    for d in [cwd, *cwd.parents]:
        if (d / ".git").exists():
            return d
    return cwd


def repo_path(path: str, root: Path) -> str:
    """`path` (as findings show it) relative to `root`, with forward slashes;
    absolute if it lies outside `root`."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, root)
    except ValueError:  # another drive
        return Path(absolute).as_posix()
    if rel == ".." or rel.startswith(".." + os.sep):
        return Path(absolute).as_posix()
    return Path(rel).as_posix()


def key(f: Finding) -> tuple:
    """Findings are unique by this after the engine's dedupe."""
    return (f.code, f.span.path, f.span.line, f.span.col)


def fingerprints(findings: list[Finding], line_of, root: Path | None = None) -> dict[tuple, str]:
    """`key(f)` → a 32-hex-digit identity for every finding, unique in the
    run. `line_of(path, line)` gives a source line's text."""
    root = root or source_root()
    hashed: dict[str, list[Finding]] = defaultdict(list)
    paths: dict[str, str] = {}  # as shown → as in the repository (many findings share a file)
    for f in sorted(findings, key=Finding.sort_key):
        text = " ".join(line_of(f.span.path, f.span.line).split())
        path = paths.get(f.span.path)
        if path is None:
            path = paths[f.span.path] = repo_path(f.span.path, root)
        h = f.fingerprint(text, path)
        hashed[h].append(f)
    out: dict[tuple, str] = {}
    for h, group in hashed.items():
        for n, f in enumerate(group, 1):
            out[key(f)] = h if n == 1 else hashlib.sha256(f"{h}:{n}".encode()).hexdigest()[:32]
    return out


# ---- baselines -------------------------------------------------------------

def write(path: str, findings: list[Finding], prints: dict[tuple, str], root: Path | None = None) -> int:
    """Write the findings (not the ML900/ML999 diagnostics) as a baseline;
    sorted, one entry per finding, so that its diffs are reviewable."""
    root = root or source_root()
    rows = [{"fingerprint": prints[key(f)], "code": f.code, "path": repo_path(f.span.path, root),
             "line": f.span.line, "message": f.message}
            for f in findings if f.code not in DIAGNOSTIC_CODES and key(f) in prints]
    rows.sort(key=lambda r: (r["path"], r["line"], r["code"], r["fingerprint"]))
    doc = {"version": 1, "tool": "maplint", "tool_version": __version__, "findings": rows}
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as e:
        raise BaselineError(f"cannot write baseline {path}: {e.strerror or e}") from e
    return len(rows)


def read(path: str) -> set[str]:
    """The fingerprints of a baseline written by `--write-baseline`, or of a
    SARIF file written by `--format sarif` (its partialFingerprints)."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise BaselineError(f"cannot read baseline {path}: {e.strerror or e}") from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BaselineError(f"{path}: not a maplint baseline (invalid JSON: {e})") from e
    if isinstance(doc, dict) and doc.get("tool") == "maplint" and isinstance(doc.get("findings"), list):
        return {str(r.get("fingerprint")) for r in doc["findings"] if isinstance(r, dict) and r.get("fingerprint")}
    if isinstance(doc, dict) and isinstance(doc.get("runs"), list):
        out = set()
        for run in doc["runs"]:
            for r in (run or {}).get("results") or []:
                fp = (r.get("partialFingerprints") or {}).get(FINGERPRINT_KEY)
                if fp:
                    out.add(str(fp))
        return out
    raise BaselineError(f"{path}: not a maplint baseline (write one with --write-baseline)")


def without_baseline(findings: list[Finding], prints: dict[tuple, str], known: set[str]) -> tuple[list[Finding], int]:
    """The findings not in the baseline, and how many were."""
    out = [f for f in findings if f.code in DIAGNOSTIC_CODES or prints.get(key(f)) not in known]
    return out, len(findings) - len(out)


# ---- --diff-base -----------------------------------------------------------

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def changed_lines(rev: str, root: Path | None = None) -> dict[str, set[int] | None]:
    """Lines added or changed since `rev` (committed, staged or not), by path
    from the repository root; None for a file that is new and untracked (all
    of it counts)."""
    root = root or source_root()

    def git(*args: str) -> str:
        try:
            proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=120)
        except FileNotFoundError as e:
            raise BaselineError("--diff-base needs git on PATH") from e
        except subprocess.TimeoutExpired as e:
            raise BaselineError("--diff-base: git took too long") from e
        if proc.returncode != 0:
            raise BaselineError(f"--diff-base {rev}: {proc.stderr.strip() or 'git failed'}")
        return proc.stdout

    git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    diff = git("-c", "core.quotepath=off", "diff", "--no-color", "--no-ext-diff", "--no-renames",
               "--src-prefix=a/", "--dst-prefix=b/", "-U0", rev, "--")
    out: dict[str, set[int] | None] = {}
    current: str | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            target = line[4:].rstrip("\t")
            if target.startswith('"') and target.endswith('"'):  # a name git had to quote
                target = target[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
            current = None if target == "/dev/null" else target[2:] if target.startswith("b/") else target
            if current is not None:
                out.setdefault(current, set())
            continue
        m = _HUNK.match(line)
        if m and current is not None:
            start, count = int(m.group(1)), int(m.group(2) or 1)
            lines = out[current]
            assert lines is not None
            lines.update(range(start, start + count))
    for path in git("ls-files", "--others", "--exclude-standard", "-z").split("\0"):
        if path:
            out[path] = None
    return out


def only_changed(findings: list[Finding], changed: dict[str, set[int] | None],
                 root: Path | None = None) -> tuple[list[Finding], int]:
    """The findings on changed lines (diagnostics always stay), and how many
    were dropped."""
    root = root or source_root()
    out = []
    for f in findings:
        if f.code in DIAGNOSTIC_CODES:
            out.append(f)
            continue
        p = repo_path(f.span.path, root)
        if p in changed and (changed[p] is None or f.span.line in changed[p]):
            out.append(f)
    return out, len(findings) - len(out)
