"""JSON output, version 1: the documented shape, suppression details and summary counts."""

from __future__ import annotations

import json
from typing import Any

from pinlint.render import RunInfo
from pinlint.render.json_format import render
from tests.output_samples import empty_result, sample_result

FINDING_KEYS = {"rule", "slug", "severity", "confidence", "path", "line", "column", "end_line", "end_column",
                "message", "fingerprint", "suppressed", "suppression"}


def document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(render(sample_result(), RunInfo(exit_code=1)))
    return loaded


def test_shape_version_1() -> None:
    doc = document()
    assert doc["version"] == 1
    assert doc["tool"]["name"] == "pinlint"
    assert {"findings", "errors", "summary"} <= set(doc)
    for finding in doc["findings"]:
        assert set(finding) >= FINDING_KEYS


def test_findings_keep_order_and_values() -> None:
    sample = sample_result()
    findings = document()["findings"]
    assert [f["fingerprint"] for f in findings] == [f.fingerprint for f in sample.findings]
    nsc = next(f for f in findings if f["message"].startswith("network security config"))
    assert (nsc["rule"], nsc["slug"], nsc["severity"]) == ("PIN101", "missing-backup-pin", "high")
    assert (nsc["line"], nsc["column"], nsc["end_line"], nsc["end_column"]) == (5, 9, 5, 70)


def test_suppressions_and_summary() -> None:
    doc = document()
    by_message = {f["message"]: f for f in doc["findings"]}
    assert by_message["suppressed inline"]["suppressed"] is True
    assert by_message["suppressed inline"]["suppression"] == {
        "kind": "inline", "justification": "vendor rotates keys",
        "path": "app/src/main/res/xml/network_security_config.xml", "line": 8}
    assert by_message["suppressed by baseline"]["suppression"]["kind"] == "baseline"
    assert by_message["pin set expires in 10 days"]["suppression"] is None
    assert doc["summary"] == {
        "files_scanned": 5, "findings": 5, "suppressed": 2, "left_out_in_tests": 0, "test_files_not_analysed": 0,
        "exit_code": 1,
        "severities": {"critical": 1, "high": 1, "medium": 1, "low": 1, "info": 1},
        "rules": {"CFG901": 1, "CLR201": 1, "PIN101": 1, "PIN104": 1, "TRU301": 1},
    }
    assert "internal error in check PIN105: ValueError('boom')" in doc["errors"]
    assert "linked: symbolic link not followed" in doc["errors"]
    assert {"path": "linked", "reason": "symbolic link not followed"} in doc["skipped"]


def test_platform_and_scope_keys_added_within_version_1() -> None:
    doc = document()
    assert all(isinstance(finding["platform"], str) and finding["platform"] for finding in doc["findings"])
    assert set(doc["scope"]) == {"today", "profile", "policy_file", "exclude", "fail_on"}


def test_non_ascii_is_kept_readable() -> None:
    assert "café/ünï.xml" in render(sample_result(), RunInfo())


def test_empty() -> None:
    doc = json.loads(render(empty_result(), RunInfo()))
    assert doc["findings"] == [] and doc["summary"]["findings"] == 0
