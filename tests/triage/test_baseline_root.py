"""Baselines are keyed by the path from the project root, whatever folder pinlint runs in, and say when
their entries match nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pinlint.cli.app import main

TODAY = ("--today", "2026-01-15")
NSC = "app/src/main/res/xml/network_security_config.xml"
SINGLE_PIN = """<network-security-config>
  <domain-config>
    <domain includeSubdomains="true">{host}</domain>
    <pin-set expiration="2099-01-01">
      <pin digest="SHA-256">AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=</pin>
    </pin-set>
  </domain-config>
</network-security-config>
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    config = tmp_path / NSC
    config.parent.mkdir(parents=True)
    config.write_text(SINGLE_PIN.format(host="api.example.com"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def record(*paths: str, output: str) -> dict[str, object]:
    result = invoke("baseline", "--no-config", *TODAY, *paths, "-o", output)
    assert result.exit_code == 0, result.output
    document: dict[str, object] = json.loads(Path(output).read_text())
    return document


def test_baseline_matches_from_a_sub_folder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = record(".", output=".pinlint-baseline.json")
    assert document["paths"] == "project-root"
    assert [entry["path"] for entry in document["findings"]] == [NSC]  # type: ignore[union-attr]
    monkeypatch.chdir(project / "app")
    for target in ("..", "."):
        result = invoke("check", "--no-config", *TODAY, target, "--baseline", "../.pinlint-baseline.json")
        assert result.exit_code == 0, (target, result.output)
        assert "1 suppressed" in result.stdout
        assert "matches" not in result.stderr


def test_baseline_recorded_in_a_sub_folder_matches_from_the_root(project: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project / "app")
    document = record(".", output="../b.json")
    assert [entry["path"] for entry in document["findings"]] == [NSC]  # type: ignore[union-attr]
    monkeypatch.chdir(project)
    result = invoke("check", "--no-config", *TODAY, ".", "--baseline", "b.json")
    assert result.exit_code == 0, result.output


def test_a_baseline_written_before_keys_changed_is_still_read(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An older baseline (no "paths" key) written at the root, as the README said, keeps matching."""
    document = record(".", output="new.json")
    old = {"pinlint-baseline": 1, "generated-by": "pinlint 0.1.0", "findings": document["findings"]}
    Path("old.json").write_text(json.dumps(old))
    monkeypatch.chdir(project / "app")
    result = invoke("check", "--no-config", *TODAY, "..", "--baseline", "../old.json")
    assert result.exit_code == 0, result.output


def test_entries_that_match_nothing_are_reported(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record(".", output="b.json")
    other = project / "elsewhere"
    other.mkdir()
    (other / ".git").mkdir()
    (other / "res").mkdir()
    (other / "res" / "network_security_config.xml").write_text(SINGLE_PIN.format(host="other.example.com"))
    result = invoke("check", "--no-config", *TODAY, "elsewhere", "--baseline", "b.json")
    assert result.exit_code == 1
    assert ("baseline b.json: none of its 1 entries matches a finding in this scan; its paths (such as "
            f"{NSC}) are from the project root") in result.stderr
    # the finding is fixed: the entry for a file that was scanned is stale
    (project / NSC).write_text(SINGLE_PIN.format(host="api.example.com").replace(
        "</pin-set>", '  <pin digest="SHA-256">BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=</pin>\n    </pin-set>'))
    result = invoke("check", "--no-config", *TODAY, "app", "--baseline", "b.json")
    assert result.exit_code == 0, result.output
    assert "baseline b.json: 1 entry matches no finding in the files scanned" in result.stderr


def test_a_few_files_do_not_warn_about_the_others(project: Path) -> None:
    """A pre-commit run passes a few staged files: entries for files not scanned are not stale."""
    record(".", output="b.json")
    (project / "Other.kt").write_text('val u = "https://api.example.com"\n')
    result = invoke("check", "--no-config", *TODAY, "Other.kt", "--baseline", "b.json")
    assert result.exit_code == 0, result.output
    assert "baseline" not in result.stderr
