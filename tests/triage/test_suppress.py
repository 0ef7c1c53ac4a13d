"""Inline suppressions: read only in comments, obeyed only with a reason, kept and marked, unused reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pinlint.cli.app import main
from pinlint.model.facts import Span
from pinlint.model.findings import Finding
from pinlint.triage.suppress import apply_inline, parse_directives
from tests import fake_pins
from tests.fake_pins import PIN_A, document, pin_set


@pytest.mark.parametrize("name, text, line", [
    ("network_security_config.xml", "<!-- pinlint: ignore[PIN101] backup key offline -->\n<pin-set>\n", 1),
    ("Info.plist", "<dict> <!-- pinlint: ignore[PIN101] backup key offline --> </dict>\n", 1),
    ("Pinning.kt", 'val pins = listOf(a) // pinlint: ignore[PIN101] backup key offline\n', 1),
    ("Pinning.java", "/* pinlint: ignore[PIN101] backup key offline */\nString[] pins;\n", 1),
    ("Pinning.swift", "let x = 1\n// pinlint: ignore[PIN101] backup key offline\n", 2),
    ("Pinning.m", "/*\n * pinlint: ignore[PIN101] backup key offline\n */\n", 2),
    ("pinning.dart", "final pins = [a]; // pinlint: ignore[PIN101] backup key offline\n", 1),
    ("Pinning.cs", "var pins = new[] { a }; // pinlint: ignore[PIN101] backup key offline\n", 1),
    ("pinning.ts", "const pins = [a]; /* pinlint: ignore[PIN101] backup key offline */\n", 1),
    ("client.py", "session.verify = False  # pinlint: ignore[PIN101] backup key offline\n", 1),
    ("build.gradle", "minSdk 21 // pinlint: ignore[PIN101] backup key offline\n", 1),
])
def test_directive_in_each_comment_syntax(name: str, text: str, line: int) -> None:
    [directive] = parse_directives(name, text)
    assert directive.rule_ids == {"PIN101"}
    assert directive.reason == "backup key offline"
    assert directive.span.path == name and directive.span.line == line


@pytest.mark.parametrize("name, text", [
    ("client.py", 'label = "pinlint: ignore[PIN101] not a comment"\n'),
    ("Pinning.kt", 'val s = "pinlint: ignore[PIN101] not a comment"\n'),
    ("config.xml", "<note>pinlint: ignore[PIN101] element text, not a comment</note>\n"),
    ("client.py", "# pinlint: ignored[PIN101] misspelt\n"),
    ("app.json", '{"x": "pinlint: ignore[PIN101] JSON has no comments"}\n'),
    ("README.md", "<!-- pinlint: ignore[PIN101] not a scanned format -->\n"),
])
def test_text_outside_comments_is_not_a_directive(name: str, text: str) -> None:
    assert parse_directives(name, text) == []


def test_names_reasons_and_placement() -> None:
    text = (
        "<!-- pinlint: ignore[PIN101, cleartext-permitted, NOPE1] - rotating keys, see SEC-12 -->\n"
        "<a/> <!-- pinlint: ignore[missing-backup-pin] -->\n"
        "<b/> <!-- pinlint:ignore[PIN101]: reason after a colon -->\n"
    )
    first, second, third = parse_directives("n.xml", text)
    assert "PIN101" in first.rule_ids
    assert first.unknown[-1] == "NOPE1"
    assert first.reason == "rotating keys, see SEC-12"
    assert first.standalone
    assert second.rule_ids == {"PIN101"} and second.reason == "" and not second.standalone
    assert third.reason == "reason after a colon"


def finding(line: int, rule: str = "PIN101", path: str = "n.xml") -> Finding:
    return Finding(rule, "one pin", Span(path, line, 3), subject=(path, str(line)))


def test_same_line_and_standalone_line_above_are_covered() -> None:
    text = (
        "<!-- pinlint: ignore[PIN101] reason one -->\n"   # 1: covers line 2
        "<pin-set/>\n"                                     # 2
        "<x/> <!-- pinlint: ignore[PIN101] reason two -->\n"  # 3: covers 3 only (not standalone)
        "<pin-set/>\n"                                     # 4
    )
    directives = {"n.xml": parse_directives("n.xml", text)}
    marked, notices = apply_inline([finding(2), finding(4)], directives, ["PIN101"])
    assert marked[0].suppression is not None
    assert marked[0].suppression.kind == "inline"
    assert marked[0].suppression.justification == "reason one"
    assert marked[0].suppression.span == Span("n.xml", 1, 6, 1, 40)
    assert marked[1].suppression is None
    assert [note.span.line for note in notices] == [3]
    assert "unused suppression of PIN101" in notices[0].text


def test_other_rules_and_other_files_are_not_covered() -> None:
    directives = {"n.xml": parse_directives("n.xml", "<a/> <!-- pinlint: ignore[PIN101] reason -->\n")}
    marked, _ = apply_inline([finding(1, "PIN102"), finding(1, path="other.xml")], directives, ["PIN101"])
    assert all(item.suppression is None for item in marked)


def test_reasonless_and_unknown_are_reported_and_not_obeyed() -> None:
    text = "<a/> <!-- pinlint: ignore[PIN101] -->\n<b/> <!-- pinlint: ignore[NOPE1] reason -->\n"
    directives = {"n.xml": parse_directives("n.xml", text)}
    marked, notices = apply_inline([finding(1)], directives, ["PIN101"])
    assert marked[0].suppression is None
    texts = [note.text for note in notices]
    assert any("has no reason and is not obeyed" in t for t in texts)
    assert any("unknown rule NOPE1" in t for t in texts)


def test_unused_is_not_reported_for_rules_that_did_not_run() -> None:
    directives = {"n.xml": parse_directives("n.xml", "<a/> <!-- pinlint: ignore[PIN101] reason -->\n")}
    _, notices = apply_inline([], directives, active_rules=[])
    assert notices == []


def test_audit_lists_without_obeying() -> None:
    text = "<a/> <!-- pinlint: ignore[PIN101] vendor says it is fine -->\n"
    directives = {"n.xml": parse_directives("n.xml", text)}
    marked, notices = apply_inline([finding(1)], directives, ["PIN101"], obey=False)
    assert marked[0].suppression is None
    [note] = notices
    assert "not obeyed in the audit profile" in note.text and "vendor says it is fine" in note.text


# ------------------------------------------------------------------------------------------- end to end


def test_suppressed_findings_are_kept_marked_and_do_not_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_pins.install(monkeypatch)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    pins = tmp_path / "pins.xml"
    pins.write_text(document(
        pin_set("a.example.com", PIN_A, comment="<!-- pinlint: ignore[PIN101] backup key held offline -->"),
        "  <!-- pinlint: ignore[PIN101] -->\n",
        pin_set("b.example.com", PIN_A),
        pin_set("c.example.com", PIN_A, PIN_A.replace("7", "8")),
        "  <!-- pinlint: ignore[PIN101] nothing to suppress below -->\n",
    ))
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--format", "json", "."])
    assert result.exit_code == 1  # b.example.com: the reasonless suppression is not obeyed
    data = json.loads(result.stdout)
    by_host = {f["message"].split(" for ")[1].split(" ")[0]: f for f in data["findings"]}
    assert by_host["a.example.com"]["suppressed"] is True
    assert by_host["a.example.com"]["suppression"] == {"kind": "inline", "justification": "backup key held offline",
                                                       "path": "pins.xml", "line": 3}
    assert by_host["b.example.com"]["suppressed"] is False

    checked = runner.invoke(main, ["check", "."])
    text, warnings = checked.stdout, checked.stderr  # warnings go to standard error
    assert "a.example.com" not in text and "b.example.com" in text
    assert "1 suppressed" in text
    assert "warning: pins.xml:6: suppression of PIN101 has no reason" in warnings
    assert "warning: pins.xml:14: unused suppression of PIN101" in warnings

    reasoned = "<!-- pinlint: ignore[PIN101] tracked in SEC-9 -->"
    pins.write_text(pins.read_text().replace("<!-- pinlint: ignore[PIN101] -->", reasoned))
    assert runner.invoke(main, ["check", "."]).exit_code == 0
