"""Run small racy Go programs on the real runtime and check the simulation
against what the runtime really shows.

For each program (two goroutines, one map, no lock) and each toolchain:
* every outcome class the real runs show must be one the simulation predicts
  for that operation pair (over the map sizes a loop passes through);
* the fatal message the simulation predicts most often must really occur.

Skipped when `go` is not on PATH. Extra toolchains (e.g. a go1.23 for the
classic map) can be listed in MAPLINT_GO_EXTRA (os.pathsep-separated paths to
`go` binaries). Bounded: one build per toolchain, a few short runs per
program, a 10 s timeout per run (a timeout counts as a hang).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from maplint.sim import runtime_for_go, simulate
from maplint.sim.go_common import (
    DAMAGE_ORDER,
    MSG_CLONE,
    MSG_FAULT,
    MSG_ITER,
    MSG_NILDEREF,
    MSG_READ,
    MSG_WRITES,
)

pytestmark = pytest.mark.go

RUNS = 6  # per program and toolchain
TIMEOUT = 10

# program mode → (op_a, op_b) of the simulation
MODES = {
    "insert-insert": ("insert", "insert"),
    "lookup-insert": ("lookup", "insert"),
    "range-insert": ("range", "insert"),
    "len-insert": ("len", "insert"),
    "lookup-lookup": ("lookup", "lookup"),
    "incr-incr": ("incr", "incr"),
    "delete-insert": ("delete", "insert"),
    "clear-insert": ("clear", "insert"),
    "clone-insert": ("clone", "insert"),
}

PROGRAM = textwrap.dedent('''
    // Two goroutines use one map without a lock; main audits it afterwards.
    package main

    import (
    	"fmt"
    	"maps"
    	"os"
    	"sync"
    )

    const iters = 200000
    const span = 256 // keys per writer: the map stays below a Swiss table split

    func main() {
    	mode := os.Args[1]
    	m := map[int]int{1: 101, 2: 102, 3: 103, 4: 104}
    	var clone map[int]int
    	expect := map[int]int{1: 101, 2: 102, 3: 103, 4: 104}
    	sink := 0
    	var wg sync.WaitGroup
    	start := make(chan struct{})
    	run := func(f func()) {
    		wg.Add(1)
    		go func() { defer wg.Done(); <-start; f() }()
    	}
    	writer := func(base int) func() {
    		return func() {
    			for i := 0; i < iters; i++ {
    				m[base+i%span] = base + i%span
    			}
    		}
    	}
    	for i := 0; i < span; i++ {
    		expect[1000+i] = 1000 + i
    	}
    	switch mode {
    	case "insert-insert":
    		run(writer(1000))
    		run(writer(5000))
    		for i := 0; i < span; i++ {
    			expect[5000+i] = 5000 + i
    		}
    	case "lookup-insert":
    		run(func() {
    			for i := 0; i < iters; i++ {
    				if v, ok := m[1000+i%span]; ok {
    					sink += v
    				}
    			}
    		})
    		run(writer(1000))
    	case "range-insert":
    		run(func() {
    			for i := 0; i < iters/64; i++ {
    				for k, v := range m {
    					sink += k + v
    				}
    			}
    		})
    		run(writer(1000))
    	case "len-insert":
    		run(func() {
    			for i := 0; i < iters; i++ {
    				sink += len(m)
    			}
    		})
    		run(writer(1000))
    	case "lookup-lookup":
    		for i := 0; i < span; i++ {
    			delete(expect, 1000+i)
    		}
    		read := func() {
    			for i := 0; i < iters; i++ {
    				sink += m[1+i%4]
    			}
    		}
    		run(read)
    		run(read)
    	case "incr-incr":
    		for i := 0; i < span; i++ {
    			delete(expect, 1000+i)
    		}
    		m[0] = 0
    		expect[0] = 2 * iters
    		inc := func() {
    			for i := 0; i < iters; i++ {
    				m[0]++
    			}
    		}
    		run(inc)
    		run(inc)
    	case "delete-insert":
    		run(func() {
    			for i := 0; i < iters; i++ {
    				delete(m, 9000+i%span)
    			}
    		})
    		run(writer(1000))
    	case "clear-insert":
    		expect = nil // the contents depend on the last clear: audit consistency only
    		run(func() {
    			for i := 0; i < iters/64; i++ {
    				clear(m)
    			}
    		})
    		run(writer(1000))
    	case "clone-insert":
    		run(func() {
    			for i := 0; i < iters/64; i++ {
    				clone = maps.Clone(m)
    			}
    		})
    		run(writer(1000))
    	default:
    		fmt.Fprintln(os.Stderr, "unknown mode", mode)
    		os.Exit(3)
    	}
    	close(start)
    	wg.Wait()
    	fmt.Println("AUDIT")
    	audit("", m, expect)
    	if clone != nil {
    		fmt.Println("AUDIT-CLONE")
    		audit("clone ", clone, nil)
    	}
    	fmt.Println("DONE", sink != -1)
    }

    // audit prints one CORRUPT line per kind of damage it finds.
    func audit(what string, m map[int]int, expect map[int]int) {
    	seen := map[int]int{}
    	for k, v := range m {
    		seen[k]++
    		if w, ok := m[k]; !ok {
    			fmt.Printf("CORRUPT %skey visible to range but not to lookup\\n", what)
    		} else if w != v {
    			fmt.Printf("CORRUPT %sstale value\\n", what)
    		}
    	}
    	for _, c := range seen {
    		if c > 1 {
    			fmt.Printf("CORRUPT %sduplicate key\\n", what)
    			break
    		}
    	}
    	if len(m) != len(seen) {
    		fmt.Printf("CORRUPT %slen disagrees with contents\\n", what)
    	}
    	for k, want := range expect {
    		v, ok := m[k]
    		if !ok {
    			if seen[k] == 0 {
    				fmt.Printf("CORRUPT %slost key\\n", what)
    			}
    		} else if v != want {
    			if k == 0 && v < want {
    				fmt.Printf("CORRUPT %slost update\\n", what)
    			} else {
    				fmt.Printf("CORRUPT %sstale value\\n", what)
    			}
    		}
    	}
    }
''')


def toolchains() -> list[str]:
    out = []
    go = shutil.which("go")
    if go:
        out.append(go)
    for extra in filter(None, os.environ.get("MAPLINT_GO_EXTRA", "").split(os.pathsep)):
        if Path(extra).is_file() and extra not in out:
            out.append(extra)
    return out


def go_env() -> dict:
    env = dict(os.environ)
    env.update(GOTOOLCHAIN="local", GOPROXY="off", GOFLAGS="", GO111MODULE="on", GOMAXPROCS="2")
    return env


@pytest.fixture(scope="module")
def binaries(tmp_path_factory):
    """runtime name → built program, one per toolchain."""
    if not toolchains():
        pytest.skip("no `go` on PATH")
    d = tmp_path_factory.mktemp("racy")
    (d / "main.go").write_text(PROGRAM)
    built = {}
    for go in toolchains():
        ver = subprocess.run([go, "env", "GOVERSION"], capture_output=True, text=True, env=go_env(), timeout=60)
        if ver.returncode != 0:
            continue
        rt = runtime_for_go(ver.stdout.strip())
        exe = d / f"racy-{rt}"
        r = subprocess.run([go, "build", "-o", str(exe), "main.go"], cwd=d, capture_output=True, text=True,
                           env=go_env(), timeout=300)
        if r.returncode != 0:
            pytest.fail(f"go build with {go} failed:\n{r.stderr}")
        built[rt] = exe
    if not built:
        pytest.skip("no usable Go toolchain")
    return built


FATAL_RE = re.compile(r"fatal error: (.+)")
KNOWN_FATALS = (MSG_WRITES, MSG_READ, MSG_ITER, MSG_CLONE, "bad map state", "oldoverflow is not nil",
                "small map with no empty slot (concurrent map writes?)")


def observe(exe: Path, mode: str) -> tuple[str, str]:
    """Run the program once; return the outcome class (kind, message)."""
    try:
        p = subprocess.run([str(exe), mode], capture_output=True, text=True, timeout=TIMEOUT, env=go_env())
        out, err, code, hung = p.stdout, p.stderr, p.returncode, False
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = (e.stderr or b"").decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
        code, hung = None, True
    after_audit = "AUDIT" in out
    fatal = FATAL_RE.search(err)
    msg = None
    if "unexpected fault address" in err or (fatal and fatal.group(1).strip() == "fault"):
        msg = ("fatal", MSG_FAULT)
    elif "panic: runtime error: invalid memory address or nil pointer dereference" in err:
        msg = ("panic", MSG_NILDEREF)
    elif fatal:
        # Two goroutines can print at once on go ≤1.23 ("fatal error: fatal
        # error: concurrent map writesconcurrent map writes"): take the first.
        text = fatal.group(1).replace("fatal error: ", "")
        known = next((k for k in KNOWN_FATALS if text.startswith(k)), text.strip())
        msg = ("fatal", known)
    if msg and after_audit:
        # The map (or clone) was fine for the racing goroutines but the first
        # later use crashed: the flag was left set (or memory was damaged).
        if msg[0] == "fatal" and msg[1].startswith("concurrent map"):
            which = "clone" if "AUDIT-CLONE" in out else "map"
            return ("corruption", f"{which} left in writing state")
        return msg
    if msg:
        return msg  # a crash-path hang after printing counts as that fatal
    if hung:
        return ("hang", "no output")
    if code != 0:
        return ("exit", f"status {code}: {err[-300:]}")
    damages = sorted({line[len("CORRUPT "):].replace("clone ", "clone ", 1) for line in out.splitlines()
                      if line.startswith("CORRUPT ")})
    if damages:
        return ("corruption", ";".join(damages))
    return ("ok", "")


def predicted(rt: str, a: str, b: str) -> set[tuple[str, str]]:
    """The simulation's classes over the sizes a loop passes through."""
    classic = int(rt.split(".")[1]) <= 23
    sizes = (None, 8, 27) if classic else (None, 8, 14)
    out: set[tuple[str, str]] = set()
    for n in sizes:
        r = simulate(rt, a, b, key_kind="int64", size=n)
        out |= {(o.kind, o.message) for o in r.outcomes}
    return out


def explained(obs: tuple[str, str], pred: set[tuple[str, str]]) -> bool:
    if obs in pred:
        return True
    if obs[0] == "corruption":
        # The audit prints every damage it finds; the simulation names one.
        # Accept it if one of them is predicted (a clone's damages as the
        # clone's own classes).
        pred_corr = {m for k, m in pred if k == "corruption"}
        for d in obs[1].split(";"):
            d = d.strip()
            if d.startswith("clone "):
                if any(m.startswith("clone ") for m in pred_corr):
                    return True
            elif d in pred_corr:
                return True
            elif d in DAMAGE_ORDER and d in {"stale value", "len disagrees with contents"} and pred_corr:
                # consequences that accompany any predicted damage
                return True
    return False


@pytest.mark.parametrize("mode", list(MODES))
def test_runtime_shows_what_the_simulation_predicts(binaries, mode):
    a, b = MODES[mode]
    for rt, exe in binaries.items():
        pred = predicted(rt, a, b)
        seen = [observe(exe, mode) for _ in range(RUNS)]
        bad = [o for o in seen if not explained(o, pred)]
        assert not bad, f"{rt} {mode}: the runtime showed {bad}, the simulation predicts {sorted(pred)}"
        fatals = [o for o in simulate(rt, a, b, key_kind="int64").outcomes if o.kind == "fatal"]
        if fatals:
            main = max(fatals, key=lambda o: o.count)
            if ("fatal", main.message) not in seen:
                # Not fatal for the test's purpose on a loaded machine: try a few more runs.
                seen += [observe(exe, mode) for _ in range(RUNS)]
            assert ("fatal", main.message) in seen, f"{rt} {mode}: predicted {main.message!r} never shown: {seen}"
        else:
            assert all(o[0] in ("ok", "corruption") for o in seen), (rt, mode, seen)
