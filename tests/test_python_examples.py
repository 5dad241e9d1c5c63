"""The Python examples are the spec: every finding expected, every expectation found.

Each directory under examples/python is one program; racy ones carry
`# want MLxxx "regex"` on the offending lines, safe ones (`*_ok`) carry none.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.wantfile import check_package, findings_by_dir, parse_wants

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "python"
PROGRAMS = sorted(d for d in EXAMPLES.iterdir() if d.is_dir() and any(d.glob("*.py"))) if EXAMPLES.is_dir() else []


@pytest.fixture(scope="module")
def py_results():
    return findings_by_dir("examples/python", ROOT)


@pytest.mark.parametrize("prog", PROGRAMS, ids=lambda p: p.name)
def test_python_example(prog: Path, py_results):
    problems = check_package(prog, ROOT, ".py", py_results)
    assert not problems, "\n".join(problems)


def _wants(prog: Path):
    return [w for f in prog.glob("*.py") for w in parse_wants(f, f.name)]


def test_examples_cover_racy_and_safe():
    racy = [p for p in PROGRAMS if _wants(p)]
    safe = [p for p in PROGRAMS if not _wants(p)]
    assert len(racy) >= 25 and len(safe) >= 25, (len(racy), len(safe))
    assert all(p.name.endswith("_ok") for p in safe), [p.name for p in safe if not p.name.endswith("_ok")]
    assert not any(p.name.endswith("_ok") for p in racy)


def test_every_python_rule_has_positive_example():
    from maplint.rule import all_rules

    codes = {w.code for p in PROGRAMS for w in _wants(p)}
    missing = [r.code for r in all_rules() if "python" in r.languages and r.code not in codes]
    assert not missing, missing
