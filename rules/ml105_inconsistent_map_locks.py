"""ML105 inconsistent-map-locks: one map guarded by different locks on different paths

## What it does
Flags an access to a map made under some lock while a concurrent access to
the same map (one of them a write) holds a different lock and none in common.

## Why is this bad?
Two different mutexes do not exclude each other: each path believes the map
is protected, yet both run at once. The runtime then fails as if there were
no lock at all (`fatal error: concurrent map writes` and its kin).

## Example
```go
func (r *Registry) Add(n string)    { r.addMu.Lock(); r.byName[n] = true; r.addMu.Unlock() }
func (r *Registry) Remove(n string) { r.mu.Lock(); delete(r.byName, n); r.mu.Unlock() }
```

## Use instead
Choose one mutex for the map, document it (`// +checklocks:mu`), and take it
on every path.
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
        s, p = site.acc, site.partners[0]
        mine, theirs = model.locks(s), model.locks(p)
        yield Finding(
            code=RULE.code, name=RULE.name, span=s.span,
            message=(f"map `{s.name}` is accessed under `{mine}` here but under `{theirs}` by {model.who(p)} at "
                     f"{p.span.short()}; different locks do not exclude each other "
                     f"({go_failure(s.op, p.op, model.runtime)})"),
            related=model.related(s, p, "the access under the other lock"),
            identity=(s.name, s.op, p.op), simulation=model.simulation(s, p),
        )


RULE = Rule(code="ML105", name="inconsistent-map-locks", summary=doc_parts(__doc__)[0], doc=__doc__, check=check)
