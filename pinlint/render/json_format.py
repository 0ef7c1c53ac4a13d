"""JSON output, version 1, for scripts.

Shape: ``{"version": 1, "tool": {...}, "scope": {today, profile, policy_file, exclude, fail_on}, "findings":
[{rule, slug, severity, confidence, path, line, column, end_line, end_column, message, fingerprint, suppressed,
suppression, platform, tags}], "errors": [...], "skipped": [{path, reason}], "notices": [{path, line, message}],
"summary": {...}}``.
Notices are warnings that are not findings: unused or reasonless suppressions, policy files not obeyed, findings
hidden by the profile. ``summary.left_out_in_tests`` counts the findings left out as test code;
``summary.test_files_not_analysed`` the test code files the precommit profile did not parse (test code is not
shipped; ``--include-tests`` and the audit profile parse them);
``tags`` holds ``test`` for a finding shown from test code (``--include-tests``). ``skipped`` lists the paths
discovery did not read (links, FIFOs, unlistable folders); they are in ``errors`` too, as text. A suppression
carries its ``kind``, ``justification`` and, for an inline one, the ``path`` and ``line`` of its comment.
``summary`` counts the findings not suppressed: in all, by ``severities`` (every severity, zeros included)
and by ``rules`` (the rules that fired).
``pinlint report`` reads this document.
New keys may be added within a version; existing ones never change meaning.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from pinlint import __version__
from pinlint.model.findings import SEVERITIES
from pinlint.model.result import ScanResult
from pinlint.render import RunInfo
from pinlint.render.summary import fact_places, platform_of

SCHEMA_VERSION = 1


def finding_dict(result: ScanResult, index: int, places: dict[tuple[str, int], str] | None = None) -> dict[str, Any]:
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
        "tags": list(finding.tags),
        "suppressed": suppression is not None,
        "suppression": None if suppression is None else {
            "kind": suppression.kind, "justification": suppression.justification,
            "path": suppression.span.path if suppression.span else None,
            "line": suppression.span.line if suppression.span else None,
        },
        "platform": platform_of(finding, fact_places(result) if places is None else places),
    }


def render(result: ScanResult, run: RunInfo) -> str:
    places = fact_places(result)
    findings = [finding_dict(result, index, places) for index in range(len(result.findings))]
    active = [finding for finding in findings if not finding["suppressed"]]
    document = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "pinlint", "version": __version__},
        "scope": {
            "today": result.today.isoformat() if result.today else None,
            "profile": result.profile,
            "policy_file": result.policy.source if result.policy else None,
            "exclude": list(result.policy.exclude) if result.policy else [],
            "fail_on": run.fail_on,
        },
        "findings": findings,
        "errors": list(result.errors) + [f"{item.display}: {item.reason}" for item in result.skipped],
        "skipped": [{"path": item.display, "reason": item.reason} for item in result.skipped],
        "notices": [
            {"path": notice.span.path or None, "line": notice.span.line if notice.span.path else None,
             "message": notice.text}
            for notice in result.notices
        ],
        "summary": {
            "files_scanned": result.files_scanned,
            "findings": sum(1 for finding in findings if not finding["suppressed"]),
            "suppressed": sum(1 for finding in findings if finding["suppressed"]),
            "left_out_in_tests": result.tests_left_out,
            "test_files_not_analysed": result.test_files_not_analysed,
            "exit_code": run.exit_code,
            "severities": {severity: sum(1 for f in active if f["severity"] == severity)
                           for severity in reversed(SEVERITIES)},
            "rules": dict(sorted(Counter(f["rule"] for f in active).items())),
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
