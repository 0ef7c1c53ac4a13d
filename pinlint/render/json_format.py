"""JSON output, version 1, for scripts.

Shape: ``{"version": 1, "tool": {...}, "findings": [{rule, slug, severity, confidence, path, line, column,
end_line, end_column, message, fingerprint, suppressed, suppression}], "errors": [...], "notices": [{path, line,
message}], "summary": {...}}``. Notices are warnings that are not findings: unused or reasonless suppressions,
policy files not obeyed, findings hidden by the profile.
New keys may be added within a version; existing ones never change meaning.
"""

from __future__ import annotations

import json
from typing import Any

from pinlint import __version__
from pinlint.pipeline import ScanResult
from pinlint.render import RunInfo

SCHEMA_VERSION = 1


def finding_dict(result: ScanResult, index: int) -> dict[str, Any]:
    finding = result.findings[index]
    rule = result.rules.get(finding.rule_id)
    suppression = finding.suppression
    return {
        "rule": finding.rule_id,
        "slug": rule.slug if rule else "",
        "severity": finding.severity,
        "confidence": finding.confidence,
        "path": finding.span.path,
        "line": finding.span.line,
        "column": finding.span.col,
        "end_line": finding.span.end_line or finding.span.line,
        "end_column": finding.span.end_col,
        "message": finding.message,
        "fingerprint": finding.fingerprint,
        "suppressed": suppression is not None,
        "suppression": None if suppression is None else {
            "kind": suppression.kind, "justification": suppression.justification,
        },
    }


def render(result: ScanResult, run: RunInfo) -> str:
    findings = [finding_dict(result, index) for index in range(len(result.findings))]
    document = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "pinlint", "version": __version__},
        "findings": findings,
        "errors": list(result.errors) + [f"{item.display}: {item.reason}" for item in result.skipped],
        "notices": [
            {"path": notice.span.path or None, "line": notice.span.line if notice.span.path else None,
             "message": notice.text}
            for notice in result.notices
        ],
        "summary": {
            "files_scanned": result.files_scanned,
            "findings": sum(1 for finding in findings if not finding["suppressed"]),
            "suppressed": sum(1 for finding in findings if finding["suppressed"]),
            "exit_code": run.exit_code,
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
