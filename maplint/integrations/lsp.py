"""`maplint lsp`: a language server on stdio (pygls; `pip install 'maplint[lsp]'`).

* Diagnostics on open, change (debounced) and save, for Go and Python. Each
  analysis sees the document's package (Go: its directory) or module as
  context, like `maplint check` does. An unsaved buffer is analysed in a
  scratch copy of its directory, so the buffer text counts, not the disk.
* `relatedInformation` points at the other access, the spawn sites and the
  declaration; `codeDescription` links the rule's page.
* The simulation witness: hover over a finding for its summary and timeline,
  or take the code action "Show the race timeline", which opens it as a
  document (window/showDocument) or, where the client cannot, shows it as a
  message. A second code action inserts a `maplint:ignore` directive above
  the line (without a reason, so ML902 asks for one).

The analysis itself (`analyse`) needs no pygls, so it is tested without a
client too.
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from maplint import __version__
from maplint.config import ConfigError, Settings, go_version_for, load
from maplint.files import LANG_BY_SUFFIX
from maplint.finding import Finding, Span
from maplint.rule import DIAGNOSTIC_CODES, TOOL_CODES

log = logging.getLogger("maplint.lsp")
DEBOUNCE = 0.4  # seconds of quiet typing before re-analysing
SHOW_TIMELINE = "maplint.showTimeline"


# ---- analysis (no pygls) ---------------------------------------------------

def analyse(path: Path, text: str | None, settings: Settings) -> list[Finding]:
    """The findings of one file whose current text is `text` (None: as on
    disk), with simulations and timelines attached, in the file's real paths."""
    from maplint.engine import check_paths
    from maplint.explain import attach_simulations

    path = path.resolve()
    data = None if text is None else text.encode("utf-8")
    try:
        on_disk = path.read_bytes()
    except OSError:
        on_disk = None
    if data is None or data == on_disk:
        findings = check_paths([str(path)], settings).findings
    else:
        findings = _analyse_copy(path, data, settings)
    findings = [f for f in findings if Path(f.span.path).resolve() == path]
    return attach_simulations(findings, explain=True)


def _analyse_copy(path: Path, data: bytes, settings: Settings) -> list[Finding]:
    """Analyse an unsaved buffer: copy its siblings of the same language and
    the buffer into a scratch directory, then map the paths back."""
    from maplint.engine import check_paths

    settings = dataclasses.replace(settings, no_cache=True,
                                   go_version=settings.go_version or go_version_for(path.parent, {}))
    scratch = Path(tempfile.mkdtemp(prefix="maplint-lsp-"))
    try:
        try:
            siblings = [p for p in path.parent.iterdir() if p.suffix == path.suffix and p.is_file() and p != path]
        except OSError:
            siblings = []
        for p in siblings:
            try:
                shutil.copyfile(p, scratch / p.name)
            except OSError:
                continue
        (scratch / path.name).write_bytes(data)
        findings = check_paths([str(scratch / path.name)], settings).findings
        return [_moved(f, scratch, path.parent) for f in findings]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _moved(f: Finding, src: Path, dst: Path) -> Finding:
    def span(s: Span) -> Span:
        p = Path(os.path.abspath(s.path))
        if p.parent == src or src in p.parents:
            return dataclasses.replace(s, path=str(dst / p.relative_to(src)))
        return s

    return dataclasses.replace(f, span=span(f.span),
                               related=tuple(dataclasses.replace(r, span=span(r.span)) for r in f.related))


def column(line_text: str, col: int, path: str, encoding: str = "utf-16") -> int:
    """A 1-based front-end column (bytes for Go, code points for Python) as a
    0-based LSP character offset in the negotiated position encoding."""
    if col <= 1:
        return 0
    if path.endswith(".go"):
        raw = line_text.encode("utf-8")
        prefix, extra = raw[: col - 1].decode("utf-8", "replace"), max(0, col - 1 - len(raw))
    else:
        prefix, extra = line_text[: col - 1], max(0, col - 1 - len(line_text))
    if encoding == "utf-8":
        n = len(prefix.encode("utf-8"))
    elif encoding == "utf-32":
        n = len(prefix)
    else:
        n = len(prefix.encode("utf-16-le")) // 2
    return n + extra


def timeline_text(f: Finding) -> str:
    """What the timeline action shows: the finding, the summary, the table."""
    lines = [f"{f.span}: {f.code} {f.message}", ""]
    sim = f.simulation
    if sim is not None and sim.summary:
        lines += [sim.summary, ""]
    if sim is not None and sim.timeline:
        lines += [sim.timeline, ""]
    elif sim is None:
        lines += ["(no simulation for this finding)", ""]
    for r in f.related:
        lines.append(f"{r.span}: {r.message}")
    return "\n".join(lines).rstrip() + "\n"


def directive_for(f: Finding, line_text: str) -> str:
    indent = line_text[: len(line_text) - len(line_text.lstrip())]
    if f.span.path.endswith(".py"):
        return f"{indent}# maplint: ignore[{f.code}]\n"
    return f"{indent}//maplint:ignore {f.code}\n"


# ---- the server ------------------------------------------------------------

def build_server():
    from lsprotocol import types as lsp
    from pygls.lsp.server import LanguageServer
    from pygls.uris import from_fs_path, to_fs_path

    from maplint.report.sarif import DOCS
    from maplint.suppress import Sources

    class MaplintServer(LanguageServer):
        def __init__(self) -> None:
            super().__init__("maplint", __version__)
            self.findings: dict[str, list[Finding]] = {}
            self.pending: dict[str, asyncio.Task] = {}
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="maplint")
            self._settings: Settings | None = None

        def settings(self) -> Settings:
            if self._settings is None:
                root = self.workspace.root_path or os.getcwd()
                try:
                    self._settings = load(Path(root))
                except ConfigError as e:
                    self.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Error, f"maplint: {e}"))
                    self._settings = Settings()
            return self._settings

        def encoding(self) -> str:
            enc = str(self.workspace.position_encoding or "utf-16")
            return enc if enc in ("utf-8", "utf-16", "utf-32") else "utf-16"

    server = MaplintServer()

    def path_of(uri: str) -> Path | None:
        if not uri.startswith("file:"):
            return None
        fs = to_fs_path(uri)
        if fs is None or Path(fs).suffix not in LANG_BY_SUFFIX:
            return None
        return Path(fs)

    def rng(span: Span, lines_of) -> lsp.Range:
        enc = server.encoding()
        text = lines_of(span.path, span.line)
        start = lsp.Position(max(span.line - 1, 0), column(text, span.col, span.path, enc))
        if span.end_line and (span.end_line, span.end_col) > (span.line, span.col):
            end_text = text if span.end_line == span.line else lines_of(span.path, span.end_line)
            end = lsp.Position(span.end_line - 1, column(end_text, span.end_col, span.path, enc))
        else:
            end = lsp.Position(start.line, start.character + 1)
        return lsp.Range(start, end)

    def diagnostics(uri: str, path: Path, text: str, findings: list[Finding]) -> list[lsp.Diagnostic]:
        buffer = text.splitlines()
        disk = Sources()

        def line_of(p: str, n: int) -> str:
            if Path(p).resolve() == path.resolve():
                return buffer[n - 1] if 0 < n <= len(buffer) else ""
            return disk.line(p, n)

        out = []
        for i, f in enumerate(findings):
            severity = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
                        "note": lsp.DiagnosticSeverity.Information}.get(f.severity, lsp.DiagnosticSeverity.Warning)
            message = f.message
            if f.simulation is not None and f.simulation.summary:
                message += f"\n{f.simulation.summary}"
            related = [lsp.DiagnosticRelatedInformation(
                lsp.Location(from_fs_path(os.path.abspath(r.span.path)), rng(r.span, line_of)), r.message)
                for r in f.related]
            href = (f"{DOCS}/rules/{f.code}.md" if f.code not in TOOL_CODES
                    else f"{DOCS}/suppressions.md#{f.code.lower()}")
            out.append(lsp.Diagnostic(
                range=rng(f.span, line_of), message=message, severity=severity, code=f.code,
                code_description=lsp.CodeDescription(href=href), source="maplint",
                related_information=related or None,
                data={"uri": uri, "index": i, "timeline": bool(f.simulation and f.simulation.timeline)}))
        return out

    async def validate(uri: str, delay: float = 0.0) -> None:
        if delay:
            await asyncio.sleep(delay)
        path = path_of(uri)
        if path is None:
            return
        doc = server.workspace.get_text_document(uri)
        version, text = doc.version, doc.source
        loop = asyncio.get_running_loop()
        try:
            findings = await loop.run_in_executor(server.pool, analyse, path, text, server.settings())
        except Exception as e:  # noqa: BLE001 - an analysis failure never kills the server
            log.exception("analysis failed")
            server.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, f"maplint: {e}"))
            return
        if server.workspace.get_text_document(uri).version != version:
            return  # the buffer changed meanwhile; a newer run is scheduled
        # Bad input (ML900) and a cut-short analysis (ML903) show in the editor.
        shown = [f for f in findings if f.code not in DIAGNOSTIC_CODES or f.code in ("ML900", "ML903")]
        server.findings[uri] = shown
        server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, version=version, diagnostics=diagnostics(uri, path, text, shown)))

    def schedule(uri: str, delay: float = 0.0) -> None:
        old = server.pending.pop(uri, None)
        if old is not None and not old.done():
            old.cancel()
        server.pending[uri] = asyncio.ensure_future(validate(uri, delay))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: lsp.DidOpenTextDocumentParams) -> None:
        schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: lsp.DidChangeTextDocumentParams) -> None:
        schedule(params.text_document.uri, DEBOUNCE)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: lsp.DidSaveTextDocumentParams) -> None:
        schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = server.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        server.findings.pop(uri, None)
        server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def at(uri: str, position: lsp.Position) -> list[tuple[int, Finding]]:
        findings = server.findings.get(uri, [])
        path = path_of(uri)
        if path is None or not findings:
            return []
        doc = server.workspace.get_text_document(uri)
        diags = diagnostics(uri, path, doc.source, findings)
        hits = []
        for i, (f, d) in enumerate(zip(findings, diags)):
            r = d.range
            if (r.start.line, r.start.character) <= (position.line, position.character) <= (r.end.line, r.end.character):
                hits.append((i, f))
            elif r.start.line == position.line and not hits:
                hits.append((i, f))  # anywhere on the finding's line
        return hits

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls, params: lsp.HoverParams) -> lsp.Hover | None:
        hits = at(params.text_document.uri, params.position)
        if not hits:
            return None
        parts = []
        for _, f in hits:
            md = f"**{f.code}** {f.name}: {f.message}"
            sim = f.simulation
            if sim is not None and sim.summary:
                md += f"\n\n{sim.summary}"
            if sim is not None and sim.timeline:
                md += f"\n\n```text\n{sim.timeline}\n```"
            parts.append(md)
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.Empty]))
    def code_action(ls, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        findings = server.findings.get(uri, [])
        path = path_of(uri)
        if path is None or not findings:
            return []
        doc = server.workspace.get_text_document(uri)
        lines = doc.source.splitlines()
        actions = []
        wanted = {(d.data or {}).get("index") for d in params.context.diagnostics if d.source == "maplint"
                  and isinstance(d.data, dict)}
        lo, hi = params.range.start.line, params.range.end.line
        for i, f in enumerate(findings):
            if i not in wanted and not (lo <= f.span.line - 1 <= hi):
                continue
            if f.code in DIAGNOSTIC_CODES:
                continue
            if f.simulation is not None and f.simulation.timeline:
                actions.append(lsp.CodeAction(
                    title=f"Show the race timeline ({f.code}, line {f.span.line})", kind=lsp.CodeActionKind.Empty,
                    command=lsp.Command(title="Show the race timeline", command=SHOW_TIMELINE, arguments=[uri, i])))
            if f.code not in TOOL_CODES:
                line_text = lines[f.span.line - 1] if 0 < f.span.line <= len(lines) else ""
                edit = lsp.TextEdit(lsp.Range(lsp.Position(f.span.line - 1, 0), lsp.Position(f.span.line - 1, 0)),
                                    directive_for(f, line_text))
                actions.append(lsp.CodeAction(
                    title=f"Suppress {f.code} on this line (then write the reason)", kind=lsp.CodeActionKind.QuickFix,
                    edit=lsp.WorkspaceEdit(changes={uri: [edit]})))
        return actions

    @server.command(SHOW_TIMELINE)
    def show_timeline(ls, *args):
        uri, index = (args[0] if len(args) == 1 and isinstance(args[0], list) else args)[:2]
        findings = server.findings.get(uri, [])
        if not isinstance(index, int) or not 0 <= index < len(findings):
            return None
        f = findings[index]
        text = timeline_text(f)
        caps = server.client_capabilities
        can_show = bool(caps and caps.window and caps.window.show_document and caps.window.show_document.support)
        if can_show:
            out = Path(tempfile.gettempdir()) / "maplint-timelines" / f"{Path(f.span.path).name}-{f.span.line}-{f.code}.txt"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            server.window_show_document(lsp.ShowDocumentParams(uri=out.as_uri(), take_focus=True))
        else:
            server.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Info, text))
        return text

    return server


def serve() -> int:
    logging.basicConfig(level=logging.WARNING, format="maplint lsp: %(message)s")
    build_server().start_io()
    return 0
