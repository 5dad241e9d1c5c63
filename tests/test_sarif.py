"""SARIF output: the schema, GitHub's ingestion rules, Microsoft's SARIF
Multitool, codeFlows as the VS Code SARIF Viewer shows them, and fingerprints
that survive unrelated edits."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from maplint.cli import main
from maplint.report.sarif import utf16_col

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = Path("/work/shared/schemas/sarif-schema-2.1.0.json")

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


def sarif_of(args: list[str], tmp_path: Path, name: str = "out.sarif") -> dict:
    out = tmp_path / name
    rc = main(["check", *args, "--format", "sarif", "-o", str(out)])
    assert rc in (0, 1), rc
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> tuple[dict, Path]:
    tmp = tmp_path_factory.mktemp("sarif")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return sarif_of(["examples/"], tmp), tmp / "out.sarif"
    finally:
        os.chdir(cwd)


def test_valid_against_the_sarif_schema(examples):
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = SCHEMA if SCHEMA.is_file() else ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
    if not schema_path.is_file():
        pytest.skip("the SARIF schema is not available")
    doc, _ = examples
    errors = sorted(jsonschema.Draft4Validator(json.loads(schema_path.read_text())).iter_errors(doc), key=str)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json" and doc["version"] == "2.1.0"


def test_what_github_needs(examples):
    doc, _ = examples
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "maplint" and re.fullmatch(r"\d+\.\d+\.\d+.*", driver["semanticVersion"])
    assert driver["informationUri"].startswith("https://")
    ids = [r["id"] for r in driver["rules"]]
    assert {"ML101", "ML102", "ML103", "ML104", "ML105", "ML901", "ML902"} <= set(ids)
    for r in driver["rules"]:
        assert r["name"] and re.fullmatch(r"[A-Z][A-Za-z0-9]+", r["name"])
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert len(r["fullDescription"]["text"]) <= 1024
        assert r["help"]["text"] and r["help"]["markdown"] and r["helpUri"].startswith("https://")
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
        props = r["properties"]
        assert props["problem.severity"] in ("error", "warning", "recommendation")
        assert props["precision"] in ("very-high", "high", "medium", "low") and props["tags"]
        assert "security-severity" not in props
    ml101 = driver["rules"][ids.index("ML101")]
    assert "concurrent map writes" in ml101["fullDescription"]["text"]
    assert ml101["helpUri"].endswith("docs/rules/ML101.md") and ml101["properties"]["maplint/name"] == "concurrent-map-writes"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    assert len(run["results"]) > 50
    prints = set()
    for res in run["results"]:
        assert res["ruleId"] == ids[res["ruleIndex"]]
        assert res["message"]["text"].endswith(".")
        art = res["locations"][0]["physicalLocation"]["artifactLocation"]
        assert art["uriBaseId"] == "%SRCROOT%" and art["uri"].startswith(("examples/go/", "examples/python/"))
        fp = res["partialFingerprints"]["maplint/v1"]
        assert re.fullmatch(r"[0-9a-f]{32}", fp) and fp not in prints
        prints.add(fp)
        assert "primaryLocationLineHash" not in res["partialFingerprints"]  # GitHub computes it


def test_messages_link_the_related_locations(examples):
    doc, _ = examples
    for res in doc["runs"][0]["results"]:
        related = res.get("relatedLocations", [])
        ids = {loc["id"] for loc in related}
        links = {int(n) for n in re.findall(r"(?<!\\)\]\((\d+)\)", res["message"]["text"])}
        assert links == ids, res["message"]["text"]
        for loc in related:
            assert loc["message"]["text"] and loc["physicalLocation"]["region"]["startLine"] >= 1
    handler = next(r for r in doc["runs"][0]["results"] if "HTTP handlers registered at [main.go:47](" in r["message"]["text"])
    assert "Simulated: fatal error" in handler["message"]["text"]


def test_code_flows_hold_the_interleaving(examples):
    doc, _ = examples
    results = doc["runs"][0]["results"]
    with_flows = [r for r in results if "codeFlows" in r]
    assert len(with_flows) == len(results)
    for res in with_flows:
        flat = res["codeFlows"][0]["threadFlows"]
        assert len(flat) == 1  # the single flow a one-flow viewer shows
        steps = flat[0]["locations"]
        orders = [s["executionOrder"] for s in steps]
        assert orders == sorted(orders) == list(range(1, len(steps) + 1))
        word = "thread" if res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".py") else "goroutine"
        assert all(re.match(rf"\[({word} [12]|after both {word}s return)\] ", s["location"]["message"]["text"])
                   for s in steps), [s["location"]["message"]["text"] for s in steps]
        total = sum(len(t["locations"]) for cf in res["codeFlows"] for t in cf["threadFlows"])
        assert total <= 10_000
        if len(res["codeFlows"]) > 1:
            per = res["codeFlows"][1]["threadFlows"]
            assert [t["id"] for t in per][:2] == [f"{word} 1", f"{word} 2"]
            merged = sorted(s["executionOrder"] for t in per for s in t["locations"])
            assert merged == orders  # the per-goroutine flows interleave into the flat one
    one = next(r for r in with_flows if r["ruleId"] == "ML101" and "several at once" not in r["message"]["text"])
    texts = [s["location"]["message"]["text"] for s in one["codeFlows"][0]["threadFlows"][0]["locations"]]
    assert any(t.startswith("[goroutine 1] ") for t in texts) and any(t.startswith("[goroutine 2] ") for t in texts)
    assert any("✗" in t for t in texts)
    assert any("entry check" in t or "exit check" in t for t in texts)
    danger = [s for s in one["codeFlows"][0]["threadFlows"][0]["locations"] if "danger" in s.get("kinds", [])]
    assert len(danger) == 1 and danger[0]["importance"] == "essential"


def test_what_the_vscode_sarif_viewer_shows(examples):
    """The viewer's Analysis Steps tab lists codeFlows[0].threadFlows[0].locations
    (sarif-vscode-extension src/panel/details.tsx): each row is
    location.message.text, the file name and line:column, indented by
    (nestingLevel - 1) * 24px; rows without a location are dropped."""
    doc, _ = examples
    res = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "ML101")
    rows = []
    for tfl in res["codeFlows"][0]["threadFlows"][0]["locations"]:
        loc = tfl["location"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"]
        rows.append(((tfl.get("nestingLevel", 1) - 1) * 24, loc["message"]["text"],
                     loc["physicalLocation"]["region"]["startLine"]))
    assert {indent for indent, text, _ in rows if text.startswith("[goroutine 1]")} == {0}
    assert {indent for indent, text, _ in rows if text.startswith("[goroutine 2]")} == {24}
    lines = {line for _, _, line in rows}
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] in lines


def test_sarif_multitool_reports_nothing(examples, tmp_path):
    """Microsoft's SARIF Multitool with GitHub's ingestion rules: 0 errors, 0
    warnings. Runs where the tool is installed (`npm install
    @microsoft/sarif-multitool`; point SARIF_MULTITOOL at the binary or put it
    on PATH)."""
    tool = os.environ.get("SARIF_MULTITOOL") or shutil.which("Sarif.Multitool")
    if not tool:
        for base in (ROOT, Path.home()):
            cand = base / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"
            if cand.is_file():
                tool = str(cand)
                break
    if not tool:
        pytest.skip("SARIF Multitool is not installed")
    _, path = examples
    out = tmp_path / "validation.sarif"
    # Call the binary directly: the npm wrapper runs it through a shell, which
    # would split "Gh;Sarif" at the semicolon.
    proc = subprocess.run([tool, "validate", str(path), "--rule-kind", "Gh;Sarif", "-o", str(out),
                           "--log", "ForceOverwrite"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = json.loads(out.read_text(encoding="utf-8-sig"))["runs"][0].get("results", [])
    problems = [(r["ruleId"], r["message"].get("text") or r["message"].get("arguments")) for r in found
                if r.get("level", "warning") in ("error", "warning")]
    assert problems == [], problems
    assert ": error " not in proc.stdout and ": warning " not in proc.stdout, proc.stdout


def test_fingerprints_survive_unrelated_edits(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "main.go"
    src.write_text(RACY)
    before = sarif_of(["main.go"], tmp_path, "a.sarif")["runs"][0]["results"]
    src.write_text(RACY.replace("func main() {", "// A comment.\n\n\nfunc main() {"))
    after = sarif_of(["main.go"], tmp_path, "b.sarif")["runs"][0]["results"]
    fp = lambda rs: sorted(r["partialFingerprints"]["maplint/v1"] for r in rs)  # noqa: E731
    line = lambda rs: sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in rs)  # noqa: E731
    assert fp(before) == fp(after) and len(before) == 2
    assert line(after) == [x + 3 for x in line(before)]
    src.write_text(RACY.replace("m[2] = 2", "m[3] = 3"))
    edited = sarif_of(["main.go"], tmp_path, "c.sarif")["runs"][0]["results"]
    assert len(set(fp(edited)) & set(fp(before))) == 1  # the edited line is a new finding, the other stays


def test_paths_are_relative_to_the_repository_root(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    pkg = tmp_path / "svc" / "cache"
    pkg.mkdir(parents=True)
    (pkg / "main.go").write_text(RACY)
    monkeypatch.chdir(pkg)
    run = sarif_of(["main.go"], tmp_path)["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"svc/cache/main.go"}


def test_columns_are_utf16_code_units(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = RACY.replace("\t\tm[1] = 1\n", '\t\t_ = "😀"; m[1] = 1\n')
    (tmp_path / "main.go").write_text(text)
    res = sarif_of(["main.go"], tmp_path)["runs"][0]["results"]
    region = next(r["locations"][0]["physicalLocation"]["region"] for r in res
                  if r["locations"][0]["physicalLocation"]["region"]["startLine"] == 7)
    line = text.splitlines()[6]
    assert region["startColumn"] == len(line[: line.index("m[1]")].encode("utf-16-le")) // 2 + 1
    assert utf16_col(line, len(line[: line.index("m[1]")].encode()) + 1, "x.go") == region["startColumn"]
    assert utf16_col("ab", 2, "x.py") == 2


def test_diagnostics_become_notifications_and_suppression_codes_results(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.go").write_text(RACY.replace("\tm[2] = 2\n", "\tm[2] = 2 //maplint:ignore ML101\n"))
    (tmp_path / "broken.go").write_bytes(b"package main\n\xff\xfe\n")
    run = sarif_of(["main.go", "broken.go"], tmp_path)["runs"][0]
    codes = sorted(r["ruleId"] for r in run["results"])
    assert codes == ["ML101", "ML902"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["ML900"]
    assert run["invocations"][0]["executionSuccessful"] is True
