"""Findings as LSP diagnostics: severity, code and its documentation link, UTF-16 ranges."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from pinlint.lsp.analysis import FileReport
from pinlint.lsp.diagnostics import finding_diagnostic, report_diagnostics, span_range
from pinlint.model.facts import Note, Span
from pinlint.model.findings import Finding
from pinlint.rules import catalogue, lookup


def test_every_rule_links_to_its_shipped_documentation() -> None:
    for rule in catalogue().values():
        assert rule.file is not None and rule.file.is_file()
        diagnostic = finding_diagnostic(Finding(rule.id, "m", Span("a.kt", 1, 1), severity=rule.severity),
                                        rule, ["x"])
        assert diagnostic.code == rule.id
        assert diagnostic.code_description is not None
        assert diagnostic.code_description.href == rule.file.resolve().as_uri()


def test_severities() -> None:
    rule = lookup("TRU301")
    expected = {"critical": types.DiagnosticSeverity.Error, "high": types.DiagnosticSeverity.Error,
                "medium": types.DiagnosticSeverity.Warning, "low": types.DiagnosticSeverity.Information,
                "info": types.DiagnosticSeverity.Hint}
    for severity, lsp_severity in expected.items():
        finding = Finding("TRU301", "m", Span("a.kt", 1, 1), severity=severity)
        assert finding_diagnostic(finding, rule, ["x"]).severity == lsp_severity


def test_range_is_in_utf16_units() -> None:
    line = 'val 😀 = 1; val u = "http://x.example/"'
    start = line.index('"http') + 1
    end = line.index('/"') + 3
    found = span_range(Span("a.kt", 1, start, 1, end), [line])
    assert (found.start.character, found.end.character) == (start, end)  # one extra unit for the emoji


def test_a_span_without_an_end_covers_the_rest_of_its_line() -> None:
    lines = ["<a>", "    <pin-set expiration=\"2099-01-01\">   ", "</a>"]
    found = span_range(Span("x.xml", 2, 5, 5, None), lines)
    assert found == types.Range(types.Position(1, 4), types.Position(1, len(lines[1].rstrip())))


def test_a_span_past_the_buffer_is_clamped() -> None:
    found = span_range(Span("x.xml", 40, 3), ["ab"])
    assert found.start.line == 0 and found.end.character == 2


def test_notices_placed_in_the_file_are_warnings_without_a_code(tmp_path: Path) -> None:
    report = FileReport(path=tmp_path / "A.kt", findings=[], rules=catalogue(), notices=[
        Note(Span("A.kt", 1, 4), "suppression of TRU301 has no reason and is not obeyed"),
        Note(Span("", 0), "2 low-confidence findings hidden")])
    diagnostic, = report_diagnostics(report, "// pinlint: ignore[TRU301]\n", tmp_path)
    assert diagnostic.code is None and diagnostic.severity == types.DiagnosticSeverity.Warning
