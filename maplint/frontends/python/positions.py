"""Source positions for libcst nodes without libcst's PositionProvider.

libcst computes positions with a full code-generation pass over the module,
which costs several times the parse. The stdlib `ast` tree already knows where
every statement and every compound statement's header expression starts, and
the two trees have the same statement structure. So each statement (or header
expression) is an *anchor* whose absolute position comes from `ast`; a node
inside it gets its position from a code-generation pass over that anchor only,
done lazily for the few nodes that become findings' locations.
"""
from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata.position_provider import PositionProvidingCodegenState

from maplint.finding import Span
from maplint.frontends.python.source import PyFile, char_col


class _Sink:
    __slots__ = ("_computed",)

    def __init__(self) -> None:
        self._computed: dict = {}


class Anchor:
    __slots__ = ("node", "line", "col", "end_line", "rel")

    def __init__(self, node: cst.CSTNode | None, line: int, col: int, end_line: int):
        self.node = node
        self.line = line
        self.col = col  # 0-based characters
        self.end_line = end_line
        self.rel: dict | None = None


class Positions:
    def __init__(self, f: PyFile, module: cst.Module):
        self.f = f
        self.module = module

    def anchor(self, node: cst.CSTNode | None, a: ast.AST | None, parent: Anchor | None = None) -> Anchor:
        if a is None or not hasattr(a, "lineno"):
            if parent is not None:
                return parent
            return Anchor(None, 1, 0, 1)
        line = a.lineno
        return Anchor(node, line, char_col(self.f, line, a.col_offset), getattr(a, "end_lineno", line) or line)

    def span(self, node: cst.CSTNode | None, anchor: Anchor) -> Span:
        path = self.f.shown
        if node is None or anchor.node is None:
            return Span(path, anchor.line, anchor.col + 1)
        if node is anchor.node:
            return Span(path, anchor.line, anchor.col + 1)
        if anchor.rel is None:
            sink = _Sink()
            state = PositionProvidingCodegenState(default_indent=self.module.default_indent,
                                                  default_newline=self.module.default_newline, provider=sink)
            try:
                anchor.node._codegen(state)
            except Exception:  # noqa: BLE001 - a position is never worth a crash
                pass
            anchor.rel = sink._computed
        r = anchor.rel.get(node)
        if r is None:
            return Span(path, anchor.line, anchor.col + 1)
        line = anchor.line + r.start.line - 1
        col = (anchor.col + r.start.column) if r.start.line == 1 else r.start.column
        end_line = anchor.line + r.end.line - 1
        end_col = (anchor.col + r.end.column) if r.end.line == 1 else r.end.column
        return Span(path, line, col + 1, end_line, end_col + 1)

    def line_span(self, anchor: Anchor) -> Span:
        return Span(self.f.shown, anchor.line, anchor.col + 1)


def ast_block(stmts_cst, stmts_ast: list[ast.stmt]):
    """Pair a libcst statement list with the ast statements it holds: yields
    (cst node, ast node or None) for every small or compound statement."""
    i = 0
    n = len(stmts_ast)
    for st in stmts_cst:
        if type(st) is cst.SimpleStatementLine:
            for small in st.body:
                yield small, (stmts_ast[i] if i < n else None)
                i += 1
        else:
            yield st, (stmts_ast[i] if i < n else None)
            i += 1


def ast_suite(body, stmts_ast: list[ast.stmt]):
    """Pair an IndentedBlock or SimpleStatementSuite body."""
    if type(body) is cst.SimpleStatementSuite:
        for i, small in enumerate(body.body):
            yield small, (stmts_ast[i] if i < len(stmts_ast) else None)
        return
    yield from ast_block(body.body, stmts_ast)
