"""ML203 dict-iteration-race: a dict iterated in Python code while another thread may add or remove keys

## What it does
Flags a Python-level iteration over a dict — `for` over the dict or its `keys()`,
`values()` or `items()` views, comprehensions, generator expressions, `min`/`max` with a key
function, `copy.deepcopy`, `Counter.most_common(n)`, `json.dumps(d, indent=…)` — that can
run while another thread inserts or deletes keys (or calls `OrderedDict.move_to_end`), with
no lock held by both.

## Why is this bad?
A dict iterator checks the dict's size at every step and raises
`RuntimeError: dictionary changed size during iteration` when it changed; an `OrderedDict`
raises `RuntimeError: OrderedDict mutated during iteration` even when only the order
changed. Every step of a Python loop is a point where the GIL may switch threads, so this
happens on every CPython, typically in a stats or cleanup thread long after deployment.

## Example
```python
def report():
    for user, n in sessions.items():
        print(user, n)
```
while request threads run `sessions[user] = now()`.

## Use instead
Iterate a snapshot taken in one C call — `list(d.items())`, `d.copy()`, `dict(d)` — or hold
the same lock as the writers for the whole loop.

```python
for user, n in sessions.copy().items():
    print(user, n)
```
"""
from __future__ import annotations

from collections.abc import Iterator

from maplint import ir
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
        changer = site.other if s is c else s
        verb = "reorders" if races.base(changer.op) in races.REORDERING else (
            "deletes from" if races.base(changer.op) in races.DELETES else "inserts into")
        if s is c:
            msg = (f"dict `{s.name}` is iterated by {who_s} {races.partner(model, s, p, verb)}"
                   f"{races.locks_note(model, s, p)}: the iteration {races.fails_iteration(s.op, p.op)}")
        else:
            msg = (f"dict `{s.name}` is changed by {who_s} without `{races.locks(model, c)}`, "
                   f"which {who_p} {races.verb(who_p, 'holds')} while "
                   f"iterating it at {c.span.short()}: that iteration {races.fails_iteration(c.op, s.op)}")
        assert c.kind == ir.ITERATE
        yield Finding(code=RULE.code, name=RULE.name, span=s.span, message=msg,
                      related=races.related(model, site, "the concurrent change" if s is c else "the iteration"),
                      identity=(s.name, s.op, p.op), simulation=races.simulation(model, c, changer))


RULE = Rule(code="ML203", name="dict-iteration-race", summary=doc_parts(__doc__)[0], doc=__doc__, check=check,
            languages=("python",))
