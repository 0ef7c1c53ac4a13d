"""Every command stops quietly when its output pipe closes; typos of commands and rules get a suggestion.

The pipe tests run pinlint as a real process whose standard output is a pipe with no reader left (the
read end is closed before the process starts), so the first write fails exactly as ``| head -1`` makes it
fail, with no race.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.certgen import make_chain, pem

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "fixtures/sample-app"


def run_into_closed_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "pinlint", *args], cwd=ROOT, stdout=write_end, stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120, check=False,
        )
    finally:
        os.close(write_end)


@pytest.fixture(scope="module")
def chain_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chain = make_chain("api.carecompanion.example")
    path = tmp_path_factory.mktemp("chain") / "chain.pem"
    path.write_bytes(pem(chain.leaf, chain.intermediate))
    return path


@pytest.mark.parametrize("command", [
    ["check", SAMPLE, "--today", "2026-01-15"],
    ["check", SAMPLE, "--today", "2026-01-15", "--format", "sarif"],
    ["baseline", SAMPLE, "--today", "2026-01-15"],
    ["rules"],
    ["rules", "--format", "json"],
    ["explain", "PIN101"],
    ["inventory", SAMPLE, "--today", "2026-01-15"],
    ["pins", "CHAIN"],
    ["chain-check", SAMPLE, "--host", "api.carecompanion.example", "--chain", "CHAIN", "--today", "2026-01-15"],
])
def test_closed_output_pipe_exits_141_without_a_message(command: list[str], chain_file: Path) -> None:
    args = [str(chain_file) if part == "CHAIN" else part for part in command]
    result = run_into_closed_pipe(*args)
    assert result.stderr == b""
    assert result.returncode == 141


def test_command_typo_suggests_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from pinlint.cli.app import main

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["chek", "fixtures"])
    assert result.exit_code == 2
    assert "no such command 'chek'; did you mean 'check'?" in result.stderr
    result = CliRunner().invoke(main, ["invetory", "."])
    assert "did you mean 'inventory'?" in result.stderr


def test_an_existing_path_named_like_a_command_is_scanned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from pinlint.cli.app import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "chek").mkdir()
    result = CliRunner().invoke(main, ["chek", "--no-config"])
    assert result.exit_code == 0, result.output
    assert "No problems found in 0 files." in result.stdout
    result = CliRunner().invoke(main, ["nothing-like-a-command"])
    assert result.exit_code == 2
    assert "no such file or directory: nothing-like-a-command" in result.stderr


@pytest.mark.parametrize(("typo", "meant"), [
    ("missing-backup-pins", "'missing-backup-pin' (PIN101)"),
    ("TRU3O1", "'trust-all-certificates' (TRU301)"),
    ("cleartext-permited", "'cleartext-permitted' (CLR201)"),
])
def test_explain_suggests_the_closest_rule(typo: str, meant: str) -> None:
    from click.testing import CliRunner

    from pinlint.cli.app import main

    result = CliRunner().invoke(main, ["explain", typo])
    assert result.exit_code == 2
    assert f"unknown rule '{typo}'; did you mean {meant}?" in result.stderr


def test_unknown_rule_in_select_suggests_too() -> None:
    from click.testing import CliRunner

    from pinlint.cli.app import main

    result = CliRunner().invoke(main, ["check", "--no-config", "--select", "trust-all-certificate", "."])
    assert result.exit_code == 2
    assert "did you mean 'trust-all-certificates' (TRU301)?" in result.stderr


def test_no_suggestion_when_nothing_is_close() -> None:
    from click.testing import CliRunner

    from pinlint.cli.app import main

    result = CliRunner().invoke(main, ["explain", "zzzzzz"])
    assert result.exit_code == 2
    assert "unknown rule 'zzzzzz' (see 'pinlint rules')" in result.stderr
