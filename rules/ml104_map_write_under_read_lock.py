"""ML104 map-write-under-read-lock: a map written while holding only the read lock of an RWMutex

## What it does
Flags a write to a map made while the only locks held are read locks
(`RLock`) of a `sync.RWMutex`, when another access to the map can run at the
same time.

## Why is this bad?
Any number of goroutines may hold the read lock together, so the write is
not excluded from other readers — or from other writers that made the same
mistake. The runtime reports `fatal error: concurrent map writes` or
`concurrent map read and map write`, or silently corrupts the map.

## Example
```go
c.mu.RLock()
defer c.mu.RUnlock()
if _, ok := c.items[k]; !ok {
    c.items[k] = load(k)
}
```

## Use instead
Take the write lock (`Lock`) for any path that may write, or re-check under
`Lock` after dropping the read lock.
"""
from __future__ import annotations

from collections.abc import Iterator

from maplint.failure import go_failure
from maplint.finding import Finding
from maplint.model import Model, sites
from maplint.rule import Rule, doc_parts


def check(model: Model) -> Iterator[Finding]:
    for site in sites(model):
        if site.code != RULE.code:
            continue
        s = site.acc
        p = site.partners[0] if site.partners else s
        locks = model.locks(s)
        yield Finding(
            code=RULE.code, name=RULE.name, span=s.span,
            message=(f"map `{s.name}` is written while holding only the read lock of `{locks}`: readers and other "
                     f"writers still run concurrently ({go_failure(s.op, p.op if p is not s else s.op, model.runtime)})"),
            related=model.related(s, p, "a concurrent access") if p is not s else (),
            identity=(s.name, s.op), simulation=model.simulation(s, p),
        )


RULE = Rule(code="ML104", name="map-write-under-read-lock", summary=doc_parts(__doc__)[0], doc=__doc__, check=check)
