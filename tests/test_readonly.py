"""maplint never touches the code it reads; its cache lives outside the checked
tree unless configured there, and a corrupt or stale cache entry is detected
and ignored (docs/reliability.md)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry below root: kind, content hash, mode and mtime."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = ("link", os.readlink(p))
            elif p.is_dir():
                out[rel] = ("dir", st.st_mode)
            else:
                out[rel] = ("file", hashlib.sha256(p.read_bytes()).hexdigest(), st.st_mode, st.st_mtime_ns)
    return out


@pytest.fixture()
def tree(tmp_path):
    """A copy of the examples, checked from its own root as a hook would."""
    t = tmp_path / "repo"
    shutil.copytree(ROOT / "examples", t / "examples", symlinks=True)
    (t / ".git").mkdir()  # a repository root: fingerprints and SARIF paths are relative to it
    return t


def run_cli(args: list[str], cwd: Path, home: Path, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, HOME=str(home), NO_COLOR="1")
    env.pop("MAPLINT_CACHE_DIR", None)
    env.pop("XDG_CACHE_HOME", None)
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "maplint", "check", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_checked_tree_is_unchanged_and_the_cache_lives_outside(tree, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    before = snapshot(tree)
    for args in (["--format", "json", "examples"], ["-j", "2", "--format", "sarif", "examples"],
                 ["--explain", "examples"], ["--statistics", "examples"]):
        proc = run_cli(args, tree, home)
        assert proc.returncode == 1, proc.stderr
    assert snapshot(tree) == before
    cache = home / ".cache" / "maplint"
    assert any(cache.rglob("*.json")), "the default cache is under ~/.cache/maplint"
    assert (cache / ".gitignore").read_text().strip().endswith("*")


def test_the_cache_is_inside_the_tree_only_when_configured_there(tree, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (tree / "maplint.toml").write_text('cache-dir = ".maplint_cache"\n')
    before = snapshot(tree)
    first = run_cli(["--format", "json", "examples"], tree, home)
    second = run_cli(["--format", "json", "."], tree, home)  # the cache itself is never checked
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout
    after = snapshot(tree)
    added = {k for k in after if k not in before}
    assert added and all(k.startswith(".maplint_cache") for k in added)
    assert {k: v for k, v in after.items() if k in before} == before
    assert not (home / ".cache").exists()


def test_no_file_in_the_tree_is_opened_for_writing(tree, monkeypatch):
    """Python's audit hooks see every open, rename, removal and mode change:
    none of them may touch the checked tree (the cache is elsewhere)."""
    from maplint.cli import main

    root = str(tree.resolve())
    writes: list = []
    state = {"on": True}
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

    def inside(path) -> bool:
        try:
            return os.path.realpath(os.fsdecode(path)).startswith(root)
        except (TypeError, ValueError):
            return False

    def hook(event, args):
        if not state["on"]:
            return
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            path, mode, flags = (list(args) + [None, None])[:3]
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                (isinstance(flags, int) and flags & write_flags)
            if writing and inside(path):
                writes.append((event, path, mode, flags))
        elif event in ("os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.utime", "os.truncate",
                       "os.symlink", "os.link", "shutil.rmtree", "os.replace"):
            if args and inside(args[0]):
                writes.append((event, args[0]))

    sys.addaudithook(hook)  # cannot be removed: `state` switches it off after the test
    monkeypatch.chdir(tree)
    monkeypatch.setenv("MAPLINT_CACHE_DIR", str(tree.parent / "cache"))
    try:
        for args in (["check", "-j", "1", "examples"], ["check", "-j", "1", "--format", "sarif", "examples"],
                     ["check", "-j", "1", "--format", "github", "--explain", "examples"]):
            assert main(args) == 1
    finally:
        state["on"] = False
    assert writes == []


# ---- corrupt and stale cache entries ---------------------------------------------

def corruptions():
    def truncate(p: Path):
        p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])

    def garbage(p: Path):
        p.write_bytes(b"\xff\xfe\0garbage")

    def empty(p: Path):
        p.write_bytes(b"")

    def edit_a_line_number(p: Path):  # still valid JSON: only the checksum catches it
        d = json.loads(p.read_text())
        for f in d["findings"]:
            f["span"]["line"] += 1
        p.write_text(json.dumps(d))

    def drop_a_finding(p: Path):
        d = json.loads(p.read_text())
        d["findings"] = d["findings"][1:]
        p.write_text(json.dumps(d))

    def wrong_types(p: Path):
        d = json.loads(p.read_text())
        for f in d["findings"]:
            f["span"]["line"] = "seven"
        p.write_text(json.dumps(d))

    def another_key(p: Path):
        d = json.loads(p.read_text())
        d["key"] = "0" * 64
        p.write_text(json.dumps(d))

    def old_format(p: Path):
        d = json.loads(p.read_text())
        d["format"] = 1
        p.write_text(json.dumps(d))

    def not_an_object(p: Path):
        p.write_text("[1, 2, 3]")

    def a_directory(p: Path):
        p.unlink()
        p.mkdir()

    return [truncate, garbage, empty, edit_a_line_number, drop_a_finding, wrong_types, another_key, old_format,
            not_an_object, a_directory]


SOME = ["examples/go/handler_hit_counter", "examples/go/conn_pool_mutex_ok", "examples/go/errgroup_image_digests",
        "examples/go/metrics_scrape_range", "examples/go/gossip_two_mutexes", "examples/go/internal"]


def check_json(tree: Path, cache: Path | None, paths=SOME) -> str:
    """`maplint check --format json` in process (the cache is read and written
    exactly as by the command line)."""
    import io

    from maplint.config import Settings
    from maplint.engine import check_paths
    from maplint.explain import attach_simulations
    from maplint.report import json_report

    old = os.getcwd()
    os.chdir(tree)
    try:
        r = check_paths(list(paths), Settings(jobs=1, no_cache=cache is None, cache_dir=str(cache) if cache else None))
    finally:
        os.chdir(old)
    buf = io.StringIO()
    json_report(attach_simulations(r.findings), buf, r.fingerprints)
    return buf.getvalue()


@pytest.mark.parametrize("corrupt", corruptions(), ids=lambda f: f.__name__)
def test_a_corrupt_cache_entry_is_ignored(tree, tmp_path, corrupt):
    cache = tmp_path / "cache"
    cold = check_json(tree, cache)
    assert cold == check_json(tree, None) and json.loads(cold)["findings"]
    entries = sorted(cache.rglob("*.json"))
    assert len(entries) >= len(SOME)
    for p in entries:
        corrupt(p)
    assert check_json(tree, cache) == cold
    if corrupt.__name__ != "a_directory":  # the damaged entries were rewritten, and are read back
        assert all(json.loads(p.read_text())["format"] == 2 for p in entries)
        assert check_json(tree, cache) == cold


def test_a_stale_entry_is_never_used(tree, tmp_path):
    """Editing a file changes its package's key: the new content is analysed."""
    cache = tmp_path / "cache"
    pkg = ["examples/go/handler_hit_counter"]
    first = check_json(tree, cache, pkg)
    assert json.loads(first)["findings"]
    main_go = tree / "examples/go/handler_hit_counter/main.go"
    main_go.write_text(main_go.read_text().replace("hits[", "_ = hits\n\thits2 := map[string]int{}\n\thits2[", 1))
    second = check_json(tree, cache, pkg)
    assert second != first and second == check_json(tree, None, pkg)


def test_an_unusable_cache_directory_only_costs_speed(tree, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    args = ["-j", "1", "--format", "json", *SOME]
    plain = run_cli([*args, "--no-cache"], tree, tmp_path)
    blocked = run_cli([*args, "--cache-dir", str(blocker / "cache")], tree, tmp_path)
    assert blocked.returncode == plain.returncode == 1
    assert blocked.stdout == plain.stdout and "Traceback" not in blocked.stderr


def test_the_cache_is_not_a_source_of_internal_errors(tree, tmp_path, monkeypatch, capsys):
    """Internal errors are never cached: with --debug the traceback shows up
    even when the same package was checked (and failed) before."""
    import maplint.rule as rule_mod
    from maplint.cli import main
    from maplint.rule import Rule

    boom = Rule(code="ML101", name="concurrent-map-writes", summary="", doc="", check=lambda m: 1 / 0)
    rules = tuple(boom if r.code == "ML101" else r for r in rule_mod.all_rules())
    monkeypatch.setattr("maplint.engine.all_rules", lambda: rules)
    monkeypatch.chdir(tree)
    cache = str(tmp_path / "cache")
    assert main(["check", "-j", "1", "--no-sim", "--cache-dir", cache, "examples/go/handler_hit_counter"]) == 2
    capsys.readouterr()
    assert main(["check", "-j", "1", "--no-sim", "--debug", "--cache-dir", cache,
                 "examples/go/handler_hit_counter"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError" in err
