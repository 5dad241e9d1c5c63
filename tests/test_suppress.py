"""Suppression directives: maplint's own, golangci-lint's, staticcheck's,
checklocks', flake8's; ML901 (unused) and ML902 (no reason)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from maplint.config import Settings
from maplint.engine import check_paths
from maplint.suppress import directives

RACY = textwrap.dedent("""\
    package main

    func main() {
    \tm := map[int]int{}
    \tdone := make(chan bool)
    \tgo func() {
    \t\tm[1] = 1@G@
    \t\tdone <- true
    \t}()
    @ABOVE@\tm[2] = 2@MAIN@
    \t<-done
    }
    """)


def racy(g: str = "", main: str = "", above: str = "") -> str:
    return RACY.replace("@G@", g).replace("@MAIN@", main).replace("@ABOVE@", above)


def check(tmp_path: Path, text: str, name: str = "main.go", settings: Settings | None = None):
    (tmp_path / name).write_text(text)
    result = check_paths([str(tmp_path / name)], settings or Settings(no_cache=True))
    return [(f.code, f.span.line) for f in result.findings], result


def test_unsuppressed_baseline(tmp_path):
    found, result = check(tmp_path, racy())
    assert found == [("ML101", 7), ("ML101", 10)] and result.suppressed == 0


@pytest.mark.parametrize("main, above", [
    (" //maplint:ignore ML101 the goroutine is joined first in production", ""),
    ("", "\t//maplint:ignore ML101 the goroutine is joined first in production\n"),
    ("", "\t//maplint:ignore concurrent-map-writes joined first\n"),
    ("", "\t//maplint:ignore ML1 joined first\n"),
    (" //lint:ignore ML101 joined first", ""),
    ("", "\t//lint:ignore ML101 joined first\n"),
    (" //nolint:maplint // joined first", ""),
    (" //nolint:maplint,errcheck", ""),
    (" //nolint", ""),
    (" //nolint:all", ""),
    (" // +checklocksignore", ""),
    ("", "\t//nolint:maplint // joined first\n\t// (and a note in between)\n"),
])
def test_directives_cover_their_line_or_the_next(tmp_path, main, above):
    found, result = check(tmp_path, racy(main=main, above=above))
    assert [c for c, _ in found] == ["ML101"] and result.suppressed == 1, found


def test_nolint_above_a_func_declaration_covers_all_of_it(tmp_path):
    text = racy().replace("func main() {", "//nolint:maplint // a demo\nfunc main() {")
    found, result = check(tmp_path, text)
    assert found == [] and result.suppressed == 2


def test_checklocksignore_on_a_function_covers_it(tmp_path):
    text = racy().replace("func main() {", "// main races on purpose.\n// +checklocksignore\nfunc main() {")
    found, _ = check(tmp_path, text)
    assert found == []


def test_nolint_above_a_go_statement_covers_the_statement(tmp_path):
    text = racy().replace("\tgo func() {", "\t//nolint:maplint // demo\n\tgo func() {")
    found, _ = check(tmp_path, text)
    assert found == [("ML101", 11)]


def test_maplint_ignore_above_a_func_covers_only_the_next_line(tmp_path):
    """maplint's own directive and staticcheck's are line-precise."""
    text = racy().replace("func main() {", "//maplint:ignore ML101 demo\nfunc main() {")
    found, _ = check(tmp_path, text)
    assert ("ML101", 8) in found and ("ML101", 11) in found
    assert ("ML901", 3) in found  # it covered `func main() {`, where nothing is reported


def test_file_ignore(tmp_path):
    text = racy().replace("package main\n", "//lint:file-ignore ML101 generated code\npackage main\n")
    found, result = check(tmp_path, text)
    assert found == [] and result.suppressed == 2


def test_other_codes_do_not_suppress(tmp_path):
    found, _ = check(tmp_path, racy(main=" //maplint:ignore ML102 wrong code"))
    assert ("ML101", 10) in found and ("ML901", 10) in found


def test_unused_suppressions_are_reported(tmp_path):
    text = racy(g=" //maplint:ignore ML101 fine", main=" //maplint:ignore ML101 fine").replace(
        "\t<-done\n", "\t<-done\n\t_ = len(m) //maplint:ignore ML101 nothing here\n")
    found, _ = check(tmp_path, text)
    assert found == [("ML901", 12)]


def test_directives_for_other_tools_or_all_tools_are_never_unused(tmp_path):
    text = racy(g=" //maplint:ignore ML101 x", main=" //maplint:ignore ML101 x").replace("\t<-done\n", (
        "\t<-done //nolint:errcheck\n"
        "\t_ = 1 //nolint\n"
        "\t_ = 2 //nolint:all\n"
        "\t_ = 3 //lint:ignore SA4006 staticcheck's own\n"
        "\t_ = 4 // +checklocksignore\n"))
    found, _ = check(tmp_path, text)
    assert found == []


def test_unused_nolint_maplint_is_reported(tmp_path):
    text = racy().replace("\t<-done\n", "\t<-done //nolint:maplint // not needed\n")
    found, _ = check(tmp_path, text)
    assert ("ML901", 11) in found


def test_a_suppression_for_a_rule_that_did_not_run_is_not_unused(tmp_path):
    text = racy(g=" //maplint:ignore ML101 x", main=" //maplint:ignore ML101 x").replace(
        "\t<-done\n", "\t<-done //maplint:ignore ML103 x\n")
    found, _ = check(tmp_path, text, settings=Settings(no_cache=True, select=["ML101", "ML9"]))
    assert found == []
    found, _ = check(tmp_path, text, settings=Settings(no_cache=True))
    assert found == [("ML901", 11)]
    found, _ = check(tmp_path, text, settings=Settings(no_cache=True, ignore=["ML901"]))
    assert found == []


def test_missing_reason_is_reported_where_the_convention_requires_one(tmp_path):
    found, result = check(tmp_path, racy(g=" //maplint:ignore ML101", main=" //lint:ignore ML101"))
    assert found == [("ML902", 7), ("ML902", 10)] and result.suppressed == 2
    found, _ = check(tmp_path, racy(g=" //nolint:maplint", main=" //nolint:maplint"))
    assert found == []  # golangci-lint does not require one


def test_suppressions_never_touch_diagnostics(tmp_path):
    text = "//lint:file-ignore ML9 everything\npackage main\n\nfunc main() {\n\tx := \n}\n"
    found, _ = check(tmp_path, text)
    assert ("ML900", 5) in found


def test_directives_in_strings_are_not_directives():
    src = b'package a\n\nvar s = "//nolint:maplint"\n\nfunc f() {\n\t_ = `//maplint:ignore ML101 x`\n}\n'
    assert directives("a.go", src) == []


def test_python_directives():
    src = textwrap.dedent("""\
        d = {}
        d[1] = 2  # noqa: ML101
        d[2] = 3  # noqa: E501,ML102
        # maplint: ignore[ML101,ML103] only the owner thread writes
        d[3] = 4
        d[4] = 5  # maplint: ignore[ML101]
        d[5] = 6  # noqa
        d[6] = 7  # noqa: E501
        s = "# noqa: ML101"
        """).encode()
    found = {(d.line, d.form, d.codes, d.first, d.last, d.reason) for d in directives("a.py", src)}
    assert found == {
        (2, "noqa", ("ML101",), 2, 2, ""),
        (3, "noqa", ("ML102",), 3, 3, ""),
        (4, "maplint", ("ML101", "ML103"), 4, 5, "only the owner thread writes"),
        (6, "maplint", ("ML101",), 6, 6, ""),
        (7, "noqa", ("*",), 7, 7, ""),
    }


def test_python_files_are_suppressed_too(tmp_path):
    from maplint.frontends import python as pyfront

    if not hasattr(pyfront, "check_files"):
        pytest.skip("the Python front-end is not wired into the engine yet")
    text = textwrap.dedent("""\
        import threading

        counts = {}


        def work(k):
            counts[k] = counts.get(k, 0) + 1  # maplint: ignore[ML201] only ever one worker in production


        for i in range(4):
            threading.Thread(target=work, args=(i,)).start()
        """)
    found, result = check(tmp_path, text.replace("  # maplint: ignore[ML201] only ever one worker in production", ""),
                          "work.py")
    assert ("ML201", 7) in found
    found, result = check(tmp_path, text, "work.py")
    assert found == [] and result.suppressed >= 1
    found, _ = check(tmp_path, text.replace("ignore[ML201]", "ignore[ML202]"), "work.py")
    assert ("ML201", 7) in found and ("ML901", 7) in found
