"""ML101 concurrent-map-writes: a map written by goroutines that may run at once with no common lock

## What it does
Flags each write to a map (`m[k] = v`, `m[k] op= v`, `m[k]++`, `delete`,
`clear`, `maps.Copy`/`maps.Insert`/`maps.DeleteFunc` into it) that can run at
the same time as another write to the same map, from another goroutine or
from another instance of the same goroutine, while no lock is held by both.

## Why is this bad?
Go's runtime map guards itself with one plain, non-atomic flag byte. Two
writers that overlap usually die with `fatal error: concurrent map writes`,
which `recover` cannot catch and which runs no deferred call; the
interleavings the flag misses silently lose keys or leave `len` wrong.

## Example
```go
hits := map[string]int{}
for _, u := range users {
    go func() { hits[u.Name]++ }()
}
```

## Use instead
Guard every access with one `sync.Mutex`, give the map a single owning
goroutine, or collect per-goroutine results and merge after `wg.Wait()`.
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
        who_s, who_p = model.who(s), model.who(p)
        if s.ctx == p.ctx or who_s == who_p:
            by = f"{who_s}, several at once,"
        else:
            by = f"{who_s} and by {who_p}"
            prefixes = ("the goroutine started at ", "goroutines started at ")
            ws = next((who_s[len(x):] for x in prefixes if who_s.startswith(x)), None)
            wp = next((who_p[len(x):] for x in prefixes if who_p.startswith(x)), None)
            if ws and wp:
                by = f"goroutines started at {ws} and {wp}"
        where = "" if p.span == s.span else f"; the other write is at {p.span.short()}"
        yield Finding(
            code=RULE.code, name=RULE.name, span=s.span,
            message=(f"map `{s.name}` is written by {by} with no common lock{model.unshared(s, p)}{where} "
                     f"({go_failure(s.op, p.op, model.runtime)})"),
            related=model.related(s, p, "the other write" if p.span != s.span else "the same write, in another goroutine"),
            identity=(s.name, s.op, p.op),
            simulation=model.simulation(s, p),
        )


RULE = Rule(code="ML101", name="concurrent-map-writes", summary=doc_parts(__doc__)[0], doc=__doc__, check=check)
