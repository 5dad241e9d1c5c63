"""ML202 dict-check-then-act: a dict membership check acted on after another thread may have changed it

## What it does
Flags the act of a check-then-act on a dict — the insert in `if k not in d: d[k] = …`, the
`del d[k]` / `d.pop(k)` / `d[k]` / `move_to_end(k)` in `if k in d: …`, the insert after
`v = d.get(k)` and `if v is None:`, the insert after an early `return d[k]` or a caught
`KeyError`, and LRU eviction with `next(iter(d))` — when another thread may insert or delete
the same key between the check and the act, with no lock held across both.

## Why is this bad?
The check is stale by the time the act runs. Two threads that both see the key missing
both insert it, and the second insert overwrites the first (a cache computes twice, a list
of waiters loses entries). Two threads that both see it present both delete it, and the
second `del`/`pop` raises `KeyError`. It happens on every CPython when a call sits between
the check and the act, and on free-threaded CPython and CPython ≤ 3.9 even without one.

## Example
```python
def get(self, key):
    if key not in self._cache:
        self._cache[key] = self._load(key)
    return self._cache[key]
```

## Use instead
Hold one lock across the check and the act, or use a single atomic operation:
`d.setdefault(k, v)`, `d.pop(k, None)`, `d.get(k)` once.

```python
with self._lock:
    if key not in self._cache:
        self._cache[key] = self._load(key)
    return self._cache[key]
```
"""
from __future__ import annotations

from collections.abc import Iterator

from maplint.finding import Finding
from maplint.frontends.python import races
from maplint.model import Model
from maplint.rule import Rule, doc_parts

ACTS = {
    "check-insert": ("inserted after checking that the key is absent", "another thread may insert the same key in "
                     "between, and one insert overwrites the other"),
    "check-delete": ("deleted after checking that the key is present", "another thread may delete it in between, "
                     "and this delete raises KeyError"),
    "check-lookup": ("read after checking that the key is present", "another thread may delete it in between, "
                     "and the lookup raises KeyError"),
    "check-move": ("moved with `move_to_end` after checking that the key is present", "another thread may delete "
                   "it in between, and `move_to_end` raises KeyError"),
}


def check(model: Model) -> Iterator[Finding]:
    for site in races.sites(model):
        if site.code != RULE.code:
            continue
        s, p, c = site.acc, site.other, site.compound
        act, outcome = ACTS.get(races.base(c.op), ACTS["check-insert"])
        if "evict" in races.quals(c.op):
            # `if len(d) > limit: d.popitem()`: a size check, not a key check.
            act, outcome = ("evicted (`popitem`) after checking the dict's size", "another thread may take an "
                            "entry in between: `popitem` raises KeyError if that emptied the dict, and otherwise "
                            "the dict loses one entry more than the check allowed")
        chk = races.check_span(model, c)
        at = f" (checked at line {chk.line})" if chk is not None and chk.line != c.span.line else ""
        who_s, who_p = races.by(model, s, p)
        if s is c:
            verb = "inserts into" if races.base(p.op) in races.INSERTS else "deletes from"
            msg = (f"an entry of dict `{s.name}` is {act}{at} by {who_s}, {races.partner(model, s, p, verb)}"
                   f"{races.locks_note(model, s, p)}: {outcome}; "
                   f"{races.fails_compound(c.op, c.key_kind, 'this fails')}")
        else:
            msg = (f"dict `{s.name}` is changed by {who_s} without `{races.locks(model, c)}`, "
                   f"which {who_p} {races.verb(who_p, 'holds')} across "
                   f"its check and act at {c.span.short()}: {outcome}")
        yield Finding(code=RULE.code, name=RULE.name, span=s.span, message=msg,
                      related=races.related(model, site, "the concurrent write"),
                      identity=(s.name, s.op, p.op), simulation=races.simulation(model, c, p if s is c else s))


RULE = Rule(code="ML202", name="dict-check-then-act", summary=doc_parts(__doc__)[0], doc=__doc__, check=check,
            languages=("python",))
