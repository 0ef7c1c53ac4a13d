"""Fingerprints survive edits that move a finding, and tell different findings apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pinlint.config.policy import Policy
from pinlint.pipeline import ScanOptions, ScanResult, scan
from pinlint.render import RunInfo
from pinlint.render.sarif_format import FINGERPRINT_KEY, render
from tests.conftest import FIXTURE_TODAY
from tests.output_samples import pin_of, use_fake_parser


def scan_root(root: Path) -> ScanResult:
    return scan(ScanOptions(targets=[root], today=FIXTURE_TODAY, policy=Policy(select=["PIN101"]),
                            relative_to=root))


def sarif_fingerprints(result: ScanResult) -> list[str]:
    run = json.loads(render(result, RunInfo()))["runs"][0]
    return [r["partialFingerprints"][FINGERPRINT_KEY] for r in run["results"]]


def test_moved_finding_keeps_its_fingerprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_parser(monkeypatch)
    pins = tmp_path / "hosts.pins"
    pins.write_text(f"api.example.com {pin_of('a')}\n", encoding="utf-8")
    before = scan_root(tmp_path)
    pins.write_text("# new header\n# more\n\n# and more\n" f"  api.example.com {pin_of('a')}\n",
                    encoding="utf-8")
    after = scan_root(tmp_path)
    assert len(before.findings) == len(after.findings) == 1
    assert (before.findings[0].span.line, after.findings[0].span.line) == (1, 5)
    assert before.findings[0].span.col != after.findings[0].span.col
    assert before.findings[0].fingerprint == after.findings[0].fingerprint
    assert sarif_fingerprints(before) == sarif_fingerprints(after)


def test_different_findings_differ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_parser(monkeypatch)
    (tmp_path / "hosts.pins").write_text(
        f"api.example.com {pin_of('a')}\ncdn.example.com {pin_of('b')}\n", encoding="utf-8")
    (tmp_path / "other.pins").write_text(f"api.example.com {pin_of('a')}\n", encoding="utf-8")
    fingerprints = sarif_fingerprints(scan_root(tmp_path))
    assert len(fingerprints) == 3
    assert len(set(fingerprints)) == 3  # another host, or the same host in another file
