"""The pre-commit hook, run by the real ``pre-commit`` program against a copy of this repository.

A consumer repository stages a network security config with a single pin: the hook must fail naming
PIN101, then pass once a reasoned suppression is added. pre-commit builds the hook's environment by
installing this project from the package index, so the test takes some seconds.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: Minutes, not seconds: left out of the inner loop (``pytest -m "not slow"``), always run by CI.
pytestmark = pytest.mark.slow

NSC_PATH = "app/src/main/res/xml/network_security_config.xml"
PIN = base64.b64encode(hashlib.sha256(b"pinlint pre-commit test key").digest()).decode()
NSC = f"""<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <domain-config>
        <domain includeSubdomains="true">api.example.com</domain>
        <pin-set expiration="2099-01-01">
            <pin digest="SHA-256">{PIN}</pin>
        </pin-set>
    </domain-config>
</network-security-config>
"""
#: What pre-commit needs to install the hook: the package, its rule catalogue and the hook manifest.
HOOK_FILES = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "pinlint", "rules")


def _parser_present(tmp_path: Path) -> bool:
    """Whether this build's network security config parser reports the single pin (not a placeholder)."""
    from tests.conftest import scan_path

    probe = tmp_path / "probe" / "res" / "xml"
    probe.mkdir(parents=True)
    (probe / "network_security_config.xml").write_text(NSC)
    return any(finding.rule_id == "PIN101" for finding in scan_path(tmp_path / "probe").findings)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=pinlint test", "-c", "user.email=test@example.invalid",
         "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd, check=True, capture_output=True,
    )


def _hook_repository(destination: Path) -> Path:
    """A committed copy of this project (try-repo needs a repository with at least one commit)."""
    destination.mkdir()
    for name in HOOK_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, destination / name)
    _git(destination, "init", "-q")
    _git(destination, "add", ".")
    _git(destination, "commit", "-q", "-m", "pinlint")
    return destination


def _try_repo(consumer: Path, hook_repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "pinlint", "--verbose"],
        cwd=consumer, env=env, capture_output=True, text=True, timeout=900,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_fails_on_single_pin_and_passes_with_reasoned_suppression(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    if not _parser_present(tmp_path):
        pytest.skip("the Android network security config parser is a placeholder in this build")
    hook_repo = _hook_repository(tmp_path / "pinlint")
    consumer = tmp_path / "consumer"
    consumer.mkdir()
    _git(consumer, "init", "-q")
    nsc = consumer / NSC_PATH
    nsc.parent.mkdir(parents=True)
    nsc.write_text(NSC)
    _git(consumer, "add", NSC_PATH)

    failed = _try_repo(consumer, hook_repo, tmp_path / "pre-commit-home")
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0, output
    reported = re.search(rf"{re.escape(NSC_PATH)}:(\d+):\d+: PIN101 ", output)
    assert reported, output

    line = int(reported.group(1))

    def stage_with_comment(comment: str) -> None:
        """The config with ``comment`` on its own line above the finding, staged."""
        lines = NSC.splitlines(keepends=True)
        indent = re.match(r"\s*", lines[line - 1])
        text = f"{indent.group(0) if indent else ''}{comment}\n"
        nsc.write_text("".join([*lines[:line - 1], text, *lines[line - 1:]]))
        _git(consumer, "add", NSC_PATH)

    stage_with_comment("<!-- pinlint: ignore[PIN101] -->")
    reasonless = _try_repo(consumer, hook_repo, tmp_path / "pre-commit-home")
    assert reasonless.returncode != 0, reasonless.stdout + reasonless.stderr
    assert "has no reason and is not obeyed" in reasonless.stdout

    stage_with_comment("<!-- pinlint: ignore[PIN101] backup key held offline, see SEC-12 -->")
    passed = _try_repo(consumer, hook_repo, tmp_path / "pre-commit-home")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_hook_manifest_is_valid() -> None:
    pytest.importorskip("pre_commit")
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest",
                             str(ROOT / ".pre-commit-hooks.yaml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
