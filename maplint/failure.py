"""What a race between two runtime map operations leads to, in one phrase.

The Go messages are the runtime's own (`runtime/map.go` go1.23.9,
`internal/runtime/maps` go1.24+; see docs/simulation.md). They name the
operation that *observed* the writer's flag: a writer reports
`concurrent map writes`, a lookup `concurrent map read and map write`, an
iterator `concurrent map iteration and map write`, `maps.Clone`
`concurrent map clone and map write` (except on go1.24-1.26, whose Clone
iterates). `len` and the element store after `mapassign` returns are never
checked. CPython never prints these: its failures are lost updates and
`RuntimeError: dictionary changed size during iteration`.
"""
from __future__ import annotations

WRITES = {"insert", "delete", "clear", "incr"}


def go_minor(runtime: str) -> int:
    try:
        return int(runtime.removeprefix("go1."))
    except ValueError:
        return 27


def go_failure(op_a: str, op_b: str, runtime: str) -> str:
    """The failure when op_a (this site) races with op_b (the other site)."""
    ops = {op_a, op_b}
    if op_a in WRITES and op_b in WRITES:
        if ops == {"incr"}:
            return "fatal error: concurrent map writes, or silently lost increments"
        return "fatal error: concurrent map writes"
    other = op_b if op_a in WRITES else op_a
    if other == "lookup":
        return "fatal error: concurrent map read and map write"
    if other == "len":
        return "the runtime does not check len: no crash, but it reads a stale count"
    if other == "range":
        return "fatal error: concurrent map iteration and map write"
    if other == "clone":
        if 24 <= go_minor(runtime) <= 26:
            return "fatal error: concurrent map iteration and map write"
        return "fatal error: concurrent map clone and map write"
    return "fatal error: concurrent map writes"
