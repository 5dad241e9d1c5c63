"""`maplint simulate`: run the runtime-map simulation for two operations.

    maplint simulate --runtime go1.23 insert insert
    maplint simulate --runtime go1.27 --key-kind int64 --size 8 --format json insert lookup
    maplint simulate --runtime cpython3.11 incr incr
"""
from __future__ import annotations

import argparse
import json
import sys

from maplint.sim import (
    DEFAULT_BOUND,
    DEFAULT_BUDGET,
    DEFAULT_SECONDS,
    GO_OPS,
    PY_OPS,
    render_timeline,
    simulate,
    summary_line,
)
from maplint.sim.render import pct

HELP = "simulate two unguarded map operations on a real runtime model"
EPILOG = (f"Go operations: {', '.join(GO_OPS)}. CPython operations: {', '.join(PY_OPS)}. "
          "Runtimes: go1.NN (go1.6–go1.23 classic hmap, go1.24+ Swiss tables), cpython3.NN, cpython3.NNt.")


def add_parser(subparsers) -> None:
    """Register `simulate` on an argparse subparsers object."""
    p = subparsers.add_parser("simulate", help=HELP, description=HELP + ".", epilog=EPILOG)
    p.add_argument("--runtime", "-r", default="go1.27",
                   help="go1.23, go1.24, go1.27 (any go1.NN), cpython3.9, cpython3.11, cpython3.13t (default go1.27)")
    p.add_argument("--key-kind", "-k", default=None,
                   help="Go: int32, int64, string, generic (default generic); CPython: builtin, pyhash (default builtin)")
    p.add_argument("--size", "-n", type=int, default=None,
                   help="entries in the map when the race starts (default: unknown, a small map)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--all", action="store_true", help="print the witness timeline of every outcome")
    p.add_argument("--bound", type=int, default=None, help=f"preemption bound (default {DEFAULT_BOUND})")
    p.add_argument("--budget", type=int, default=None, help=f"maximum distinct states (default {DEFAULT_BUDGET:,})")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help=f"time budget of the search (default {DEFAULT_SECONDS:g}; 0: none)")
    p.add_argument("op_a", metavar="OP_A")
    p.add_argument("op_b", metavar="OP_B")
    p.set_defaults(func=run)


def run(args) -> int:
    """Exit 0 on success, 2 on a usage error (unknown runtime, operation, key kind, bad size)."""
    try:
        return _run(args)
    except BrokenPipeError:  # `maplint simulate … | head`
        return 0


def _run(args) -> int:
    runtime = getattr(args, "runtime", None) or "go1.27"
    key_kind = args.key_kind or ("builtin" if str(runtime).lower().startswith(("cpython", "python", "py3", "3."))
                                 else "generic")
    try:
        if args.size is not None and args.size < 0:
            raise ValueError("--size must be >= 0")
        if args.bound is not None and args.bound < 0:
            raise ValueError("--bound must be >= 0")
        if args.budget is not None and args.budget < 1:
            raise ValueError("--budget must be >= 1")
        seconds = getattr(args, "timeout", None)
        if seconds is not None and not seconds >= 0:
            raise ValueError("--timeout must be a number of seconds >= 0")
        result = simulate(runtime, args.op_a, args.op_b, key_kind=key_kind, size=args.size,
                          bound=args.bound, budget=args.budget, seconds=seconds)
    except ValueError as e:
        print(f"maplint simulate: error: {e}", file=sys.stderr)
        return 2
    out = sys.stdout
    if args.format == "json":
        doc = result.to_json()
        doc["summary"] = summary_line(result)
        json.dump(doc, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    a, b = result.ops
    actor = "thread" if result.runtime.startswith("cpython") else "goroutine"
    out.write(f"{result.runtime}: {a} ‖ {b} (key {result.key_kind}, {result.model_size} entries; "
              f"{result.explored:,} schedules, {result.states:,} states, ≤{result.preemption_bound} preemptions)\n")
    out.write(summary_line(result) + "\n")
    for note in result.notes:
        out.write(f"note: {note}\n")
    out.write("\n")
    for o in result.outcomes:
        msg = o.message or "completes correctly"
        out.write(f"  {pct(o.share):>6}  {o.kind:<10}  {msg}  ({o.count:,} schedules, witness {len(o.witness)} steps)\n")
        if o.kind in ("fatal", "panic") and len(o.sites) > 1:
            where = ", ".join(f"{s.label} {pct(s.count / o.count)}" for s in o.sites[:3])
            out.write(f"          where: {where}\n")
    shown = [o for o in result.outcomes if o.kind != "ok"] if args.all else \
        [next((o for o in result.outcomes if o.kind != "ok"), result.outcomes[0])]
    for o in shown:
        out.write("\n" + render_timeline(result, o, names=(f"{actor} 1", f"{actor} 2")) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry (`python -m maplint.sim.cli …`), for use before the
    lead wires `add_parser` into maplint's CLI."""
    parser = argparse.ArgumentParser(prog="maplint")
    sub = parser.add_subparsers(dest="command", required=True)
    add_parser(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
