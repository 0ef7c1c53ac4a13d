"""Text output for people: ``path:line:col: ID [severity] message``, the source line with a caret line
under the reported span, and a summary. Columns count characters, in every format.

Suppressed findings are counted in the summary but not listed. Colour (severity labels, rule ids) is
used only when ``RunInfo.color`` is set, which the CLI does only for a terminal. Everything taken from
the scanned files is shown with control characters escaped.
"""

from __future__ import annotations

from collections import Counter

from pinlint.model.facts import Span
from pinlint.model.findings import SEVERITIES, Finding, severity_rank
from pinlint.model.result import ScanResult
from pinlint.render import RunInfo, printable
from pinlint.render.summary import text_lines

_COLORS = {
    "critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m", "info": "\033[2m",
}
_BOLD = "\033[1m"
_DIM = "\033[2m"
_RESET = "\033[0m"

#: Longest source line shown.
MAX_SOURCE_CHARS = 200


class SourceLines:
    """The lines findings point at, as the scan result carries them (``ScanResult.source_lines``)."""

    def __init__(self, quoted: dict[str, dict[int, str]] | None = None) -> None:
        self._quoted = quoted or {}

    def line(self, path: str, number: int) -> str | None:
        """Line ``number`` of ``path``, trimmed and printable, cut to ``MAX_SOURCE_CHARS``."""
        excerpt = self.excerpt(path, Span(path, number))
        return excerpt[0] if excerpt else None

    def excerpt(self, path: str, span: Span) -> tuple[str, str] | None:
        """The span's first line, trimmed and printable, and a caret line under the span's characters."""
        raw = self._quoted.get(path, {}).get(span.line)
        if raw is None:
            return None
        stripped = raw.lstrip()
        indent = len(raw) - len(stripped)
        stripped = stripped.rstrip()
        start = min(max(span.col - 1 - indent, 0), len(stripped))
        if span.end_col is not None and (span.end_line or span.line) == span.line and span.end_col > span.col:
            end = min(max(span.end_col - 1 - indent, start + 1), len(stripped))
        else:
            end = len(stripped) if (span.end_line or span.line) > span.line else start + 1
        text = printable(stripped)
        # escaped control characters are wider than one: measure the caret in the printed form
        caret_start = len(printable(stripped[:start]))
        caret_width = max(len(printable(stripped[start:end])), 1)
        if len(text) > MAX_SOURCE_CHARS:
            text = text[: MAX_SOURCE_CHARS - 1] + "…"
            if caret_start >= MAX_SOURCE_CHARS - 1:
                caret_start, caret_width = MAX_SOURCE_CHARS - 1, 1
            caret_width = min(caret_width, MAX_SOURCE_CHARS - caret_start)
        return text, " " * caret_start + "^" * caret_width



def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color and code else text


def finding_lines(finding: Finding, sources: SourceLines, color: bool, show_source: bool = True) -> list[str]:
    severity = finding.severity or "medium"
    span = finding.span
    label = _paint(f"[{severity}]", _COLORS.get(severity, ""), color)
    head = (
        f"{_paint(printable(span.path), _BOLD, color)}:{span.line}:{span.col}: "
        f"{_paint(finding.rule_id, _BOLD, color)} {label} {printable(finding.message)}"
    )
    lines = [head]
    excerpt = sources.excerpt(span.path, span) if show_source else None
    if excerpt and excerpt[0]:
        lines.append("    " + _paint(excerpt[0], _DIM, color))
        lines.append("    " + _paint(excerpt[1], _COLORS.get(severity, ""), color))
    return lines


def summary(result: ScanResult) -> str:
    active = [finding for finding in result.findings if finding.suppression is None]
    counts = Counter(finding.severity or "medium" for finding in active)
    suppressed = len(result.findings) - len(active)
    if active:
        breakdown = ", ".join(f"{counts[s]} {s}" for s in reversed(SEVERITIES) if counts[s])
        text = f"Found {len(active)} problem{'s' if len(active) != 1 else ''} ({breakdown})"
    else:
        text = "No problems found"
    text += f" in {result.files_scanned} file{'s' if result.files_scanned != 1 else ''}"
    if suppressed:
        text += f"; {suppressed} suppressed"
    if result.tests_left_out:
        text += f"; {result.tests_left_out} in test code left out (--include-tests shows them)"
    if result.test_files_not_analysed:
        count = result.test_files_not_analysed
        text += f"; {count} test file{'s' if count != 1 else ''} not analysed (--include-tests analyses them)"
    return text + "."


def statistics_lines(result: ScanResult, active: list[Finding]) -> list[str]:
    """``count  ID  slug  severity``, one line per rule that fired, most frequent first (``--statistics``)."""
    counts = Counter(finding.rule_id for finding in active)
    width = len(str(max(counts.values()))) if counts else 1
    lines = []
    for rule_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = result.rules.get(rule_id)
        slug = rule.slug if rule else ""
        lines.append(f"{count:>{width}}  {rule_id}  {slug}")
    return lines


def render(result: ScanResult, run: RunInfo) -> str:
    out: list[str] = []
    sources = SourceLines(result.source_lines)
    active = [finding for finding in result.findings if finding.suppression is None]
    if run.statistics:
        out.extend(statistics_lines(result, active))
    else:
        for finding in active:
            rule = result.rules.get(finding.rule_id)
            out.extend(finding_lines(finding, sources, run.color, show_source=rule is None or rule.show_source))
    for error in result.errors:
        out.append(f"error: {printable(error)}")
    for skipped in result.skipped:
        out.append(f"skipped: {printable(skipped.display)}: {printable(skipped.reason)}")
    if run.quiet:
        return "\n".join(out) + "\n" if out else ""
    if out:
        out.append("")
    out.append(summary(result))
    if active:
        worst = max(active, key=lambda finding: severity_rank(finding.severity or "medium")).rule_id
        out.append(f"Run 'pinlint explain {worst}' (or any rule id) for what a rule checks and how to fix it")
    out.extend(text_lines(result))
    return "\n".join(out) + "\n"
