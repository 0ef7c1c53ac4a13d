"""The suppression quick fix writes a directive in the file's comment syntax that the suppression parser
reads back as covering the finding; its placeholder reason is not obeyed until the user replaces it."""

from __future__ import annotations

import pytest

from pinlint.lsp.actions import LineInsert, suppression_insert, text_edit
from pinlint.model.facts import Span
from pinlint.model.findings import Finding
from pinlint.triage.suppress import REASON_PLACEHOLDER, apply_inline, parse_directives


def _apply(text: str, insert: LineInsert) -> str:
    lines = text.split("\n")
    line = lines[insert.line]
    lines[insert.line] = line[:insert.column] + insert.text + line[insert.column:]
    return "\n".join(lines)


def _suppressed(display: str, text: str, line: int, rule_id: str, reason: str = "pinned by the gateway") -> bool:
    """Whether a finding on ``line`` is suppressed once the placeholder is replaced by ``reason``."""
    directives = {display: parse_directives(display, text.replace(REASON_PLACEHOLDER, reason))}
    finding = Finding(rule_id, "m", Span(display, line, 1))
    marked, _notices = apply_inline([finding], directives, [rule_id])
    return marked[0].suppression is not None


CASES = {
    "Net.kt": ("class A {\n    override fun checkServerTrusted() {}\n}\n", 2, "TRU301", "    // pinlint: ignore"),
    "Net.swift": ("func f() {\n    completionHandler(.useCredential, nil)\n}\n", 2, "TRU301", "    // pinlint:"),
    "build.gradle": ("android {\n    targetSdkVersion 22\n}\n", 2, "CLR202", "    // pinlint:"),
    "client.py": ("def f():\n    requests.get(url, verify=False)\n", 2, "TRU301", "    # pinlint:"),
    "Info.plist": ("<dict>\n    <key>NSAllowsArbitraryLoads</key>\n</dict>\n", 2, "CLR201", "    <!-- pinlint:"),
    "network_security_config.xml": (
        '<network-security-config>\n    <pin-set expiration="2099-01-01">\n', 2, "PIN101", "    <!-- pinlint:"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_new_directive_round_trips(name: str) -> None:
    text, line, rule_id, starts = CASES[name]
    insert = suppression_insert(name, text, line, rule_id)
    assert insert is not None
    edited = _apply(text, insert)
    new_line = line + insert.text.count("\n")
    assert edited.split("\n")[new_line - 2].startswith(starts)
    directive = next(d for d in parse_directives(name, edited) if rule_id in d.rule_ids)
    assert directive.reason == ""  # the placeholder is no reason: the finding stays until one is written
    assert not _suppressed(name, edited.replace(REASON_PLACEHOLDER, ""), new_line, rule_id, "")
    assert _suppressed(name, edited, new_line, rule_id)


def test_placeholder_reason_is_reported_not_obeyed() -> None:
    text = f"// pinlint: ignore[TRU301] {REASON_PLACEHOLDER}\nclass A\n"
    directives = {"A.kt": parse_directives("A.kt", text)}
    marked, notices = apply_inline([Finding("TRU301", "m", Span("A.kt", 2, 1))], directives, ["TRU301"])
    assert marked[0].suppression is None
    assert any("has no reason and is not obeyed" in note.text for note in notices)


def test_an_existing_directive_gets_the_rule_and_keeps_its_reason() -> None:
    text = '<domain-config>\n    <pin-set> <!-- pinlint: ignore[PIN104] renewed in March -->\n'
    insert = suppression_insert("network_security_config.xml", text, 2, "PIN101")
    assert insert is not None and insert.line == 1 and "\n" not in insert.text
    edited = _apply(text, insert)
    assert "ignore[PIN104, PIN101] renewed in March" in edited
    assert _suppressed("network_security_config.xml", edited, 2, "PIN101")


def test_xml_inside_a_start_tag_gets_no_action() -> None:
    text = '<manifest>\n    <application\n        android:usesCleartextTraffic="true"\n        android:label="x">\n'
    assert suppression_insert("AndroidManifest.xml", text, 3, "CLR201") is None


def test_xml_at_the_end_of_a_tag_goes_at_the_line_end() -> None:
    text = '<manifest>\n    <application\n        android:usesCleartextTraffic="true">\n'
    insert = suppression_insert("AndroidManifest.xml", text, 3, "CLR201")
    assert insert is not None and insert.line == 2 and insert.text.startswith(" <!-- pinlint: ignore[CLR201]")
    assert _suppressed("AndroidManifest.xml", _apply(text, insert), 3, "CLR201")


def test_xml_declaration_line_is_never_preceded() -> None:
    text = '<?xml version="1.0"?>\n<network-security-config>\n'
    insert = suppression_insert("network_security_config.xml", text, 1, "CFG901")
    assert insert is not None and insert.line == 0 and insert.column == len('<?xml version="1.0"?>')


def test_json_has_no_comment_syntax() -> None:
    assert suppression_insert("app.json", '{\n  "expo": {}\n}\n', 2, "CLR201") is None


def test_crlf_files_keep_their_line_endings() -> None:
    insert = suppression_insert("A.kt", "class A {\r\n    fun f() {}\r\n}\r\n", 2, "TRU301")
    assert insert is not None and insert.text.endswith("\r\n")


def test_edit_positions_are_utf16() -> None:
    text = 'val s = "😀"; <x> \n'
    insert = LineInsert(0, len(text.split("\n")[0]), " <!-- c -->")
    edit = text_edit(insert, text)
    assert edit.range.start.character == len(text.split("\n")[0]) + 1  # the emoji is two UTF-16 units
