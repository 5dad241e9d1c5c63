"""maplint as a pre-commit hook: a racy commit is refused, a clean one passes.

Two tests:
* `pre-commit try-repo` on a snapshot of this repository, exactly as a user
  tries the hook. pre-commit's `language: python` pip-installs the hook repo
  into a fresh virtualenv, which needs PyPI; the test skips cleanly when that
  cannot happen (offline), and runs in CI.
* offline: the same hook definition (read from .pre-commit-hooks.yaml) as a
  `repo: local` hook run by this interpreter, installed as the git hook, with
  real `git commit`s.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("pre_commit")
yaml = pytest.importorskip("yaml")
if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)

RACY = textwrap.dedent("""\
    package counter

    import "sync"

    func Count(words []string) map[string]int {
    \tcounts := map[string]int{}
    \tvar wg sync.WaitGroup
    \tfor _, w := range words {
    \t\twg.Add(1)
    \t\tgo func() {
    \t\t\tdefer wg.Done()
    \t\t\tcounts[w]++
    \t\t}()
    \t}
    \twg.Wait()
    \treturn counts
    }
    """)

CLEAN = RACY.replace("\tvar wg sync.WaitGroup\n", "\tvar wg sync.WaitGroup\n\tvar mu sync.Mutex\n").replace(
    "\t\t\tcounts[w]++\n", "\t\t\tmu.Lock()\n\t\t\tcounts[w]++\n\t\t\tmu.Unlock()\n")

HELPER = "package counter\n\nfunc helper() int { return 1 }\n"


def git_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_NOSYSTEM="1", HOME=str(home),
               PRE_COMMIT_HOME=str(home / "pre-commit-cache"), NO_COLOR="1")
    return env


def run(args: list[str], cwd: Path, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def new_repo(path: Path, env: dict) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    assert run(["git", "init", "-q", "-b", "main"], path, env).returncode == 0
    return path


def snapshot_of_this_repo(dest: Path, env: dict) -> Path:
    """A committed copy of the working tree (tracked and new files): try-repo
    only carries over changes to tracked files, and CI checks out a commit."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\0")
    new_repo(dest, env)
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file() and not name.startswith(("examples/", "tests/")):
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    assert run(["git", "add", "-A"], dest, env).returncode == 0
    assert run(["git", "commit", "-q", "-m", "snapshot"], dest, env).returncode == 0
    return dest


def stage(repo: Path, env: dict, **files: str) -> None:
    for name, text in files.items():
        (repo / name).write_text(text)
    assert run(["git", "add", *files], repo, env).returncode == 0


OFFLINE_SIGNS = ("Could not find a version", "No matching distribution", "Failed to establish a new connection",
                 "Temporary failure in name resolution", "Network is unreachable", "ProxyError",
                 "connection broken", "Max retries exceeded")


def test_try_repo_refuses_a_racy_commit_and_passes_a_clean_one(tmp_path):
    env = git_env(tmp_path)
    hook_repo = snapshot_of_this_repo(tmp_path / "hook-repo", env)
    work = new_repo(tmp_path / "work", env)
    stage(work, env, **{"counter.go": RACY, "helper.go": HELPER, "notes.txt": "not code\n"})
    try_repo = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "maplint", "--color", "never"]
    racy = run(try_repo, work, env)
    if racy.returncode != 0 and any(s in racy.stdout + racy.stderr for s in OFFLINE_SIGNS):
        pytest.skip("pre-commit could not install the hook from PyPI (offline)")
    assert racy.returncode == 1, racy.stdout + racy.stderr
    assert "counter.go:12:4: ML101 map `counts` is written by goroutines started at counter.go:10" in racy.stdout
    assert "Failed" in racy.stdout
    assert "notes.txt" not in racy.stdout  # types_or: [go, python]

    stage(work, env, **{"counter.go": CLEAN})
    clean = run(try_repo, work, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout


def test_the_hook_refuses_a_racy_git_commit_offline(tmp_path):
    """The manifest's hook, run by this interpreter as a local hook, installed
    in .git/hooks: `git commit` itself is refused, then accepted."""
    env = git_env(tmp_path)
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in manifest if h["id"] == "maplint")
    assert hook["types_or"] == ["go", "python"] and hook["language"] == "python"
    assert hook["entry"] == "maplint check"
    local = {k: v for k, v in hook.items() if k not in ("language", "entry", "minimum_pre_commit_version")}
    local.update(language="system", entry=f"{sys.executable} -m maplint check")
    work = new_repo(tmp_path / "work", env)
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}))
    env["PYTHONPATH"] = str(ROOT)
    assert run([sys.executable, "-m", "pre_commit", "install"], work, env).returncode == 0
    stage(work, env, **{".pre-commit-config.yaml": (work / ".pre-commit-config.yaml").read_text(),
                        "counter.go": RACY, "helper.go": HELPER, "notes.txt": "not code\n"})
    refused = run(["git", "commit", "-m", "count words"], work, env)
    assert refused.returncode != 0, refused.stdout + refused.stderr
    out = refused.stdout + refused.stderr
    assert "counter.go:12:4: ML101" in out and "ML900" not in out
    assert run(["git", "rev-parse", "--verify", "-q", "HEAD"], work, env).returncode != 0  # nothing committed

    stage(work, env, **{"counter.go": CLEAN})
    accepted = run(["git", "commit", "-m", "count words under a lock"], work, env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr

    # A race that is already in the repository (committed with --no-verify) does
    # not block a commit that only touches another file of its package: the
    # package is the context, the staged files are what is reported on.
    stage(work, env, **{"counter.go": RACY})
    assert run(["git", "commit", "--no-verify", "-m", "legacy race"], work, env).returncode == 0
    stage(work, env, **{"helper.go": HELPER + "\nfunc other() int { return 2 }\n"})
    assert run(["git", "commit", "-m", "helper"], work, env).returncode == 0
    stage(work, env, **{"counter.go": RACY + "\n// touched\n"})
    assert run(["git", "commit", "-m", "touch the racy file"], work, env).returncode != 0
