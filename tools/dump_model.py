"""Print the instantiated contexts and accesses of one Go package (debugging aid)."""
import sys
from pathlib import Path

from maplint import concurrency
from maplint.frontends.go import load_package

d = Path(sys.argv[1])
units, problems, _ = load_package(d, {str(p.resolve()) for p in d.glob("*.go")}, 10**8, None)
for pkg, _ in units:
    eng, races, guarded = concurrency.build(pkg)
    for c in eng.contexts:
        print(f"ctx {c.id} {c.kind} {c.label} func={c.func} parent={c.parent} spawn_idx={c.spawn_index} many={c.many} root={c.root}")
        for s in c.signals:
            print("    signal", s[0].bucket(), s[1], "end" if s[2] else "", s[3] and s[3].bucket())
        for w in c.waits:
            print("    wait", w[0].bucket(), w[1], w[2])
    for a in eng.accesses:
        print(f"  {a.span.short()} ctx={a.ctx} idx={a.index} {a.kind}/{a.op} {a.loc.kind}:{a.loc.root}:{a.loc.path} fk={a.loc.fieldkey} held={sorted(a.held)} br={a.branch} loops={a.loops}")
    print("races:")
    for a, b in races:
        print("  ", a.span.short(), a.kind, "<->", b.span.short(), b.kind)
