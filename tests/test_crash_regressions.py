"""Crashes found by running maplint over real code and by the fuzzer, each
reduced to a minimal input (docs/reliability.md). Every one must analyse
cleanly: no ML999, no traceback."""
from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

from maplint.config import Settings
from maplint.engine import check_paths

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CASES = {
    # Go standard library, go/internal/srcimporter and cmd/link/internal/ld:
    # a variable of unknown type later assigned a closure, then called — the
    # closure's type ("func",) has no results slot (IndexError).
    "go_call_of_a_variable_holding_a_closure": ("go", """\
        package main

        import (
        \t"go/build"
        \t"io"
        \t"os"
        )

        var m = map[string]int{}

        type Importer struct{ ctxt *build.Context }

        func (p *Importer) parse(path string) {
        \topen := p.ctxt.OpenFile
        \tif open == nil {
        \t\topen = func(name string) (io.ReadCloser, error) { return os.Open(name) }
        \t}
        \tgo func() {
        \t\tsrc, err := open(path)
        \t\t_, _ = src, err
        \t\tm[path]++
        \t}()
        \tm[path] = 0
        }

        func main() { (&Importer{}).parse("x") }
        """),
    "go_call_of_a_closure_inside_an_expression": ("go", """\
        package main

        var m = map[int]int{}

        func main() {
        \tf := func() int { return 1 }
        \tvar g func() int
        \tg = f
        \tgo func() { m[g()+1] = 1 }()
        \tm[2] = func() int { return 2 }() + g()
        }
        """),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_internal_error(tmp_path, name):
    lang, src = CASES[name]
    p = tmp_path / ("main.go" if lang == "go" else "mod.py")
    p.write_text(textwrap.dedent(src))
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = check_paths(["."], Settings(no_cache=True, jobs=1), debug=True)
    finally:
        os.chdir(old)
    bad = [f for f in result.findings if f.code in ("ML999", "ML900")]
    assert bad == [], bad[0].message if bad else ""
    assert result.files_checked == 1
    assert any(f.code.startswith("ML1") for f in result.findings)


def test_a_syntax_error_without_a_position(tmp_path):
    """CPython's Lib/test/tokenizedata/bad_coding2.py (found by
    `tools/fuzz.py --corpus`): a BOM and a `coding: utf8` line make a
    SyntaxError at line 0, offset -1 — the diagnostic pointed at column -1,
    which SARIF rejects."""
    import json

    from maplint.report import sarif
    from tools.fuzz import sarif_validator

    (tmp_path / "bad_coding2.py").write_bytes(b"\xef\xbb\xbf#coding: utf8\nprint('\xe6\x88\x91')\n")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = check_paths(["."], Settings(no_cache=True, jobs=1))
    finally:
        os.chdir(old)
    [f] = result.findings
    assert f.code == "ML900" and "encoding problem" in f.message
    assert (f.span.line, f.span.col) == (1, 1)
    log = sarif.sarif_log(result.findings, result.fingerprints, root=tmp_path)
    v = sarif_validator()
    if v is not None:
        assert not list(v.iter_errors(json.loads(json.dumps(log))))
