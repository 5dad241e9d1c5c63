"""Rule modules follow the conventions the docs and reporters rely on."""
from __future__ import annotations

import re

from maplint.rule import all_rules, doc_parts
from tools.gen_rule_docs import pages

HEADINGS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")


def test_rules_are_discovered_and_unique():
    rules = all_rules()
    assert [r.code for r in rules] == sorted({r.code for r in rules})
    assert len({r.name for r in rules}) == len(rules)


def test_rule_docstrings_have_the_headings():
    for r in all_rules():
        first = r.doc.strip().splitlines()[0]
        assert first.startswith(f"{r.code} {r.name}: "), first
        assert re.fullmatch(r"[a-z][a-z0-9-]+", r.name)
        for h in HEADINGS:
            assert h in r.doc, (r.code, h)
        assert len(doc_parts(r.doc)[0]) <= 100


def test_generated_docs_are_current():
    stale = [str(p) for p, text in pages().items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
    assert not stale, f"run `python tools/gen_rule_docs.py`: {stale}"


def test_wheel_ships_rules_under_maplint(tmp_path):
    """rules/ ships inside the wheel as maplint/rules/, never as top-level
    `rules` (that import name belongs to django-rules)."""
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(tmp_path), str(root)], capture_output=True, text=True)
    if proc.returncode != 0 and "No module named" in proc.stderr:
        import pytest

        pytest.skip("hatchling is not installed for an offline build")
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("maplint-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "maplint/rules/ml101_concurrent_map_writes.py" in names
    assert "maplint/rules/__init__.py" in names
    assert not any(n.startswith("rules/") for n in names)
