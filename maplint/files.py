"""Finding the files to check and reading them safely.

Bad input never stops a run: every problem becomes a `Problem` for that file
(reported as ML900) and the run goes on. maplint only ever opens files for
reading.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LANG_BY_SUFFIX = {".go": "go", ".py": "python"}
DEFAULT_EXCLUDE = ("vendor", "testdata", ".git", "node_modules", "__pycache__", ".maplint_cache")
DEFAULT_MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    line: int = 1
    col: int = 1


def display(path: Path) -> str:
    """A path as the user will read it: relative to the working directory."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") and path.is_absolute() else rel


def real(path) -> str:
    """The canonical absolute path, like `str(Path.resolve())`, except that a
    symlink loop never raises (pathlib does, with RuntimeError, before 3.13).
    A file that is not a link resolves through its directory, whose
    resolution is remembered for the run: one lstat instead of one per
    path component."""
    p = os.fspath(path)
    known = _real_files.get(p)
    if known is not None:
        return known
    head, tail = os.path.split(p)
    if tail not in ("", ".", ".."):
        try:
            if not stat.S_ISLNK(os.lstat(p).st_mode):
                return os.path.join(_real_dir(os.path.abspath(head or os.curdir)), tail)
        except OSError:
            pass
    return os.path.realpath(p)


@lru_cache(maxsize=4096)
def _real_dir(directory: str) -> str:
    return os.path.realpath(directory)


# The files `discover` found in this run, resolved once: the engine asks for
# each file's real path several times (suppressions, caching, grouping).
_real_files: dict[str, str] = {}


def forget_directories() -> None:
    """A new run: directories may have been moved or linked since."""
    _real_dir.cache_clear()
    _real_files.clear()


def _broken_link(p: Path) -> str | None:
    """Why a symbolic link cannot be followed, or None if it can (or is not one)."""
    if not p.is_symlink():
        return None
    try:
        os.stat(p)
    except OSError as e:
        return "symlink loop; not checked" if e.errno == errno.ELOOP else "dangling symbolic link; not checked"
    return None


def discover(paths: list[str], exclude: tuple[str, ...] = DEFAULT_EXCLUDE) -> tuple[list[Path], list[Problem]]:
    """Expand directories into the source files below them (sorted), keeping
    explicitly named files even when their suffix is unusual."""
    forget_directories()
    found: list[Path] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if not p.exists() and not p.is_symlink():
            problems.append(Problem(raw, "no such file or directory"))
            continue
        why = _broken_link(p)
        if why is not None:
            problems.append(Problem(display(p), why))
            continue
        if p.is_file():
            if real(p) not in seen:
                seen.add(real(p))
                found.append(p)
            continue
        if not p.is_dir():
            problems.append(Problem(raw, "not a regular file or directory"))
            continue
        visited: set[tuple[int, int]] = set()
        def unreadable(e: OSError, raw: str = raw) -> None:
            problems.append(Problem(display(Path(e.filename or raw)), f"cannot read directory: {e.strerror}"))

        for dirpath, dirnames, filenames in os.walk(p, followlinks=True, onerror=unreadable):
            try:
                st = os.stat(dirpath)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in visited:  # a symlink loop
                problems.append(Problem(display(Path(dirpath)), "symlink loop: directory already visited"))
                dirnames[:] = []
                continue
            visited.add((st.st_dev, st.st_ino))
            dirnames[:] = sorted(d for d in dirnames if d not in exclude and not d.startswith("."))
            real_dir = None
            for name in sorted(filenames):
                if os.path.splitext(name)[1] in LANG_BY_SUFFIX and name not in exclude:
                    fp = Path(dirpath) / name
                    try:
                        link = stat.S_ISLNK(os.lstat(fp).st_mode)
                    except OSError:
                        link = True  # vanished or unreadable: the careful path says which
                    if link:
                        why = _broken_link(fp)
                        if why is not None:
                            problems.append(Problem(display(fp), why))
                            continue
                        key = real(fp)
                    else:  # what real(fp) gives, with one lstat per file and one resolution per directory
                        if real_dir is None:
                            real_dir = _real_dir(os.path.abspath(fp.parent))
                        key = os.path.join(real_dir, name)
                    _real_files[os.fspath(fp)] = key
                    if key not in seen:
                        seen.add(key)
                        found.append(fp)
    return found, problems


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes | None, Problem | None]:
    def problem(message: str, line: int = 1) -> tuple[None, Problem]:
        return None, Problem(display(path), message, line)  # (the path as shown: only for a problem)

    try:
        # Opened without blocking and checked on the open descriptor: a FIFO
        # or a device named like a source file must not hang the run.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb", closefd=True) as fh:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                return problem("is a directory")
            if not stat.S_ISREG(st.st_mode):
                return problem("not a regular file (a FIFO, socket or device); not checked")
            if st.st_size > max_bytes:
                return problem(f"file too large to check ({st.st_size:,} bytes; the limit is {max_bytes:,})")
            # As much as fstat says (a read of max_bytes would allocate, then
            # shrink, a buffer of the limit's size for every file), and on
            # up to the limit if the file turns out longer.
            data = fh.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += fh.read(max_bytes + 1 - len(data))
        if len(data) > max_bytes:  # it grew while being read
            return problem(f"file too large to check (over {max_bytes:,} bytes, the limit)")
    except FileNotFoundError:
        if os.path.islink(path):
            return problem("dangling symbolic link; not checked")
        return problem("file vanished before it could be read")
    except IsADirectoryError:
        return problem("is a directory")
    except OSError as e:
        if e.errno == errno.ELOOP:
            return problem("symlink loop; not checked")
        return problem(f"cannot read file: {e.strerror or e}")
    if b"\0" in data[:8192]:
        return problem("binary file (contains NUL bytes); not checked")
    if not data.isascii():  # ASCII is UTF-8 (most source files: no decoding needed)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            return problem(f"not valid UTF-8 (byte {e.start}); not checked", line)
    return data, None
