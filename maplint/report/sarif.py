"""SARIF 2.1.0 for GitHub code scanning, the VS Code SARIF Viewer and other
SARIF consumers (conventions: shared/design/ecosystem.md).

* `tool.driver.rules` comes from the rule modules (ruff's sarif.rs idea): the
  docstring's title, "What it does" / "Why is this bad?" and the whole text as
  help, with GitHub's `problem.severity`, `precision` and `tags`.
* Each result links the places its message cites (`[batcher.go:30](1)`) to
  `relatedLocations`: the other access, the spawn sites, the declaration.
* `partialFingerprints["maplint/v1"]` is maplint's stable identity
  (maplint.baseline); GitHub computes `primaryLocationLineHash` itself.
* The race goes into `codeFlows`. The first codeFlow holds one flattened
  threadFlow: every step tagged `[goroutine N]`, in the simulated interleaving,
  goroutine 2 indented one `nestingLevel` deeper. That is the only flow the VS
  Code SARIF Viewer shows (it reads `codeFlows[0].threadFlows[0]`,
  microsoft/sarif-vscode-extension#137). The second codeFlow has one threadFlow
  per goroutine or thread, whose `executionOrder`s give the same interleaving.
* Columns are UTF-16 code units (`columnKind`), converted from the front-ends'
  columns (bytes for Go, code points for Python).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import quote

from maplint import __version__
from maplint.baseline import FINGERPRINT_KEY, key, repo_path, source_root
from maplint.finding import Finding, Related, Span
from maplint.rule import DIAGNOSTIC_CODES, TOOL_CODES, Rule, all_rules, doc_parts
from maplint.suppress import Sources

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
HOMEPAGE = "https://github.com/maplint/maplint"
DOCS = f"{HOMEPAGE}/blob/main/docs"
MAX_RESULTS = 25_000  # GitHub's limit per run
MAX_FLOW_LOCATIONS = 10_000  # GitHub's limit per result
MAX_WITNESS = 2_000  # steps of one witness we show (each appears twice)
SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
LEVEL = {"error": "error", "warning": "warning", "note": "note"}

_TOOL_HELP = {
    "ML901": ("A suppression directive (`//maplint:ignore`, `//nolint:maplint`, `//lint:ignore ML…`, "
              "`# maplint: ignore[…]`, `# noqa: ML…`) covers no finding. The race it hid was fixed, or the "
              "directive sits on the wrong line: remove it, or move it onto (or just above) the finding's line."),
    "ML902": ("A suppression directive whose convention requires a reason has none (`//maplint:ignore`, "
              "`//lint:ignore`, `# maplint: ignore[…]`). Write after the code why the race cannot happen, "
              "e.g. `//maplint:ignore ML101 only the owner goroutine writes after Start`."),
}


# ---- columns ---------------------------------------------------------------

def utf16_col(line_text: str, col: int, path: str) -> int:
    """A 1-based front-end column as a 1-based UTF-16 column. Go spans count
    bytes (tree-sitter), Python spans code points (libcst)."""
    if col <= 1 or not line_text or line_text.isascii():
        return max(col, 1)
    if path.endswith(".go"):
        raw = line_text.encode("utf-8")
        prefix, extra = raw[: col - 1].decode("utf-8", "replace"), max(0, col - 1 - len(raw))
    else:
        prefix, extra = line_text[: col - 1], max(0, col - 1 - len(line_text))
    return len(prefix.encode("utf-16-le")) // 2 + extra + 1  # `extra`: a column past the end


# ---- rules -----------------------------------------------------------------

def _sections(doc: str) -> dict[str, str]:
    out: dict[str, str] = {}
    current = None
    for line in doc.strip().splitlines()[1:]:
        if line.startswith("## "):
            current = line[3:].strip()
            out[current] = ""
        elif current is not None:
            out[current] += line + "\n"
    return {k: v.strip() for k, v in out.items()}


def _plain(md: str) -> str:
    """Markdown → one paragraph of plain text (code fences dropped)."""
    md = re.sub(r"```.*?```", "", md, flags=re.S)
    return " ".join(md.split())


def _text(md: str) -> str:
    """Markdown → readable plain text: headings become `Heading:` lines, code
    blocks are indented, paragraphs keep their line breaks."""
    out, in_code = [], False
    for line in md.strip().splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            out.append("    " + line)
        elif line.startswith("#"):
            heading = line.lstrip("#").strip()
            out.append(heading if heading.endswith(("?", ":")) else heading + ":")
        else:
            out.append(line)
    return "\n".join(out)


def _cap(text: str, limit: int = 1024) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > limit // 2 else cut.rstrip() + "…"


def _sentence(s: str) -> str:
    s = s.strip()
    s = s[:1].upper() + s[1:]
    return s if s.endswith((".", "!", "?")) else s + "."


def pascal(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[-_\s]+", name) if part)


def rule_descriptor(rule: Rule) -> dict:
    title, body = doc_parts(rule.doc)
    sec = _sections(rule.doc)
    full_md = "\n\n".join(x for x in (sec.get("What it does", ""), sec.get("Why is this bad?", "")) if x) or title
    langs = list(rule.languages)
    return {
        "id": rule.code,
        "name": pascal(rule.name),
        "shortDescription": {"text": _sentence(title)},
        "fullDescription": {"text": _cap(_plain(full_md)), "markdown": _cap(full_md)},
        "help": {"text": f"{rule.code} {rule.name}: {_sentence(title)}\n\n{_text(body)}",
                 "markdown": f"# {rule.code} {rule.name}\n\n{_sentence(title)}\n\n{body}"},
        "helpUri": f"{DOCS}/rules/{rule.code}.md",
        "defaultConfiguration": {"level": LEVEL.get(rule.severity, "warning")},
        "properties": {
            "tags": sorted({*rule.tags, *langs}),
            "precision": rule.precision,
            "problem.severity": SEVERITY.get(rule.severity, "warning"),
            "maplint/name": rule.name,
        },
    }


def tool_descriptor(code: str) -> dict:
    name, summary = TOOL_CODES[code]
    text = _TOOL_HELP.get(code, _sentence(summary))
    d = {
        "id": code,
        "name": pascal(name),
        "shortDescription": {"text": _sentence(summary)},
        "fullDescription": {"text": _cap(_plain(text))},
        "help": {"text": text, "markdown": f"# {code} {name}\n\n{text}"},
        "helpUri": f"{DOCS}/suppressions.md#{code.lower()}" if code in _TOOL_HELP else f"{DOCS}/integrations.md",
        "defaultConfiguration": {"level": "error" if code == "ML999" else "warning"},
    }
    if code not in DIAGNOSTIC_CODES:
        d["properties"] = {"tags": ["maintainability", "suppression"], "precision": "very-high",
                           "problem.severity": "warning", "maplint/name": name}
    return d


# ---- locations -------------------------------------------------------------

class _Where:
    def __init__(self, root: Path, sources: Sources):
        self.root = root
        self.sources = sources

    def artifact(self, path: str) -> dict:
        rel = repo_path(path, self.root)
        if rel.startswith("/"):
            return {"uri": Path(rel).as_uri()}
        return {"uri": quote(rel, safe="/"), "uriBaseId": "%SRCROOT%"}

    def region(self, span: Span) -> dict:
        line = self.sources.line(span.path, span.line)
        r = {"startLine": max(span.line, 1), "startColumn": utf16_col(line, span.col, span.path)}
        if span.end_line and span.end_line >= span.line:
            end_text = line if span.end_line == span.line else self.sources.line(span.path, span.end_line)
            end_col = utf16_col(end_text, span.end_col or 1, span.path)
            if span.end_line > span.line or end_col > r["startColumn"]:
                r["endLine"] = span.end_line
                r["endColumn"] = end_col
        return r

    def location(self, span: Span, message: str | None = None, id_: int | None = None) -> dict:
        loc: dict = {}
        if id_ is not None:
            loc["id"] = id_
        loc["physicalLocation"] = {"artifactLocation": self.artifact(span.path), "region": self.region(span)}
        if message:
            loc["message"] = {"text": message}
        return loc


def _escape(text: str) -> str:
    """Literal brackets in a SARIF message must be escaped (§3.11.6)."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def linked_message(f: Finding) -> str:
    """The finding's message with the positions it cites linked to its related
    locations (`at [batcher.go:30](1)`); related locations the message does
    not cite are linked in a trailing sentence."""
    text = _escape(f.message)
    taken: list[tuple[int, int, int]] = []  # (start, end, related id) in `text`

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e, _ in taken)

    def cites(short: str):
        return re.finditer(r"(?<![\w./])" + re.escape(short) + r"(?!\d)", text)

    pending = []
    for i, r in enumerate(f.related, 1):
        short, phrase = _escape(r.span.short()), _escape(r.message)
        # A spawn site is cited inside its own phrase ("the goroutine started
        # at main.go:18"); link that occurrence, not another at the same line.
        spots = [m.start() + phrase.index(short) for m in re.finditer(re.escape(phrase), text)] if short in phrase else []
        spot = next((a for a in spots if free(a, a + len(short))), None)
        if spot is None:
            pending.append((i, r))
        else:
            taken.append((spot, spot + len(short), i))
    unlinked = []
    for i, r in pending:
        m = next((m for m in cites(_escape(r.span.short())) if free(m.start(), m.end())), None)
        if m is None:
            unlinked.append(f"[{_escape(r.message)}]({i})")
        else:
            taken.append((m.start(), m.end(), i))
    for a, b, i in sorted(taken, reverse=True):
        text = f"{text[:a]}[{text[a:b]}]({i}){text[b:]}"
    text = _sentence(text)
    if unlinked:
        text += " See " + ", ".join(unlinked) + "."
    summary = f.simulation.summary if f.simulation is not None else ""
    if summary:
        text += " Simulated: " + _escape(summary.lstrip("→ ").strip()).rstrip(".") + "."
    return text


# ---- code flows ------------------------------------------------------------

def _witness(f: Finding) -> tuple[list[dict], str]:
    data = f.simulation.data if f.simulation is not None else None
    if not data:
        return [], ""
    outcome = next((o for o in data.get("outcomes", []) if o.get("kind") != "ok"), None)
    if outcome is None:
        return [], ""
    return list(outcome.get("witness", []))[:MAX_WITNESS], outcome.get("message", "")


def _actors(f: Finding) -> tuple[str, dict[int, Span], dict[int, Related], list[Related]]:
    """The word for an actor, each actor's access, its spawn site, and the
    reported actor's other steps (ML202's check), as far as the finding's
    related locations tell them.

    Related locations carry no role, so this reads model.related's
    conventions: the other access comes first; a spawn site's message is the
    context's description, which cites its own position ("threads started at
    dns.py:25"); the reported access's spawn comes before the other's.
    """
    word = "goroutine"
    if f.span.path.endswith(".py") or (f.simulation is not None and f.simulation.runtime.startswith("cpython")):
        word = "thread"
    access = {1: f.span, 2: f.related[0].span if f.related else f.span}
    if any(r.role.startswith("spawn") for r in f.related):
        # The rules say which goroutine each spawn site belongs to.
        spawn: dict[int, Related] = {}
        for r in f.related:
            if r.role in ("spawn:1", "spawn:both"):
                spawn[1] = r
            if r.role in ("spawn:2", "spawn:both"):
                spawn[2] = r
        steps = [r for r in f.related[1:] if not r.role]
        return word, access, spawn, steps
    rest = [r for r in f.related[1:] if "declared" not in r.message]
    spawns = [r for r in rest if r.span.short() in r.message]
    steps = [r for r in rest if r not in spawns]
    spawn: dict[int, Related] = {}
    if len(spawns) >= 2:
        spawn = {1: spawns[0], 2: spawns[1]}
    elif len(spawns) == 1:
        r, msg = spawns[0], f.message
        at = msg.find(r.message)
        if "several at once" in msg or "another of them" in msg or access[1] == access[2]:
            spawn = {1: r, 2: r}  # instances of one context race with each other
        elif at >= 0 and (" here but " in msg[:at] or msg.find(" by ") + len(" by ") != at):
            spawn = {2: r}  # "iterated by main and written by <the spawned one>"
        else:
            spawn = {1: r}  # "written by <the spawned one> and read by main"
    return word, access, spawn, steps


def code_flows(f: Finding, where: _Where) -> list[dict]:
    word, access, spawn, before = _actors(f)
    steps, failure = _witness(f)
    ops = (f.simulation.op_a, f.simulation.op_b) if f.simulation is not None else ("", "")
    flat: list[dict] = []
    per: dict[int, list[dict]] = {1: [], 2: [], 0: []}

    def add(actor: int, span: Span, text: str, importance: str = "important", kinds: list[str] | None = None,
            state: dict | None = None) -> None:
        tag = f"[{word} {actor}]" if actor else f"[after both {word}s return]"
        tfl: dict = {"location": where.location(span, f"{tag} {text}"), "executionOrder": len(flat) + 1,
                     "importance": importance}
        if actor:
            tfl["nestingLevel"] = actor  # goroutine 2 one step to the right in single-flow viewers
        if kinds:
            tfl["kinds"] = kinds
        flat.append(tfl)
        mine = dict(tfl, location=where.location(span, text))
        mine.pop("nestingLevel", None)
        if state:  # the map's fields after the step (only here: single-flow viewers ignore it)
            mine["state"] = {k: {"text": str(v)} for k, v in state.items()}
        per[actor].append(mine)

    roles = {1: f"the reported access{f' ({ops[0]})' if ops[0] else ''}",
             2: f"{f.related[0].message if f.related else 'the same access in another instance'}"
                f"{f' ({ops[1]})' if ops[1] else ''}"}
    for actor in (1, 2):
        if actor in spawn:
            add(actor, spawn[actor].span, f"starts: {spawn[actor].message}", kinds=["enter"])
    for r in before:
        add(1, r.span, f"{r.span.short()}: {r.message}")
    for actor in (1, 2):
        add(actor, access[actor], f"reaches {access[actor].short()}: {roles[actor]}", importance="essential")
    for st in steps:
        actor = st.get("actor", 0)
        actor = actor if actor in (0, 1, 2) else 0
        mark = "✗ " if st.get("failure") else ""
        detail = st.get("detail", "")
        text = f"{mark}{st.get('label', '')}" + (f" — {detail}" if detail else "")
        add(actor, access[actor or 1], text, importance="essential" if mark else "important",
            kinds=["danger"] if mark else None, state=st.get("state") or None)
    headline = f"{word} 1 and {word} 2" + (f": {failure}" if failure else "")
    flows = [{"message": {"text": f"The interleaving, step by step ({headline})."},
              "threadFlows": [{"id": "interleaving", "message": {"text": f"Steps of both {word}s in order."},
                               "locations": flat}]}]
    threads = []
    for actor in (1, 2, 0):
        if per[actor]:
            name = f"{word} {actor}" if actor else f"after both {word}s return"
            msg = spawn[actor].message if actor in spawn else roles.get(actor, "the check after both returned")
            threads.append({"id": name, "message": {"text": _sentence(f"{name}: {msg}")}, "locations": per[actor]})
    if len(threads) > 1 or (threads and steps):
        flows.append({"message": {"text": f"One thread flow per {word}; executionOrder gives the interleaving."},
                      "threadFlows": threads})
    total = sum(len(t["locations"]) for cf in flows for t in cf["threadFlows"])
    assert total <= MAX_FLOW_LOCATIONS, total
    return flows


# ---- the log ---------------------------------------------------------------

def sarif_log(findings: list[Finding], fingerprints: dict[tuple, str] | None = None, root: Path | None = None,
              sources: Sources | None = None) -> dict:
    root = root or source_root()
    sources = sources or Sources()
    where = _Where(root, sources)
    fingerprints = fingerprints or {}
    rules = [rule_descriptor(r) for r in all_rules()]
    rules += [tool_descriptor(c) for c in sorted(TOOL_CODES) if c not in DIAGNOSTIC_CODES]
    index = {r["id"]: i for i, r in enumerate(rules)}
    notes = [tool_descriptor(c) for c in sorted(DIAGNOSTIC_CODES)]
    note_index = {r["id"]: i for i, r in enumerate(notes)}
    results, notifications = [], []
    races = [f for f in findings if f.code not in DIAGNOSTIC_CODES]
    for f in races[:MAX_RESULTS]:
        if f.code not in index:
            continue
        res: dict = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVEL.get(f.severity, "warning"),
            "message": {"text": linked_message(f)},
            "locations": [where.location(f.span)],
        }
        if f.related:
            res["relatedLocations"] = [where.location(r.span, _sentence(r.message), i)
                                       for i, r in enumerate(f.related, 1)]
        fp = fingerprints.get(key(f))
        if fp:
            res["partialFingerprints"] = {FINGERPRINT_KEY: fp}
        if f.code not in TOOL_CODES:
            res["codeFlows"] = code_flows(f, where)
        if f.simulation is not None and f.simulation.summary:
            res["properties"] = {"simulation": f.simulation.summary.lstrip("→ ").strip(),
                                 "runtime": f.simulation.runtime}
        results.append(res)
    if len(races) > MAX_RESULTS:
        notifications.append({"level": "warning", "message": {
            "text": f"Only the first {MAX_RESULTS:,} of {len(races):,} results are included (GitHub's limit)."}})
    for f in findings:
        if f.code in DIAGNOSTIC_CODES:
            notifications.append({"descriptor": {"id": f.code, "index": note_index[f.code]},
                                  "level": "error" if f.code == "ML999" else "warning",
                                  "message": {"text": _sentence(f.message.splitlines()[0])},
                                  "locations": [where.location(f.span)]})
    invocation: dict = {"executionSuccessful": not any(f.code == "ML999" for f in findings)}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {"driver": {"name": "maplint", "semanticVersion": __version__, "version": __version__,
                            "informationUri": HOMEPAGE, "rules": rules, "notifications": notes}},
        "invocations": [invocation],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
        "columnKind": "utf16CodeUnits",
        "results": results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def write(findings: list[Finding], stream=None, fingerprints: dict[tuple, str] | None = None,
          root: Path | None = None) -> None:
    stream = stream or sys.stdout
    json.dump(sarif_log(findings, fingerprints, root), stream, indent=1, ensure_ascii=False)
    stream.write("\n")

