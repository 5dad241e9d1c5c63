"""The same findings, in the same order, with the same fingerprints, however
maplint is run: `-j`, cache state (off, cold, warm), the order of the paths
on the command line (directories or every file named one by one), and
PYTHONHASHSEED. Outputs are compared byte for byte (docs/reliability.md)."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def maplint(args: list[str], hashseed: str, cache_dir: Path | None, fmt: str = "json") -> tuple[int, str, str]:
    env = dict(os.environ, PYTHONHASHSEED=hashseed, NO_COLOR="1")
    env.pop("MAPLINT_CACHE_DIR", None)
    cmd = [sys.executable, "-m", "maplint", "check", "--format", fmt, *args]
    cmd += ["--cache-dir", str(cache_dir)] if cache_dir is not None else ["--no-cache"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.returncode, proc.stdout, proc.stderr


def example_dirs() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (EXAMPLES / "go").iterdir() if p.is_dir()) + \
        sorted(str(p.relative_to(ROOT)) for p in (EXAMPLES / "python").iterdir() if p.is_dir())


def example_files() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in EXAMPLES.rglob("*") if p.suffix in (".go", ".py"))


@pytest.fixture(scope="module")
def reference():
    return maplint(["examples"], "0", None)


def variations(tmp: Path):
    """(label, args, PYTHONHASHSEED, cache dir or None)."""
    dirs = example_dirs()
    files = example_files()
    shuffled = files[:]
    random.Random(7).shuffle(shuffled)
    cold = tmp / "cache"
    return [
        ("-j1, no cache, hash seed 1", ["-j", "1", "examples"], "1", None),
        ("-j2, no cache, hash seed random", ["-j", "2", "examples"], "random", None),
        ("-j2, cold cache", ["-j", "2", "examples"], "2", cold),
        ("-j1, warm cache", ["-j", "1", "examples"], "3", cold),
        ("-j2, warm cache, hash seed random", ["-j", "2", "examples"], "random", cold),
        ("directories in reverse order", ["-j", "2", *reversed(dirs)], "4", None),
        ("every file named, shuffled, warm cache", ["-j", "2", *shuffled], "5", cold),
    ]


def test_examples_have_findings(reference):
    code, out, _ = reference
    doc = json.loads(out)
    assert code == 1 and len(doc["findings"]) > 50
    fps = [f["fingerprint"] for f in doc["findings"]]
    assert len(set(fps)) == len(fps)


def test_same_bytes_however_it_is_run(reference, tmp_path):
    _, want, want_err = reference
    for label, args, seed, cache in variations(tmp_path):
        code, out, err = maplint(args, seed, cache)
        assert out == want, f"{label}: the JSON output differs"
        assert err == want_err, f"{label}: the diagnostics differ"
    # The warm runs really read the cache.
    assert any((tmp_path / "cache").rglob("*.json"))


def test_sarif_and_text_are_stable_too(tmp_path):
    """SARIF (cold cache, then no cache) and text (warm cache, then no cache)."""
    for fmt, runs in (("sarif", (("2", "random", tmp_path / "c"), ("1", "0", None))),
                      ("text", (("2", "random", tmp_path / "c"), ("1", "1", None)))):
        outs = {maplint(["-j", j, "examples"], seed, cache, fmt)[1] for j, seed, cache in runs}
        assert len(outs) == 1, fmt


def test_in_process_runs_agree_whatever_the_order(tmp_path):
    """The engine itself, called twice in one process with the paths in two
    orders: the same findings and fingerprints (no state leaks between runs)."""
    from maplint.config import Settings
    from maplint.engine import check_paths
    from maplint.report import as_dict

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        dirs = example_dirs()
        a = check_paths(dirs, Settings(no_cache=True, jobs=1))
        b = check_paths(list(reversed(dirs)), Settings(no_cache=True, jobs=1))
    finally:
        os.chdir(old)
    key = lambda r: [as_dict(f, r.fingerprints.get((f.code, f.span.path, f.span.line, f.span.col)))  # noqa: E731
                     for f in r.findings]
    assert key(a) == key(b)
