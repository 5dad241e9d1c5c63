"""Reading, gating and parsing one Python file.

Three steps, cheapest first:

1. a bytes scan (`MAY_THREAD`) decides whether the module can start threads or
   guard state with a lock at all; modules that cannot are only
   syntax-checked (and analysed when such a module imports them);
2. the stdlib `ast` parser (C, fast) checks the syntax the way the running
   interpreter and flake8 (E999) see it, and its tree bounds the nesting depth:
   libcst's native parser overflows the C stack on very deep expressions
   (a segmentation fault, not an exception), so a file nested deeper than
   `MAX_DEPTH` is reported once (ML900) and never handed to libcst;
3. libcst parses the file on a thread with a large stack.

The `ast` tree is kept: it gives every statement its line and column, which
libcst only computes with a full position pass (several times the parse).
"""
from __future__ import annotations

import ast
import gc
import re
import sys
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # libcst is imported where a file is parsed (0.1 s)
    import libcst as cst


# What a module that starts threads or guards shared state must mention.
MAY_THREAD = re.compile(
    rb"threading|concurrent\.futures|Thread|Executor|to_thread|run_in_executor|ThreadingMixIn|Lock"
    rb"|_thread|start_new_thread|ThreadPool")
MAX_DEPTH = 600  # ast nesting levels libcst is allowed to see
STACK_BYTES = 256 * 1024 * 1024
RECURSION_LIMIT = 20_000


class ParseProblem(Exception):
    def __init__(self, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@dataclass
class PyFile:
    path: Path  # resolved
    shown: str  # as the user reads it
    src: bytes
    asked: bool
    index: int
    tree: ast.Module | None = None
    module: cst.Module | None = None
    text: str = ""
    line_starts: list[int] = field(default_factory=list)
    imports: list[Path] = field(default_factory=list)
    modkey: str = ""

    @property
    def may_thread(self) -> bool:
        return MAY_THREAD.search(self.src) is not None


def syntax_tree(src: bytes, shown: str) -> ast.Module:
    """The stdlib tree, or ParseProblem for a syntax error or absurd nesting."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like are flake8's business, not ours
            return ast.parse(src, filename=shown)
    except SyntaxError as e:
        msg = (e.msg or "invalid syntax").strip()
        return _raise(f"syntax error: {msg}", e.lineno or 1, (e.offset or 1))
    except (RecursionError, MemoryError):
        _raise("code nested too deeply to analyse")
    except ValueError as e:  # source code string cannot contain null bytes
        _raise(f"cannot parse: {e}")
    raise AssertionError("unreachable")


def _raise(msg: str, line: int = 1, col: int = 1):
    raise ParseProblem(msg, line, col)


def depth(tree: ast.AST) -> int:
    """Nesting depth as libcst will build it: boolean operators nest one level
    per operand there, and string concatenations one per part."""
    best = 0
    stack = [(tree, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, d = pop()
        if d > best:
            best = d
        extra = 0
        if isinstance(node, ast.BoolOp):
            extra = len(node.values)
        for child in ast.iter_child_nodes(node):
            push((child, d + 1 + extra))
    return best


def _on_big_stack(fn, *args):
    """Run fn on a thread with a large C stack and a raised recursion limit;
    re-raise what it raised."""
    box: dict = {}

    def run():
        try:
            box["value"] = fn(*args)
        except BaseException as e:  # noqa: BLE001 - handed back to the caller
            box["error"] = e

    old_stack = threading.stack_size()
    old_limit = sys.getrecursionlimit()
    # The analysis allocates millions of small, acyclic objects (syntax
    # trees): with the cyclic collector on, each collection rescans all of
    # them, which costs more than the parse itself.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        threading.stack_size(STACK_BYTES)
    except (ValueError, RuntimeError):  # pragma: no cover - platforms without it
        return fn(*args)
    try:
        sys.setrecursionlimit(max(old_limit, RECURSION_LIMIT))
        t = threading.Thread(target=run, name="maplint-python")
        t.start()
        t.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
        if was_enabled:
            gc.enable()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def on_big_stack(fn, *args):
    return _on_big_stack(fn, *args)


def parse_cst(f: PyFile) -> None:
    """Parse f with libcst (f.tree must be set); ParseProblem on failure."""
    if depth(f.tree) > MAX_DEPTH:
        raise ParseProblem("code nested too deeply to analyse")
    f.module = cst_module(f.text)


def cst_module(text: str) -> cst.Module:
    """libcst's tree of a file whose nesting is known to be safe; ParseProblem
    if libcst does not accept it."""
    import libcst as cst  # here, not at the top: a run whose Python files need no libcst tree never imports it

    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as e:
        raise ParseProblem(f"cannot be analysed: libcst does not parse this file ({str(e).splitlines()[0]})",
                           e.raw_line or 1, (e.raw_column or 0) + 1) from None
    except RecursionError:
        raise ParseProblem("code nested too deeply to analyse") from None


def prepare(f: PyFile) -> None:
    """Decode f and compute its line offsets (the ast tree gives byte columns)."""
    f.text = f.src.decode("utf-8")
    starts = [0]
    find = f.src.find
    i = find(b"\n")
    while i >= 0:
        starts.append(i + 1)
        i = find(b"\n", i + 1)
    f.line_starts = starts


def char_col(f: PyFile, line: int, byte_col: int) -> int:
    """0-based character column of a byte offset on a 1-based line."""
    if line - 1 >= len(f.line_starts):
        return byte_col
    start = f.line_starts[line - 1]
    seg = f.src[start:start + byte_col]
    if seg.isascii():
        return byte_col
    return len(seg.decode("utf-8", "replace"))
