"""The Python front-end: libcst, no metadata providers, no imports executed.

`check_files` is what `maplint check` calls for the `.py` files it found;
`analyse` is the same pipeline for callers that bring their own rules list
(the flake8 plugin).
"""
from __future__ import annotations

import os
import traceback
from dataclasses import replace
from pathlib import Path

from maplint import budget, ir

# libcst (0.1 s to import) is imported by the functions that parse, not
# here: the rules import `races` from this package on every run, Go-only
# runs included.

RUNTIME = "cpython3.11"


def summarise(files) -> ir.Package:
    """One unit's files (parsed) → its `ir.Package`.

    Every function is walked once; then a function is walked again when
    something it looked up (a parameter's or attribute's kind, a return value,
    a thread stored on an attribute) has been learnt since from a function
    walked after it, until nothing changes (at most a few rounds)."""
    from maplint.frontends.python.unit import Unit
    from maplint.frontends.python.walk import Walker

    u = Unit(files, RUNTIME)
    u.declare()
    declared = dict(u.funcs)

    def order(fi):
        first = 0 if (fi.cls is not None and fi.node is not None and getattr(fi.node, "name", None) is not None
                      and fi.node.name.value == "__init__") else (2 if fi.kind == "module" else 1)
        return (first, fi.mod.file.shown, fi.fid)

    todo = sorted((fi for fi in declared.values() if fi.kind != "setter"), key=order)
    walkers: dict[str, Walker] = {}
    blank = {fi.fid: fi.summary for fi in todo}
    for _ in range(4):
        for fi in todo:
            old = walkers.get(fi.fid)
            if old is not None:
                old.dead = True  # with the functions defined inside it: replaced by the new walk
                for w in old.nested:
                    w.dead = True
                for fid in old.created:
                    u.funcs.pop(fid, None)
                    u.pkg.funcs.pop(fid, None)
            budget.check()  # the unit's time budget (maplint.budget), once per function
            fi.summary = replace(blank[fi.fid], events=[], returns=[], locals_fresh=set(), escaping=set(),
                                 local_loops={}, params=(), recv=None)
            w = Walker(u, fi)
            w.walk_function()
            u.finish(w)
            walkers[fi.fid] = w
        todo = [declared[fid] for fid, w in walkers.items() if any(u.query(k) != v for k, v in w.queries.items())]
        todo.sort(key=order)
        if not todo:
            break
    return u.build()


def run_rules(pkg: ir.Package, report: frozenset[str], rules, debug: bool = False) -> list:
    """The concurrency engine and the rules over one unit (a copy of the
    engine's loop, so that the flake8 plugin can run it too)."""
    from maplint import concurrency
    from maplint.engine import budget_findings, tool_finding
    from maplint.model import Model

    try:
        eng, races, guarded = concurrency.build(pkg)
    except RecursionError:
        return [tool_finding("ML900", p, "code nested too deeply to analyse") for p in sorted(report)]
    except Exception as e:  # noqa: BLE001
        msg = f"internal error in the concurrency analysis: {type(e).__name__}: {e}"
        if debug:
            msg += "\n" + traceback.format_exc()
        return [tool_finding("ML999", p, msg) for p in sorted(report)]
    model = Model(lang=pkg.lang, runtime=pkg.runtime, races=races, guarded=guarded, contexts=eng.contexts,
                  decls=pkg.decls, report_paths=report, lock_names=eng.lock_names,
                  unshared_locks=eng.unshared_locks)
    out = budget_findings(eng, report)
    for rule in rules:
        try:
            out.extend(rule.check(model))
        except Exception as e:  # noqa: BLE001 - one rule's crash keeps the others' findings
            msg = f"internal error in {rule.code} ({rule.name}): {type(e).__name__}: {e}"
            if debug:
                msg += "\n" + traceback.format_exc()
            out.extend(tool_finding("ML999", p, msg) for p in sorted(report))
    return out


def analyse(paths: list[Path], max_bytes: int, rules, overrides: dict[str, bytes] | None = None,
            debug: bool = False, stats: dict | None = None, seconds: float | None = None, jobs: int = 1) -> list:
    """Findings (rules' and ML900/ML903/ML999) for the given .py files, each
    analysed with its unit (within `seconds` per unit); on a thread with a
    large stack. jobs > 1: libcst parses shared with jobs - 1 worker processes."""
    from maplint.frontends.python.source import on_big_stack

    return on_big_stack(_analyse, paths, max_bytes, rules, overrides, debug, stats, seconds, jobs)


def _analyse(paths, max_bytes, rules, overrides, debug, stats, seconds=None, jobs=1) -> list:
    from maplint.engine import tool_finding
    from maplint.frontends.python.load import load

    py_rules = [r for r in rules if "python" in r.languages]
    units, ld = load(paths, max_bytes, overrides, jobs)
    out = [tool_finding("ML900", p.path, p.message, p.line, p.col) for p in ld.problems]
    if stats is not None:
        stats["checked"] = ld.checked
        stats["failed"] = ld.failed
    for files in units:
        report = frozenset(f.shown for f in files if f.asked)
        with budget.limit(seconds):
            out.extend(_analyse_unit(files, report, py_rules, debug))
    return out


def _analyse_unit(files, report: frozenset[str], py_rules, debug: bool) -> list:
    from maplint.engine import tool_finding

    try:
        pkg = summarise(files)
    except budget.Exceeded as e:
        return [tool_finding("ML903", p, f"{e}; not checked") for p in sorted(report)]
    except RecursionError:
        return [tool_finding("ML900", p, "code nested too deeply to analyse") for p in sorted(report)]
    except Exception as e:  # noqa: BLE001 - one unit never aborts a run
        msg = f"internal error in the Python front-end: {type(e).__name__}: {e}"
        if debug:
            msg += "\n" + traceback.format_exc()
        return [tool_finding("ML999", p, msg) for p in sorted(report)]
    return run_rules(pkg, report, py_rules, debug)


def check_files(paths: list[Path], settings, rules, result, debug: bool = False) -> None:
    """The engine's entry point: check the .py files it found."""
    stats: dict = {}
    jobs = getattr(settings, "jobs", None) or os.cpu_count() or 1
    result.findings.extend(analyse(paths, settings.max_file_bytes, rules, None, debug, stats,
                                   getattr(settings, "timeout", None), jobs))
    result.files_checked += stats.get("checked", 0)
    result.files_failed += stats.get("failed", 0)
