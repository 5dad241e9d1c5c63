"""The examples are the spec: every finding expected, every expectation found."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.wantfile import check_package, findings_by_dir, parse_wants

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _packages(lang_dir: Path, suffix: str) -> list[Path]:
    if not lang_dir.is_dir():
        return []
    dirs = sorted({p.parent for p in lang_dir.rglob(f"*{suffix}")})
    return [d for d in dirs if "internal" not in d.relative_to(lang_dir).parts]


GO_PACKAGES = _packages(EXAMPLES / "go", ".go")


@pytest.fixture(scope="module")
def go_results():
    return findings_by_dir("examples/go", ROOT)


@pytest.mark.parametrize("pkg", GO_PACKAGES, ids=lambda p: p.name)
def test_go_example(pkg: Path, go_results):
    problems = check_package(pkg, ROOT, ".go", go_results)
    assert not problems, "\n".join(problems)


def test_examples_cover_racy_and_safe():
    racy = safe = 0
    for pkg in GO_PACKAGES:
        wants = [w for f in pkg.glob("*.go") for w in parse_wants(f, f.name)]
        if wants:
            racy += 1
        else:
            safe += 1
    assert racy >= 30 and safe >= 30, (racy, safe)


def test_every_rule_has_positive_example():
    from maplint.rule import all_rules

    codes = set()
    for pkg in GO_PACKAGES:
        for f in pkg.glob("*.go"):
            codes.update(w.code for w in parse_wants(f, f.name))
    missing = [r.code for r in all_rules() if "go" in r.languages and r.code not in codes]
    assert not missing, missing
