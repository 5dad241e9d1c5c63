"""Reading and parsing Go files with tree-sitter."""
from __future__ import annotations

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


@lru_cache(maxsize=1)
def go_statement_query() -> tree_sitter.Query:
    return tree_sitter.Query(language(), "(go_statement) @go")


def go_statements(root) -> list:
    """The `go` statements under `root` (a query run in C: a `go` in a
    comment or string is not one)."""
    return tree_sitter.QueryCursor(go_statement_query()).captures(root).get("go", [])


@dataclass
class GoFile:
    path: str  # as reported in findings
    src: bytes
    tree: object
    index: int = 0  # position in the package, part of local symbol ids
    is_test: bool = False

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
