"""Usage errors exit 2 with a message that says what to fix; internal errors
stay inside the file (and rule) they happened in (docs/reliability.md)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from maplint.cli import main

RACY_GO = textwrap.dedent("""\
    package main

    var m = map[int]int{}

    func main() {
    \tgo func() { m[1] = 1 }()
    \tm[2] = 2
    \tfor k := range m {
    \t\t_ = k
    \t}
    }
    """)

RACY_PY = textwrap.dedent("""\
    import threading

    shared = {}


    def work():
        shared["a"] = shared.get("a", 0) + 1


    threading.Thread(target=work).start()
    threading.Thread(target=work).start()
    """)


def tree(tmp_path: Path) -> Path:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "main.go").write_text(RACY_GO)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "main.go").write_text(RACY_GO.replace("m[2] = 2", "m[3] = 3"))
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "work.py").write_text(RACY_PY)
    return tmp_path


def run(args, capsys, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(args)
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


# ---- usage and configuration errors ---------------------------------------------

BAD_CONFIGS = [
    ("maplint.toml", "select = [", "cannot parse config"),
    ("maplint.toml", "selct = [\"ML1\"]", "unknown setting(s) selct; known:"),
    ("maplint.toml", "select = \"ML1\"", "`select` must be a list of rule code prefixes"),
    ("maplint.toml", "select = [\"XX1\"]", "unknown rule code or prefix 'XX1'; see `maplint rules`"),
    ("maplint.toml", "ignore = [\"ML1O1\"]", "unknown rule code or prefix 'ML1O1'"),
    ("maplint.toml", "exclude = [1]", "`exclude` must be a list of directory names"),
    ("maplint.toml", "go-version = \"banana\"", "unknown Go version 'banana'; write it as 1.NN"),
    ("maplint.toml", "go-version = 1.20", "`go-version` must be a string, e.g. go-version = \"1.23\""),
    ("maplint.toml", "max-file-bytes = -1", "`max-file-bytes` must be a positive integer"),
    ("maplint.toml", "max-file-bytes = true", "`max-file-bytes` must be a positive integer"),
    ("maplint.toml", "timeout = \"soon\"", "`timeout` must be a number of seconds"),
    ("maplint.toml", "output-format = \"xml\"", "`output-format` must be one of text, json, sarif, github"),
    ("maplint.toml", "python-version = 3", "`python-version` must be a string such as \"3.12\""),
    ("maplint.toml", "cache-dir = 5", "`cache-dir` must be a path"),
    ("pyproject.toml", "tool = 5", "`tool` must be a table"),
    ("pyproject.toml", "[tool]\nmaplint = 3", "`tool.maplint` must be a table"),
    ("pyproject.toml", "[tool.maplint]\nselect = [\"ML1\", 3]", "`select` must be a list"),
    ("maplint.toml", b"\xff\xfe", "cannot parse config"),
]


@pytest.mark.parametrize("name,text,message", BAD_CONFIGS, ids=[c[1] if isinstance(c[1], str) else "binary"
                                                                 for c in BAD_CONFIGS])
def test_a_bad_config_file_is_exit_2_with_what_to_fix(tmp_path, capsys, name, text, message):
    tree(tmp_path)
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    code, out, err = run(["check", "--no-sim", "."], capsys, tmp_path)
    assert code == 2 and out == ""
    assert err.startswith(f"maplint: error: {p}: ") and message in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("args,message", [
    (["--select", "ML1,XX9"], "--select: unknown rule code or prefix 'XX9'; see `maplint rules`"),
    (["--ignore", "ML77"], "--ignore: unknown rule code or prefix 'ML77'"),
    (["--extend-select", "Q"], "--extend-select: unknown rule code or prefix 'Q'"),
    (["--go-version", "banana"], "--go-version: unknown Go version 'banana'; write it as 1.NN, e.g. 1.23"),
    (["--go-version", "2.0"], "unknown Go version '2.0'"),
    (["--go-version", "1.99"], "unknown Go version '1.99'"),
    (["--timeout", "-3"], "--timeout must be a number of seconds"),
    (["--timeout", "forever"], "--timeout must be a number of seconds"),
    (["-j", "0"], "--jobs must be at least 1"),
    (["--config", "missing.toml"], "missing.toml: cannot read config"),
])
def test_bad_options_are_exit_2_with_what_to_fix(tmp_path, capsys, args, message):
    tree(tmp_path)
    code, out, err = run(["check", *args, "."], capsys, tmp_path)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err, err


def test_argparse_errors_are_exit_2(tmp_path, capsys):
    tree(tmp_path)
    code, _, err = run(["check", "--format", "xml", "."], capsys, tmp_path)
    assert code == 2 and "invalid choice: 'xml'" in err


def test_output_format_from_the_config(tmp_path, capsys):
    tree(tmp_path)
    (tmp_path / "maplint.toml").write_text('output-format = "json"\n')
    code, out, _ = run(["check", "--no-sim", "a"], capsys, tmp_path)
    assert code == 1 and json.loads(out)["findings"]
    code, out, _ = run(["check", "--no-sim", "--format", "text", "a"], capsys, tmp_path)
    assert code == 1 and out.startswith("a/main.go:")


# ---- selection never hides diagnostics -------------------------------------------

def test_select_does_not_hide_diagnostics(tmp_path, capsys):
    tree(tmp_path)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "bin.go").write_bytes(b"\0\1\2")
    code, out, err = run(["check", "--no-sim", "--select", "ML101", "."], capsys, tmp_path)
    assert "c/bin.go:1:1: ML900 binary file" in err
    assert "ML101" in out and "ML103" not in out and code == 1
    code, out, err = run(["check", "--no-sim", "--select", "ML101", "--ignore", "ML900", "."], capsys, tmp_path)
    assert "ML900" not in err and code == 1


# ---- internal errors ----------------------------------------------------------------

def crashing(code: str):
    """The rules, with `code`'s check replaced by one that crashes."""
    from dataclasses import replace

    import maplint.rule as rule_mod

    def boom(model):
        raise ZeroDivisionError("deliberately broken rule")

    return tuple(replace(r, check=boom) if r.code == code else r for r in rule_mod.all_rules())


@pytest.mark.parametrize("code,lang_file", [("ML101", "a/main.go"), ("ML201", "p/work.py")])
def test_a_crash_in_one_rule_keeps_the_other_rules_findings(tmp_path, capsys, monkeypatch, code, lang_file):
    tree(tmp_path)
    rules = crashing(code)
    monkeypatch.setattr("maplint.engine.all_rules", lambda: rules)
    c, out, err = run(["check", "--no-sim", "--no-cache", "-j", "1", "--format", "json", "."], capsys, tmp_path)
    assert c == 2  # an internal error
    found = json.loads(out)["findings"]
    internal = [f for f in found if f["code"] == "ML999"]
    assert internal and {f["location"]["path"] for f in internal} >= {lang_file}
    assert all(f"internal error in {code}" in f["message"] and "ZeroDivisionError: deliberately broken rule"
               in f["message"] and "Traceback" not in f["message"] for f in internal)
    codes = {f["code"] for f in found}
    # The other rules' findings in the same file, and the other files' findings.
    assert ("ML103" in codes or "ML102" in codes) if code == "ML101" else "ML101" in codes
    assert (code == "ML201" or "ML201" in codes)
    lines = [line for line in err.splitlines() if " ML999 " in line]
    assert lines and all(line.startswith(("a/main.go:", "b/main.go:", "p/work.py:")) for line in lines)


def test_debug_shows_the_traceback(tmp_path, capsys, monkeypatch):
    tree(tmp_path)
    rules = crashing("ML101")
    monkeypatch.setattr("maplint.engine.all_rules", lambda: rules)
    code, out, err = run(["check", "--no-sim", "--debug", "-j", "1", "a"], capsys, tmp_path)
    assert code == 2
    assert "a/main.go:1:1: ML999 internal error in ML101 (concurrent-map-writes): ZeroDivisionError" in err
    assert "Traceback (most recent call last)" in err and "in boom" in err


@pytest.mark.parametrize("target,where", [
    ("maplint.frontends.go.load_package", "while loading the package"),
    ("maplint.concurrency.build", "in the concurrency analysis"),
    ("maplint.frontends.python.summarise", "in the Python front-end"),
])
def test_a_crash_in_a_front_end_stays_in_its_unit(tmp_path, capsys, monkeypatch, target, where):
    tree(tmp_path)
    import importlib

    mod_name, _, fn_name = target.rpartition(".")
    mod = importlib.import_module(mod_name)
    real = getattr(mod, fn_name)
    victim = "a" if "python" not in target else "p"

    def sometimes_crash(*args, **kw):
        first = args[0]
        if isinstance(first, list):  # the Python front-end: the unit's files
            names = {Path(f.shown).parent.name for f in first}
        else:  # a package directory, or an ir.Package
            names = {Path(str(getattr(first, "dir", first))).name}
        if victim in names:
            raise KeyError("deliberate")
        return real(*args, **kw)

    monkeypatch.setattr(mod, fn_name, sometimes_crash)
    code, out, err = run(["check", "--no-sim", "--no-cache", "-j", "1", "--debug", "."], capsys, tmp_path)
    assert code == 2
    ml999 = [line for line in err.splitlines() if " ML999 " in line]
    assert ml999 and all(where in line and "KeyError" in line for line in ml999)
    assert all(line.startswith(f"{victim}/") for line in ml999), ml999
    assert "Traceback" in err
    others = {"a": ("b/main.go:", "p/work.py:"), "p": ("a/main.go:", "b/main.go:")}[victim]
    for prefix in others:
        assert any(line.startswith(prefix) for line in out.splitlines()), (prefix, out)


def test_internal_errors_are_in_sarif_as_notifications(tmp_path, capsys, monkeypatch):
    tree(tmp_path)
    rules = crashing("ML101")
    monkeypatch.setattr("maplint.engine.all_rules", lambda: rules)
    code, out, _ = run(["check", "--no-sim", "--no-cache", "-j", "1", "--format", "sarif", "."], capsys, tmp_path)
    inv = json.loads(out)["runs"][0]["invocations"][0]
    assert code == 2 and inv["executionSuccessful"] is False
    assert any(n["descriptor"]["id"] == "ML999" for n in inv["toolExecutionNotifications"])


def test_a_closed_stdout_is_not_a_crash(tmp_path):
    """`maplint check | head -1`: the reader goes away early."""
    tree(tmp_path)
    for i in range(30):
        (tmp_path / f"x{i}").mkdir()
        (tmp_path / f"x{i}" / "main.go").write_text(RACY_GO)
    proc = subprocess.Popen([sys.executable, "-m", "maplint", "check", "--no-cache", "--explain", "."], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode == 2
