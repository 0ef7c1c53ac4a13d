"""pinlint's findings as LSP diagnostics: a pure conversion, given the text the findings were found in.

- severity: critical and high are errors, medium a warning, low information, info a hint;
- ``code`` is the rule id and ``codeDescription.href`` the ``file:`` URI of the rule's shipped YAML file
  (its documentation, the text ``pinlint explain`` prints), so the link works offline and always matches
  the installed version;
- the range is the finding's span converted from characters to the negotiated position encoding (UTF-16
  by default); a span without an end covers the rest of its line;
- notices that have a place in the file (a suppression without a reason, an unused one) are warnings
  without a code;
- ``data`` carries the rule id and the finding's line, so code actions need not parse the message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types

from pinlint.lsp.analysis import FileReport
from pinlint.lsp.positions import UTF16, column_to_units, split_lines, units_of
from pinlint.model.facts import Span
from pinlint.model.findings import Finding
from pinlint.rules import Rule, lookup

SOURCE = "pinlint"

SEVERITY = {
    "critical": types.DiagnosticSeverity.Error,
    "high": types.DiagnosticSeverity.Error,
    "medium": types.DiagnosticSeverity.Warning,
    "low": types.DiagnosticSeverity.Information,
    "info": types.DiagnosticSeverity.Hint,
}


def documentation_uri(rule: Rule) -> str | None:
    """The ``file:`` URI of the rule's documentation (its YAML file), or None when it is not known."""
    return rule.file.resolve().as_uri() if rule.file is not None else None


def span_range(span: Span, lines: list[str], encoding: str = UTF16) -> types.Range:
    """The LSP range of ``span`` in a document of ``lines``, clamped to the document."""
    last = len(lines) - 1
    line = min(max(span.line - 1, 0), last)
    text = lines[line]
    start = column_to_units(text, span.col, encoding)
    if span.end_col is not None:
        end_line = min(max((span.end_line or span.line) - 1, line), last)
        end = column_to_units(lines[end_line], span.end_col, encoding)
        if end_line > line or end > start:
            return types.Range(types.Position(line, start), types.Position(end_line, end))
    # no end (or an empty one): the rest of the line, without trailing blanks
    end = units_of(text.rstrip(), encoding)
    if end <= start:
        start, end = 0, units_of(text, encoding)
    return types.Range(types.Position(line, start), types.Position(line, end))


def _related(finding: Finding, root: Path, lines: list[str], encoding: str,
             own: Path) -> list[types.DiagnosticRelatedInformation]:
    related: list[types.DiagnosticRelatedInformation] = []
    for span in finding.related:
        if not span.path:
            continue
        path = root / span.path
        # a place in another file: its text is not at hand here, so columns are taken as they are
        if path == own:
            where = span_range(span, lines, encoding)
        else:
            position = types.Position(max(span.line - 1, 0), max(span.col - 1, 0))
            where = types.Range(position, position)
        related.append(types.DiagnosticRelatedInformation(
            types.Location(path.as_uri(), where), "related place"))
    return related


def finding_diagnostic(finding: Finding, rule: Rule | None, lines: list[str], encoding: str = UTF16,
                       root: Path | None = None, own: Path | None = None) -> types.Diagnostic:
    """One finding as a diagnostic."""
    href = documentation_uri(rule) if rule is not None else None
    data: dict[str, Any] = {"rule": finding.rule_id, "line": finding.span.line}
    return types.Diagnostic(
        range=span_range(finding.span, lines, encoding),
        message=finding.message,
        severity=SEVERITY.get(finding.severity or "medium", types.DiagnosticSeverity.Warning),
        code=finding.rule_id,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        related_information=(_related(finding, root, lines, encoding, own) or None)
        if root is not None and own is not None else None,
        data=data,
    )


def report_diagnostics(report: FileReport, text: str, root: Path, encoding: str = UTF16) -> list[types.Diagnostic]:
    """Every diagnostic for the file ``report`` is about, whose current text is ``text``."""
    lines = split_lines(text)
    diagnostics = [
        finding_diagnostic(finding, report.rules.get(finding.rule_id) or lookup(finding.rule_id), lines,
                           encoding, root, report.path)
        for finding in report.findings
    ]
    diagnostics.extend(
        types.Diagnostic(range=span_range(note.span, lines, encoding), message=note.text,
                         severity=types.DiagnosticSeverity.Warning, source=SOURCE)
        for note in report.notices if note.span.line >= 1
    )
    return diagnostics


def problem_diagnostic(message: str) -> types.Diagnostic:
    """A diagnostic on the first line for a problem with the scan itself (an unusable policy file)."""
    start = types.Position(0, 0)
    return types.Diagnostic(range=types.Range(start, start), message=message,
                            severity=types.DiagnosticSeverity.Error, source=SOURCE)
