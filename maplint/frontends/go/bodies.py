"""Function bodies walked when the engine first needs them.

Most of a large package is never reached from anything that can run
concurrently (ssa's 12 MB of generated rewrite rules, syscall's wrappers):
walking every body up front was half of a standard-library run. Before it
instantiates anything, the engine reads only three things from *every*
summary: the spawns (to choose its roots), the accesses made under a lock
(to find the types whose API is concurrent) and the handlers given to
net/http. A body whose text can produce none of these is walked on demand,
when the engine instantiates it or asks whether it is relevant
(`ir.Package.materialize`); the rest is walked at load time. The result is
the same as walking everything: a body's summary depends only on its own
text and the package's declarations, never on another body's walk.

Handler registration depends on types rather than text (a value whose type
has a ServeHTTP method), so a package that declares a handler is walked in
full, as before.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from itertools import islice

from maplint import ir
from maplint.frontends.go.parse import GoFile, go_statements, parse

# The markers below are plain substrings, searched with bytes.find (or
# regexes that begin with a literal): several times faster than one regex
# alternation, which cannot search for a literal first.
#
# Bodies that can start a goroutine: a `go` statement (parse.go_statements:
# confirmed in the tree, so that "go" in a comment does not count) or this text
# (errgroup/WaitGroup.Go, AfterFunc, a parallel subtest or benchmark).
SPAWNS = (b".Go(", b"AfterFunc(", b"Parallel(")
# Text that can make a held lock (a mutex, or a channel used as a semaphore)
# or a guard annotation. Bodies that match, or spawn, are walked at load time
# (and so are those that call one of the package's lock helpers, `.lock(`:
# the `eager_markers` the loader passes).
EAGER = (b"Lock(", b"<-", b"checklocks", b"maplint:")
ANNOTATIONS = (re.compile(rb"guarded.by"), re.compile(rb"protected.by"))
HANDLERS = (b"ServeHTTP", b"ResponseWriter")
WORD = re.compile(rb"[A-Za-z_][A-Za-z_0-9]*")
LIVE_BYTES = 8 * 1024 * 1024  # source bytes whose trees a very large package keeps alive


def walks_everything(files: list[GoFile]) -> bool:
    """Does this package declare an HTTP handler (so that any call may
    register one, whatever its text)?"""
    return any(word in f.src for f in files for word in HANDLERS)


def simple_name(fid: str) -> str:
    """How calls spell a function: `Server.run` and `init#2:10` are called
    as `run` and `init`."""
    return fid.split("#", 1)[0].rsplit(".", 1)[-1]


class Bodies:
    """The bodies of one package not walked yet, and the walk itself."""

    def __init__(self, pkg: ir.Package, decls: list, walk, keep_trees: bool, eager_markers: tuple = ()):
        self.pkg = pkg
        self.walk = walk  # (file, decl node, summary) -> None
        self.keep_trees = keep_trees  # False for very large packages: LIVE_BYTES of trees alive at a time
        self.entries: dict[str, tuple[GoFile, int, int]] = {}  # fid -> (file, decl start, decl end)
        self.pending: set[str] = set()  # not walked yet
        self.index: dict[int, dict[int, object]] = {}  # file index -> decl start -> node, for live trees
        self.live: list[GoFile] = []  # files whose trees are alive, least recently used first (large packages)
        self.live_bytes = 0
        self.spawners: set[str] = set()
        pkg.walked = set()
        eager = []
        files = {f.index: f for f, _, _ in decls}
        go_at = {i: go_statements(f) for i, f in files.items()}
        for f, d, s in decls:
            if s.id not in pkg.funcs or pkg.funcs[s.id] is not s:
                continue
            text_start, text_end = d.start_byte, d.end_byte
            gos = go_at.get(f.index, [])
            i = bisect_left(gos, text_start)
            src = f.src
            if (i < len(gos) and gos[i] < text_end) or any(src.find(w, text_start, text_end) >= 0 for w in SPAWNS):
                self.spawners.add(s.id)
                eager.append(s.id)
            elif s.assume_locked or any(src.find(w, text_start, text_end) >= 0 for w in EAGER) \
                    or any(src.find(w, text_start, text_end) >= 0 for w in eager_markers) \
                    or any(r.search(src, text_start, text_end) for r in ANNOTATIONS):
                eager.append(s.id)
            self.entries[s.id] = (f, text_start, text_end)
            self.pending.add(s.id)
        if not keep_trees:
            for f in files.values():
                f.tree = None
        for fid in eager:
            self.materialize(fid)
        pkg.may_spawn = self.may_spawn()
        pkg.materialize = self.materialize

    def materialize(self, fid: str) -> list[str]:
        """Walk `fid`'s body if it was not walked yet; return the ids whose
        summaries that completed (the function and its closures)."""
        if fid not in self.pending:
            return []
        self.pending.discard(fid)
        f, start, _ = self.entries[fid]
        node = self.decl_node(f, start)
        s = self.pkg.funcs[fid]
        before = len(self.pkg.funcs)
        if node is not None:
            self.walk(f, node, s)
        done = [fid, *islice(reversed(self.pkg.funcs), len(self.pkg.funcs) - before)]
        self.pkg.walked.update(done)
        return done

    def decl_node(self, f: GoFile, start: int):
        nodes = self.index.get(f.index)
        if nodes is not None and self.live and self.live[-1] is not f:
            # Least recently used first out: the files every root calls into
            # (the syscall wrappers) stay alive.
            at = next((i for i, g in enumerate(self.live) if g is f), None)
            if at is not None:
                self.live.append(self.live.pop(at))
        if nodes is None:
            if f.tree is None:
                # Trees for LIVE_BYTES of source at most: forget the least
                # recently used.
                while not self.keep_trees and self.live and self.live_bytes + len(f.src) > LIVE_BYTES:
                    old = self.live.pop(0)
                    old.tree = None
                    self.live_bytes -= len(old.src)
                    self.index.pop(old.index, None)
                f.tree = parse(f.path, f.src, f.index).tree
                self.live.append(f)
                self.live_bytes += len(f.src)
            nodes = {d.start_byte: d for d in f.root.named_children}
            self.index[f.index] = nodes
        return nodes.get(start)

    def may_spawn(self) -> set[str]:
        """Functions that may start a goroutine, directly or by calling one
        that does: those whose text spawns, then, by name, every function
        that mentions one of them, to a fixpoint. A superset of the truth,
        which the engine narrows by walking the candidates it cares about."""
        out = set(self.spawners)
        if not out:
            return out
        names = {simple_name(fid).encode() for fid in out}
        seen = set(names)
        # (fid, file, start, end, the body's words once needed)
        rest = [(fid, f, start, end, None) for fid, (f, start, end) in self.entries.items() if fid not in out]
        while names and rest:
            found, keep = set(), []
            few = len(names) <= 8
            for item in rest:
                fid, f, start, end, words = item
                if words is None:
                    # A body that holds none of the names even as a substring
                    # mentions none of them (most bodies, for a few names):
                    # found in C, without splitting the body into words.
                    src = f.src
                    if few and not any(src.find(n, start, end) >= 0 for n in names):
                        keep.append(item)
                        continue
                    words = set(WORD.findall(src, start, end))
                    item = (fid, f, start, end, words)
                if words.isdisjoint(names):
                    keep.append(item)
                else:
                    out.add(fid)
                    found.add(simple_name(fid).encode())
            names = found - seen
            seen |= names
            rest = keep
        return out
