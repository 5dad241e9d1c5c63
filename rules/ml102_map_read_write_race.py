"""ML102 map-read-write-race: a map read while another goroutine may write it, with no common lock

## What it does
Flags a lookup (`m[k]`, `v, ok := m[k]`) or `len(m)` that can run while
another goroutine writes the same map, and a write whose only concurrent
partners are such reads. Neither side holds a lock the other holds.

## Why is this bad?
A lookup checks the writer flag once on entry: when it sees a writer the
process dies with `fatal error: concurrent map read and map write`; when the
writer starts after the check, the reader walks buckets that are being
changed and may miss a present key or return a zero value. `len` is never
checked and simply reads a stale count.

## Example
```go
go func() { cache[k] = load(k) }()
if v, ok := cache[k]; ok { use(v) }
```

## Use instead
Take the same `sync.Mutex` (or the read side of one `sync.RWMutex`) around
the read, or publish an immutable map through `atomic.Pointer`.
"""
from __future__ import annotations

from collections.abc import Iterator

from maplint import ir
from maplint.failure import go_failure
from maplint.finding import Finding
from maplint.model import Model, sites
from maplint.rule import Rule, doc_parts


def check(model: Model) -> Iterator[Finding]:
    for site in sites(model):
        if site.code != RULE.code:
            continue
        s, p = site.acc, site.partners[0]
        if s.kind == ir.WRITE:
            what = "read" if p.op != "len" else "measured with len"
            msg = (f"map `{s.name}` is {model.pair(s, p, 'written', what)}, with no common lock{model.unshared(s, p)} "
                   f"({go_failure(s.op, p.op, model.runtime)})")
            role = "the concurrent read"
        else:
            verb = "read" if s.op != "len" else "measured with len"
            msg = (f"map `{s.name}` is {model.pair(s, p, verb, 'written')}, with no common lock{model.unshared(s, p)} "
                   f"({go_failure(s.op, p.op, model.runtime)})")
            role = "the concurrent write"
        yield Finding(code=RULE.code, name=RULE.name, span=s.span, message=msg,
                      related=model.related(s, p, role), identity=(s.name, s.op, p.op), simulation=model.simulation(s, p))


RULE = Rule(code="ML102", name="map-read-write-race", summary=doc_parts(__doc__)[0], doc=__doc__, check=check)
