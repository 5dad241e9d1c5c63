"""ML103 map-iteration-write-race: a map iterated while another goroutine may write it, with no common lock

## What it does
Flags an iteration — `for ... range m`, `maps.Keys`/`Values`/`All`/`Clone`/`Equal`,
or handing the map to `fmt` or an `encoding/json` encoder, which iterate it —
that can run while another goroutine writes the same map, and a write whose
concurrent partners are iterations.

## Why is this bad?
The iterator checks the writer flag at every step, so an overlapping write
usually ends the process with `fatal error: concurrent map iteration and map
write` (`maps.Clone` reports `concurrent map clone and map write` on go1.23
and go1.27+). A write made between two steps is invisible to the check: the
loop body runs unprotected, and may see keys twice or miss them.

## Example
```go
go func() { for { stats[name()]++ } }()
for k, v := range stats { fmt.Println(k, v) }
```

## Use instead
Hold the lock for the whole loop, or copy the map under the lock
(`maps.Clone(m)`) and iterate the copy after unlocking.
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
            msg = (f"map `{s.name}` is {model.pair(s, p, 'written', 'iterated')}, with no common lock{model.unshared(s, p)} "
                   f"({go_failure(s.op, p.op, model.runtime)})")
            role = "the concurrent iteration"
        else:
            msg = (f"map `{s.name}` is {model.pair(s, p, 'iterated', 'written')}, with no common lock{model.unshared(s, p)} "
                   f"({go_failure(s.op, p.op, model.runtime)})")
            role = "the concurrent write"
        yield Finding(code=RULE.code, name=RULE.name, span=s.span, message=msg,
                      related=model.related(s, p, role), identity=(s.name, s.op, p.op), simulation=model.simulation(s, p))


RULE = Rule(code="ML103", name="map-iteration-write-race", summary=doc_parts(__doc__)[0], doc=__doc__, check=check)
