"""Adopting maplint on an existing code base: baselines, `--diff-base`,
`--format github`, `--statistics`, progress and colour."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import textwrap

import pytest

from maplint import report
from maplint.cli import main
from maplint.finding import Finding, Span

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

MORE = textwrap.dedent("""\

    func init() {
    \tseen := map[string]bool{}
    \tgo func() { seen["a"] = true }()
    \tseen["b"] = true
    }
    """)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MAPLINT_NO_CACHE", "1")
    (tmp_path / ".git").mkdir()  # the source root, for paths and fingerprints
    return tmp_path


def run(args: list[str], capsys) -> tuple[int, str, str]:
    rc = main(args)
    out, err = capsys.readouterr()
    return rc, out, err


def test_write_then_use_a_baseline(repo, capsys):
    (repo / "main.go").write_text(RACY)
    rc, out, err = run(["check", "main.go", "--write-baseline", "maplint-baseline.json"], capsys)
    assert rc == 0 and out == "" and "wrote 2 finding(s)" in err
    doc = json.loads((repo / "maplint-baseline.json").read_text())
    assert doc["version"] == 1 and doc["tool"] == "maplint"
    assert [(r["code"], r["path"], r["line"]) for r in doc["findings"]] == [("ML101", "main.go", 7), ("ML101", "main.go", 10)]

    rc, out, err = run(["check", "main.go", "--baseline", "maplint-baseline.json"], capsys)
    assert (rc, out) == (0, "") and "2 finding(s) in the baseline" in err

    # Lines inserted above the old findings keep them baselined; new races are reported.
    (repo / "main.go").write_text(RACY.replace("func main() {", "// Package docs.\n\nfunc main() {") + MORE)
    rc, out, _ = run(["check", "main.go", "--baseline", "maplint-baseline.json"], capsys)
    assert rc == 1
    assert [line.split(": ")[0] for line in out.splitlines() if " ML" in line] == ["main.go:18:14", "main.go:19:2"]


def test_a_sarif_file_works_as_a_baseline(repo, capsys):
    (repo / "main.go").write_text(RACY)
    assert run(["check", "main.go", "--format", "sarif", "-o", "old.sarif"], capsys)[0] == 1
    (repo / "main.go").write_text(RACY + MORE)
    rc, out, _ = run(["check", "main.go", "--baseline", "old.sarif", "--format", "json"], capsys)
    assert rc == 1 and [f["location"]["line"] for f in json.loads(out)["findings"]] == [16, 17]


def test_json_sarif_and_baseline_share_one_identity(repo, capsys):
    (repo / "main.go").write_text(RACY)
    _, out, _ = run(["check", "main.go", "--format", "json"], capsys)
    from_json = sorted(f["fingerprint"] for f in json.loads(out)["findings"])
    run(["check", "main.go", "--format", "sarif", "-o", "out.sarif"], capsys)
    from_sarif = sorted(r["partialFingerprints"]["maplint/v1"]
                        for r in json.loads((repo / "out.sarif").read_text())["runs"][0]["results"])
    run(["check", "main.go", "--write-baseline", "b.json"], capsys)
    from_baseline = sorted(r["fingerprint"] for r in json.loads((repo / "b.json").read_text())["findings"])
    assert from_json == from_sarif == from_baseline and len(from_json) == 2


def test_bad_baselines_are_usage_errors(repo, capsys):
    (repo / "main.go").write_text(RACY)
    (repo / "bad.json").write_text("{not json")
    rc, _, err = run(["check", "main.go", "--baseline", "bad.json"], capsys)
    assert rc == 2 and "not a maplint baseline" in err
    rc, _, err = run(["check", "main.go", "--baseline", "missing.json"], capsys)
    assert rc == 2 and "cannot read baseline" in err


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_base_reports_only_changed_lines(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    git = lambda *a: subprocess.run(["git", *a], cwd=tmp_path, env=env, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    (tmp_path / "main.go").write_text(RACY)
    git("add", "main.go")
    git("commit", "-q", "-m", "old race")
    (tmp_path / "main.go").write_text(RACY + MORE)  # uncommitted change
    rc, out, err = run(["check", "main.go", "--diff-base", "HEAD"], capsys)
    assert rc == 1 and "2 finding(s) on lines unchanged since HEAD" in err
    assert [line.split(": ")[0] for line in out.splitlines() if " ML" in line] == ["main.go:16:14", "main.go:17:2"]
    git("commit", "-q", "-am", "new race")
    rc, out, _ = run(["check", "main.go", "--diff-base", "HEAD"], capsys)
    assert (rc, out) == (0, "")
    rc, out, _ = run(["check", "main.go", "--diff-base", "HEAD~1"], capsys)
    assert rc == 1 and out.count(" ML101 ") == 2
    (tmp_path / "new.go").write_text(RACY.replace("func main()", "func init()"))  # untracked: all of it is new
    rc, out, _ = run(["check", ".", "--diff-base", "HEAD"], capsys)
    assert rc == 1 and [line.split(": ")[0] for line in out.splitlines() if not line.startswith(" ")] == [
        "new.go:7:3", "new.go:10:2"]
    rc, _, err = run(["check", "main.go", "--diff-base", "no-such-rev"], capsys)
    assert rc == 2 and "--diff-base no-such-rev" in err


def test_github_annotations(repo, capsys):
    (repo / "pkg").mkdir()
    (repo / "pkg" / "main.go").write_text(RACY)
    rc, out, _ = run(["check", "pkg", "--format", "github"], capsys)
    assert rc == 1
    lines = out.splitlines()
    assert len(lines) == 2
    first = lines[0]
    assert first.startswith("::error file=pkg/main.go,line=7,col=3,endLine=7,endColumn=7,"
                            "title=ML101 concurrent-map-writes::map `m` is written by ")
    assert "%0A→ fatal error: concurrent map writes in " in first and "%25 of " in first
    assert "\n" not in first and "pkg/main.go:10:2: the other write" in first


def test_statistics(repo, capsys):
    (repo / "main.go").write_text(RACY.replace("\t<-done\n", "\tfor range m {\n\t}\n\t<-done\n"))
    rc, out, _ = run(["check", "main.go", "--statistics"], capsys)
    assert rc == 1
    rows = [line.split("\t") for line in out.splitlines()]
    assert [r[1:] for r in rows] == [["ML101", "concurrent-map-writes"], ["ML103", "map-iteration-write-race"]]
    rc, out, _ = run(["check", "main.go", "--statistics", "--format", "json"], capsys)
    assert json.loads(out)[0] == {"code": "ML101", "name": "concurrent-map-writes", "count": 2}


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


FINDING = Finding("ML101", "concurrent-map-writes", "map `m` is written", Span("a.go", 3, 2))


def test_colour_only_on_a_tty_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    tty = FakeTTY()
    report.text([FINDING], tty)
    assert "\033[1;31mML101\033[0m" in tty.getvalue()
    pipe = io.StringIO()
    report.text([FINDING], pipe)
    assert "\033" not in pipe.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    tty = FakeTTY()
    report.text([FINDING], tty)
    assert "\033" not in tty.getvalue()


def test_progress_only_on_a_tty(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(report.Progress, "DELAY", 0.01)
    import time

    tty = FakeTTY()
    with report.Progress(tty) as p:
        p.update("12 files")
        time.sleep(0.3)
    shown = tty.getvalue()
    assert "maplint: checking 12 files" in shown and shown.endswith("\r\033[K")
    pipe = io.StringIO()
    with report.Progress(pipe) as p:
        p.update("12 files")
        time.sleep(0.05)
    assert pipe.getvalue() == ""
