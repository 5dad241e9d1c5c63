"""paths → front-end → model → rules → findings.

The unit of analysis is a Go package (a directory, split by package clause)
or, for Python, the modules checked together. Findings are reported only in
the files the user named (or below the directories named), while the whole
package serves as context — pre-commit passes only the changed files.
"""
from __future__ import annotations

import gc
import os
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from maplint import budget, concurrency, ir
from maplint.cache import default_dir as default_cache_dir
from maplint.config import Settings, go_version_for
from maplint.files import LANG_BY_SUFFIX, discover, display, read_source, real
from maplint.finding import Finding, Span
from maplint.model import Model
from maplint.rule import DIAGNOSTIC_CODES, TOOL_CODES, Rule, all_rules, selected


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    files_failed: int = 0
    suppressed: int = 0  # findings a directive covered (maplint.suppress)
    fingerprints: dict[tuple, str] = field(default_factory=dict)  # baseline.key(f) → stable identity
    without_directives: set[str] = field(default_factory=set)  # real paths a worker found no directive in


def tool_finding(code: str, path: str, message: str, line: int = 1, col: int = 1) -> Finding:
    # Positions come from parsers (a SyntaxError's offset can be -1 or None):
    # a diagnostic always points at a real line and column, 1-based.
    line = line if isinstance(line, int) and line >= 1 else 1
    col = col if isinstance(col, int) and col >= 1 else 1
    return Finding(code=code, name=TOOL_CODES[code][0], message=message, span=Span(path, line, col),
                   severity="error" if code == "ML999" else "warning", identity=(message,))


def check_paths(paths: list[str], settings: Settings | None = None, debug: bool = False,
                progress: Callable[[str], None] | None = None) -> Result:
    settings = settings or Settings()
    result = Result()
    files, problems = discover(paths or ["."], settings.exclude)
    if progress is not None:
        progress(f"{len(files):,} files")
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
    analysed = {"go"}
    if by_lang.get("python"):
        try:
            from maplint.frontends import python as pyfront  # noqa: F401
        except ImportError:
            pyfront = None
        if pyfront is not None and hasattr(pyfront, "check_files"):
            pyfront.check_files(by_lang["python"], settings, rules, result, debug)
            analysed.add("python")
    result.findings = [f for f in result.findings if _keep(f.code, settings)]
    result.findings = _dedupe(result.findings)
    _suppress_and_fingerprint(result, by_lang, analysed, rules, settings)
    return result


def _keep(code: str, settings: Settings) -> bool:
    """Whether the selection keeps a finding. Diagnostics about the input or
    the tool (ML900, ML903, ML999) are never lost to a --select that does
    not name them: only an --ignore that names them hides them."""
    if code not in DIAGNOSTIC_CODES:
        return selected(code, settings.select, settings.ignore)
    return not any(code.startswith(p) for p in settings.ignore) or selected(code, settings.select, settings.ignore)


def _suppress_and_fingerprint(result: Result, by_lang: dict[str, list[Path]], analysed: set[str],
                              rules: list[Rule], settings: Settings) -> None:
    """Apply the suppression directives of the files asked about (ML901/ML902),
    then give every finding its stable identity. Reads only files that have
    findings or directive markers, once each."""
    from maplint import baseline, suppress

    sources = suppress.Sources(settings.max_file_bytes)
    files = [f for lang in sorted(by_lang) for f in by_lang[lang] if real(f) not in result.without_directives]
    ran = {lang: {r.code for r in rules if lang in r.languages} for lang in ("go", "python")}
    checked = {real(f) for lang in analysed for f in by_lang.get(lang, ())}
    result.findings, result.suppressed = suppress.apply(result.findings, files, ran, settings.select,
                                                        settings.ignore, sources, checked)
    result.findings.sort(key=Finding.sort_key)
    result.fingerprints = baseline.fingerprints(result.findings, sources.line)


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


@dataclass(frozen=True)
class GoTask:
    """One Go package directory to analyse: everything a worker process needs."""

    directory: str
    wanted: frozenset[str]
    version: str | None
    max_bytes: int
    codes: tuple[str, ...]
    debug: bool
    cache_dir: str | None
    seconds: float | None = None  # time budget of the package (maplint.budget)


def _check_go(targets: list[Path], settings: Settings, rules: list[Rule], result: Result, debug: bool) -> None:
    by_dir: dict[Path, set[str]] = defaultdict(set)
    for t in targets:
        by_dir[t.parent].add(real(t))
    gomod_cache: dict = {}
    codes = tuple(r.code for r in rules if "go" in r.languages)
    cache_dir = None if settings.no_cache else str(settings.cache_dir or default_cache_dir())
    tasks = [GoTask(str(d), frozenset(by_dir[d]), settings.go_version or go_version_for(d, gomod_cache),
                    settings.max_file_bytes, codes, debug, cache_dir, settings.timeout) for d in sorted(by_dir)]
    sizes = {d: _dir_bytes(d) for d in by_dir}
    for findings, checked, failed, plain in run_tasks(analyse_go_dir, tasks, settings.jobs,
                                                      cost=lambda t: sizes[Path(t.directory)]):
        result.without_directives.update(plain)
        result.findings.extend(findings)
        result.files_checked += checked
        result.files_failed += failed


def _dir_bytes(d: Path) -> int:
    try:
        return sum(e.stat().st_size for e in os.scandir(d) if e.name.endswith(".go") and e.is_file())
    except OSError:
        return 0


def run_tasks(fn, tasks: list, jobs: int | None, cost=None):
    """Map fn over tasks, in a process pool when it pays; results come back
    in task order whatever the number of workers. The costliest tasks (by
    `cost`) start first, so that no big package is left to run alone at the
    end while the other workers idle."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(tasks) < 8:
        return [fn(t) for t in tasks]
    from concurrent.futures import ProcessPoolExecutor

    order = sorted(range(len(tasks)), key=lambda i: -cost(tasks[i])) if cost else range(len(tasks))
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=_worker_gc) as pool:
            futures = {i: pool.submit(fn, tasks[i]) for i in order}
            return [futures[i].result() for i in range(len(tasks))]
    except (OSError, RuntimeError):  # no processes here (sandbox): do it serially
        return [fn(t) for t in tasks]


def _worker_gc() -> None:
    """Workers collect cyclic garbage (the command itself does not:
    cli.entry), but rarely: a package's analysis makes hundreds of thousands
    of objects, and the default thresholds rescan the heap over and over
    (-0.4 s of 12 s on the Go standard library, same peak memory)."""
    gc.enable()
    gc.set_threshold(50_000, 50, 50)


def analyse_go_dir(task: GoTask) -> tuple[list[Finding], int, int, list[str]]:
    """Load one package directory, run the rules; cached by content. Also
    returns the asked-for files that hold no suppression directive."""
    from maplint.cache import Cache, unit_key

    d = Path(task.directory)
    cache = Cache(Path(task.cache_dir) if task.cache_dir else None)
    key = None
    if task.cache_dir:
        try:
            parts = [(str(p), p.read_bytes()) for p in sorted(d.iterdir()) if p.suffix == ".go" and p.is_file()]
        except OSError:
            parts = None
        if parts is not None:
            caps = (concurrency.MAX_EVENTS, MAX_CONTEXTS, MAX_ACCESSES_PER_MAP)
            key = unit_key(parts, (sorted(task.wanted), task.version, task.max_bytes, task.codes, os.getcwd(), caps))
            hit = cache.get(key)
            if hit is not None:
                return (*hit, _without_directives(task))
    with budget.limit(task.seconds):
        findings, checked, failed, plain = _analyse_go_dir(d, task)
        timed_out = budget.expired()
    # Internal errors (their traceback depends on --debug) and time budget
    # overruns (they depend on the machine's speed) are never cached; the
    # engine's caps count events, the same on every machine, and are part
    # of the key.
    if key is not None and not timed_out and not any(f.code == "ML999" for f in findings):
        cache.put(key, findings, checked, failed)
    return findings, checked, failed, plain if plain is not None else _without_directives(task)


def _without_directives(task: GoTask) -> list[str]:
    """The files of the task that hold no suppression directive, found here
    in parallel so that the main process need not read them again."""
    from maplint.suppress import may_have_directives

    out = []
    for p in sorted(task.wanted):
        data, problem = read_source(Path(p), task.max_bytes)
        if problem is None and not may_have_directives(data):
            out.append(p)
    return out


def _analyse_go_dir(d: Path, task: GoTask) -> tuple[list[Finding], int, int, list[str] | None]:
    """(findings, files checked, files failed, the asked-for files without a
    suppression directive — None if loading stopped before reading them all)."""
    from maplint.frontends.go import _original, load_package

    findings: list[Finding] = []
    failed = 0
    plain: list[str] = []

    def every_file(code: str, message: str) -> tuple[list[Finding], int, int, None]:
        wanted = sorted(display(_original(Path(p), d)) for p in task.wanted)
        return [tool_finding(code, p, message) for p in wanted], 0, len(wanted), None

    try:
        units, problems, checked = load_package(d, set(task.wanted), task.max_bytes, task.version, plain)
    except budget.Exceeded as e:
        return every_file("ML903", f"{e}; not checked")
    except RecursionError:
        return every_file("ML900", "code nested too deeply to analyse")
    except Exception as e:  # noqa: BLE001 - one package never aborts a run
        msg = f"internal error while loading the package: {type(e).__name__}: {e}"
        if task.debug:
            msg += "\n" + traceback.format_exc()
        return every_file("ML999", msg)
    for p in problems:
        findings.append(tool_finding("ML900", p.path, p.message, p.line, p.col))
        failed += 1
    rules = [r for r in all_rules() if r.code in task.codes]
    for pkg, report_paths in units:
        findings.extend(_run_rules(pkg, report_paths, rules, task.debug))
    return findings, checked, failed, plain


def _run_rules(pkg, report_paths: frozenset[str], rules: list[Rule], debug: bool) -> list[Finding]:
    out: list[Finding] = []
    loaded = len(pkg.problems)  # reported by the front-end; bodies walked on demand may add more
    try:
        eng, races, guarded = concurrency.build(pkg)
    except budget.Exceeded as e:
        return [tool_finding("ML903", p, f"{e}; not checked") for p in sorted(report_paths)]
    except RecursionError:
        return [tool_finding("ML900", p, "code nested too deeply to analyse") for p in sorted(report_paths)]
    except Exception as e:  # noqa: BLE001
        msg = f"internal error in the concurrency analysis: {type(e).__name__}: {e}"
        if debug:
            msg += "\n" + traceback.format_exc()
        return [tool_finding("ML999", p, msg) for p in sorted(report_paths)]
    model = Model(lang=pkg.lang, runtime=pkg.runtime, races=races, guarded=guarded, contexts=eng.contexts,
                  decls=pkg.decls, report_paths=report_paths, lock_names=eng.lock_names,
                  unshared_locks=eng.unshared_locks)
    out.extend(tool_finding("ML900", path, message, line) for path, line, message in pkg.problems[loaded:]
               if path in report_paths)
    out.extend(budget_findings(eng, report_paths))
    for rule in rules:
        try:
            out.extend(rule.check(model))
        except Exception as e:  # noqa: BLE001 - one rule's crash keeps the others' findings
            msg = f"internal error in {rule.code} ({rule.name}): {type(e).__name__}: {e}"
            if debug:
                msg += "\n" + traceback.format_exc()
            out.extend(tool_finding("ML999", p, msg) for p in sorted(report_paths))
    return out


# The caps of concurrency.build besides MAX_EVENTS (mirrored here to name them).
MAX_CONTEXTS = 2000  # goroutine / thread contexts in one unit
MAX_ACCESSES_PER_MAP = 400  # distinct accesses of one map compared pairwise


def budget_findings(eng, report_paths) -> list[Finding]:
    """ML903 for every file of a unit whose concurrency analysis stopped at a
    budget (`eng.truncated`), naming which one: the findings of that unit may
    be incomplete, and the user must know. (The cut of goroutines that spawn
    themselves over and over is part of the analysis, not a budget.)"""
    if not getattr(eng, "truncated", False):
        return []
    reasons = []
    if budget.expired():
        reasons.append(f"its time budget of {budget.seconds():g} s (--timeout)")
    if eng.events > concurrency.MAX_EVENTS:
        reasons.append(f"{concurrency.MAX_EVENTS:,} instantiated accesses and calls")
    if len(eng.contexts) > MAX_CONTEXTS:
        reasons.append(f"{MAX_CONTEXTS:,} goroutine or thread contexts")
    seen: dict[str, set] = defaultdict(set)
    writes: set[str] = set()
    for a in eng.accesses:
        k = a.loc.bucket()
        seen[k].add((a.span, a.ctx, a.loc, a.held, a.once, a.kind))
        if a.kind == ir.WRITE:
            writes.add(k)
    if any(len(v) > MAX_ACCESSES_PER_MAP and k in writes for k, v in seen.items()):
        reasons.append(f"{MAX_ACCESSES_PER_MAP} distinct accesses of one map")
    if not reasons:
        return []
    files = sorted(report_paths)
    # One diagnostic per package, not one per file: it is the package's
    # analysis that was cut short.
    others = f" and the other {len(files) - 1} file(s) of this package" if len(files) > 1 else ""
    msg = ("analysis budget exceeded: the concurrency analysis stopped at " + " and ".join(reasons)
           + f"; findings in this file{others} may be incomplete")
    return [tool_finding("ML903", files[0], msg)] if files else []
