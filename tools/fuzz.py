#!/usr/bin/env python3
"""Fuzz maplint's whole pipeline: front-ends, rules, simulation, every reporter.

    python tools/fuzz.py --inputs 10000            # the full run
    python tools/fuzz.py --inputs 300 --seed 7     # a slice (what CI runs, via tests/test_fuzz.py)
    python tools/fuzz.py --seed 0 --only 4711      # replay one input, in this process
    python tools/fuzz.py --corpus ~/go/src         # mutate real code too

Every input is a small source tree derived from (seed, index) alone, so a run
is reproducible whatever the number of workers. Four in five inputs mutate a
package of examples/ (delete, duplicate and swap tokens and lines; truncate;
splice in another file; inject NUL bytes, invalid UTF-8, BOMs, CRLF and lone
CRs; nest an expression); the rest are random programs that start goroutines
or threads, take locks and touch maps in random shapes (and are mutated in
turn). Some inputs also carry hostile extras: a binary file, an empty file, a
directory named like a source file, a dangling symlink, a symlink loop.

Each input runs in a worker process: `engine.check_paths` (named as a
directory, or file by file in a random order), `explain.attach_simulations`,
then the text, JSON, SARIF, GitHub and statistics reporters. It fails when
anything raises, when the engine reports an internal error (ML999), when the
JSON does not parse or the SARIF does not validate against the 2.1.0 schema,
when a GitHub annotation spans several lines, when a finding points outside
the tree, when the checked tree changed, or when a second run (warm cache,
reversed path order) gives different bytes. One input in three also runs the
simulator directly on a random runtime, pair of operations, key kind, size,
preemption bound and state budget.

A worker that does not answer within --timeout seconds is a hang: it is
killed and replaced. A worker that dies (a segmentation fault, the memory
limit) is a crash. Failing inputs are written to --out (default
fuzz-crashes/), one directory each with the files, what happened and the
command that replays it. The summary gives inputs tried, crashes and hangs;
the exit code is 1 if there were any.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCHEMA_CANDIDATES = (Path("/work/shared/schemas/sarif-schema-2.1.0.json"),
                     ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json",
                     ROOT / "tests" / "data" / "sarif-schema-2.1.0.json")


# ---- the corpus ------------------------------------------------------------

@dataclass
class Seed:
    lang: str  # go | python
    name: str
    files: dict[str, bytes]  # relative path → content


EXTRA_CORPUS: list[Path] = []  # --corpus: more trees of real code to mutate


def corpus(root: Path = ROOT) -> list[Seed]:
    """Every Go package directory and every Python example of examples/, and
    every directory of Go or Python files under the --corpus trees (up to 12
    files and 400 KB a seed)."""
    seeds: list[Seed] = []
    for extra in EXTRA_CORPUS:
        for lang, ext in (("go", ".go"), ("python", ".py")):
            for d in sorted({p.parent for p in extra.rglob(f"*{ext}")}):
                if "testdata" in d.parts:
                    continue
                files = {}
                for p in sorted(d.glob(f"*{ext}"))[:12]:
                    try:
                        if p.is_file() and p.stat().st_size < 400_000:
                            files[p.name] = p.read_bytes()
                    except OSError:
                        continue
                if files:
                    seeds.append(Seed(lang, str(d), files))
    go = root / "examples" / "go"
    for d in sorted({p.parent for p in go.rglob("*.go")}):
        files = {p.name: p.read_bytes() for p in sorted(d.glob("*.go"))}
        seeds.append(Seed("go", str(d.relative_to(root)), files))
    py = root / "examples" / "python"
    for d in sorted(p for p in py.iterdir() if p.is_dir()) if py.is_dir() else []:
        files = {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*.py"))}
        if files:
            seeds.append(Seed("python", str(d.relative_to(root)), files))
    return seeds


# ---- generated programs ----------------------------------------------------

GO_IMPORTS = ["sync", "net/http", "fmt", "golang.org/x/sync/errgroup", "time", "context", "maps",
              "encoding/json", "sync/atomic", "testing"]


def gen_go(rng: random.Random) -> dict[str, bytes]:
    """A random Go package that spawns goroutines and touches maps."""
    maps = ["m", "cache", "s.items", "c.byID", "reg"]
    locks = ["mu", "s.mu", "rw", "c.mu"]
    n_funcs = rng.randint(1, 5)

    def expr_key() -> str:
        return rng.choice(['"k"', "k", "i", "fmt.Sprint(i)", "key(i)", "r.URL.Path"])

    def stmt(depth: int) -> str:
        mp = rng.choice(maps)
        lk = rng.choice(locks)
        simple = [
            f"{mp}[{expr_key()}] = {rng.randint(0, 9)}",
            f"{mp}[{expr_key()}]++",
            f"delete({mp}, {expr_key()})",
            f"_ = {mp}[{expr_key()}]",
            f"v, ok := {mp}[{expr_key()}]; _, _ = v, ok",
            f"_ = len({mp})",
            f"{lk}.Lock()", f"{lk}.Unlock()", f"defer {lk}.Unlock()",
            "rw.RLock()", "rw.RUnlock()",
            "wg.Add(1)", "wg.Done()", "wg.Wait()", "defer wg.Done()",
            f"clear({mp})", f"maps.Copy({mp}, other)", f"fmt.Println({mp})", f"json.Marshal({mp})",
            f"ch <- {mp}", "x := <-ch; _ = x", "close(done)", "<-done",
            "fn := hook; if fn == nil { fn = func(s string) (int, error) { return len(s), nil } }; n, _ := fn(k); _ = n",
            f"get := func() map[string]int {{ return {mp} }}; get()[k] = 1",
            f"_ = func() int {{ return {mp}[k] }}() + len({mp})",
            f"f{rng.randint(0, n_funcs)}({mp})",
            "t.Parallel()", "return",
        ]
        if depth <= 0:
            return rng.choice(simple)
        compound = [
            "go func() {\n%s\n}()",
            f"go f{rng.randint(0, n_funcs)}({mp})",
            "for i := 0; i < 10; i++ {\n%s\n}",
            f"for k, v := range {mp} {{\n_, _ = k, v\n%s\n}}",
            "if i > 0 {\n%s\n} else {\n%s\n}",
            "g.Go(func() error {\n%s\nreturn nil\n})",
            "once.Do(func() {\n%s\n})",
            'http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {\n%s\n})',
            "time.AfterFunc(time.Second, func() {\n%s\n})",
            't.Run("x", func(t *testing.T) {\n%s\n})',
            "select {\ncase x := <-ch:\n_ = x\n%s\ndefault:\n%s\n}",
            "func() {\n%s\n}()",
        ]
        if rng.random() < 0.55:
            return rng.choice(simple)
        tmpl = rng.choice(compound)
        return tmpl.replace("%s", "\n".join(stmt(depth - 1) for _ in range(rng.randint(1, 3))), 1) \
                   .replace("%s", stmt(depth - 1))

    pkg = rng.choice(["main", "main", "cache", "server"])
    out = [f"package {pkg}", "", "import ("] + [f'\t"{i}"' for i in GO_IMPORTS] + [")", ""]
    out += [
        "var m = map[string]int{}",
        "var reg = make(map[string]int, %d)" % rng.randint(0, 2000),
        "var cache map[string]int",
        "var other = map[string]int{\"a\": 1}",
        "var mu sync.Mutex",
        "var rw sync.RWMutex",
        "var wg sync.WaitGroup",
        "var once sync.Once",
        "var g errgroup.Group",
        "var ch = make(chan map[string]int)",
        "var done = make(chan struct{})",
        "var i int",
        "var k = \"k\"",
        "var s = &Server{items: map[string]int{}}",
        "var c Cache",
        "",
        "type Server struct {",
        "\tmu    sync.Mutex",
        "\titems map[string]int" + rng.choice(["", " // guarded by mu", " // +checklocks:mu"]),
        "}",
        "",
        "type Cache struct {",
        "\tmu   sync.RWMutex",
        "\tbyID map[int]string",
        "}",
        "",
        "func key(i int) string { return fmt.Sprint(i) }",
        "",
        "var hook func(string) (int, error)",
        "",
    ]
    for j in range(n_funcs + 1):
        sig = rng.choice([f"func f{j}(m map[string]int)", f"func (s *Server) F{j}(m map[string]int)",
                          f"func f{j}(m map[string]int)", f"func F{j}(m map[string]int)"])
        body = "\n".join("\t" + stmt(rng.randint(0, 3)).replace("\n", "\n\t") for _ in range(rng.randint(1, 6)))
        out += [sig + " {", body, "}", ""]
    main_body = "\n".join("\t" + stmt(rng.randint(0, 3)).replace("\n", "\n\t") for _ in range(rng.randint(1, 8)))
    out += ["func main() {", main_body, "}", ""]
    files = {"main.go": "\n".join(out).encode()}
    if rng.random() < 0.4:
        test_body = "\n".join("\t" + stmt(rng.randint(0, 2)).replace("\n", "\n\t") for _ in range(rng.randint(1, 4)))
        files["main_test.go"] = (f"package {pkg}\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) {{\n"
                                 f"{test_body}\n}}\n").encode()
    return files


def gen_python(rng: random.Random) -> dict[str, bytes]:
    """A random Python module that starts threads and touches dicts."""
    dicts = ["shared", "self.cache", "counts", "registry", "d"]

    def stmt(depth: int, ind: str) -> str:
        d = rng.choice(dicts)
        k = rng.choice(['"k"', "key", "i", "str(i)", "item"])
        simple = [
            f"{d}[{k}] = 1", f"{d}[{k}] += 1", f"{d}[{k}] = {d}.get({k}, 0) + 1",
            f"del {d}[{k}]", f"{d}.pop({k}, None)", f"{d}.setdefault({k}, [])", f"{d}.update(other)",
            f"{d}.clear()", f"x = {d}[{k}]", f"x = len({d})", f"x = list({d}.items())",
            f"if {k} not in {d}:\n{ind}    {d}[{k}] = 0",
            "lock.acquire()", "lock.release()", "t.join()", "pass", "return",
            f"worker({d})", "executor.submit(worker, shared)",
        ]
        if depth <= 0 or rng.random() < 0.5:
            return rng.choice(simple)
        inner = "\n".join(ind + "    " + stmt(depth - 1, ind + "    ") for _ in range(rng.randint(1, 3)))
        compound = [
            f"with lock:\n{inner}",
            f"for item in {d}:\n{inner}",
            f"for i in range(10):\n{inner}",
            f"if i:\n{inner}\n{ind}else:\n{inner}",
            f"try:\n{inner}\n{ind}finally:\n{ind}    lock.release()",
            f"def inner():\n{inner}\n{ind}threading.Thread(target=inner).start()",
            f"t = threading.Thread(target=worker, args=({d},))\n{ind}t.start()",
            f"with ThreadPoolExecutor() as executor:\n{inner}",
        ]
        return rng.choice(compound)

    lines = ["import threading", "from concurrent.futures import ThreadPoolExecutor", "",
             "shared = {}", "counts = dict()", "registry: dict[str, int] = {}", "other = {'a': 1}",
             "lock = threading." + rng.choice(["Lock()", "RLock()"]), "i = 0", "key = 'k'", ""]
    n = rng.randint(1, 4)
    for j in range(n):
        body = "\n".join("    " + stmt(rng.randint(0, 3), "    ") for _ in range(rng.randint(1, 5)))
        lines += [f"def {'worker' if j == 0 else f'f{j}'}(d):", body, ""]
    lines += ["class Cache:", "    def __init__(self):", "        self.cache = {}", "        self.lock = threading.Lock()",
              "", "    def get(self, key):"]
    lines += ["        " + stmt(rng.randint(0, 2), "        ") for _ in range(rng.randint(1, 3))]
    lines += ["", "    def start(self):", "        threading.Thread(target=self.get, args=('k',)).start()", ""]
    main = "\n".join("    " + stmt(rng.randint(0, 3), "    ") for _ in range(rng.randint(1, 6)))
    lines += ["def main():", "    d = {}", "    self = Cache()", main, "", "main()", ""]
    return {"mod.py": "\n".join(lines).encode()}


# ---- mutations ---------------------------------------------------------------

TOKEN = re.compile(rb"\w+|\s+|.", re.S)
BAD_UTF8 = [b"\xff", b"\xfe\xfe", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x80"]


def _tokens(data: bytes) -> list[bytes]:
    return TOKEN.findall(data)


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def m_delete_token(rng, data, other):
    t = _tokens(data)
    if t:
        del t[rng.randrange(len(t))]
    return b"".join(t)


def m_duplicate_token(rng, data, other):
    t = _tokens(data)
    if t:
        i = rng.randrange(len(t))
        t.insert(i, t[i])
    return b"".join(t)


def m_swap_tokens(rng, data, other):
    t = _tokens(data)
    if len(t) > 1:
        i, j = rng.randrange(len(t)), rng.randrange(len(t))
        t[i], t[j] = t[j], t[i]
    return b"".join(t)


def m_delete_line(rng, data, other):
    ls = _lines(data)
    for _ in range(rng.randint(1, 3)):
        if ls:
            del ls[rng.randrange(len(ls))]
    return b"".join(ls)


def m_duplicate_line(rng, data, other):
    ls = _lines(data)
    i = rng.randrange(len(ls))
    ls[i:i] = [ls[i]] * rng.randint(1, 3)
    return b"".join(ls)


def m_swap_lines(rng, data, other):
    ls = _lines(data)
    i, j = rng.randrange(len(ls)), rng.randrange(len(ls))
    ls[i], ls[j] = ls[j], ls[i]
    return b"".join(ls)


def m_truncate(rng, data, other):
    return data[:rng.randrange(len(data) + 1)]


def _insert(rng, data, chunk):
    i = rng.randrange(len(data) + 1)
    return data[:i] + chunk + data[i:]


def m_nul(rng, data, other):
    return _insert(rng, data, b"\0" * rng.randint(1, 3))


def m_bad_utf8(rng, data, other):
    return _insert(rng, data, rng.choice(BAD_UTF8))


def m_bom(rng, data, other):
    bom = b"\xef\xbb\xbf"
    return bom + data if rng.random() < 0.7 else _insert(rng, data, bom)


def m_crlf(rng, data, other):
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def m_lone_cr(rng, data, other):
    if rng.random() < 0.5:
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    return _insert(rng, data, b"\r")


def m_splice(rng, data, other):
    """Insert a run of lines from another file of the corpus."""
    ls = _lines(other)
    i = rng.randrange(len(ls))
    chunk = b"".join(ls[i:i + rng.randint(1, 12)])
    out = _lines(data)
    j = rng.randrange(len(out) + 1)
    out[j:j] = [chunk if chunk.endswith(b"\n") else chunk + b"\n"]
    return b"".join(out)


def m_nest(rng, data, other):
    """Wrap an identifier in a deep expression."""
    t = _tokens(data)
    idx = [i for i, x in enumerate(t) if re.fullmatch(rb"[A-Za-z_]\w*", x)]
    if not idx:
        return data
    i = rng.choice(idx)
    n = rng.choice([5, 50, 300, 1500])
    shape = rng.choice(["paren", "unary", "binary", "index", "call"])
    x = t[i]
    if shape == "paren":
        t[i] = b"(" * n + x + b")" * n
    elif shape == "unary":
        t[i] = b"-" * n + x if rng.random() < 0.5 else b"(" + b"not " * n + x + b")"
    elif shape == "binary":
        t[i] = b"(" + b" + ".join([x] * n) + b")"
    elif shape == "index":
        t[i] = x + b"[0]" * n
    else:
        t[i] = b"f(" * n + x + b")" * n
    return b"".join(t)


def m_rename(rng, data, other):
    """Replace an identifier with another identifier of the file (keeps the
    syntax, changes what aliases what)."""
    t = _tokens(data)
    idx = [i for i, x in enumerate(t) if re.fullmatch(rb"[A-Za-z_]\w*", x)]
    if len(idx) > 1:
        t[rng.choice(idx)] = t[rng.choice(idx)]
    return b"".join(t)


def m_bytes(rng, data, other):
    """Random byte edits."""
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not b:
            break
        i = rng.randrange(len(b))
        b[i] = rng.randrange(256)
    return bytes(b)


MUTATIONS = [m_delete_token, m_duplicate_token, m_swap_tokens, m_delete_line, m_duplicate_line, m_swap_lines,
             m_truncate, m_nul, m_bad_utf8, m_bom, m_crlf, m_lone_cr, m_splice, m_nest, m_bytes, m_rename]
# The text-level mutations keep the file checkable more often: weight them.
WEIGHTS = [4, 4, 4, 3, 3, 3, 2, 1, 1, 1, 1, 1, 3, 1, 1, 6]
# Python rejects most token edits outright (and then only the syntax error is
# reported): Python inputs favour the edits that keep a module parsable.
PY_WEIGHTS = [1, 1, 1, 4, 4, 2, 1, 1, 1, 2, 2, 2, 1, 1, 1, 12]


# ---- inputs ------------------------------------------------------------------

@dataclass
class Input:
    index: int
    lang: str
    origin: str
    files: dict[str, bytes]  # relative path → content
    extras: list[str] = field(default_factory=list)  # hostile additions (see write_tree)
    mutations: list[str] = field(default_factory=list)
    paths: str = "dir"  # dir | files | reversed
    cache: bool = True
    twice: bool = False  # run again (warm cache, reversed paths) and compare
    go_version: str | None = None
    select: list[str] | None = None
    sim: tuple | None = None  # (runtime, op_a, op_b, key_kind, size, bound, budget)
    cli: str | None = None  # run `maplint check` itself with this --format


GO_VERSIONS = [None, None, "1.18", "1.21", "1.22", "1.23", "1.24", "1.25", "1.27"]
SELECTS = [None, None, None, ["ML1"], ["ML101", "ML9"], ["ML2"], ["ML103", "ML104", "ML105"]]
RUNTIMES = ["go1.6", "go1.20", "go1.23", "go1.24", "go1.25", "go1.26", "go1.27", "go1.40", "cpython3.6",
            "cpython3.9", "cpython3.11", "cpython3.13t", "cpython3.14", "go1.5", "cpython3.12t", "rust", ""]
SIM_OPS = ["insert", "lookup", "delete", "range", "len", "clear", "clone", "incr", "get-set", "check-insert",
           "check-delete", "iterate", "bogus", ""]
SIM_KEYS = ["generic", "int32", "int64", "string", "builtin", "pyhash", "float"]


def make_input(seed: int, index: int, seeds: list[Seed]) -> Input:
    rng = random.Random(f"maplint-fuzz:{seed}:{index}")
    r = rng.random()
    if r < 0.75:
        base = rng.choice(seeds)
        inp = Input(index, base.lang, base.name, dict(base.files))
    else:
        lang = "go" if r < 0.85 else "python"
        files = gen_go(rng) if lang == "go" else gen_python(rng)
        inp = Input(index, lang, f"generated-{lang}", files)
    n_mut = rng.choice([0, 1, 1, 1, 2, 2, 3, 5]) if inp.origin.startswith("generated") else rng.choice([1, 1, 2, 3, 5])
    if inp.lang == "python":
        n_mut = rng.choice([0, 1, 1, 2]) if inp.origin.startswith("generated") else rng.choice([1, 1, 1, 2, 3])
    names = sorted(inp.files)
    for _ in range(n_mut):
        name = rng.choice(names)
        mut = rng.choices(MUTATIONS, PY_WEIGHTS if inp.lang == "python" else WEIGHTS)[0]
        other_seed = rng.choice(seeds)
        other = other_seed.files[rng.choice(sorted(other_seed.files))]
        inp.files[name] = mut(rng, inp.files[name], other)
        inp.mutations.append(f"{mut.__name__[2:]}:{name}")
    if rng.random() < 0.08:
        inp.extras.append(rng.choice(["binary", "empty", "dir-named-source", "dangling-symlink", "symlink-loop",
                                      "file-symlink-loop", "fifo", "bom-only", "unknown-suffix"]))
    inp.paths = rng.choice(["dir", "dir", "files", "reversed"])
    inp.cache = rng.random() < 0.5
    inp.twice = rng.random() < 0.2
    inp.go_version = rng.choice(GO_VERSIONS)
    inp.select = rng.choice(SELECTS)
    if rng.random() < 0.25:
        inp.cli = rng.choice(["text", "json", "sarif", "github", "statistics"])
    if rng.random() < 0.33:
        size = rng.choice([None, 0, 1, 6, 7, 8, 13, 14, 27, 100, 448, 896, 895, 5000, -1])
        inp.sim = (rng.choice(RUNTIMES), rng.choice(SIM_OPS), rng.choice(SIM_OPS), rng.choice(SIM_KEYS), size,
                   rng.choice([None, 0, 1, 2, 3]), rng.choice([None, 1, 10, 500, 3000]))
    return inp


def write_tree(inp: Input, root: Path) -> list[str]:
    """Write the input below root; return the paths to check (relative)."""
    ext = ".go" if inp.lang == "go" else ".py"
    pkg = root / "pkg"
    pkg.mkdir(parents=True)
    if inp.lang == "go":
        (root / "go.mod").write_text("module fuzz\n\ngo 1.25\n")
    for rel, data in inp.files.items():
        p = pkg / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    named = [f"pkg/{rel}" for rel in sorted(inp.files)]

    def fresh(stem: str, suffix: str = ext) -> Path:
        """A name no input file has taken (a corpus package may hold a dir.go)."""
        p, i = pkg / f"{stem}{suffix}", 2
        while p.exists() or p.is_symlink():
            p, i = pkg / f"{stem}{i}{suffix}", i + 1
        return p

    for extra in inp.extras:
        if extra == "binary":
            p = fresh("blob")
            p.write_bytes(bytes(range(256)) * 4)
            named.append(f"pkg/{p.name}")
        elif extra == "empty":
            p = fresh("empty")
            p.write_bytes(b"")
            named.append(f"pkg/{p.name}")
        elif extra == "bom-only":
            p = fresh("bom")
            p.write_bytes(b"\xef\xbb\xbf")
            named.append(f"pkg/{p.name}")
        elif extra == "dir-named-source":
            p = fresh("dir")
            p.mkdir()
            named.append(f"pkg/{p.name}")
        elif extra == "dangling-symlink":
            p = fresh("dangling")
            os.symlink(pkg / "nowhere", p)
            named.append(f"pkg/{p.name}")
        elif extra == "symlink-loop":
            os.symlink("..", fresh("loop", ""))
        elif extra == "file-symlink-loop":
            a, b = fresh("loop_a"), fresh("loop_b")
            os.symlink(b.name, a)
            os.symlink(a.name, b)
            named.append(f"pkg/{a.name}")
        elif extra == "fifo" and hasattr(os, "mkfifo"):
            os.mkfifo(fresh("pipe"))  # opening it for reading blocks until a writer comes
        elif extra == "unknown-suffix":
            p = fresh("notes", ".txt")
            p.write_bytes(b"not source\n")
            named.append(f"pkg/{p.name}")
    if inp.paths == "dir":
        return ["pkg"]
    return named if inp.paths == "files" else list(reversed(named))


def tree_digest(root: Path) -> str:
    """Every path, link target and file content below root."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            p = Path(dirpath) / name
            h.update(str(p.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
            if p.is_symlink():
                h.update(b"L" + os.readlink(p).encode("utf-8", "surrogateescape"))
            elif p.is_file():
                h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


# ---- running one input -----------------------------------------------------

class Failure(Exception):
    """An invariant that does not hold (not a crash of maplint itself)."""


_VALIDATOR = None


def sarif_validator():
    global _VALIDATOR
    if _VALIDATOR is None:
        import jsonschema

        path = next((p for p in SCHEMA_CANDIDATES if p.is_file()), None)
        if path is None:
            _VALIDATOR = False
        else:
            _VALIDATOR = jsonschema.Draft4Validator(json.loads(path.read_text(encoding="utf-8")))
    return _VALIDATOR or None


def render_all(findings, fingerprints, root: Path) -> dict[str, str]:
    """Every reporter over the same findings; check each output is well formed."""
    from maplint import report
    from maplint.report import github, sarif

    out = {}
    buf = io.StringIO()
    report.text(findings, buf, explain=True)
    out["text"] = buf.getvalue()
    buf = io.StringIO()
    report.json_report(findings, buf, fingerprints)
    out["json"] = buf.getvalue()
    doc = json.loads(out["json"])
    if len(doc["findings"]) != len(findings):
        raise Failure("the JSON report lost findings")
    log = sarif.sarif_log(findings, fingerprints, root=root)
    out["sarif"] = json.dumps(log, indent=2)
    json.loads(out["sarif"])
    v = sarif_validator()
    if v is not None:
        errors = sorted(v.iter_errors(log), key=str)
        if errors:
            raise Failure(f"SARIF does not validate: {errors[0].message} at {list(errors[0].absolute_path)}")
    buf = io.StringIO()
    github.write(findings, buf, root=root)
    out["github"] = buf.getvalue()
    for line in out["github"].splitlines():
        if not line.startswith("::"):
            raise Failure(f"a GitHub annotation spans lines: {line[:80]!r}")
    buf = io.StringIO()
    report.statistics(findings, buf, as_json=True)
    json.loads(buf.getvalue())
    return out


def check_once(inp: Input, root: Path, paths: list[str], cache_dir: Path, debug: bool = True):
    from maplint.config import Settings
    from maplint.engine import check_paths
    from maplint.explain import attach_simulations

    settings = Settings(no_cache=not inp.cache, cache_dir=str(cache_dir), jobs=1, go_version=inp.go_version)
    if inp.select:
        settings.select = list(inp.select) + ["ML9"]
    result = check_paths(paths, settings, debug=debug)
    internal = [f for f in result.findings if f.code == "ML999"]
    if internal:
        raise Failure(f"internal error (ML999) at {internal[0].span}: {internal[0].message}")
    for f in result.findings:
        p = f.span.path
        if os.path.isabs(p) or p.startswith(".."):
            raise Failure(f"a finding points outside the checked tree: {p}")
        if f.span.line < 1 or f.span.col < 1:
            raise Failure(f"a finding has no position: {f.span}")
        for r in f.related:
            if r.span.line < 1 or r.span.col < 1:
                raise Failure(f"a related location has no position: {r.span}")
    findings = attach_simulations(result.findings, explain=True)
    return render_all(findings, result.fingerprints, root)


def run_sim(spec: tuple) -> None:
    from maplint import sim

    runtime, a, b, kk, size, bound, budget = spec
    try:
        r = sim.simulate(runtime, a, b, key_kind=kk, size=size, bound=bound, budget=budget)
    except ValueError:
        return  # a bad argument, refused with a message: what the CLI shows
    sim.summary_line(r)
    sim.render_timeline(r)
    json.dumps(r.to_json())


def run_cli(inp: Input, paths: list[str], cache_dir: Path) -> None:
    """`maplint check` itself, in process: exit code and output format."""
    import contextlib

    from maplint.cli import main

    args = ["check", *paths, "-j", "1", "--cache-dir", str(cache_dir), "--explain"]
    args += ["--statistics"] if inp.cli == "statistics" else ["--format", inp.cli]
    if not inp.cache:
        args.append("--no-cache")
    if inp.go_version:
        args += ["--go-version", inp.go_version]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(args)
    if rc not in (0, 1, 2):
        raise Failure(f"`maplint check` exited {rc}")
    if rc == 2 and not err.getvalue().strip():
        raise Failure("`maplint check` exited 2 without saying why")
    if "ML999" in err.getvalue() or "Traceback" in err.getvalue():
        raise Failure(f"`maplint check` reported an internal error: {err.getvalue()[:2000]}")
    if inp.cli in ("json", "sarif"):
        json.loads(out.getvalue())


def run_input(inp: Input, work: Path) -> None:
    """Raise on any failure. `work` is an empty scratch directory."""
    root = work / "tree"
    root.mkdir()
    cache_dir = work / "cache"
    paths = write_tree(inp, root)
    before = tree_digest(root)
    old = os.getcwd()
    os.chdir(root)
    try:
        first = check_once(inp, root, paths, cache_dir)
        if inp.twice:
            again = check_once(inp, root, list(reversed(paths)), cache_dir)
            for fmt in ("json", "sarif", "text", "github"):
                if first[fmt] != again[fmt]:
                    raise Failure(f"a second run (warm cache, reversed paths) changed the {fmt} output")
        if inp.cli:
            run_cli(inp, paths, cache_dir)
    finally:
        os.chdir(old)
    if tree_digest(root) != before:
        raise Failure("the checked tree changed")
    if inp.sim is not None:
        run_sim(inp.sim)


def _outcome(inp: Input, work: Path) -> tuple[str, str]:
    for p in list(work.iterdir()):
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink()
    try:
        run_input(inp, work)
    except Failure as e:
        return "crash", f"{e}"
    except BaseException as e:  # noqa: BLE001 - everything that escapes is a crash
        if isinstance(e, KeyboardInterrupt):
            raise
        return "crash", f"{type(e).__name__}: {e}\n{traceback.format_exc()}"
    return "ok", ""


# ---- workers -----------------------------------------------------------------

def _worker(conn, seed: int, mem_mb: int, extra: list[str] | None = None, scratch: str | None = None) -> None:
    EXTRA_CORPUS[:] = [Path(p) for p in extra or []]
    if mem_mb:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (mem_mb * 1024 * 1024, mem_mb * 1024 * 1024))
        except (ImportError, ValueError, OSError):
            pass
    os.environ.setdefault("NO_COLOR", "1")
    seeds = corpus()
    work = Path(tempfile.mkdtemp(prefix="maplint-fuzz-", dir=scratch))
    try:
        while True:
            try:
                index = conn.recv()
            except EOFError:
                return
            if index is None:
                return
            inp = make_input(seed, index, seeds)
            with _selftest(index):
                status, detail = _outcome(inp, work)
            conn.send((index, status, detail))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _selftest(index: int):
    """MAPLINT_FUZZ_SELFTEST="crash:3,hang:5,die:7" makes those inputs fail on
    purpose (a rule that raises, a worker that never answers, a worker that
    dies), so that tests can check the fuzzer notices each."""
    import contextlib

    spec = dict(part.split(":")[::-1] for part in os.environ.get("MAPLINT_FUZZ_SELFTEST", "").split(",") if ":" in part)
    action = spec.get(str(index))
    if action == "hang":
        time.sleep(3600)
    if action == "die":
        os._exit(3)
    if action != "crash":
        return contextlib.nullcontext()
    import maplint.engine as engine

    real = engine.check_paths

    def broken(*args, **kw):
        raise RuntimeError("deliberately broken (MAPLINT_FUZZ_SELFTEST)")

    @contextlib.contextmanager
    def patched():
        engine.check_paths = broken
        try:
            yield
        finally:
            engine.check_paths = real

    return patched()


@dataclass
class Summary:
    inputs: int = 0
    crashes: int = 0
    hangs: int = 0
    seconds: float = 0.0
    failures: list[tuple[int, str, str]] = field(default_factory=list)  # (index, kind, detail)

    def line(self) -> str:
        return (f"maplint fuzz: {self.inputs:,} inputs tried, {self.crashes} crashes, {self.hangs} hangs "
                f"in {self.seconds:.0f} s")


def save_failure(out: Path, seed: int, inp: Input, kind: str, detail: str) -> Path:
    d = out / f"seed{seed}-{inp.index:06d}-{kind}"
    shutil.rmtree(d, ignore_errors=True)
    (d / "files").mkdir(parents=True)
    for rel, data in inp.files.items():
        p = d / "files" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    info = {"kind": kind, "index": inp.index, "seed": seed, "origin": inp.origin, "lang": inp.lang,
            "mutations": inp.mutations, "extras": inp.extras, "paths": inp.paths, "cache": inp.cache,
            "twice": inp.twice, "cli": inp.cli, "go_version": inp.go_version, "select": inp.select, "sim": inp.sim,
            "replay": " ".join(["python tools/fuzz.py", *(f"--corpus {c}" for c in EXTRA_CORPUS),
                                f"--seed {seed} --only {inp.index}"])}
    (d / "info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    (d / "detail.txt").write_text(detail + "\n", encoding="utf-8")
    return d


def run(inputs: int, seed: int = 0, jobs: int | None = None, timeout: float = 60.0, out: Path | None = None,
        start: int = 0, mem_mb: int = 4096, verbose: bool = False) -> Summary:
    """Fuzz inputs start..start+inputs-1 on `jobs` worker processes."""
    import multiprocessing as mp
    from multiprocessing.connection import wait

    ctx = mp.get_context("fork" if sys.platform != "win32" else "spawn")
    jobs = max(1, jobs or os.cpu_count() or 1)
    seeds = corpus()
    summary = Summary()
    t0 = time.monotonic()
    pending = list(range(start, start + inputs))
    pending.reverse()
    workers: dict = {}  # conn → [process, index or None, deadline]
    scratch = tempfile.mkdtemp(prefix="maplint-fuzz-run-")  # killed workers cannot clean up after themselves

    def spawn():
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker, args=(child, seed, mem_mb, [str(p) for p in EXTRA_CORPUS], scratch),
                           daemon=True)
        proc.start()
        child.close()
        workers[parent] = [proc, None, 0.0]

    def feed(conn):
        if pending:
            idx = pending.pop()
            workers[conn][1] = idx
            workers[conn][2] = time.monotonic() + timeout
            conn.send(idx)
        else:
            workers[conn][1] = None

    def record(idx: int, kind: str, detail: str):
        summary.inputs += 1
        if kind == "ok":
            return
        if kind == "hang":
            summary.hangs += 1
        else:
            summary.crashes += 1
        summary.failures.append((idx, kind, detail))
        where = ""
        if out is not None:
            where = f" → {save_failure(out, seed, make_input(seed, idx, seeds), kind, detail)}"
        print(f"input {idx}: {kind}: {detail.splitlines()[0] if detail else ''}{where}", file=sys.stderr)

    def retire(conn):
        proc = workers.pop(conn)[0]
        try:
            conn.close()
        except OSError:
            pass
        if proc.is_alive():
            proc.kill()
        proc.join(5)

    for _ in range(min(jobs, len(pending))):
        spawn()
    for conn in list(workers):
        feed(conn)
    last_report = time.monotonic()
    try:
        while any(w[1] is not None for w in workers.values()):
            busy = [c for c, w in workers.items() if w[1] is not None]
            wait_for = max(0.0, min(workers[c][2] for c in busy) - time.monotonic())
            ready = wait(busy, timeout=wait_for)
            now = time.monotonic()
            for conn in ready:
                idx = workers[conn][1]
                try:
                    _, status, detail = conn.recv()
                except (EOFError, OSError):
                    code = workers[conn][0].exitcode
                    workers[conn][0].join(1)
                    code = workers[conn][0].exitcode if code is None else code
                    record(idx, "crash", f"the worker process died (exit code {code})")
                    retire(conn)
                    spawn()
                    feed(list(workers)[-1])
                    continue
                record(idx, status, detail)
                feed(conn)
            for conn in [c for c in busy if c not in ready and workers.get(c, [None, None])[1] is not None]:
                if now >= workers[conn][2]:
                    idx = workers[conn][1]
                    record(idx, "hang", f"no answer within {timeout:g} s")
                    retire(conn)
                    spawn()
                    feed(list(workers)[-1])
            if verbose and now - last_report > 30:
                last_report = now
                print(f"  … {summary.inputs:,}/{inputs:,} inputs, {summary.crashes} crashes, {summary.hangs} hangs, "
                      f"{now - t0:.0f} s", file=sys.stderr, flush=True)
    finally:
        for conn in list(workers):
            try:
                conn.send(None)
            except OSError:
                pass
        for conn in list(workers):
            proc = workers[conn][0]
            proc.join(5)
            retire(conn)
        shutil.rmtree(scratch, ignore_errors=True)
    summary.seconds = time.monotonic() - t0
    return summary


def replay(seed: int, index: int) -> int:
    """Run one input in this process and print what happened."""
    inp = make_input(seed, index, corpus())
    print(f"input {index}: {inp.lang} from {inp.origin}; mutations {inp.mutations}; extras {inp.extras}; "
          f"paths={inp.paths} cache={inp.cache} twice={inp.twice} go={inp.go_version} select={inp.select} "
          f"sim={inp.sim} cli={inp.cli}")
    work = Path(tempfile.mkdtemp(prefix="maplint-fuzz-"))
    try:
        status, detail = _outcome(inp, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(status, detail)
    return 0 if status == "ok" else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=10_000, help="how many inputs to try (default 10,000)")
    ap.add_argument("--seed", type=int, default=0, help="the run's seed (default 0)")
    ap.add_argument("--start", type=int, default=0, help="the first input index (default 0)")
    ap.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: one per CPU)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per input before it counts as a hang")
    ap.add_argument("--memory-mb", type=int, default=4096, help="address-space limit per worker (0: none)")
    ap.add_argument("--out", default="fuzz-crashes", help="where failing inputs are written")
    ap.add_argument("--only", type=int, default=None, help="replay one input index in this process")
    ap.add_argument("--corpus", action="append", default=[], metavar="DIR",
                    help="also mutate the Go and Python files under DIR (e.g. the Go standard library); "
                         "pass the same --corpus to --only to replay")
    ap.add_argument("-q", "--quiet", action="store_true")
    ns = ap.parse_args(argv)
    EXTRA_CORPUS[:] = [Path(p).resolve() for p in ns.corpus]
    if ns.only is not None:
        return replay(ns.seed, ns.only)
    summary = run(ns.inputs, ns.seed, ns.jobs, ns.timeout, Path(ns.out), ns.start, ns.memory_mb,
                  verbose=not ns.quiet)
    print(summary.line())
    kinds: dict[str, int] = {}
    for _, kind, detail in summary.failures:
        sig = f"{kind}: {detail.splitlines()[0]}" if detail else kind
        sig = re.sub(r"[^\s'\"]*maplint-fuzz-[^/\s]+/tree/", "", sig)[:120]  # one line per distinct failure
        kinds[sig] = kinds.get(sig, 0) + 1
    for sig, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {n:>5} × {sig}")
    if summary.failures:
        print(f"failing inputs written to {ns.out}/")
    return 1 if summary.crashes or summary.hangs else 0


if __name__ == "__main__":
    sys.exit(main())
