"""`maplint lsp`, driven over stdio the way an editor drives it:
initialize → initialized → didOpen → publishDiagnostics, then hover, code
actions, the timeline command, didChange and didClose."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from maplint.config import Settings
from maplint.integrations.lsp import analyse, column

pytest.importorskip("pygls")

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

SAFE = RACY.replace("\tm[2] = 2\n\t<-done\n", "\t<-done\n\tm[2] = 2\n")


class Client:
    """A minimal LSP client: Content-Length framing over the server's pipes."""

    def __init__(self, cwd: Path):
        self.proc = subprocess.Popen([sys.executable, "-m", "maplint", "lsp", "--stdio"], cwd=cwd,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
        self.inbox: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            body = out.read(int(headers["content-length"]))
            self.inbox.put(json.loads(body))

    def send(self, msg: dict) -> None:
        data = json.dumps({"jsonrpc": "2.0", **msg}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict, timeout: float = 30) -> dict:
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def wait(self, pred, timeout: float = 30) -> dict:
        while True:
            try:
                msg = self.inbox.get(timeout=timeout)
            except queue.Empty:
                err = b""
                if self.proc.poll() is not None:
                    err = self.proc.stderr.read()
                raise AssertionError(f"no matching message from the server in {timeout}s {err!r}") from None
            if msg.get("method") in ("window/showDocument",) and "id" in msg:
                self.send({"id": msg["id"], "result": {"success": True}})
            if pred(msg):
                return msg

    def diagnostics(self, uri: str, timeout: float = 30) -> list[dict]:
        msg = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                        and m["params"]["uri"] == uri, timeout)
        return msg["params"]["diagnostics"]

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.fixture
def client(tmp_path):
    c = Client(tmp_path)
    init = c.request("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(),
                                    "capabilities": {"window": {"showDocument": {"support": True}}}})
    caps = init["result"]["capabilities"]
    assert caps["hoverProvider"] and caps["codeActionProvider"]
    assert "maplint.showTimeline" in caps["executeCommandProvider"]["commands"]
    c.notify("initialized", {})
    yield c
    c.close()


def test_diagnostics_hover_actions_and_changes(client, tmp_path):
    src = tmp_path / "main.go"
    src.write_text(RACY)
    uri = src.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "go", "version": 1,
                                                            "text": RACY}})
    diags = client.diagnostics(uri)
    codes = sorted(d["code"] for d in diags)
    assert codes == ["ML101", "ML101"], diags
    d = next(d for d in diags if d["range"]["start"]["line"] == 6)  # m[1] = 1, 0-based line 6
    assert d["source"] == "maplint" and d["severity"] == 1
    assert d["range"]["start"]["character"] == 2  # after two tabs
    assert d["codeDescription"]["href"].endswith("/docs/rules/ML101.md")
    assert "fatal error: concurrent map writes" in d["message"]
    related = {(r["location"]["range"]["start"]["line"], r["message"]) for r in d["relatedInformation"]}
    assert (9, "the other write") in related  # m[2] = 2
    assert any(line == 5 and "goroutine started" in msg for line, msg in related)  # the go statement

    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 6, "character": 3}})
    value = hover["result"]["contents"]["value"]
    assert "**ML101**" in value and "```text" in value and "goroutine 1" in value

    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}})["result"]
    titles = [a["title"] for a in actions]
    assert any(t.startswith("Show the race timeline") for t in titles), titles
    fix = next(a for a in actions if a["title"].startswith("Suppress ML101"))
    assert fix["edit"]["changes"][uri][0]["newText"] == "\t\t//maplint:ignore ML101\n"
    show = next(a for a in actions if a["title"].startswith("Show"))
    res = client.request("workspace/executeCommand", {"command": show["command"]["command"],
                                                      "arguments": show["command"]["arguments"]})
    assert "concurrent map writes" in res["result"] and "goroutine 2" in res["result"]

    # An unsaved edit that fixes the race clears the diagnostics (the buffer counts, not the disk).
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": SAFE}]})
    assert client.diagnostics(uri) == []
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []


def test_python_documents_are_analysed(client, tmp_path):
    from maplint.frontends import python as pyfront

    if not hasattr(pyfront, "check_files"):
        pytest.skip("the Python front-end is not wired into the engine yet")
    text = textwrap.dedent("""\
        import threading

        counts = {}


        def work(k):
            counts[k] = counts.get(k, 0) + 1


        for i in range(4):
            threading.Thread(target=work, args=(i,)).start()
        """)
    src = tmp_path / "work.py"
    src.write_text(text)
    uri = src.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                            "text": text}})
    diags = client.diagnostics(uri)
    assert [(d["code"], d["range"]["start"]["line"]) for d in diags] == [("ML201", 6)], diags
    assert any("threads started at work.py:11" in r["message"] for r in diags[0]["relatedInformation"])


def test_analyse_maps_scratch_paths_back(tmp_path):
    (tmp_path / "main.go").write_text(SAFE)
    findings = analyse(tmp_path / "main.go", RACY, Settings(no_cache=True))
    assert findings and all(Path(f.span.path).resolve() == (tmp_path / "main.go").resolve() for f in findings)
    assert all(Path(r.span.path).parent.resolve() == tmp_path.resolve() for f in findings for r in f.related)
    assert analyse(tmp_path / "main.go", None, Settings(no_cache=True)) == []


def test_columns_follow_the_negotiated_encoding():
    line = '\ts := "é😀"; m[k] = v'
    byte_col = len(line[: line.index("m[")].encode()) + 1
    assert column(line, byte_col, "a.go", "utf-8") == byte_col - 1
    assert column(line, byte_col, "a.go", "utf-16") == line.index("m[") + 1  # 😀 is two UTF-16 units
    assert column(line, byte_col, "a.go", "utf-32") == line.index("m[")
    assert column(line, line.index("m[") + 1, "a.py", "utf-16") == line.index("m[") + 1
