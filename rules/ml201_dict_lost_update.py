"""ML201 dict-lost-update: a dict entry read, changed and written back while another thread may write it

## What it does
Flags a read-modify-write of a dict entry — `d[k] += 1`, `d[k] = d.get(k, 0) + 1`,
`d[a][b] += 1`, `v = d[k]` followed later by `d[k] = v + …`, `Counter` increments and
`Counter.update` — that can run while another thread writes the same dict, with no lock held
by both. A plain `d[k] = v` racing with another is not flagged: each single dict operation is
atomic in CPython.

## Why is this bad?
The read and the write are two operations. When another thread writes the entry in between,
one of the two updates is silently lost: counters undercount, totals drift. It happens on
every CPython when a call sits between the read and the write (`d.get`, a function computing
the new value, a `Counter` key that is new and goes through `__missing__`), and on
free-threaded CPython and CPython ≤ 3.9 even for `d[k] += 1`.

## Example
```python
counts = {}

def worker(words):
    for w in words:
        counts[w] = counts.get(w, 0) + 1

threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
```

## Use instead
Hold one `threading.Lock` around the whole read-modify-write, or count per thread and merge
after `join()`:

```python
with counts_lock:
    counts[w] = counts.get(w, 0) + 1
```
"""
from __future__ import annotations

from collections.abc import Iterator

from maplint.finding import Finding
from maplint.frontends.python import races
from maplint.model import Model
from maplint.rule import Rule, doc_parts


def check(model: Model) -> Iterator[Finding]:
    for site in races.sites(model):
        if site.code != RULE.code:
            continue
        s, p, c = site.acc, site.other, site.compound
        who_s, who_p = races.by(model, s, p)
        if s is c:
            what = "read, changed and written back" if races.base(s.op) == "rmw" else "read with `get` and written back"
            msg = (f"dict `{s.name}` is {what} by {who_s} {races.partner(model, s, p, 'writes')}"
                   f"{races.locks_note(model, s, p)}: {races.fails_compound(s.op, s.key_kind, 'loses updates')}")
        else:
            msg = (f"dict `{s.name}` is written by {who_s} without `{races.locks(model, c)}`, "
                   f"which {who_p} {races.verb(who_p, 'holds')} while "
                   f"it reads, changes and writes back the same dict at {c.span.short()}: "
                   f"{races.fails_compound(c.op, c.key_kind, 'the other side loses updates')}")
        yield Finding(code=RULE.code, name=RULE.name, span=s.span, message=msg,
                      related=races.related(model, site, "the concurrent write"),
                      identity=(s.name, s.op, p.op), simulation=races.simulation(model, c, site.other if s is c else s))


RULE = Rule(code="ML201", name="dict-lost-update", summary=doc_parts(__doc__)[0], doc=__doc__, check=check,
            languages=("python",))
