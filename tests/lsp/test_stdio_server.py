"""The language server driven over standard input and output, as an editor drives it.

``python -m pinlint lsp`` runs as a child process; the test speaks JSON-RPC with ``Content-Length``
framing (``stdio_client``): initialize, initialized, didOpen, didChange, codeAction, hover, shutdown,
exit. Every read is bounded by a timeout, so a server that hangs fails the test.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pinlint.triage.suppress import REASON_PLACEHOLDER, parse_directives
from tests.conftest import ROOT
from tests.lsp.stdio_client import StdioClient, start_server

pytest.importorskip("pygls", reason="the lsp extra is part of the test extra")

PIN_A = base64.b64encode(hashlib.sha256(b"pinlint lsp test key A").digest()).decode()
PIN_B = base64.b64encode(hashlib.sha256(b"pinlint lsp test key B").digest()).decode()

MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.example.care">
    <application android:networkSecurityConfig="@xml/network_security_config" android:label="Care">
    </application>
</manifest>
"""
ONE_PIN_CONFIG = f"""<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <domain-config>
        <domain includeSubdomains="true">api.example.com</domain>
        <pin-set expiration="2099-01-01">
            <pin digest="SHA-256">{PIN_A}</pin>
        </pin-set>
    </domain-config>
</network-security-config>
"""
PIN_SET_LINE = 4  # 0-based: the <pin-set> line
PIN_LINE = 5
TRUST_ALL_KOTLIN = """package com.example.care.net

import java.security.cert.X509Certificate
import javax.net.ssl.X509TrustManager

class TrustEverything : X509TrustManager {
    override fun checkClientTrusted(chain: Array<X509Certificate>, authType: String) {}
    override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {}
    override fun getAcceptedIssuers(): Array<X509Certificate> = arrayOf()
}
"""
CHECK_SERVER_LINE = 7
CONFIG_PATH = "app/src/main/res/xml/network_security_config.xml"
KOTLIN_PATH = "app/src/main/java/com/example/care/net/TrustEverything.kt"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    for relative, text in (("app/src/main/AndroidManifest.xml", MANIFEST), (CONFIG_PATH, ONE_PIN_CONFIG),
                           (KOTLIN_PATH, TRUST_ALL_KOTLIN)):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def client(project: Path) -> Iterator[StdioClient]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    started = start_server(project, env, ("--today", "2026-01-15"))
    try:
        yield started
    finally:
        started.kill()


def initialize(client: StdioClient, root: Path) -> dict[str, Any]:
    result: dict[str, Any] = client.request("initialize", {
        "processId": os.getpid(),
        "rootUri": root.as_uri(),
        "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
        "capabilities": {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {"publishDiagnostics": {"versionSupport": True}, "hover": {
                "contentFormat": ["markdown", "plaintext"]}},
            "window": {"showDocument": {"support": True}},
        },
    })
    client.notify("initialized", {})
    return result


def did_open(client: StdioClient, path: Path, language: str, text: str) -> str:
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": language, "version": 1, "text": text}})
    return uri


def codes(diagnostics: list[Any]) -> list[str]:
    return sorted(str(diagnostic.get("code")) for diagnostic in diagnostics if diagnostic.get("code"))


def apply_edits(text: str, edits: list[Any]) -> str:
    """The text after LSP text edits (ASCII test text: UTF-16 offsets are character offsets)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]),
                       reverse=True):
        start = offsets[edit["range"]["start"]["line"]] + edit["range"]["start"]["character"]
        end = offsets[edit["range"]["end"]["line"]] + edit["range"]["end"]["character"]
        text = text[:start] + edit["newText"] + text[end:]
    return text


def shut_down(client: StdioClient) -> None:
    assert client.request("shutdown") is None
    client.notify("exit")
    assert client.exit_code() == 0


def test_editor_session_over_stdio(client: StdioClient, project: Path) -> None:
    capabilities = initialize(client, project)["capabilities"]
    assert capabilities["codeActionProvider"] and capabilities["hoverProvider"]
    assert capabilities.get("positionEncoding", "utf-16") == "utf-16"

    # a one-pin network security config: PIN101 on the <pin-set> line
    config_uri = did_open(client, project / CONFIG_PATH, "xml", ONE_PIN_CONFIG)
    diagnostics = client.diagnostics(config_uri, version=1)
    assert codes(diagnostics) == ["PIN101"]
    pin101 = diagnostics[0]
    assert pin101["range"]["start"]["line"] == PIN_SET_LINE
    assert pin101["severity"] == 1  # high: an error
    assert pin101["source"] == "pinlint"
    documentation = pin101["codeDescription"]["href"]
    assert documentation.startswith("file://") and documentation.endswith("PIN101-missing-backup-pin.yaml")
    assert Path(documentation.removeprefix("file://")).is_file()

    # a trust-all Kotlin class: TRU301 on checkServerTrusted
    kotlin_uri = did_open(client, project / KOTLIN_PATH, "kotlin", TRUST_ALL_KOTLIN)
    kotlin_diagnostics = client.diagnostics(kotlin_uri, version=1)
    assert codes(kotlin_diagnostics) == ["TRU301"]
    assert kotlin_diagnostics[0]["range"]["start"]["line"] == CHECK_SERVER_LINE

    # hover over the squiggle: the rule's why and fix
    hover = client.request("textDocument/hover", {"textDocument": {"uri": config_uri},
                                                  "position": pin101["range"]["start"]})
    assert "Why it matters" in hover["contents"]["value"] and "Fix" in hover["contents"]["value"]
    assert "backup pin" in hover["contents"]["value"]

    # code actions: a suppression in XML comment syntax that the suppression parser reads back, and explain
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": config_uri}, "range": pin101["range"],
        "context": {"diagnostics": [pin101]}})
    titles = [action["title"] for action in actions]
    assert any(title.startswith("Suppress PIN101") for title in titles)
    assert any(title.startswith("Explain PIN101") for title in titles)
    suppress = next(action for action in actions if action["title"].startswith("Suppress PIN101"))
    suppressed_text = apply_edits(ONE_PIN_CONFIG, suppress["edit"]["changes"][config_uri])
    directive, = parse_directives(CONFIG_PATH, suppressed_text)
    assert directive.rule_ids == {"PIN101"} and directive.standalone
    assert directive.span.line == PIN_SET_LINE + 1  # 1-based: the line above the pin-set
    assert REASON_PLACEHOLDER in suppressed_text and directive.reason == ""
    explain = next(action for action in actions if action["title"].startswith("Explain PIN101"))
    client.request("workspace/executeCommand", explain["command"])
    shown = [m for m in client.received if m.get("method") == "window/showDocument"]
    assert [m["params"]["uri"] for m in shown] == [documentation]

    # fix the config in the unsaved buffer (an incremental change adding a backup pin): PIN101 clears
    backup = f"            <pin digest=\"SHA-256\">{PIN_B}</pin>\n"
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": config_uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": PIN_LINE + 1, "character": 0},
                                      "end": {"line": PIN_LINE + 1, "character": 0}}, "text": backup}]})
    assert codes(client.diagnostics(config_uri, version=2)) == []
    assert (project / CONFIG_PATH).read_text(encoding="utf-8") == ONE_PIN_CONFIG  # nothing written to disk

    # a half-typed buffer is a parse error diagnostic, and the server goes on answering
    client.notify("textDocument/didChange", {"textDocument": {"uri": config_uri, "version": 3},
                                             "contentChanges": [{"text": ONE_PIN_CONFIG[:200]}]})
    assert codes(client.diagnostics(config_uri, version=3)) == ["CFG901"]
    client.notify("textDocument/didChange", {"textDocument": {"uri": kotlin_uri, "version": 2},
                                             "contentChanges": [{"text": TRUST_ALL_KOTLIN[:230]}]})
    client.diagnostics(kotlin_uri, version=2)
    assert client.request("textDocument/hover", {"textDocument": {"uri": kotlin_uri},
                                                 "position": {"line": 0, "character": 0}}) is None

    shut_down(client)


def test_manifest_buffer_is_the_configs_context(client: StdioClient, project: Path) -> None:
    """An open, unsaved manifest is what the config is checked against; a closed one is read from disk."""
    config = project / CONFIG_PATH
    base = '<network-security-config>\n    <base-config cleartextTrafficPermitted="true" />'
    cleartext = ONE_PIN_CONFIG.replace("<network-security-config>", base)
    config.write_text(cleartext, encoding="utf-8")
    manifest = project / "app/src/main/AndroidManifest.xml"
    unreferenced = MANIFEST.replace(' android:networkSecurityConfig="@xml/network_security_config"', "")
    manifest.write_text(unreferenced, encoding="utf-8")
    initialize(client, project)

    config_uri = did_open(client, config, "xml", cleartext)
    assert "CLR201" not in codes(client.diagnostics(config_uri, version=1))  # no manifest applies it
    manifest_uri = did_open(client, manifest, "xml", unreferenced)
    client.diagnostics(manifest_uri, version=1)
    # the manifest, edited but not saved, now names the config: the config is checked again with it
    client.notify("textDocument/didChange", {"textDocument": {"uri": manifest_uri, "version": 2},
                                             "contentChanges": [{"text": MANIFEST}]})
    client.diagnostics(manifest_uri, version=2)
    assert "CLR201" in codes(client.diagnostics(config_uri, version=1))
    # closing the manifest buffer: the file on disk counts again
    client.notify("textDocument/didClose", {"textDocument": {"uri": manifest_uri}})
    assert "CLR201" not in codes(client.diagnostics(config_uri, version=1))
    shut_down(client)


def test_the_suppression_quick_fix_round_trips_through_the_server(client: StdioClient, project: Path) -> None:
    """The edit the quick fix offers, applied in the buffer: PIN101 stays and the placeholder is reported
    until a reason replaces it; then PIN101 is suppressed."""
    initialize(client, project)
    config_uri = did_open(client, project / CONFIG_PATH, "xml", ONE_PIN_CONFIG)
    pin101, = client.diagnostics(config_uri, version=1)
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": config_uri}, "range": pin101["range"], "context": {"diagnostics": [pin101]}})
    suppress = next(action for action in actions if action["title"].startswith("Suppress PIN101"))
    placeholder_text = apply_edits(ONE_PIN_CONFIG, suppress["edit"]["changes"][config_uri])
    client.notify("textDocument/didChange", {"textDocument": {"uri": config_uri, "version": 2},
                                             "contentChanges": [{"text": placeholder_text}]})
    diagnostics = client.diagnostics(config_uri, version=2)
    assert codes(diagnostics) == ["PIN101"]
    notice, = [d for d in diagnostics if not d.get("code")]
    assert "has no reason and is not obeyed" in notice["message"]
    assert notice["range"]["start"]["line"] == PIN_SET_LINE  # on the new comment line
    reasoned = placeholder_text.replace(REASON_PLACEHOLDER, "backup key is held offline (SEC-12)")
    client.notify("textDocument/didChange", {"textDocument": {"uri": config_uri, "version": 3},
                                             "contentChanges": [{"text": reasoned}]})
    assert client.diagnostics(config_uri, version=3) == []
    shut_down(client)


def test_an_unusable_policy_file_is_a_diagnostic(client: StdioClient, project: Path) -> None:
    (project / ".pinlint.yaml").write_text("select: [PIN101\n", encoding="utf-8")
    initialize(client, project)
    config_uri = did_open(client, project / CONFIG_PATH, "xml", ONE_PIN_CONFIG)
    problem, = client.diagnostics(config_uri, version=1)
    assert problem["message"].startswith("pinlint cannot use the project's policy:")
    (project / ".pinlint.yaml").write_text("select: [PIN101]\n", encoding="utf-8")
    client.notify("textDocument/didSave", {"textDocument": {"uri": config_uri}})
    assert codes(client.diagnostics(config_uri, version=1)) == ["PIN101"]
    shut_down(client)
