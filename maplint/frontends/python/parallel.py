"""libcst parses in worker processes, while the main process goes on.

libcst's parse is most of the Python front-end's time, and the analysis unit
of a large tree is one big set of modules that import each other, which only
one process can analyse. The parses themselves are independent: workers parse
and send the tree back pickled (unpickling is about five times cheaper than
parsing). A tree is the same object graph wherever it was built, so results
do not depend on the number of workers.

Only files nested at most `REMOTE_DEPTH` levels go to a worker: pickling is
recursive, and deeper files are parsed in the main process on its large
stack, with the usual limits. Anything that goes wrong remotely (a broken
pool, a pickling error) falls back to the local parse.
"""
from __future__ import annotations

import sys
from concurrent.futures import Future

from maplint.frontends.python.source import ParseProblem, PyFile, cst_module, depth, syntax_tree

REMOTE_DEPTH = 100
MIN_BYTES = 256 * 1024  # below this much source to parse, a pool costs more than it saves


def parse_remote(src: bytes, shown: str) -> tuple:
    """In a worker: ("ok", module) | ("problem", message, line, col) | ("local",)."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    try:
        tree = syntax_tree(src, shown)
        if depth(tree) > REMOTE_DEPTH:
            return ("local",)
        return ("ok", cst_module(src.decode("utf-8")))
    except ParseProblem as e:
        return ("problem", e.message, e.line, e.col)


class Parses:
    """Parses started ahead of need, by file; `take` waits for one."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.pool = None
        self.pending: dict[int, Future] = {}  # id(PyFile) -> future
        self.files: dict[int, PyFile] = {}

    def start(self, files: list[PyFile]) -> None:
        todo = list({id(f): f for f in files if f.module is None and id(f) not in self.pending}.values())
        if self.pool is None:
            if self.jobs <= 1 or sum(len(f.src) for f in todo) < MIN_BYTES:
                return
            try:
                from concurrent.futures import ProcessPoolExecutor

                self.pool = ProcessPoolExecutor(max_workers=max(1, self.jobs - 1))  # the main process parses too
            except (OSError, RuntimeError, ImportError):  # no processes here: parse locally
                self.jobs = 0
                return
        # The biggest first, so that no large file is left to parse alone.
        for f in sorted(todo, key=lambda f: -len(f.src)):
            try:
                self.pending[id(f)] = self.pool.submit(parse_remote, f.src, f.shown)
                self.files[id(f)] = f
            except Exception:  # noqa: BLE001 - a broken pool: the rest parse locally
                return

    def drain(self, parse_here) -> None:
        """Parse here, smallest first, every file no worker has started,
        while the workers take the biggest first: the two meet in the
        middle, and what is left to wait for is what a worker is on."""
        for key in sorted(self.pending, key=lambda k: len(self.files[k].src)):
            if self.pending[key].cancel():
                del self.pending[key]
                parse_here(self.files[key])

    def take(self, f: PyFile) -> tuple | None:
        """The worker's answer for f, or None: parse it here."""
        fut = self.pending.pop(id(f), None)
        if fut is None:
            return None
        if fut.cancel():  # not started: parsing here costs less than the trip back
            return None
        try:
            r = fut.result()
        except Exception:  # noqa: BLE001 - pickling, a dead worker: parse locally
            return None
        return None if r[0] == "local" else r

    def close(self) -> None:
        if self.pool is not None:
            for fut in self.pending.values():
                fut.cancel()
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
