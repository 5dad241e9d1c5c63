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
    for f in findings:
        s = f.simulation
        if s is None or s.summary:
            out.append(f)
            continue
        try:
            result = sim.simulate(s.runtime, s.op_a, s.op_b, key_kind=s.key_kind, size=s.size)
        except Exception:  # noqa: BLE001
            out.append(f)
            continue
        timeline = sim.render_timeline(result) if explain else ""
        out.append(replace(f, simulation=replace(s, summary=sim.summary_line(result), timeline=timeline,
                                                 data=result.to_json())))
    return out
