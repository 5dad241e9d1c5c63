"""Property-based tests (hypothesis) of the whole pipeline — front-ends,
rules, simulation, every reporter — and of the simulator and the
configuration loader on their own (docs/reliability.md). Each example runs
through the same checks as the fuzzer (tools/fuzz.py: run_input)."""
from __future__ import annotations

import json
import shutil
import string
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools import fuzz  # noqa: E402

pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PROPERTY = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


GO_TOKENS = ["package", "main", "import", '"sync"', "func", "go", "var", "m", "map[string]int", "{", "}", "(", ")",
             "[", "]", "=", ":=", "mu", ".", "Lock", "Unlock", "RLock", "defer", "for", "range", "if", "else",
             "return", "delete", "len", "make", "chan", "<-", "select", "case", "struct", "type", "k", "v", ",",
             ";", "\n", "\t", " ", '"k"', "1", "wg", "Wait", "Done", "Add", "http", "HandleFunc", "w", "r",
             "sync.Mutex", "//", "/*", "*/", "`", "'x'", "...", "&", "*", "interface{}", "any", "switch", "\r\n"]
PY_TOKENS = ["import", "threading", "from", "def", "class", "self", "d", "=", "{", "}", "(", ")", "[", "]", ":",
             "\n", "    ", " ", "with", "lock", "for", "in", "if", "else", "return", "del", "Thread", "target",
             "start", "join", ".", ",", "'k'", "1", "+=", "get", "setdefault", "pop", "items", "lambda", "global",
             "nonlocal", "async", "await", "yield", "try", "finally", "#", "\\", '"""', "\r", "\t", "not", "and"]


def run_files(lang: str, files: dict[str, bytes], paths: str = "dir", cache: bool = False) -> None:
    work = Path(tempfile.mkdtemp(prefix="maplint-prop-"))
    try:
        inp = fuzz.Input(0, lang, "hypothesis", files, paths=paths, cache=cache)
        fuzz.run_input(inp, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@PROPERTY
@given(st.lists(st.sampled_from(GO_TOKENS), max_size=300), st.sampled_from(["dir", "files"]))
def test_go_token_soup(tokens, paths):
    src = "package main\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\n" + " ".join(tokens)
    run_files("go", {"main.go": src.encode()}, paths)


@PROPERTY
@given(st.lists(st.sampled_from(PY_TOKENS), max_size=300))
def test_python_token_soup(tokens):
    run_files("python", {"mod.py": ("import threading\n" + " ".join(tokens)).encode()})


@PROPERTY
@given(st.binary(max_size=2000), st.sampled_from(["a.go", "a.py"]))
def test_arbitrary_bytes(data, name):
    run_files("go" if name.endswith(".go") else "python", {name: data}, "files")


@PROPERTY
@given(st.integers(0, 10**6), st.data())
def test_generated_programs_with_mutations(seed, data):
    import random

    rng = random.Random(seed)
    lang = data.draw(st.sampled_from(["go", "python"]))
    files = fuzz.gen_go(rng) if lang == "go" else fuzz.gen_python(rng)
    seeds = fuzz.corpus()
    for _ in range(data.draw(st.integers(0, 3))):
        mut = data.draw(st.sampled_from(fuzz.MUTATIONS))
        name = data.draw(st.sampled_from(sorted(files)))
        other = seeds[data.draw(st.integers(0, len(seeds) - 1))]
        files[name] = mut(rng, files[name], next(iter(other.files.values())))
    run_files(lang, files, data.draw(st.sampled_from(["dir", "files", "reversed"])), data.draw(st.booleans()))


SIM_RUNTIMES = st.one_of(st.sampled_from(fuzz.RUNTIMES), st.text(string.printable, max_size=12))
SIM_OPS = st.one_of(st.sampled_from(fuzz.SIM_OPS), st.text(string.ascii_letters + "-", max_size=10))


@PROPERTY
@given(SIM_RUNTIMES, SIM_OPS, SIM_OPS, st.sampled_from(fuzz.SIM_KEYS),
       st.one_of(st.none(), st.integers(-5, 5000)), st.one_of(st.none(), st.integers(0, 3)),
       st.one_of(st.none(), st.integers(1, 2000)))
def test_the_simulator_answers_or_refuses_with_a_message(runtime, a, b, kk, size, bound, budget):
    from maplint import sim

    try:
        r = sim.simulate(runtime, a, b, key_kind=kk, size=size, bound=bound, budget=budget)
    except ValueError as e:
        assert str(e)
        return
    assert r.explored >= 0 and sim.summary_line(r).startswith("→ ")
    sim.render_timeline(r)
    json.dumps(r.to_json())


TOML_VALUES = st.one_of(st.integers(-3, 10**9), st.floats(allow_nan=True), st.booleans(),
                        st.text(string.printable, max_size=10),
                        st.lists(st.one_of(st.text(string.ascii_uppercase + string.digits, max_size=6),
                                           st.integers()), max_size=3),
                        st.dictionaries(st.text(string.ascii_lowercase, min_size=1, max_size=5), st.integers(),
                                        max_size=2))
KEYS = sorted(__import__("maplint.config", fromlist=["KNOWN_KEYS"]).KNOWN_KEYS) + ["tool", "bogus"]


@PROPERTY
@given(st.dictionaries(st.sampled_from(KEYS), TOML_VALUES, max_size=4), st.booleans())
def test_any_config_loads_or_is_a_config_error(table, in_pyproject):
    from maplint.config import ConfigError, load

    def toml_value(v):
        return json.dumps(v) if not isinstance(v, float) or v == v and abs(v) != float("inf") else "nan"

    def dump(d):
        return "".join(f"{k} = {toml_value(v) if not isinstance(v, dict) else '{' + ', '.join(f'{a} = {b}' for a, b in v.items()) + '}'}\n"
                       for k, v in d.items())

    d = Path(tempfile.mkdtemp(prefix="maplint-cfg-"))
    try:
        name = "pyproject.toml" if in_pyproject else "maplint.toml"
        (d / name).write_text(("[tool.maplint]\n" if in_pyproject else "") + dump(table))
        try:
            s = load(d)
        except ConfigError as e:
            assert str(e).startswith(str(d / name)) and "\n" not in str(e).strip()
            return
        assert isinstance(s.max_file_bytes, int) and s.max_file_bytes > 0
        assert all(isinstance(c, str) for c in s.select + s.ignore + list(s.exclude))
        assert s.timeout is None or s.timeout > 0
    finally:
        shutil.rmtree(d, ignore_errors=True)
