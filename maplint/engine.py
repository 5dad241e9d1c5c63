"""paths → front-end → model → rules → findings.

The unit of analysis is a Go package (a directory, split by package clause)
or, for Python, the modules checked together. Findings are reported only in
the files the user named (or below the directories named), while the whole
package serves as context — pre-commit passes only the changed files.
"""
from __future__ import annotations

import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from maplint import concurrency
from maplint.config import Settings, go_version_for
from maplint.files import LANG_BY_SUFFIX, Problem, discover, display, read_source
from maplint.finding import Finding, Span
from maplint.model import Model
from maplint.rule import TOOL_CODES, Rule, all_rules, selected


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    files_failed: int = 0


def tool_finding(code: str, path: str, message: str, line: int = 1, col: int = 1) -> Finding:
    return Finding(code=code, name=TOOL_CODES[code][0], message=message, span=Span(path, line, col),
                   severity="error" if code == "ML999" else "warning", identity=(message,))


def check_paths(paths: list[str], settings: Settings | None = None, debug: bool = False) -> Result:
    settings = settings or Settings()
    result = Result()
    files, problems = discover(paths or ["."], settings.exclude)
    for p in problems:
        result.findings.append(tool_finding("ML900", p.path, p.message, p.line, p.col))
        result.files_failed += 1
    rules = [r for r in all_rules() if selected(r.code, settings.select, settings.ignore)]
    by_lang: dict[str, list[Path]] = defaultdict(list)
    for f in files:
        lang = LANG_BY_SUFFIX.get(f.suffix)
        if lang is None:
            result.findings.append(tool_finding("ML900", display(f), "not a Go or Python source file; not checked"))
            result.files_failed += 1
            continue
        by_lang[lang].append(f)
    if by_lang.get("go"):
        _check_go(by_lang["go"], settings, rules, result, debug)
    if by_lang.get("python"):
        try:
            from maplint.frontends import python as pyfront  # noqa: F401
        except ImportError:
            pyfront = None
        if pyfront is not None and hasattr(pyfront, "check_files"):
            pyfront.check_files(by_lang["python"], settings, rules, result, debug)
    result.findings = [f for f in result.findings if f.code in TOOL_CODES and selected(f.code, settings.select, settings.ignore) or f.code not in TOOL_CODES]
    result.findings = _dedupe(result.findings)
    return result


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen = set()
    out = []
    for f in sorted(findings, key=Finding.sort_key):
        key = (f.code, f.span.path, f.span.line, f.span.col)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def _check_go(targets: list[Path], settings: Settings, rules: list[Rule], result: Result, debug: bool) -> None:
    from maplint.frontends.go import load_package

    go_rules = [r for r in rules if "go" in r.languages]
    by_dir: dict[Path, set[str]] = defaultdict(set)
    for t in targets:
        by_dir[t.parent].add(str(t.resolve()))
    gomod_cache: dict = {}
    for d in sorted(by_dir):
        wanted = by_dir[d]
        version = settings.go_version or go_version_for(d, gomod_cache)
        try:
            units, problems, checked = load_package(d, wanted, settings.max_file_bytes, version)
        except RecursionError:
            result.findings.append(tool_finding("ML900", display(d), "code nested too deeply to analyse"))
            result.files_failed += len(wanted)
            continue
        except Exception as e:  # noqa: BLE001 - one package never aborts a run
            msg = f"internal error while loading the package: {type(e).__name__}: {e}"
            if debug:
                msg += "\n" + traceback.format_exc()
            result.findings.append(tool_finding("ML999", display(d), msg))
            result.files_failed += len(wanted)
            continue
        result.files_checked += checked
        for p in problems:
            result.findings.append(tool_finding("ML900", p.path, p.message, p.line, p.col))
            result.files_failed += 1
        for pkg, report_paths in units:
            _run_rules(pkg, report_paths, go_rules, result, debug)


def _run_rules(pkg, report_paths: frozenset[str], rules: list[Rule], result: Result, debug: bool) -> None:
    try:
        eng, races, guarded = concurrency.build(pkg)
    except RecursionError:
        for p in sorted(report_paths):
            result.findings.append(tool_finding("ML900", p, "code nested too deeply to analyse"))
        return
    except Exception as e:  # noqa: BLE001
        msg = f"internal error in the concurrency analysis: {type(e).__name__}: {e}"
        if debug:
            msg += "\n" + traceback.format_exc()
        for p in sorted(report_paths):
            result.findings.append(tool_finding("ML999", p, msg))
        return
    model = Model(lang=pkg.lang, runtime=pkg.runtime, races=races, guarded=guarded, contexts=eng.contexts,
                  decls=pkg.decls, report_paths=report_paths, lock_names=eng.lock_names)
    for rule in rules:
        try:
            result.findings.extend(rule.check(model))
        except Exception as e:  # noqa: BLE001 - one rule's crash keeps the others' findings
            msg = f"internal error in {rule.code} ({rule.name}): {type(e).__name__}: {e}"
            if debug:
                msg += "\n" + traceback.format_exc()
            for p in sorted(report_paths):
                result.findings.append(tool_finding("ML999", p, msg))
