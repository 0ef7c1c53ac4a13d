"""The command line: formats, --output, exit codes, rule commands, and no tracebacks.

Scans use the stand-in ``*.pins`` parser from ``tests.output_samples`` so these tests do not depend on
the real parsers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pinlint import pipeline as engine
from pinlint.cli.app import main
from pinlint.render import sarif_format
from tests.output_samples import VALIDATOR, make_project, pin_of

TODAY = ("--today", "2026-01-15")
ONLY_PIN101 = ("--select", "PIN101")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(tmp_path, monkeypatch)


def invoke(*args: str) -> Result:
    # catch_exceptions=False: an exception escaping the CLI fails the test instead of being hidden
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def check(*args: str) -> Result:
    return invoke("check", *ONLY_PIN101, *TODAY, *args)


def test_text_is_the_default_format(project: Path) -> None:
    result = check()
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("hosts.pins:2:1: PIN101 [high] ")
    assert "api.example.com" in lines[0]
    assert lines[1].strip().startswith("api.example.com ")
    assert "Found 1 problem (1 high) in 1 file." in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal


def test_paths_without_a_command_run_check(project: Path) -> None:
    result = invoke(".", *ONLY_PIN101, *TODAY)
    assert result.exit_code == 1
    assert "PIN101" in result.stdout


def test_json_format(project: Path) -> None:
    result = check("--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert [(f["rule"], f["path"], f["line"]) for f in document["findings"]] == [("PIN101", "hosts.pins", 2)]
    assert document["summary"]["exit_code"] == 1


def test_sarif_format(project: Path, tmp_path: Path) -> None:
    result = check("--format", "sarif", "--category", "mobile/android")
    assert result.exit_code == 1
    run = json.loads(result.stdout)["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["PIN101"]
    location = run["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "hosts.pins", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 2
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"
    assert run["automationDetails"] == {"id": "mobile/android/"}
    assert run["invocations"][0]["exitCode"] == 1
    if VALIDATOR.is_file():
        path = tmp_path / "cli.sarif"
        path.write_text(result.stdout, encoding="utf-8")
        completed = subprocess.run([sys.executable, str(VALIDATOR), "--strict", str(path)],
                                   capture_output=True, text=True, timeout=600, check=False)
        assert completed.returncode == 0, completed.stdout + completed.stderr


def test_github_format(project: Path) -> None:
    result = check("--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=hosts.pins,line=2,col=1,endLine=2,endColumn=16,"
                                    "title=pinlint (PIN101)::")


def test_clean_project_exits_0(project: Path) -> None:
    (project / "hosts.pins").write_text(f"api.example.com {pin_of('a')} {pin_of('b')}\n", encoding="utf-8")
    result = check()
    assert result.exit_code == 0, result.output
    assert result.stdout == "No problems found in 1 file.\n"


@pytest.mark.parametrize(("fail_on", "code"), [("critical", 0), ("high", 1), ("info", 1)])
def test_fail_on_threshold(project: Path, fail_on: str, code: int) -> None:
    result = check("--fail-on", fail_on)
    assert result.exit_code == code
    assert "PIN101" in result.stdout  # the finding is still reported


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_output_file_is_written_whole(project: Path, tmp_path: Path, output_format: str) -> None:
    target = tmp_path / f"report.{output_format}"
    written = check("--format", output_format, "--output", str(target))
    assert written.exit_code == 1
    assert written.stdout == ""
    printed = check("--format", output_format)
    assert target.read_text(encoding="utf-8") == printed.stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_output_into_missing_directory_fails_cleanly(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "report.sarif"
    result = check("--format", "sarif", "--output", str(target))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert not target.parent.exists()
    assert "Traceback" not in result.output


def test_rendering_failure_writes_nothing(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> str:
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(sarif_format, "render", broken)
    target = tmp_path / "report.sarif"
    target_existing = tmp_path / "old.sarif"
    target_existing.write_text("previous report", encoding="utf-8")
    for path in (target, target_existing):
        result = check("--format", "sarif", "--output", str(path))
        assert result.exit_code == 2
        assert result.stderr == "pinlint: internal error: RuntimeError: renderer exploded\n"
        assert result.stdout == ""
    assert not target.exists()
    assert target_existing.read_text(encoding="utf-8") == "previous report"


def test_internal_error_in_scan_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise KeyError("multi\nline")

    monkeypatch.setattr(engine, "run", broken)
    result = check()
    assert result.exit_code == 2
    assert result.stderr.startswith("pinlint: internal error: KeyError: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("args", "message"), [
    (("check", "--select", "NOPE999", "."), "unknown rule 'NOPE999'"),
    (("check", "--ignore", "not-a-rule", "."), "unknown rule 'not-a-rule'"),
    (("check", "--today", "2026-13-45", "."), "YYYY-MM-DD"),
    (("check", "missing/path"), "no such file or directory: missing/path"),
    (("check", "--format", "xml", "."), "xml"),
    (("check", "--fail-on", "severe", "."), "severe"),
])
def test_usage_errors_exit_2(project: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_colour_when_forced(project: Path) -> None:
    assert "\x1b[31m[high]" in check("--color").stdout
    assert "\x1b[" not in check("--no-color").stdout


def test_rules_command() -> None:
    result = invoke("rules")
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith("PIN101"))
    assert "missing-backup-pin" in line and "high" in line
    listed = json.loads(invoke("rules", "--format", "json").stdout)
    assert any(rule["id"] == "PIN101" and rule["slug"] == "missing-backup-pin" for rule in listed)


@pytest.mark.parametrize("name", ["PIN101", "pin101", "missing-backup-pin"])
def test_explain_by_id_or_slug(name: str) -> None:
    result = invoke("explain", name)
    assert result.exit_code == 0
    assert result.stdout.startswith("# PIN101 missing-backup-pin: ")
    assert "## Why is this bad?" in result.stdout


def test_explain_unknown_rule_exits_2() -> None:
    result = invoke("explain", "PIN999")
    assert result.exit_code == 2
    assert "unknown rule 'PIN999'" in result.stderr


def test_real_process_reports_usage_errors_without_traceback(tmp_path: Path) -> None:
    completed = subprocess.run([sys.executable, "-m", "pinlint", "check", "definitely/missing"],
                               cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 2
    assert "no such file or directory" in completed.stderr
    assert "Traceback" not in completed.stderr
    version = subprocess.run([sys.executable, "-m", "pinlint", "--version"],
                             capture_output=True, text=True, timeout=120, check=False)
    assert version.returncode == 0 and version.stdout.startswith("pinlint")
