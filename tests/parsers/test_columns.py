"""Columns count characters, not bytes, in every format and from every kind of source.

Each file puts non-ASCII text before the reported span on the same line; the expected column is found
by counting characters in the text the test wrote, and must be the same in text, JSON, SARIF and
GitHub output, and under the caret line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pinlint.cli.app import main

TODAY = ("--today", "2026-01-15")

#: file name -> (content, rule, the text the span starts at on its line)
CASES = {
    "Client.kt": (
        'val note = "日本語 ✓"; val client = OkHttpClient.Builder().hostnameVerifier { _, _ -> true }.build()\n',
        "TRU302", "true }"),
    "Client.java": (
        'class C { String s = "ü"; String u = "http://pacs.legacy.example/x"; }\n',
        "CLR203", '"http://pacs'),
    "net.dart": (
        "var s = 'ç'; var u = 'http://pacs.legacy.example/x';\n", "CLR203", "'http://pacs"),
    "api.ts": (
        "const s = 'ä'; const u = 'http://pacs.legacy.example/x';\n", "CLR203", "'http://pacs"),
    "Api.swift": (
        'let s = "é"; let u = URL(string: "http://pacs.legacy.example/x")\n', "CLR203", '"http://pacs'),
    "client.py": (
        "s = 'é'; u = 'http://pacs.legacy.example/x'\n", "CLR203", "'http://pacs"),
    "res/xml/network_security_config.xml": (
        '<network-security-config><!-- é --><domain-config cleartextTrafficPermitted="true">'
        "<domain>pacs.legacy.example</domain></domain-config></network-security-config>\n",
        "CLR201", 'cleartextTrafficPermitted'),
}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, (content, _rule, _anchor) in CASES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def expected_column(name: str) -> int:
    content, _rule, anchor = CASES[name]
    line = content.splitlines()[0]
    assert not line.isascii()  # the case is only worth having with characters wider than a byte
    return line.index(anchor) + 1


def run(*args: str) -> str:
    result = CliRunner().invoke(main, ["check", *TODAY, "--no-config", *args, "."], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return result.stdout


def test_json_columns_count_characters(tree: Path) -> None:
    findings = json.loads(run("--format", "json"))["findings"]
    for name, (_content, rule, _anchor) in CASES.items():
        matching = [f for f in findings if f["path"] == name and f["rule"] == rule]
        assert matching, (name, rule, findings)
        assert matching[0]["column"] == expected_column(name), name


def test_sarif_states_its_column_unit_and_agrees(tree: Path) -> None:
    document = json.loads(run("--format", "sarif"))
    sarif_run = document["runs"][0]
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    for name, (_content, rule, _anchor) in CASES.items():
        columns = [r["locations"][0]["physicalLocation"]["region"]["startColumn"] for r in sarif_run["results"]
                   if r["ruleId"] == rule and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == name]
        assert columns and columns[0] == expected_column(name), name


def test_text_and_github_columns_and_caret(tree: Path) -> None:
    text = run("--format", "text").splitlines()
    github = run("--format", "github")
    for name, (content, rule, anchor) in CASES.items():
        column = expected_column(name)
        head = f"{name}:1:{column}: {rule} "
        index = next(i for i, line in enumerate(text) if line.startswith(head))
        source, caret = text[index + 1], text[index + 2]
        assert source == "    " + content.strip()
        assert caret.index("^") == source.index(anchor)
        assert f"file={name},line=1,col={column}," in github
