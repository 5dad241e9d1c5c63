"""Bounded work: when a time or state budget runs out the run goes on and an
ML903 diagnostic says which budget, for which file — never silence
(docs/reliability.md)."""
from __future__ import annotations

import json
import os
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
    for rel, text in (("a/main.go", RACY_GO), ("p/work.py", RACY_PY)):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


def run(args, capsys, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(["check", "--no-sim", "--no-cache", "-j", "1", *args])
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


def ml903(err: str) -> list[str]:
    return [line for line in err.splitlines() if " ML903 " in line]


def test_no_budget_diagnostic_on_the_examples(capsys):
    root = Path(__file__).resolve().parents[1]
    code, out, err = run(["examples"], capsys, root)
    assert code == 1 and ml903(err) == []


def test_the_time_budget_of_a_unit(tmp_path, capsys):
    """A budget too small for anything: every unit reports it; nothing was
    checked, which is the one case that exits 2."""
    tree(tmp_path)
    code, out, err = run(["--timeout", "0.000001", "."], capsys, tmp_path)
    lines = ml903(err)
    assert {line.split(":")[0] for line in lines} == {"a/main.go", "p/work.py"}, err
    assert all("analysis budget exceeded" in line and "1e-06 s" in line and "--timeout" in line for line in lines)
    assert out == "" and "Traceback" not in err


def test_timeout_zero_means_no_limit(tmp_path, capsys):
    tree(tmp_path)
    (tmp_path / "maplint.toml").write_text("timeout = 0\n")
    code, out, err = run(["."], capsys, tmp_path)
    assert code == 1 and ml903(err) == [] and "ML101" in out and "ML201" in out


def test_the_time_budget_inside_the_concurrency_analysis(tmp_path, capsys, monkeypatch):
    """The deadline passes while contexts are being instantiated: the
    analysis stops there, says so, and what was found is kept."""
    import maplint.budget as budget

    tree(tmp_path)
    monkeypatch.setattr(budget, "expired", lambda: budget.active())
    code, out, err = run(["."], capsys, tmp_path)
    lines = ml903(err)
    assert {line.split(":")[0] for line in lines} == {"a/main.go", "p/work.py"}, err
    assert all("concurrency analysis stopped at its time budget of 60 s" in line
               and "findings in this file may be incomplete" in line for line in lines)


def test_the_event_budget(tmp_path, capsys, monkeypatch):
    import maplint.concurrency as concurrency

    tree(tmp_path)
    monkeypatch.setattr(concurrency, "MAX_EVENTS", 0)
    code, out, err = run(["."], capsys, tmp_path)
    lines = ml903(err)
    assert {line.split(":")[0] for line in lines} == {"a/main.go", "p/work.py"}, err
    assert all("stopped at 0 instantiated accesses and calls" in line for line in lines)
    assert code in (0, 1)


def test_the_accesses_per_map_budget(tmp_path, capsys):
    body = "".join(f"\t\tm[{i}] = {i}\n" for i in range(450))
    (tmp_path / "many").mkdir()
    (tmp_path / "many" / "main.go").write_text(
        f"package main\n\nvar m = map[int]int{{}}\n\nfunc main() {{\n\tgo func() {{\n{body}\t}}()\n\tm[-1] = 0\n}}\n")
    code, out, err = run(["."], capsys, tmp_path)
    # Only the first 400 accesses are paired (the write in main comes later):
    # the race may be missed, and the diagnostic says that it may.
    assert code in (0, 1)
    lines = ml903(err)
    assert len(lines) == 1 and lines[0].startswith("many/main.go:1:1: ML903 ")
    assert "400 distinct accesses of one map" in lines[0]


def test_budget_diagnostics_are_never_cached(tmp_path, capsys, monkeypatch):
    """A warm cache never replays a budget overrun under another budget (the
    engine's caps are part of the cache key; time overruns are not cached)."""
    import maplint.concurrency as concurrency

    tree(tmp_path)
    cache = str(tmp_path / "cache")
    monkeypatch.setattr(concurrency, "MAX_EVENTS", 0)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        main(["check", "--no-sim", "-j", "1", "--cache-dir", cache, "a"])
        assert ml903(capsys.readouterr().err)
        monkeypatch.setattr(concurrency, "MAX_EVENTS", 60_000)
        assert main(["check", "--no-sim", "-j", "1", "--cache-dir", cache, "a"]) == 1
    finally:
        os.chdir(old)
    assert ml903(capsys.readouterr().err) == []


def test_budget_diagnostics_in_every_format(tmp_path, capsys, monkeypatch):
    import maplint.concurrency as concurrency

    tree(tmp_path)
    monkeypatch.setattr(concurrency, "MAX_EVENTS", 0)
    _, out, _ = run(["--format", "json", "."], capsys, tmp_path)
    assert {f["location"]["path"] for f in json.loads(out)["findings"] if f["code"] == "ML903"} == \
        {"a/main.go", "p/work.py"}
    _, out, _ = run(["--format", "sarif", "."], capsys, tmp_path)
    notes = json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert {n["descriptor"]["id"] for n in notes} == {"ML903"}
    _, out, _ = run(["--format", "github", "."], capsys, tmp_path)
    assert sum("ML903" in line for line in out.splitlines()) == 2


# ---- the simulator's budgets ----------------------------------------------------

def test_simulation_state_budget_is_said():
    from maplint.sim import simulate, summary_line

    r = simulate("go1.23", "insert", "insert", size=13, budget=50)
    assert r.budget_hit and summary_line(r).endswith("(search budget hit: partial)")
    assert any("state budget (50) hit" in n for n in r.notes)


def test_simulation_time_budget_is_said():
    from maplint.sim import simulate, summary_line

    r = simulate("go1.23", "insert", "delete", size=13, seconds=1e-9)
    assert r.budget_hit and summary_line(r).endswith("(search budget hit: partial)")
    assert any("time budget" in n for n in r.notes)
    json.dumps(r.to_json())


@pytest.mark.parametrize("runtime", ["go1.23", "go1.24", "cpython3.11"])
def test_the_default_simulation_budgets_hold(runtime):
    """Every pair finishes well within the defaults (the time budget is a
    backstop for slow machines, not part of normal results)."""
    import time

    from maplint.sim import GO_OPS, PY_OPS, simulate

    ops = PY_OPS if runtime.startswith("cpython") else GO_OPS
    for a in ops:
        t0 = time.monotonic()
        r = simulate(runtime, a, "insert", key_kind="builtin" if runtime.startswith("cpython") else "generic")
        assert time.monotonic() - t0 < 10
        assert not any("time budget" in n for n in r.notes)


def test_simulate_command_time_budget(capsys):
    code = main(["simulate", "--runtime", "go1.23", "--size", "13", "--timeout", "0.0000001", "insert", "insert"])
    out = capsys.readouterr().out
    assert code == 0 and "(search budget hit: partial)" in out and "time budget" in out
    assert main(["simulate", "--timeout", "-1", "insert", "insert"]) == 2
    assert "--timeout must be a number of seconds" in capsys.readouterr().err
