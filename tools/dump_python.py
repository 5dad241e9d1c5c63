"""Print the summaries, contexts and accesses of Python files (debugging aid).

    python tools/dump_python.py path/to/dir_or_file [...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from maplint import concurrency  # noqa: E402
from maplint.files import discover  # noqa: E402
from maplint.frontends.python import summarise  # noqa: E402
from maplint.frontends.python.load import load  # noqa: E402

files, _ = discover(sys.argv[1:])
units, ld = load([f for f in files if f.suffix == ".py"], 10**8)
for p in ld.problems:
    print("problem:", p)
for files in units:
    pkg = summarise(files)
    print("unit:", [f.shown for f in files], "is_main", pkg.is_main)
    for fid, s in pkg.funcs.items():
        print(f"func {fid} role={s.role} recv={s.recv} params={s.params} parent={s.parent} exported={s.exported}")
        for ev in s.events:
            fields = {k: v for k, v in ev.__dict__.items()
                      if k not in ("span", "released") and v not in ((), None, frozenset(), "")}
            print("   ", type(ev).__name__, fields, ev.span.line)
    eng, races, guarded = concurrency.build(pkg)
    for c in eng.contexts:
        print(f"ctx {c.id} {c.kind} {c.label} func={c.func} parent={c.parent} spawn_idx={c.spawn_index} "
              f"many={c.many} root={c.root} group={c.group and c.group.bucket()}")
        for s in c.signals:
            print("    signal", s[0].bucket(), s[1], "end" if s[2] else "", s[3] and s[3].bucket())
        for w in c.waits:
            print("    wait", w[0].bucket(), w[1], w[2])
    for a in eng.accesses:
        print(f"  {a.span.short()} ctx={a.ctx} idx={a.index} {a.kind}/{a.op} {a.loc.kind}:{a.loc.root}:{a.loc.path} "
              f"fk={a.loc.fieldkey} held={sorted(a.held)} loops={a.loops}")
    print("races:")
    for a, b in races:
        print("  ", a.span.short(), a.kind, a.op, "<->", b.span.short(), b.kind, b.op)
