"""Attaching the runtime simulation to race findings.

Rules only say *what* races (`Finding.simulation` holds the runtime, the two
operations, the key kind and the size); this module asks the simulator and
fills in the summary line, the timeline and the JSON trace. Results are cached
by the simulator per (runtime, operation pair, key kind, size class).
"""
from __future__ import annotations

from dataclasses import replace

from maplint.finding import Finding


def attach_simulations(findings: list[Finding], explain: bool = False) -> list[Finding]:
    try:
        from maplint import sim
    except Exception:  # noqa: BLE001 - a finding stands without its simulation
        return findings
    out = []
    done: dict[tuple, tuple | None] = {}  # one simulation, summary and trace per distinct question
    for f in findings:
        s = f.simulation
        if s is None or s.summary:
            out.append(f)
            continue
        question = (s.runtime, s.op_a, s.op_b, s.key_kind, s.size)
        if question not in done:
            try:
                result = sim.simulate(s.runtime, s.op_a, s.op_b, key_kind=s.key_kind, size=s.size)
                done[question] = (sim.summary_line(result), sim.render_timeline(result) if explain else "",
                                  result.to_json())
            except Exception:  # noqa: BLE001
                done[question] = None
        answer = done[question]
        if answer is None:
            out.append(f)
            continue
        summary, timeline, data = answer
        out.append(replace(f, simulation=replace(s, summary=summary, timeline=timeline, data=data)))
    return out
