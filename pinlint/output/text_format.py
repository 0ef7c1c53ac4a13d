"""Text output for people: ``path:line:col: ID [severity] message``, the source line, and a summary."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pinlint.engine import ScanResult
from pinlint.findings import SEVERITIES
from pinlint.output import RunInfo
from pinlint.report import text_lines

_COLORS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m", "info": "\033[2m"}
_RESET = "\033[0m"


def _source_line(path: str, line: int, cache: dict[str, list[str] | None]) -> str | None:
    if path not in cache:
        try:
            data = Path(path).read_bytes()
            cache[path] = None if b"\x00" in data[:8192] else data.decode("utf-8", errors="replace").splitlines()
        except OSError:
            cache[path] = None
    lines = cache[path]
    if lines is None or not 1 <= line <= len(lines):
        return None
    return lines[line - 1].rstrip()[:200]


def render(result: ScanResult, run: RunInfo) -> str:
    out: list[str] = []
    cache: dict[str, list[str] | None] = {}
    for finding in result.findings:
        if finding.suppression is not None:
            continue
        severity = finding.severity or "medium"
        label = f"[{severity}]"
        if run.color:
            label = f"{_COLORS.get(severity, '')}{label}{_RESET}"
        span = finding.span
        out.append(f"{span.path}:{span.line}:{span.col}: {finding.rule_id} {label} {finding.message}")
        source = _source_line(span.path, span.line, cache)
        if source is not None and source.strip():
            out.append(f"    {source.strip()}")
    for error in result.errors:
        out.append(f"error: {error}")
    for skipped in result.skipped:
        out.append(f"skipped: {skipped.display}: {skipped.reason}")
    active = [finding for finding in result.findings if finding.suppression is None]
    counts = Counter(finding.severity for finding in active)
    suppressed = len(result.findings) - len(active)
    if active:
        breakdown = ", ".join(f"{counts[s]} {s}" for s in reversed(SEVERITIES) if counts[s])
        summary = f"Found {len(active)} problem{'s' if len(active) != 1 else ''} ({breakdown})"
    else:
        summary = "No problems found"
    summary += f" in {result.files_scanned} file{'s' if result.files_scanned != 1 else ''}"
    if suppressed:
        summary += f"; {suppressed} suppressed"
    out.append(summary + ".")
    out.extend(text_lines(result))
    return "\n".join(out) + "\n"
