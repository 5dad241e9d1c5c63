"""Reading and parsing Go files with tree-sitter."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter
import tree_sitter_go

from maplint import budget


@lru_cache(maxsize=1)
def language() -> tree_sitter.Language:
    return tree_sitter.Language(tree_sitter_go.language())


@lru_cache(maxsize=1)
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(language())


# `go` as a word. The word boundary before it is tested by hand: with a
# leading \b the regex engine cannot search for the literal, and scanning
# the standard library took ten times as long.
GO_WORD = re.compile(rb"go\b")
WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def go_statements(gf: "GoFile") -> list[int]:
    """Where the `go` statements of a file start, in order. The word is
    found by a regex and confirmed in the tree (a `go` in a comment or a
    string is not one): much cheaper than a tree query, which visits every
    node. Computed once per file (the pre-filter and the body index both
    ask)."""
    if gf.gos is not None:
        return gf.gos
    out = []
    root = gf.root
    src = gf.src
    for m in GO_WORD.finditer(src):
        if m.start() and src[m.start() - 1] in WORD_BYTES:
            continue  # "ago", "algo": not the word
        n = root.descendant_for_byte_range(m.start(), m.end())
        if n is not None and n.type == "go" and n.parent is not None and n.parent.type == "go_statement":
            out.append(n.parent.start_byte)
    gf.gos = out
    return out


@dataclass
class GoFile:
    path: str  # as reported in findings
    src: bytes
    tree: object
    index: int = 0  # position in the package, part of local symbol ids
    is_test: bool = False
    gos: list[int] | None = None  # go_statements(), once known

    @property
    def root(self):
        return self.tree.root_node


CHUNK = 1 << 20


def parse(path: str, src: bytes, index: int = 0) -> GoFile:
    if len(src) > CHUNK and budget.active():
        # Feed a big file in chunks and stop feeding once the time budget is
        # spent: the parse ends early (the caller's budget.check() reports it)
        # instead of building the whole tree first.
        def read(offset: int, _point) -> bytes:
            return b"" if budget.expired() else src[offset:offset + CHUNK]

        tree = _parser().parse(read)
    else:
        tree = _parser().parse(src)
    return GoFile(path=path, src=src, tree=tree, index=index, is_test=path.endswith("_test.go"))


def first_error(node) -> tuple[int, int] | None:
    """(line, col), 1-based, of the first ERROR or MISSING node, or None."""
    if not node.has_error:
        return None
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            return n.start_point[0] + 1, n.start_point[1] + 1
        if n.has_error:
            stack.extend(reversed(n.children))
    return node.start_point[0] + 1, node.start_point[1] + 1
