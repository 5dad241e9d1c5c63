"""`maplint check | simulate | explain | rules`.

Exit codes follow ruff and staticcheck: 0 clean, 1 findings, 2 usage,
configuration or internal error.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from maplint import __version__
from maplint.config import ConfigError, Settings, check_go_version, check_timeout, load
from maplint.rule import DIAGNOSTIC_CODES, TOOL_CODES, all_rules, known_codes


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.split(",") if c.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="maplint", description="Find maps and dicts shared between goroutines or threads without a guard.")
    parser.add_argument("--version", action="version", version=f"maplint {__version__}")
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser("check", help="check Go and Python files or directories")
    check.add_argument("paths", nargs="*", default=["."], help="files or directories (default: .)")
    check.add_argument("--format", "--output-format", dest="format", choices=["text", "json", "sarif", "github"],
                       default=None, help="text (default), json, sarif (code scanning) or github (workflow annotations)")
    check.add_argument("-o", "--output", default=None, metavar="FILE", help="write the report to FILE, not stdout")
    check.add_argument("--statistics", action="store_true", help="print how many findings of each code, not the findings")
    check.add_argument("--baseline", default=None, metavar="FILE",
                       help="report only findings not in FILE (written by --write-baseline, or a SARIF file)")
    check.add_argument("--write-baseline", default=None, metavar="FILE",
                       help="write every current finding to FILE as the baseline, and exit 0")
    check.add_argument("--diff-base", default=None, metavar="REV",
                       help="report only findings on lines changed since the git revision REV")
    check.add_argument("--select", type=_codes, default=None, help="comma-separated code prefixes to enable")
    check.add_argument("--extend-select", type=_codes, default=None)
    check.add_argument("--ignore", type=_codes, default=None, help="comma-separated code prefixes to disable")
    check.add_argument("--go-version", default=None, help="Go version 1.NN (default: the go line of the nearest go.mod)")
    check.add_argument("--config", default=None, help="a maplint.toml or pyproject.toml to use")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--explain", action="store_true", help="print each race's simulated interleaving")
    check.add_argument("--no-sim", action="store_true", help="do not attach runtime simulations")
    check.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    check.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: one per CPU)")
    check.add_argument("--timeout", default=None, metavar="SECONDS",
                       help="time budget per package or module group (default 60; 0: none); past it: ML903")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    check.add_argument("--cache-dir", default=None, help="where the cache lives (default: ~/.cache/maplint)")

    explain = sub.add_parser("explain", help="explain the finding at FILE:LINE, or a rule by code")
    explain.add_argument("target", help="FILE:LINE or a rule code such as ML101")
    explain.add_argument("--go-version", default=None)

    lsp = sub.add_parser("lsp", help="run the language server on stdio (needs: pip install 'maplint[lsp]')")
    lsp.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default; accepted for clients that pass it)")

    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=["text", "json"], default="text")

    try:
        from maplint.sim import cli as sim_cli

        sim_cli.add_parser(sub)
    except Exception:  # noqa: BLE001 - `check` must work even if the simulator cannot load
        pass
    return parser


def entry() -> None:
    """The `maplint` command: one run, then the process ends.

    The cyclic garbage collector stays off for the whole run: the analysis
    builds millions of small objects (syntax trees), and collecting what it
    leaves behind takes seconds on a large tree (2 s of a 12 s run on
    CPython's Lib/) in a process about to end anyway. `gc.freeze()` keeps the
    interpreter's last collection at exit from doing that work. Worker
    processes turn the collector back on (`engine.run_tasks`), and so does
    the long-running language server (`cmd_lsp`)."""
    gc.disable()
    rc = main()
    gc.freeze()
    sys.exit(rc)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = argv if argv is not None else sys.argv[1:]
    if args and args[0] not in {"check", "explain", "rules", "simulate", "lsp", "-h", "--help", "--version"} and not args[0].startswith("-"):
        args = ["check", *args]
    try:
        ns = parser.parse_args(args)
    except SystemExit as e:
        return 0 if e.code == 0 else 2
    if ns.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        if ns.command == "check":
            return cmd_check(ns)
        if ns.command == "rules":
            return cmd_rules(ns)
        if ns.command == "explain":
            return cmd_explain(ns)
        if ns.command == "lsp":
            return cmd_lsp(ns)
        if ns.command == "simulate":
            from maplint.sim import cli as sim_cli

            return sim_cli.run(ns)
    except ConfigError as e:
        print(f"maplint: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`maplint check | head`): stop quietly, and
        # keep the interpreter from complaining when it flushes stdout.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 2
    return 2


def settings_from(ns) -> Settings:
    settings = load(Path.cwd(), getattr(ns, "config", None))
    known = known_codes()
    for opt in ("select", "extend_select", "ignore"):
        for code in getattr(ns, opt, None) or []:
            if not any(k.startswith(code) for k in known) and code not in ("ML", "ALL"):
                raise ConfigError(f"--{opt.replace('_', '-')}: unknown rule code or prefix {code!r}; see `maplint rules`")
    for code in settings.select + settings.ignore:
        if not any(k.startswith(code) for k in known) and code not in ("ML", "ALL"):
            raise ConfigError(f"{settings.source}: unknown rule code or prefix {code!r}; see `maplint rules`")
    if getattr(ns, "select", None):
        settings.select = ns.select
    if getattr(ns, "extend_select", None):
        settings.select = settings.select + ns.extend_select
    if getattr(ns, "ignore", None):
        settings.ignore = settings.ignore + ns.ignore
    settings.select = ["ML" if c == "ALL" else c for c in settings.select]
    if getattr(ns, "go_version", None):
        settings.go_version = check_go_version(ns.go_version)
    if getattr(ns, "timeout", None) is not None:
        settings.timeout = check_timeout(ns.timeout)
    if getattr(ns, "jobs", None) is not None:
        if ns.jobs < 1:
            raise ConfigError("--jobs must be at least 1")
        settings.jobs = ns.jobs
    if getattr(ns, "no_cache", False):
        settings.no_cache = True
    if getattr(ns, "cache_dir", None):
        settings.cache_dir = str(Path(ns.cache_dir).resolve())
    return settings


def cmd_check(ns) -> int:
    from maplint import baseline, report
    from maplint.engine import check_paths

    settings = settings_from(ns)
    ns.config_format = settings.output_format
    try:  # read what filters the findings first: a bad baseline or revision fails fast
        changed = baseline.changed_lines(ns.diff_base) if ns.diff_base else None
        known = baseline.read(ns.baseline) if ns.baseline else None
    except baseline.BaselineError as e:
        raise ConfigError(str(e)) from e
    with report.Progress(sys.stderr) as progress:
        result = check_paths(ns.paths, settings, debug=ns.debug, progress=progress.update)
    findings = result.findings
    if ns.write_baseline:
        try:
            n = baseline.write(ns.write_baseline, findings, result.fingerprints)
        except baseline.BaselineError as e:
            raise ConfigError(str(e)) from e
        print(f"maplint: wrote {n} finding(s) to the baseline {ns.write_baseline}", file=sys.stderr)
    else:
        if known is not None:
            findings, hidden = baseline.without_baseline(findings, result.fingerprints, known)
            if hidden:
                print(f"maplint: {hidden} finding(s) in the baseline {ns.baseline} not shown", file=sys.stderr)
        if changed is not None:
            findings, hidden = baseline.only_changed(findings, changed)
            if hidden:
                print(f"maplint: {hidden} finding(s) on lines unchanged since {ns.diff_base} not shown",
                      file=sys.stderr)
        if not ns.no_sim:
            from maplint.explain import attach_simulations

            from maplint.cache import default_dir

            findings = attach_simulations(findings, explain=ns.explain, jobs=settings.jobs,
                                          cache_dir=None if settings.no_cache else (settings.cache_dir or default_dir()))
        races = [f for f in findings if f.code not in DIAGNOSTIC_CODES]
        if not _write_report(ns, findings, races, result.fingerprints):
            return 2
    for f in findings:  # diagnostics about the input always go to stderr
        if f.code in DIAGNOSTIC_CODES:
            print(f"{f.span}: {f.code} {f.message}", file=sys.stderr)
    internal = [f for f in findings if f.code == "ML999"]
    if result.files_checked == 0 and result.files_failed > 0:
        return 2  # nothing could be checked at all
    if internal:
        return 2
    if ns.write_baseline:
        return 0
    if races and not ns.exit_zero:
        return 1
    return 0


def _write_report(ns, findings, races, fingerprints) -> bool:
    from maplint import report

    fmt = ns.format or getattr(ns, "config_format", None) or "text"
    try:
        out = open(ns.output, "w", encoding="utf-8") if ns.output else sys.stdout
    except OSError as e:
        print(f"maplint: error: cannot write {ns.output}: {e.strerror or e}", file=sys.stderr)
        return False
    try:
        if ns.statistics:
            report.statistics(races, out, as_json=fmt == "json")
        elif fmt == "json":
            report.json_report(findings, out, fingerprints)  # diagnostics included, as structured data
        elif fmt == "sarif":
            from maplint.report import sarif

            sarif.write(findings, out, fingerprints)
        elif fmt == "github":
            from maplint.report import github

            github.write(findings, out)
        else:
            report.text(races, out, explain=ns.explain)
    finally:
        if out is not sys.stdout:
            out.close()
    return True


def cmd_lsp(ns) -> int:
    try:
        from maplint.integrations.lsp import serve
    except ImportError as e:
        print(f"maplint: error: `maplint lsp` needs pygls: pip install 'maplint[lsp]' ({e})", file=sys.stderr)
        return 2
    gc.enable()  # a long-running server: see entry()
    return serve()


def cmd_rules(ns) -> int:
    import json

    rows = [{"code": r.code, "name": r.name, "summary": r.summary, "languages": list(r.languages)} for r in all_rules()]
    rows += [{"code": c, "name": n, "summary": s, "languages": ["go", "python"]} for c, (n, s) in TOOL_CODES.items()]
    if ns.format == "json":
        print(json.dumps(rows, indent=2))
    else:
        for r in rows:
            print(f"{r['code']}  {r['name']:<28} {r['summary']}")
    return 0


def cmd_explain(ns) -> int:
    from maplint.rule import rule_by_code

    target = ns.target
    rule = rule_by_code(target.upper())
    if rule is not None:
        print(rule.doc.strip())
        return 0
    if ":" not in target:
        print(f"maplint: error: expected FILE:LINE or a rule code, got {target!r}", file=sys.stderr)
        return 2
    path, _, line_s = target.rpartition(":")
    try:
        line = int(line_s)
    except ValueError:
        print(f"maplint: error: {line_s!r} is not a line number", file=sys.stderr)
        return 2
    from maplint.engine import check_paths
    from maplint.explain import attach_simulations
    from maplint import report

    settings = settings_from(ns)
    result = check_paths([path], settings)
    hits = [f for f in result.findings if f.span.line == line and f.code not in TOOL_CODES]
    if not hits:
        print(f"maplint: no finding at {path}:{line}", file=sys.stderr)
        return 1
    hits = attach_simulations(hits, explain=True)
    report.text(hits, explain=True)
    return 0
