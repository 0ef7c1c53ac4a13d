"""GitHub Actions workflow-command annotations, one line per finding.

``::error file=app/x.xml,line=4,col=9,endLine=4,endColumn=30,title=pinlint (PIN101)::message``

Critical and high findings are ``error``, medium ``warning``, low and info ``notice``. Suppressed
findings are left out. Values are escaped as the runner requires (``%``, CR and LF everywhere, and also
``,`` and ``:`` in properties), so text from scanned files cannot end an annotation or start a new
workflow command. Other control characters (ESC, BEL, NUL...), line separators and bidirectional
overrides are written as ``\\xNN`` / ``\\uNNNN``, as in the text report, so a file name or source line
cannot drive the terminal that shows the log. Files that could not be scanned become notices; internal
errors become errors.
"""

from __future__ import annotations

import re

from pinlint.model.findings import Finding
from pinlint.model.result import ScanResult
from pinlint.render import RunInfo

COMMANDS = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}


#: What the runner has no escape for: control characters but CR and LF, line separators, bidi overrides.
_UNPRINTABLE = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with what the runner cannot escape (all but CR and LF) written as escapes."""
    return _UNPRINTABLE.sub(_escape, text.replace("\t", " "))


def escape_data(text: str) -> str:
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int | None) -> str:
    given = [f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None]
    head = f"::{name} {','.join(given)}" if given else f"::{name}"
    return f"{head}::{escape_data(message)}"


def annotation(finding: Finding) -> str:
    span = finding.span
    end_line = span.end_line if span.end_line is not None and span.end_line >= span.line else None
    end_column = span.end_col if end_line is not None else None
    return command(
        COMMANDS.get(finding.severity or "medium", "warning"),
        finding.message,
        file=span.path,
        line=max(1, span.line),
        col=max(1, span.col),
        endLine=end_line,
        endColumn=end_column,
        title=f"pinlint ({finding.rule_id})",
    )


def render(result: ScanResult, run: RunInfo) -> str:
    lines = [annotation(finding) for finding in result.findings if finding.suppression is None]
    lines.extend(
        command("notice", f"skipped: {skipped.reason}", file=skipped.display, title="pinlint")
        for skipped in result.skipped
    )
    lines.extend(command("error", error, title="pinlint") for error in result.errors)
    for notice in result.notices:
        where: dict[str, str | int | None] = (
            {"file": notice.span.path, "line": max(1, notice.span.line)} if notice.span.path else {})
        lines.append(command("warning", notice.text, title="pinlint", **where))
    return "".join(line + "\n" for line in lines)
