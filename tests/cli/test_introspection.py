"""What was scanned, with which settings: --show-settings, --show-files, -q/-v, colour variables,
--statistics, and warnings on standard error in every format."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pinlint.cli.app import main

TODAY = ("--today", "2026-01-15")
ONE_PIN = """<network-security-config>
  <domain-config>
    <domain includeSubdomains="true">api.example.com</domain>
    <pin-set expiration="2027-01-01">
      <pin digest="SHA-256">AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=</pin>
    </pin-set>
  </domain-config>
</network-security-config>
"""
POLICY = """\
fail-on: medium
severity:
  PIN101: critical
options:
  pin-set-expiring-soon:
    warning_days: 120
exclude:
  - third_party/
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".pinlint.yaml").write_text(POLICY)
    config = tmp_path / "app" / "src" / "main" / "res" / "xml" / "network_security_config.xml"
    config.parent.mkdir(parents=True)
    config.write_text(ONE_PIN)
    (tmp_path / "third_party").mkdir()
    (tmp_path / "third_party" / "network_security_config.xml").write_text(ONE_PIN)
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "Generated.kt").write_text("val x = 1\n")
    (tmp_path / "notes.txt").write_text("nothing to see\n")
    (tmp_path / "link.xml").symlink_to(config)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return tmp_path


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)


def test_show_settings_says_where_each_value_came_from(project: Path) -> None:
    result = invoke("check", ".", "--show-settings", "--select", "PIN", *TODAY)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "policy file: .pinlint.yaml" in lines
    assert "fail-on: medium (.pinlint.yaml:1)" in lines
    assert "select: [PIN] (--select)" in lines
    assert "today: 2026-01-15 (--today)" in lines
    assert "profile: precommit (default)" in lines
    assert "exclude: [third_party/] (.pinlint.yaml:7)" in lines
    assert "max-file-size: 5242880 (default)" in lines
    assert "  PIN101 missing-backup-pin: severity critical (.pinlint.yaml:3)" in lines
    assert "    warning_days: 120 (.pinlint.yaml:6)" in lines
    assert "    minimum_pins: 2 (default)" in lines
    assert not any(line.startswith("  CLR") for line in lines)  # only the selected rules run
    assert "Found" not in result.stdout  # nothing was scanned


def test_show_settings_names_command_line_overrides(project: Path) -> None:
    result = invoke("check", ".", "--show-settings", "--fail-on", "high", "--profile", "audit")
    lines = result.stdout.splitlines()
    assert "fail-on: high (--fail-on)" in lines
    assert "profile: audit (--profile)" in lines
    assert "today: " in result.stdout and "(default: the current date)" in result.stdout
    result = invoke("check", ".", "--show-settings", "--no-config")
    assert "policy file: none (no policy file found; defaults apply)" in result.stdout
    assert "fail-on: low (default)" in result.stdout.splitlines()


def test_show_files_lists_scanned_and_left_out_with_reasons(project: Path) -> None:
    result = invoke("check", ".", "--show-files")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "scanned app/src/main/res/xml/network_security_config.xml: android_nsc" in lines
    assert "skipped third_party/: excluded by the policy's exclude patterns" in lines
    assert "skipped build/: folder left out: vendored or generated" in lines
    assert "skipped notes.txt: no reader claims its content" in lines
    assert "skipped link.xml: symbolic link not followed" in lines
    assert "skipped .git/: folder left out: version control or tool state" in lines
    assert lines[-1].endswith("left out.") and lines[-1].startswith("1 file would be scanned")


def test_quiet_shows_findings_only_and_verbose_says_more(project: Path) -> None:
    full = invoke("check", ".", *TODAY)
    quiet = invoke("check", ".", "-q", *TODAY)
    assert full.exit_code == quiet.exit_code == 1
    assert "Found 1 problem" in full.stdout and "Found" not in quiet.stdout
    assert "pinlint explain" not in quiet.stdout
    assert quiet.stdout.splitlines()[0] == full.stdout.splitlines()[0]
    verbose = invoke("check", ".", "-v", *TODAY)
    assert verbose.stdout == full.stdout
    assert "pinlint: policy file: .pinlint.yaml; profile precommit; reference date 2026-01-15" in verbose.stderr
    assert "pinlint: skipped link.xml: symbolic link not followed" in verbose.stderr
    assert "files scanned in" in verbose.stderr and "exit code 1" in verbose.stderr
    assert invoke("check", ".", "-q", "-v").exit_code == 2


def test_warnings_go_to_standard_error_in_every_format(project: Path) -> None:
    config = project / "app" / "src" / "main" / "res" / "xml" / "network_security_config.xml"
    config.write_text(ONE_PIN.replace("<pin-set", "<!-- pinlint: ignore[PIN101] -->\n    <pin-set"))
    for output_format in ("text", "json", "sarif", "github"):
        result = invoke("check", ".", "--format", output_format, *TODAY)
        assert "suppression of PIN101" in result.stderr and "has no reason" in result.stderr, output_format
        assert "warning:" not in result.stdout
    quiet = invoke("check", ".", "-q", *TODAY)
    assert quiet.stderr == ""


@pytest.mark.parametrize(("env", "flag", "coloured"), [
    ({}, None, False),
    ({"FORCE_COLOR": "1"}, None, True),
    ({"FORCE_COLOR": ""}, None, False),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, None, False),
    ({"NO_COLOR": "1"}, "--color", True),
    ({"FORCE_COLOR": "1"}, "--no-color", False),
])
def test_force_color_and_no_color(project: Path, env: dict[str, str], flag: str | None, coloured: bool) -> None:
    result = invoke("check", ".", *TODAY, *([flag] if flag else []), env=env)
    assert ("\x1b[" in result.stdout) is coloured


def test_force_color_never_colours_an_output_file(project: Path) -> None:
    invoke("check", ".", *TODAY, "-o", "report.txt", env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in (project / "report.txt").read_text()


def test_statistics_counts_per_rule(project: Path) -> None:
    (project / "Api.kt").write_text('val a = "http://one.example/x"\nval b = "http://two.example/y"\n')
    result = invoke("check", ".", "--statistics", *TODAY)
    lines = result.stdout.splitlines()
    assert lines[:2] == ["2  CLR203  insecure-url", "1  PIN101  missing-backup-pin"]
    assert "Found 3 problems (1 critical, 2 medium) in 4 files." in lines
    document = json.loads(invoke("check", ".", "--format", "json", *TODAY).stdout)
    assert document["summary"]["rules"] == {"CLR203": 2, "PIN101": 1}
    assert document["summary"]["severities"] == {"critical": 1, "high": 0, "medium": 2, "low": 0, "info": 0}
    assert invoke("check", ".", "--statistics", "--format", "json").exit_code == 2


def test_no_color_variable_is_respected_from_the_environment(project: Path) -> None:
    assert "NO_COLOR" not in os.environ
    result = invoke("check", ".", *TODAY, env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" not in result.stdout
