"""Baselines: written by ``pinlint baseline``, read by ``check --baseline``, keyed without line numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pinlint.cli.app import main
from pinlint.model.facts import Span
from pinlint.model.findings import Finding, Suppression
from pinlint.triage import baseline
from tests import fake_pins
from tests.fake_pins import PIN_A, PIN_B, document, pin_set


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    fake_pins.install(monkeypatch)
    (tmp_path / ".git").mkdir()
    pins = document(pin_set("a.example.com", PIN_A), pin_set("b.example.com", PIN_B))
    (tmp_path / "pins.xml").write_text(pins)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_baseline_then_check_reports_only_new_findings(project: Path) -> None:
    written = invoke("baseline", ".", "--output", "baseline.json")
    assert written.exit_code == 0, written.output
    assert "recorded 2 findings in baseline.json" in written.stderr
    data = json.loads((project / "baseline.json").read_text())
    assert data["pinlint-baseline"] == 1
    assert [entry["rule"] for entry in data["findings"]] == ["PIN101", "PIN101"]
    assert all("line" not in entry for entry in data["findings"])

    assert invoke("check", ".").exit_code == 1
    assert invoke("check", ".", "--baseline", "baseline.json").exit_code == 0

    # Lines inserted above move every finding; the baseline still matches them.
    text = (project / "pins.xml").read_text()
    (project / "pins.xml").write_text(text.replace("<config>\n", "<config>\n\n\n  <other/>\n\n"))
    result = invoke("check", ".", "--baseline", "baseline.json", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["findings"]
    assert [f["suppression"]["kind"] for f in found] == ["baseline", "baseline"]
    assert found[0]["line"] > 3

    # A new problem is reported, and only it.
    added = pin_set("c.example.com", PIN_A) + "</config>"
    (project / "pins.xml").write_text((project / "pins.xml").read_text().replace("</config>", added))
    result = invoke("check", ".", "--baseline", "baseline.json")
    assert result.exit_code == 1
    assert "c.example.com" in result.stdout
    assert "a.example.com" not in result.stdout and "b.example.com" not in result.stdout
    assert "2 suppressed" in result.stdout


def test_baseline_is_stable_and_skips_suppressed(project: Path) -> None:
    first = invoke("baseline", ".").stdout
    assert first == invoke("baseline", ".").stdout  # no dates or run ids: no churn in review
    (project / "pins.xml").write_text(document(
        pin_set("a.example.com", PIN_A, comment="<!-- pinlint: ignore[PIN101] backup key offline -->")))
    data = json.loads(invoke("baseline", ".").stdout)
    assert data["findings"] == []


def test_counts_absorb_repeated_fingerprints() -> None:
    twice = [Finding("PIN101", "m", Span("a.xml", line), subject=("same",)) for line in (1, 9)]
    loaded = baseline.Baseline("b.json")
    document_ = json.loads(baseline.render(twice))
    assert document_["findings"][0]["count"] == 2
    loaded.counts[twice[0].fingerprint] = 1
    marked = loaded.apply(twice)
    assert marked[0].suppression == Suppression("baseline", "in baseline b.json")
    assert marked[1].suppression is None  # only one was accepted


def test_fingerprint_ignores_lines_but_not_subject_or_path() -> None:
    base = Finding("PIN101", "m", Span("a.xml", 3), subject=("android-nsc", "any", "api.example.com"))
    moved = Finding("PIN101", "m", Span("a.xml", 40), subject=base.subject)
    other_host = Finding("PIN101", "m", Span("a.xml", 3), subject=("android-nsc", "any", "cdn.example.com"))
    other_file = Finding("PIN101", "m", Span("b.xml", 3), subject=base.subject)
    assert base.fingerprint == moved.fingerprint
    assert len({base.fingerprint, other_host.fingerprint, other_file.fingerprint}) == 3


@pytest.mark.parametrize("content, expected", [
    ("{not json", "baseline.json:1: not valid JSON"),
    ('{"findings": []}', "not a pinlint baseline"),
    ('{"pinlint-baseline": 99, "findings": []}', "baseline version 99 is not supported"),
    ('{"pinlint-baseline": 1, "findings": {}}', "'findings' must be a list"),
    ('{"pinlint-baseline": 1, "findings": [{"rule": "PIN101"}]}', "findings[0] has no valid 'fingerprint'"),
    ('{"pinlint-baseline": 1, "findings": [{"fingerprint": "' + "a" * 32 + '", "count": 0}]}',
     "'count' must be a positive whole number"),
    ("[" * 100000, "baseline.json"),
])
def test_bad_baseline_exits_2_with_one_line(project: Path, content: str, expected: str) -> None:
    (project / "baseline.json").write_text(content)
    result = invoke("check", ".", "--baseline", "baseline.json")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert "Traceback" not in result.output


def test_missing_baseline_exits_2(project: Path) -> None:
    result = invoke("check", ".", "--baseline", "absent.json")
    assert result.exit_code == 2 and "absent.json: no such file" in result.stderr


def test_baseline_records_findings_the_precommit_profile_hides(project: Path) -> None:
    (project / ".pinlint.yaml").write_text("severity:\n  PIN101: info\n")
    assert "hidden by the precommit profile" in invoke("check", ".").stderr
    invoke("baseline", ".", "--output", "baseline.json")
    assert len(json.loads((project / "baseline.json").read_text())["findings"]) == 2
    audit = invoke("check", ".", "--profile", "audit", "--baseline", "baseline.json", "--no-config")
    assert audit.exit_code == 0 and "2 suppressed" in audit.stdout
