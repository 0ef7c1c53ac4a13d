"""Profiles: precommit obeys the tree and hides low-confidence noise; audit obeys nothing in the tree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pinlint.cli.app import main
from pinlint.model.facts import Span
from pinlint.model.findings import Finding
from pinlint.triage.profiles import triage
from tests import fake_pins
from tests.fake_pins import PIN_A, document, pin_set

VENDOR_COMMENT = "<!-- pinlint: ignore[PIN101] vendor: backup key offline -->"
SUPPRESSED = pin_set("a.example.com", PIN_A, comment=VENDOR_COMMENT)
NOT_OBEYED = "policy file inside the audited tree is not obeyed"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def reported(*args: str) -> list[dict[str, object]]:
    result = invoke("check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    found: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return [finding for finding in found if not finding["suppressed"]]


@pytest.fixture
def vendor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A vendor SDK checkout whose own policy file and comments silence its problems."""
    fake_pins.install(monkeypatch)
    sdk = tmp_path / "vendor-sdk"
    (sdk / ".git").mkdir(parents=True)
    (sdk / "res").mkdir()
    (sdk / "res" / "pins.xml").write_text(document(SUPPRESSED, pin_set("b.example.com", PIN_A)))
    (sdk / ".pinlint.yaml").write_text("options:\n  PIN101:\n    minimum_pins: 1\n")
    monkeypatch.chdir(tmp_path)
    return sdk


def test_precommit_obeys_the_tree_and_audit_does_not(vendor: Path) -> None:
    assert reported("vendor-sdk") == []
    found = reported("vendor-sdk", "--profile", "audit")
    assert sorted(str(f["message"]).split(" for ")[1].split(" ")[0] for f in found) == [
        "a.example.com", "b.example.com"]


def test_audit_lists_what_it_does_not_obey(vendor: Path) -> None:
    (vendor / "res" / "pyproject.toml").write_text("[tool.pinlint]\nfail-on = 'critical'\n")
    result = invoke("check", "vendor-sdk", "--profile", "audit")
    assert result.exit_code == 1
    out = result.stdout
    warnings = result.stderr  # notices go to standard error, whatever the format
    assert f"warning: vendor-sdk/.pinlint.yaml:1: {NOT_OBEYED}" in warnings
    assert f"warning: vendor-sdk/res/pyproject.toml:1: {NOT_OBEYED}" in warnings
    assert "warning:" not in out
    assert ("warning: vendor-sdk/res/pins.xml:3: suppression of PIN101 (matches a finding) is not obeyed "
            "in the audit profile; reason given: vendor: backup key offline") in warnings
    assert "Per-platform summary (audit profile):" in out
    assert "android     2 problems (2 high); pins a.example.com, b.example.com" in out
    assert "Per-platform summary" not in invoke("check", "vendor-sdk", "--no-config").stdout


def test_audit_obeys_an_explicit_config_outside_the_tree(vendor: Path, tmp_path: Path) -> None:
    auditor = tmp_path / "audit-policy.yaml"
    auditor.write_text("severity:\n  PIN101: medium\n")
    found = reported("vendor-sdk", "--profile", "audit", "--config", str(auditor))
    assert [f["severity"] for f in found] == ["medium", "medium"]


def test_audit_obeys_the_auditors_config_above_a_vendored_tree(vendor: Path, tmp_path: Path) -> None:
    (vendor / ".git").rmdir()  # vendored into the auditor's repository, not its own checkout
    (tmp_path / ".git").mkdir()
    (tmp_path / ".pinlint.yaml").write_text("severity:\n  PIN101: low\n")
    found = reported("vendor-sdk", "--profile", "audit")
    assert [f["severity"] for f in found] == ["low", "low"]  # the vendor's minimum_pins: 1 is not obeyed


def finding(rule: str, confidence: str, severity: str) -> Finding:
    return Finding(rule, "m", Span("a.kt", 1), subject=(rule, confidence, severity),
                   confidence=confidence, severity=severity)


def test_precommit_hides_low_confidence_and_informational_findings() -> None:
    findings = [finding("TRU301", "low", "critical"), finding("CLR203", "high", "info"),
                finding("PIN101", "high", "high")]
    assert len(triage(findings, {}, ["PIN101"], profile="precommit")[0]) == 3  # the library hides nothing
    shown, notices = triage(findings, {}, ["PIN101"], profile="precommit", hide_low_confidence=True)
    assert [f.rule_id for f in shown] == ["PIN101"]
    assert [n.text for n in notices] == ["2 low-confidence or informational findings hidden by the precommit "
                                         "profile (--profile audit shows them)"]
    shown, notices = triage(findings, {}, ["PIN101"], profile="audit", hide_low_confidence=True)
    assert len(shown) == 3 and notices == []


def test_command_line_precommit_hides_informational_findings_audit_shows_them(vendor: Path) -> None:
    (vendor / ".pinlint.yaml").write_text("severity:\n  PIN101: info\n")
    (vendor / "res" / "pins.xml").write_text(document(pin_set("b.example.com", PIN_A)))
    precommit = invoke("check", "vendor-sdk")
    assert precommit.exit_code == 0
    assert "b.example.com" not in precommit.stdout
    assert "1 low-confidence or informational finding hidden by the precommit profile" in precommit.stderr
    audit = invoke("check", "vendor-sdk", "--profile", "audit", "--select", "PIN101")
    assert "b.example.com" in audit.stdout and "[high]" in audit.stdout  # the vendor's severity is not obeyed
