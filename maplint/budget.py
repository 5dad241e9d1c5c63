"""Time budgets: how long one analysis unit (a Go package, a group of Python
modules) may take before maplint gives up on it and says so (ML903).

The state budgets live with the code they bound (`concurrency.MAX_EVENTS`,
the simulator's `DEFAULT_BUDGET`); this module holds the deadline of the unit
being analysed, which the front-ends and the concurrency engine poll at
cheap, regular points (after each file is parsed, before each function is
walked, before each function is instantiated). A unit analyses one at a time
in a process, so the deadline is process-wide (the Python front-end runs on a
helper thread with a large stack, which must see it too).

    with budget.limit(settings.timeout):
        ...                    # budget.check() raises budget.Exceeded once past it
"""
from __future__ import annotations

import time
from contextlib import contextmanager

DEFAULT_SECONDS = 60.0  # per analysis unit

_deadline: float | None = None
_seconds: float | None = None


class Exceeded(Exception):
    """The current unit ran past its time budget."""

    def __init__(self, seconds: float | None = None):
        self.seconds = seconds if seconds is not None else (_seconds or 0.0)
        super().__init__(message(self.seconds))


def message(seconds: float) -> str:
    return (f"analysis budget exceeded: the analysis took longer than its time budget of {seconds:g} s "
            f"(raise it with --timeout or `timeout` in the configuration)")


@contextmanager
def limit(seconds: float | None):
    """Run the body with a deadline `seconds` from now (None or 0: no limit).
    Nested limits restore the outer one on exit."""
    global _deadline, _seconds
    saved = (_deadline, _seconds)
    if seconds:
        _deadline, _seconds = time.monotonic() + seconds, seconds
    else:
        _deadline, _seconds = None, None
    try:
        yield
    finally:
        _deadline, _seconds = saved


def active() -> bool:
    return _deadline is not None


def expired() -> bool:
    return _deadline is not None and time.monotonic() > _deadline


def check() -> None:
    """Raise `Exceeded` if the current unit is past its deadline."""
    if _deadline is not None and time.monotonic() > _deadline:
        raise Exceeded(_seconds)


def seconds() -> float | None:
    """The current unit's budget in seconds, or None."""
    return _seconds
