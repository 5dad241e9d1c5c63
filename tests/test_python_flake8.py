"""The flake8 plugin: same codes as `maplint check`, `# noqa` works, quiet on syntax errors."""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from maplint.config import Settings
from maplint.engine import check_paths
from maplint.integrations.flake8 import Plugin

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "python"

RACY = """\
import threading

counts = {}


def work(words):
    for w in words:
        counts[w] = counts.get(w, 0) + 1NOQA


threads = [threading.Thread(target=work, args=(["a"],)) for _ in range(2)]
for t in threads:
    t.start()
"""


def run_plugin(path: Path, text: str | None = None):
    text = path.read_text(encoding="utf-8") if text is None else text
    lines = text.splitlines(keepends=True)
    try:
        tree = ast.parse(text)
    except SyntaxError:
        tree = None
    return list(Plugin(tree, lines, str(path)).run())


def test_plugin_signature_names_tree_lines_filename():
    import inspect

    params = list(inspect.signature(Plugin.__init__).parameters)
    assert params[1:] == ["tree", "lines", "filename"]


def test_plugin_reports_same_codes_as_check(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    for prog in ("word_count_get_set", "cross_module_store", "lru_ordereddict_move", "lock_rmw_ok"):
        d = EXAMPLES / prog
        expected = sorted((f.span.path, f.span.line, f.span.col - 1, f.code)
                          for f in check_paths([str(d.relative_to(ROOT))], Settings()).findings)
        got = []
        for p in sorted(d.glob("*.py")):
            rel = p.relative_to(ROOT)
            for line, col, msg, _ in run_plugin(rel):
                got.append((str(rel), line, col, msg.split(" ", 1)[0]))
        assert sorted(got) == expected, prog


def test_plugin_is_quiet_on_syntax_errors(tmp_path):
    p = tmp_path / "broken.py"
    p.write_text("import threading\ndef f(:\n    pass\n", encoding="utf-8")
    assert run_plugin(p) == []


def test_plugin_reads_the_buffer_not_the_disk(tmp_path):
    p = tmp_path / "mod.py"
    p.write_text("x = 1\n", encoding="utf-8")
    out = run_plugin(p, RACY.replace("NOQA", ""))
    assert [m.split(" ", 1)[0] for _, _, m, _ in out] == ["ML201"]
    assert out[0][0] == 8


def test_plugin_honours_tool_maplint_ignore(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.maplint]\nignore = ["ML201"]\n', encoding="utf-8")
    p = tmp_path / "mod.py"
    p.write_text(RACY.replace("NOQA", ""), encoding="utf-8")
    assert run_plugin(p) == []


def _flake8() -> list[str] | None:
    exe = shutil.which("flake8") or str(Path(sys.executable).with_name("flake8"))
    if not Path(exe).exists():
        return None
    proc = subprocess.run([exe, "--version"], capture_output=True, text=True)
    if "maplint" not in proc.stdout:
        return None
    return [exe]


@pytest.mark.parametrize("noqa, expected", [("", 1), ("  # noqa: ML201", 0), ("  # noqa", 0), ("  # noqa: E501", 1)])
def test_flake8_end_to_end_noqa(tmp_path, noqa, expected):
    cmd = _flake8()
    if cmd is None:
        pytest.skip("flake8 with the maplint plugin registered is not installed")
    p = tmp_path / "mod.py"
    p.write_text(RACY.replace("NOQA", noqa), encoding="utf-8")
    proc = subprocess.run(cmd + ["--select=ML", str(p)], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = [ln for ln in proc.stdout.splitlines() if " ML" in ln]
    assert len(lines) == expected, proc.stdout + proc.stderr
    if expected:
        assert ":8:9: ML201 " in lines[0]


def test_flake8_end_to_end_syntax_error_is_e999_only(tmp_path):
    cmd = _flake8()
    if cmd is None:
        pytest.skip("flake8 with the maplint plugin registered is not installed")
    p = tmp_path / "bad.py"
    p.write_text("import threading\ndef f(:\n", encoding="utf-8")
    proc = subprocess.run(cmd + ["--select=E9,ML", str(p)], capture_output=True, text=True, cwd=tmp_path)
    assert "E999" in proc.stdout
    assert "ML" not in proc.stdout.replace(str(p), "")


def test_plugin_does_no_work_when_ml_is_not_selected(tmp_path, monkeypatch):
    import types

    p = tmp_path / "mod.py"
    p.write_text(RACY.replace("NOQA", ""), encoding="utf-8")
    try:
        Plugin.parse_options(types.SimpleNamespace(select=["F"], extend_select=None))
        assert run_plugin(p) == []
        Plugin.parse_options(types.SimpleNamespace(select=["F", "ML2"], extend_select=None))
        assert len(run_plugin(p)) == 1
        Plugin.parse_options(types.SimpleNamespace(select=None, extend_select=None))
        assert len(run_plugin(p)) == 1
    finally:
        Plugin.enabled = True
