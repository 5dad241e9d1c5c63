"""Attaching the runtime simulation to race findings.

Rules only say *what* races (`Finding.simulation` holds the runtime, the two
operations, the key kind and the size); this module asks the simulator and
fills in the summary line, the timeline and the JSON trace.

A simulation is an exhaustive search (tens of milliseconds), and it depends
only on its question — (runtime, operations, key kind, size) — and on the
simulator's code. So each distinct question is answered once per run,
several at a time in worker processes when there are many, and the answer
is kept in the result cache (keyed by the question and maplint's code) for
the next run. An answer cut short by the time budget depends on the machine
and is never kept.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from maplint.finding import Finding

Answer = tuple  # (summary line, timeline, JSON trace)


def attach_simulations(findings: list[Finding], explain: bool = False, cache_dir: str | Path | None = None,
                       jobs: int | None = 1) -> list[Finding]:
    questions = sorted({_question(f) for f in findings if f.simulation is not None and not f.simulation.summary})
    if not questions:
        return findings
    answers = _answers(questions, explain, cache_dir, jobs)
    out = []
    attached: dict = {}  # one answered Simulation per distinct question (findings share them)
    for f in findings:
        s = f.simulation
        answer = answers.get(_question(f)) if s is not None and not s.summary else None
        if answer is None:
            out.append(f)
            continue
        done = attached.get(s)
        if done is None:
            summary, timeline, data = answer
            done = attached[s] = replace(s, summary=summary, timeline=timeline, data=data)
        out.append(replace(f, simulation=done))
    return out


def _question(f: Finding) -> tuple:
    s = f.simulation
    return (s.runtime, s.op_a, s.op_b, s.key_kind, s.size if s.size is not None else -1)


def _answers(questions: list[tuple], explain: bool, cache_dir, jobs) -> dict[tuple, Answer | None]:
    from maplint.cache import Cache, unit_key

    cache = Cache(Path(cache_dir) if cache_dir else None)
    keys = {q: unit_key([], ("simulation", q, explain)) for q in questions} if cache_dir else {}
    answers: dict[tuple, Answer | None] = {}
    todo = []
    for q in questions:
        hit = cache.get_value(keys[q]) if cache_dir else None
        if isinstance(hit, list) and len(hit) == 3 and all(isinstance(x, str) for x in hit[:2]) \
                and isinstance(hit[2], dict):
            answers[q] = tuple(hit)
        else:
            todo.append(q)
    if todo:
        from maplint.engine import run_tasks

        try:  # imported once here, not once per worker: workers are forked from this process
            from maplint import sim  # noqa: F401
        except Exception:  # noqa: BLE001
            pass

        for q, (answer, keep) in zip(todo, run_tasks(_simulate, [(q, explain) for q in todo], jobs)):
            answers[q] = answer
            if answer is not None and keep and cache_dir:
                cache.put_value(keys[q], list(answer))
    return answers


def _simulate(task: tuple) -> tuple[Answer | None, bool]:
    """(answer, whether it may be kept) for one question; in a worker."""
    (runtime, op_a, op_b, key_kind, size), explain = task
    try:
        from maplint import sim

        result = sim.simulate(runtime, op_a, op_b, key_kind=key_kind, size=None if size < 0 else size)
        answer = (sim.summary_line(result), sim.render_timeline(result) if explain else "", result.to_json())
    except Exception:  # noqa: BLE001 - a finding stands without its simulation
        return None, False
    return answer, not any(n.startswith("time budget") for n in result.notes)
