"""Fuzzing (docs/reliability.md): a bounded slice of `tools/fuzz.py` (the
full run is `python tools/fuzz.py --inputs 10000`) and the fuzzer's own
failure detection. The property-based tests are in test_fuzz_properties.py.

MAPLINT_FUZZ_INPUTS=N makes the slice bigger (CI runs the default)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools import fuzz  # noqa: E402

SLICE = int(os.environ.get("MAPLINT_FUZZ_INPUTS", "500"))


# ---- the fuzzer ------------------------------------------------------------------

def test_a_bounded_slice_of_the_fuzzer(tmp_path):
    """Inputs 1,000,000.. of seed 0 (the full run starts at 0): a slice CI
    can afford that the full run does not repeat."""
    summary = fuzz.run(SLICE, seed=0, start=1_000_000, jobs=2, timeout=60, out=tmp_path / "crashes")
    detail = "\n".join(f"input {i}: {kind}: {d[:2000]}" for i, kind, d in summary.failures)
    assert summary.inputs == SLICE
    assert (summary.crashes, summary.hangs) == (0, 0), detail


def test_inputs_are_reproducible():
    seeds = fuzz.corpus()
    a = [fuzz.make_input(3, i, seeds) for i in range(50)]
    b = [fuzz.make_input(3, i, seeds) for i in reversed(range(50))][::-1]
    assert [(x.files, x.extras, x.paths, x.sim) for x in a] == [(x.files, x.extras, x.paths, x.sim) for x in b]
    kinds = {m.split(":")[0] for x in a for m in x.mutations}
    assert len(kinds) > 8  # the mutations are exercised


def test_the_fuzzer_notices_crashes_hangs_and_dead_workers(tmp_path, monkeypatch):
    monkeypatch.setenv("MAPLINT_FUZZ_SELFTEST", "crash:1,hang:2,die:3")
    out = tmp_path / "crashes"
    summary = fuzz.run(6, seed=0, jobs=2, timeout=5, out=out)
    kinds = {i: kind for i, kind, _ in summary.failures}
    assert summary.inputs == 6
    assert kinds == {1: "crash", 2: "hang", 3: "crash"}
    assert (summary.crashes, summary.hangs) == (2, 1)
    saved = sorted(p.name for p in out.iterdir())
    assert saved == ["seed0-000001-crash", "seed0-000002-hang", "seed0-000003-crash"]
    info = json.loads((out / "seed0-000001-crash" / "info.json").read_text())
    assert info["replay"] == "python tools/fuzz.py --seed 0 --only 1"
    assert "deliberately broken" in (out / "seed0-000001-crash" / "detail.txt").read_text()
    assert "died" in (out / "seed0-000003-crash" / "detail.txt").read_text()
