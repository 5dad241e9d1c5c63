"""`maplint simulate`, driven through maplint.sim.cli.add_parser / run."""
from __future__ import annotations

import argparse
import json

import pytest

from maplint.sim import cli


def parse(argv):
    parser = argparse.ArgumentParser(prog="maplint")
    sub = parser.add_subparsers(dest="command", required=True)
    cli.add_parser(sub)
    return parser.parse_args(argv)


def run(argv, capsys):
    code = cli.run(parse(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output(capsys):
    code, out, err = run(["simulate", "--runtime", "go1.23", "--key-kind", "int64", "insert", "insert"], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("go1.23: insert ‖ insert")
    assert lines[1].startswith("→ fatal error: concurrent map writes in ")
    assert "goroutine 1" in out and "goroutine 2" in out and "✗" in out


def test_json_output(capsys):
    code, out, _ = run(["simulate", "--runtime", "go1.27", "--format", "json", "insert", "lookup"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["runtime"] == "go1.27"
    assert doc["ops"] == ["insert", "lookup"]
    assert doc["summary"].startswith("→ ")
    kinds = {o["kind"] for o in doc["outcomes"]}
    assert kinds <= {"fatal", "panic", "corruption", "hang", "ok"}
    for o in doc["outcomes"]:
        assert 0 <= o["share"] <= 1
        assert isinstance(o["witness"], list) and o["witness"]
        assert {"actor", "label", "detail", "state", "failure"} <= set(o["witness"][0])


@pytest.mark.parametrize("rt", ["go1.23", "go1.24", "go1.27", "go1.21", "cpython3.9", "cpython3.11", "cpython3.13t"])
def test_every_documented_runtime(rt, capsys):
    ops = ["incr", "incr"]
    code, out, err = run(["simulate", "--runtime", rt, "--format", "json", *ops], capsys)
    assert code == 0, err
    assert json.loads(out)["runtime"] == rt


def test_python_default_key_kind_and_thread_columns(capsys):
    code, out, _ = run(["simulate", "--runtime", "cpython3.13t", "get-set", "get-set"], capsys)
    assert code == 0
    assert "key builtin" in out
    assert "thread 1" in out and "silent lost update" in out


def test_size_and_all(capsys):
    code, out, _ = run(["simulate", "-r", "go1.23", "-k", "int64", "-n", "8", "--all", "insert", "insert"], capsys)
    assert code == 0
    assert "bad map state" in out
    assert out.count("shortest of") >= 3


@pytest.mark.parametrize("argv,needle", [
    (["simulate", "--runtime", "go1.99x", "insert", "insert"], "unknown runtime"),
    (["simulate", "--runtime", "go1.23", "insert", "upsert"], "unknown Go map operation"),
    (["simulate", "--runtime", "cpython3.11", "insert", "range"], "unknown CPython operation"),
    (["simulate", "--runtime", "go1.23", "--key-kind", "float", "insert", "insert"], "unknown key kind"),
    (["simulate", "--runtime", "go1.23", "--size", "-1", "insert", "insert"], "size"),
    (["simulate", "--runtime", "go1.4", "insert", "insert"], "go1.6"),
])
def test_usage_errors_exit_2(argv, needle, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert needle in err
    assert out == ""


def test_argparse_errors_exit_2():
    with pytest.raises(SystemExit) as e:
        parse(["simulate", "insert"])
    assert e.value.code == 2


def test_main_entry(capsys):
    assert cli.main(["simulate", "--runtime", "go1.24", "clone", "insert"]) == 0
    out = capsys.readouterr().out
    assert "concurrent map iteration and map write" in out
    assert "concurrent map clone and map write" not in out
