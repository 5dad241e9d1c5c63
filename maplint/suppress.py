"""Suppression directives: maplint's own, and the ones its users already write.

Go:
    //maplint:ignore ML101 reason        maplint's own (a Go directive: no space, gofmt keeps it)
    //lint:ignore ML101 reason           staticcheck's form; the reason is required
    //lint:file-ignore ML101 reason      staticcheck's file-wide form
    //nolint:maplint // reason           golangci-lint (also //nolint, //nolint:all)
    // +checklocksignore                 gVisor checklocks' escape hatch
Python:
    # maplint: ignore[ML101] reason      maplint's own
    # noqa: ML101                        flake8 / ruff (also a bare # noqa)

A directive on the finding's line, or alone on the line just above it (comment
lines in between are skipped), covers the finding. `//nolint` and
`+checklocksignore` alone above a Go declaration or statement cover all of it,
as golangci-lint's do (its rule: the node starts on the next line). Codes are
codes, prefixes (`ML1`) or rule names (`concurrent-map-writes`).

What is reported (staticcheck's habit, codes ML901/ML902):
  * ML901: a directive that names maplint (`//maplint:ignore`, `//nolint:maplint`,
    an ML code in `//lint:ignore` or `# noqa:`) and suppressed nothing. Directives
    that only name other tools (`//nolint:errcheck`), or every tool (`//nolint`,
    `//nolint:all`, a bare `# noqa`, `+checklocksignore`), are never unused: they
    may be there for another linter.
  * ML902: a directive whose convention requires a reason but has none
    (maplint's own and `//lint:ignore`). It still suppresses: the intent is
    clear, and the run fails on ML902 until the reason is written.

Suppressions apply to findings only, never to ML900/ML999 diagnostics.
"""
from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from maplint.files import display, read_source, real
from maplint.finding import Finding, Span
from maplint.rule import DIAGNOSTIC_CODES, TOOL_CODES, all_rules, selected

# Cheap prefilter: a file without any of these has no directive.
_MARKERS = (b"maplint", b"nolint", b"lint:", b"checklocksignore", b"noqa", b"NOQA")

_GO_MAPLINT = re.compile(r"^//\s*maplint:ignore\b(?:[ \t]+([^\s]+))?(?:[ \t]+(.*))?$")
_GO_LINT = re.compile(r"^//lint:(ignore|file-ignore)\b(?:[ \t]+([^\s]+))?(?:[ \t]+(.*))?$")
_GO_NOLINT = re.compile(r"^//\s*nolint(?::([\w,.\-]+))?(?=\s|$|//)\s*(?://\s*)?(.*)$")
_CHECKLOCKS = re.compile(r"\+checklocksignore\b")
_PY_MAPLINT = re.compile(r"#\s*maplint:\s*ignore(?:\[([^\]]*)\]|[ \t]+([A-Za-z][\w,\-]*))?[ \t]*(.*)$")
_PY_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.I)

ALL = "*"  # every code of every tool


@dataclass
class Directive:
    path: str  # as findings show it
    line: int
    col: int
    text: str  # the directive as written (for messages)
    form: str  # maplint | lint-ignore | lint-file-ignore | nolint | checklocksignore | noqa
    codes: tuple[str, ...]  # upper-cased codes/prefixes, `MAPLINT`, or ALL
    reason: str = ""
    first: int = 0  # lines covered; 0/0 = the whole file
    last: int = 0
    needs_reason: bool = False
    used: set[str] = field(default_factory=set)  # the entries of `codes` that matched

    def covers(self, line: int) -> bool:
        return (self.first == 0 and self.last == 0) or self.first <= line <= self.last

    def matches(self, code: str) -> str | None:
        """The entry of `codes` that suppresses `code`, or None."""
        for c in self.codes:
            if c in (ALL, "MAPLINT", "ALL") or code.startswith(c) or _names().get(c) == code:
                return c
        return None

    def ours(self) -> list[str]:
        """The entries that name maplint, so can be reported as unused."""
        if self.form == "checklocksignore" or ALL in self.codes or "ALL" in self.codes:
            return []
        return [c for c in self.codes if c == "MAPLINT" or c.startswith("ML") or c in _names()]


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Rule names (upper-cased, as directives are) → codes."""
    out = {r.name.upper(): r.code for r in all_rules()}
    out.update({name.upper(): code for code, (name, _) in TOOL_CODES.items()})
    return out


class Sources:
    """The text lines of source files, read at most once per run."""

    def __init__(self, max_bytes: int = 8 * 1024 * 1024, overrides: dict[str, bytes] | None = None):
        self.max_bytes = max_bytes
        self._bytes: dict[str, bytes | None] = {}
        self._lines: dict[str, list[str]] = {}
        self.overrides = overrides or {}

    def data(self, path: str) -> bytes | None:
        key = real(path)
        if key not in self._bytes:
            if key in self.overrides:
                self._bytes[key] = self.overrides[key]
            else:
                data, problem = read_source(Path(path), self.max_bytes)
                self._bytes[key] = None if problem else data
        return self._bytes[key]

    def lines(self, path: str) -> list[str]:
        key = real(path)
        if key not in self._lines:
            data = self.data(path)
            self._lines[key] = data.decode("utf-8", "replace").splitlines() if data is not None else []
        return self._lines[key]

    def line(self, path: str, n: int) -> str:
        lines = self.lines(path)
        return lines[n - 1] if 0 < n <= len(lines) else ""


# ---- parsing ---------------------------------------------------------------

def may_have_directives(data: bytes) -> bool:
    """Does `data` hold one of _MARKERS? Three of them contain "lint", so
    most files (which hold none) are scanned four times instead of six."""
    if b"lint" in data and (b"maplint" in data or b"nolint" in data or b"lint:" in data):
        return True
    return b"checklocksignore" in data or b"noqa" in data or b"NOQA" in data


def directives(path: str, data: bytes) -> list[Directive]:
    """Every suppression directive in one file."""
    if not may_have_directives(data):
        return []
    if path.endswith(".py"):
        return _python(path, data)
    if path.endswith(".go"):
        return _go(path, data)
    return []


def _codes(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    return tuple(c.strip().upper() for c in re.split(r"[,\s]+", raw) if c.strip())


def _next_code_line(lines: list[str], line: int, comment: str) -> int:
    """The first line after `line` that is not a comment-only line."""
    n = line + 1
    while n <= len(lines) and lines[n - 1].lstrip().startswith(comment):
        n += 1
    return n


def _go(path: str, data: bytes) -> list[Directive]:
    try:
        from tree_sitter import Language, Parser
        import tree_sitter_go
    except ImportError:  # pragma: no cover - a hard dependency
        return []
    lang = Language(tree_sitter_go.language())
    tree = Parser(lang).parse(data)
    lines = data.decode("utf-8", "replace").splitlines()
    out: list[Directive] = []
    stack = [tree.root_node]
    comments = []
    while stack:
        n = stack.pop()
        if n.type == "comment":
            comments.append(n)
        elif n.child_count:
            stack.extend(n.children)
    for c in sorted(comments, key=lambda n: n.start_byte):
        text = c.text.decode("utf-8", "replace").strip()
        if not text.startswith("//"):
            continue  # /* */ comments carry no directive
        row, col = c.start_point
        line = row + 1
        own_line = not data[c.start_byte - col:c.start_byte].strip()
        d = _go_directive(path, line, col + 1, text)
        if d is None:
            continue
        if d.form == "lint-file-ignore":
            d.first = d.last = 0
        elif own_line:
            target = _next_code_line(lines, line, "//")
            d.first, d.last = line, target
            if d.form in ("nolint", "checklocksignore") and target <= len(lines):
                d.last = max(target, _node_end(tree.root_node, target, lines[target - 1]))
        else:
            d.first = d.last = line
        out.append(d)
    return out


def _go_directive(path: str, line: int, col: int, text: str) -> Directive | None:
    m = _GO_MAPLINT.match(text)
    if m:
        codes, reason = _codes_and_reason(m.group(1), m.group(2))
        return Directive(path, line, col, text, "maplint", codes, reason, needs_reason=True)
    m = _GO_LINT.match(text)
    if m:
        codes = _codes(m.group(2))
        if not any(c.startswith("ML") or c in _names() for c in codes):
            return None  # staticcheck's own checks: not ours
        form = "lint-ignore" if m.group(1) == "ignore" else "lint-file-ignore"
        return Directive(path, line, col, text, form, codes, _reason(m.group(3)), needs_reason=True)
    m = _GO_NOLINT.match(text)
    if m:
        linters = _codes(m.group(1))
        if not linters:
            codes: tuple[str, ...] = (ALL,)
        elif "ALL" in linters:
            codes = (ALL,)
        elif "MAPLINT" in linters:
            codes = ("MAPLINT",)
        else:
            return None  # //nolint:errcheck is for another linter
        return Directive(path, line, col, text, "nolint", codes, _reason(m.group(2)))
    if _CHECKLOCKS.search(text):
        return Directive(path, line, col, text, "checklocksignore", (ALL,))
    return None


def _is_code(token: str) -> bool:
    return all(re.fullmatch(r"ML\d{0,3}", c) or c in _names() or c in ("MAPLINT", "ALL")
               for c in _codes(token))


def _codes_and_reason(first: str | None, rest: str | None) -> tuple[tuple[str, ...], str]:
    """`ML101,ML102 reason` → the codes and the reason; a directive that names
    no code (`//maplint:ignore only main writes`) covers every maplint code."""
    if first and _is_code(first):
        return _codes(first), _reason(rest)
    return ("MAPLINT",), _reason(" ".join(x for x in (first, rest) if x))


def _reason(raw: str | None) -> str:
    r = (raw or "").strip()
    for lead in ("--", "//", "-", ":"):
        if r.startswith(lead):
            r = r[len(lead):].strip()
    return r


def _node_end(root, line: int, text: str) -> int:
    """The last line of the largest node that starts on `line` where its code
    starts (golangci-lint: a //nolint above a node covers the node)."""
    col = len(text.encode("utf-8")) - len(text.lstrip().encode("utf-8"))
    node = root.named_descendant_for_point_range((line - 1, col), (line - 1, col))
    best = line
    # tree-sitter's statement_list starts with its first statement; go/ast
    # (golangci-lint's view) has no such node, and it would cover the block.
    while node is not None and node.type not in ("statement_list", "source_file"):
        if node.start_point != (line - 1, col):
            break
        row, end_col = node.end_point
        best = max(best, row + 1 if end_col else row)
        node = node.parent
    return best


def _python(path: str, data: bytes) -> list[Directive]:
    out: list[Directive] = []
    lines = data.decode("utf-8", "replace").splitlines()
    try:
        toks = list(tokenize.tokenize(io.BytesIO(data).readline))
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
        return out  # the front-end reports the syntax error (ML900)
    for tok in toks:
        if tok.type != tokenize.COMMENT:
            continue
        line, col = tok.start
        own_line = not tok.line[:col].strip()
        d = None
        m = _PY_MAPLINT.search(tok.string)
        if m:
            if m.group(1) is not None:
                codes, reason = _codes(m.group(1)) or ("MAPLINT",), _reason(m.group(3))
            else:
                codes, reason = _codes_and_reason(m.group(2), m.group(3))
            d = Directive(path, line, col + 1, m.group(0).strip(), "maplint", codes, reason, needs_reason=True)
        else:
            m = _PY_NOQA.search(tok.string)
            if m:
                codes = _codes(m.group("codes")) or (ALL,)
                if ALL not in codes and not any(c.startswith("ML") for c in codes):
                    continue  # codes of other tools only
                if ALL not in codes:
                    codes = tuple(c for c in codes if c.startswith("ML"))
                d = Directive(path, line, col + 1, m.group(0).strip(), "noqa", codes)
        if d is None:
            continue
        if own_line:
            d.first, d.last = line, _next_code_line(lines, line, "#")
        else:
            d.first = d.last = line
        out.append(d)
    return out


# ---- applying --------------------------------------------------------------

def apply(findings: list[Finding], files: Iterable[Path], rule_codes: dict[str, set[str]],
          select: list[str], ignore: list[str], sources: Sources,
          analysed: set[str] | None = None) -> tuple[list[Finding], int]:
    """Drop the findings that a directive covers; add ML901/ML902.

    files: the files the user asked about (directives are read only there).
    rule_codes: per language ("go", "python"), the codes of the rules that ran,
        so a directive naming a rule that did not run is not called unused.
    analysed: the display paths of the files a front-end actually analysed
        (None: all of `files`); unused directives are reported only there.
    Returns the new findings and how many were suppressed.
    """
    by_path: dict[str, list[Directive]] = {}
    for f in files:
        shown = display(f)
        data = sources.data(str(f))
        if data is None:
            continue
        ds = directives(shown, data)
        if ds:
            by_path[real(shown)] = ds
    if not by_path:
        return findings, 0
    broken = {real(f.span.path) for f in findings if f.code in DIAGNOSTIC_CODES}
    kept: list[Finding] = []
    suppressed = 0
    for f in findings:
        ds = by_path.get(real(f.span.path)) if f.code not in DIAGNOSTIC_CODES else None
        hit = False
        for d in ds or ():
            if not d.covers(f.span.line):
                continue
            c = d.matches(f.code)
            if c is not None:
                d.used.add(c)
                hit = True
        if hit:
            suppressed += 1
        else:
            kept.append(f)
    for key, ds in by_path.items():
        for d in ds:
            lang = "python" if d.path.endswith(".py") else "go"
            if d.needs_reason and not d.reason and selected("ML902", select, ignore):
                kept.append(_tool("ML902", d, f"suppression without a reason: `{d.text}` needs one after the "
                                          f"code, e.g. `{_example(d)}`"))
            if not selected("ML901", select, ignore) or key in broken:
                continue
            if analysed is not None and key not in analysed:
                continue
            ran = rule_codes.get(lang, set())
            unused = [c for c in d.ours() if c not in d.used and _checkable(c, ran)]
            if not unused:
                continue
            if len(unused) == len(d.codes) or d.form == "nolint":
                msg = f"unused suppression: `{d.text}` matches no finding; remove it"
            else:
                msg = f"unused suppression: {', '.join(unused)} in `{d.text}` matches no finding; remove it"
            kept.append(_tool("ML901", d, msg))
    return kept, suppressed


def _checkable(c: str, ran: set[str]) -> bool:
    """Could a finding of `c` have been reported in this run?"""
    if c == "MAPLINT":
        return bool(ran)
    if c in _names():
        return _names()[c] in ran
    return any(code.startswith(c) for code in ran)


def _example(d: Directive) -> str:
    code = next((c for c in d.codes if c.startswith("ML")), "ML101")
    if d.form == "maplint" and d.path.endswith(".py"):
        return f"# maplint: ignore[{code}] only the owner thread writes after start()"
    if d.form in ("lint-ignore", "lint-file-ignore"):
        return f"//lint:{d.form[5:]} {code} only the owner goroutine writes after Start"
    return f"//maplint:ignore {code} only the owner goroutine writes after Start"


def _tool(code: str, d: Directive, message: str) -> Finding:
    return Finding(code=code, name=TOOL_CODES[code][0], message=message, span=Span(d.path, d.line, d.col),
                   severity="warning", identity=(d.text,))
