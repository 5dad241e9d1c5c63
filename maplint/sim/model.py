"""Result types of a simulation: one `Step` per runtime step, one `Outcome` per
outcome class, one `SimResult` per (runtime, op pair, key kind, size).

All three are frozen and hashable so results can be cached and shared; the
JSON form is what `maplint simulate --format json` prints and what the SARIF
reporter turns into `threadFlows`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Outcome kinds, in the order a reader cares about them.
KINDS = ("fatal", "panic", "hang", "corruption", "ok")


@dataclass(frozen=True)
class Step:
    """One row of a witness: what `actor` did and the state right after it.

    actor: 1, 2, ... for the racing goroutines/threads; 0 for "after both
    returned" (the check that exposes silent corruption).
    label: the runtime step, e.g. ``mapassign: flags ^= hashWriting (store)``.
    detail: what it read or wrote, with the values involved.
    state: the fields that matter after the step, e.g. (("flags", "hashWriting"), ("count", "3")).
    failure: True on the step where the outcome happens (the check that
    fires, the crash, or the audit that finds the damage).
    """

    actor: int
    label: str
    detail: str
    state: tuple[tuple[str, str], ...]
    failure: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "label": self.label,
            "detail": self.detail,
            "state": {k: v for k, v in self.state},
            "failure": self.failure,
        }


@dataclass(frozen=True)
class Site:
    """Where inside an outcome class the failure happens: the label of the
    failing step (e.g. the entry or the exit check of mapassign)."""

    label: str
    count: int
    witness: tuple[Step, ...]

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "count": self.count}


@dataclass(frozen=True)
class Outcome:
    """One outcome class: `kind` is fatal | panic | corruption | hang | ok.

    message: the runtime's exact text for crashes (``concurrent map writes``,
    ``RuntimeError: dictionary changed size during iteration``), a short
    description for corruption (``lost update``).
    share: count / explored; witness: the shortest schedule reaching it.
    """

    kind: str
    message: str
    share: float
    count: int
    witness: tuple[Step, ...]
    sites: tuple[Site, ...] = ()  # by count, most common first

    def site(self, fragment: str) -> Site | None:
        """The first site whose label contains `fragment`."""
        return next((s for s in self.sites if fragment in s.label), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            "share": round(self.share, 6),
            "count": self.count,
            "sites": [s.to_json() for s in self.sites],
            "witness": [s.to_json() for s in self.witness],
        }


@dataclass(frozen=True)
class SimResult:
    runtime: str
    ops: tuple[str, str]
    key_kind: str
    size: int | None
    explored: int  # number of distinct schedules explored
    budget_hit: bool
    outcomes: tuple[Outcome, ...]  # sorted by share desc, ok last
    states: int = 0  # distinct states visited
    preemption_bound: int = 0
    model_size: int = 0  # the map size actually modelled (size or the default)
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "runtime": self.runtime,
            "ops": list(self.ops),
            "key_kind": self.key_kind,
            "size": self.size,
            "model_size": self.model_size,
            "explored": self.explored,
            "states": self.states,
            "preemption_bound": self.preemption_bound,
            "budget_hit": self.budget_hit,
            "notes": list(self.notes),
            "outcomes": [o.to_json() for o in self.outcomes],
        }

    def outcome(self, kind: str, message: str | None = None) -> Outcome | None:
        """The first outcome of `kind` (and `message`, if given)."""
        for o in self.outcomes:
            if o.kind == kind and (message is None or o.message == message):
                return o
        return None

    def classes(self) -> set[tuple[str, str]]:
        return {(o.kind, o.message) for o in self.outcomes}
