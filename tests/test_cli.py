"""The command line: exit codes, formats, selection, config, bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from maplint.cli import main

RACY = textwrap.dedent("""\
    package main

    func main() {
    \tm := map[int]int{}
    \tdone := make(chan bool)
    \tgo func() {
    \t\tm[1] = 1
    \t\tdone <- true
    \t}()
    \tm[2] = 2
    \t<-done
    }
    """)

SAFE = textwrap.dedent("""\
    package main

    import "sync"

    func main() {
    \tvar mu sync.Mutex
    \tm := map[int]int{}
    \tvar wg sync.WaitGroup
    \tfor i := 0; i < 4; i++ {
    \t\twg.Add(1)
    \t\tgo func() {
    \t\t\tdefer wg.Done()
    \t\t\tmu.Lock()
    \t\t\tm[i] = i
    \t\t\tmu.Unlock()
    \t\t}()
    \t}
    \twg.Wait()
    \t_ = len(m)
    }
    """)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text)
    return p


def run(args, capsys, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(args)
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


def test_racy_program_exit_1(tmp_path, capsys):
    write(tmp_path, "main.go", RACY)
    code, out, err = run(["check", "--no-sim", "."], capsys, tmp_path)
    assert code == 1
    assert "main.go:7:3: ML101" in out and "main.go:10:2: ML101" in out
    assert "main.go:10:2: the other write" in out  # the related location


def test_safe_program_exit_0(tmp_path, capsys):
    write(tmp_path, "main.go", SAFE)
    code, out, err = run(["check", "."], capsys, tmp_path)
    assert (code, out) == (0, "")


def test_exit_zero_and_ignore(tmp_path, capsys):
    write(tmp_path, "main.go", RACY)
    assert run(["check", "--exit-zero", "."], capsys, tmp_path)[0] == 0
    code, out, _ = run(["check", "--ignore", "ML1", "."], capsys, tmp_path)
    assert (code, out) == (0, "")
    code, out, _ = run(["check", "--select", "ML102", "."], capsys, tmp_path)
    assert code == 0


def test_json_format(tmp_path, capsys):
    write(tmp_path, "main.go", RACY)
    code, out, _ = run(["check", "--format", "json", "--no-sim", "."], capsys, tmp_path)
    data = json.loads(out)
    assert code == 1 and data["version"] == 1
    f = data["findings"][0]
    assert f["code"] == "ML101" and f["location"]["line"] in (7, 10) and f["related"]
    assert len(f["fingerprint"]) == 32


def test_unknown_code_and_version_are_usage_errors(tmp_path, capsys):
    write(tmp_path, "main.go", SAFE)
    code, _, err = run(["check", "--select", "XX9", "."], capsys, tmp_path)
    assert code == 2 and "unknown rule code" in err
    code, _, err = run(["check", "--go-version", "banana", "."], capsys, tmp_path)
    assert code == 2 and "Go version" in err


def test_bad_config_is_exit_2(tmp_path, capsys):
    write(tmp_path, "main.go", SAFE)
    write(tmp_path, "maplint.toml", "select = [")
    code, _, err = run(["check", "."], capsys, tmp_path)
    assert code == 2 and "maplint.toml" in err


def test_config_file_ignore(tmp_path, capsys):
    write(tmp_path, "main.go", RACY)
    write(tmp_path, ".maplint.toml", 'ignore = ["ML101"]\n')
    assert run(["check", "."], capsys, tmp_path)[:2] == (0, "")
    write(tmp_path, "pyproject.toml", '[tool.maplint]\nignore = ["ML101"]\n')


def test_bad_files_get_a_diagnostic_and_the_run_goes_on(tmp_path, capsys):
    write(tmp_path, "a/main.go", RACY)
    write(tmp_path, "b/bin.go", b"package b\x00\x01\x02")
    write(tmp_path, "c/latin.go", "package c\n// caf\xe9\n".encode("latin-1"))
    write(tmp_path, "d/broken.go", "package d\nfunc f( {\n")
    code, out, err = run(["check", "--no-sim", "."], capsys, tmp_path)
    assert code == 1  # the racy file was still checked
    assert "ML101" in out
    assert "b/bin.go:1:1: ML900 binary file" in err
    assert "c/latin.go:2:1: ML900 not valid UTF-8" in err
    assert "d/broken.go:2" in err and "syntax error" in err


def test_nothing_checkable_is_exit_2(tmp_path, capsys):
    write(tmp_path, "bin.go", b"\x00\x00")
    assert run(["check", "bin.go"], capsys, tmp_path)[0] == 2
    assert run(["check", "missing.go"], capsys, tmp_path)[0] == 2


def test_broken_function_is_not_reported(tmp_path, capsys):
    src = RACY.replace("\tm[2] = 2\n", "\tm[2] = = 2\n")  # a syntax error inside main
    write(tmp_path, "main.go", src)
    code, out, err = run(["check", "--no-sim", "."], capsys, tmp_path)
    assert "ML101" not in out and "syntax error" in err


def test_only_named_files_are_reported(tmp_path, capsys):
    # The goroutine lives in a.go, the conflicting write in b.go: checking b.go
    # alone reports b.go's line, with a.go as context.
    write(tmp_path, "a.go", "package main\n\nvar m = map[int]int{}\n\nfunc Start() {\n\tgo func() { m[1] = 1 }()\n}\n")
    write(tmp_path, "b.go", "package main\n\nfunc Run() {\n\tStart()\n\tm[2] = 2\n}\n\nfunc main() { Run() }\n")
    code, out, _ = run(["check", "--no-sim", "b.go"], capsys, tmp_path)
    assert "b.go:5:2: ML101" in out
    assert all(not line.startswith("a.go") for line in out.splitlines())


def test_checked_files_are_not_modified(tmp_path, capsys):
    p = write(tmp_path, "main.go", RACY)
    before = p.read_bytes(), p.stat().st_mtime_ns
    run(["check", "."], capsys, tmp_path)
    assert (p.read_bytes(), p.stat().st_mtime_ns) == before


def test_python_dash_m_and_version(tmp_path):
    out = subprocess.run([sys.executable, "-m", "maplint", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("maplint ")


def test_go_version_from_go_mod(tmp_path, capsys):
    write(tmp_path, "go.mod", "module x\n\ngo 1.22\n")
    write(tmp_path, "main.go", RACY)
    code, out, _ = run(["check", "--format", "json", "."], capsys, tmp_path)
    data = json.loads(out)
    sim = data["findings"][0].get("simulation")
    if sim is not None:
        assert sim["runtime"] == "go1.22"


@pytest.mark.parametrize("sub", ["rules", "explain ML101"])
def test_info_commands(sub, capsys, tmp_path):
    code, out, _ = run(sub.split(), capsys, tmp_path)
    assert code == 0 and "ML101" in out
