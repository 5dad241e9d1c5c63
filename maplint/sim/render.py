"""Text forms of a `SimResult`: the one-line summary and the two-column timeline."""
from __future__ import annotations

import textwrap

from maplint.sim.model import Outcome, SimResult


def pct(share: float) -> str:
    if share <= 0:
        return "0%"
    if share >= 0.995:
        return "100%" if share >= 1 else ">99%"
    if share >= 0.01:
        return f"{share * 100:.0f}%"
    if share >= 0.001:
        return f"{share * 100:.1f}%"
    return "<0.1%"


def phrase(o: Outcome, runtime: str = "go") -> str:
    """How an outcome reads in a sentence."""
    if o.kind == "fatal":
        return f"fatal error: {o.message}"
    if o.kind == "panic":
        return f"raises {o.message}" if runtime.startswith("cpython") else f"panic: {o.message}"
    if o.kind == "hang":
        return f"hang {o.message}"
    if o.kind == "corruption":
        return f"silent {o.message}"
    return "no failure"


def summary_line(result: SimResult) -> str:
    """'→ fatal error: concurrent map writes in 61% of 1,310 schedules; silent lost update in 2%'"""
    bad = [o for o in result.outcomes if o.kind != "ok"]
    n = f"{result.explored:,}"
    if not bad:
        line = f"→ no failure in {n} schedules"
    else:
        parts = [f"{phrase(bad[0], result.runtime)} in {pct(bad[0].share)} of {n} schedules"]
        parts += [f"{phrase(o, result.runtime)} in {pct(o.share)}" for o in bad[1:]]
        line = "→ " + "; ".join(parts)
    if result.budget_hit:
        line += " (search budget hit: partial)"
    return line


def _actors_word(runtime: str) -> str:
    return "thread" if runtime.startswith("cpython") else "goroutine"


def render_timeline(result: SimResult, outcome: Outcome | None = None,
                    names: tuple[str, ...] | None = ("goroutine 1", "goroutine 2"), width: int = 44) -> str:
    """A two-column table of the shortest schedule reaching `outcome` (default:
    the most common failure, else ok): one row per runtime step, the state
    that matters after it, and a ✗ on the step where the outcome happens."""
    if outcome is None:
        outcome = next((o for o in result.outcomes if o.kind != "ok"), result.outcomes[0] if result.outcomes else None)
    if outcome is None:
        return "(no schedule explored)"
    if names is None or (tuple(names) == ("goroutine 1", "goroutine 2") and result.runtime.startswith("cpython")):
        w = _actors_word(result.runtime)
        names = (f"{w} 1", f"{w} 2")
    a, b = result.ops
    title = (f"{phrase(outcome, result.runtime)} — shortest of {outcome.count:,} schedules "
             f"({pct(outcome.share)}); {result.runtime}, {a} ‖ {b}, key {result.key_kind}, "
             f"{result.model_size} entries")
    lines = [title]
    sep = " │ "
    head = f"{'#':>3}  {names[0]:<{width}}{sep}{names[1]:<{width}}{sep}state"
    lines.append(head)
    lines.append("─" * len(head))
    seen_seed = None
    for n, st in enumerate(outcome.witness, 1):
        mark = "✗ " if st.failure else ""
        cell = textwrap.wrap(mark + st.label, width) + textwrap.wrap(("  " if mark else "") + st.detail, width)
        fields = []
        for k, v in st.state:
            if k in ("hash0", "seed"):
                # The hash seed only matters when it changes (clear, delete to empty).
                if v == seen_seed:
                    continue
                seen_seed = v
            fields.append(f"{k}={v}")
        state = " ".join(fields)
        if st.actor == 0:
            body = textwrap.wrap(mark + st.label + ": " + st.detail, 2 * width + len(sep))
            for j, text in enumerate(body):
                lines.append(f"{(str(n) if j == 0 else ''):>3}  {text:<{2 * width + len(sep)}}{sep}"
                             f"{state if j == 0 else ''}")
            continue
        for j, text in enumerate(cell or [""]):
            left, right = (text, "") if st.actor == 1 else ("", text)
            lines.append(f"{(str(n) if j == 0 else ''):>3}  {left:<{width}}{sep}{right:<{width}}{sep}"
                         f"{state if j == 0 else ''}")
    return "\n".join(lines)
