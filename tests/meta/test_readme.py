"""The README's commands and outputs stay exact.

The quick start's ``pinlint ...`` command is taken from the README's own code block and run; the
output the README shows (shortened with ``...``) must appear in the real output in the same order, and
its summary lines must be the real ones. The pre-commit snippet, with the two placeholders the README
names filled in, must make a real ``pre-commit run`` use the hook. The wheel ships the licence text.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start() -> tuple[list[str], list[str]]:
    """The quick start's pinlint arguments and the output lines the README shows."""
    section = README[README.index("## Install and run"):README.index("## Run the tests")]
    command = re.search(r"```sh\n(.*?)\n```", section, re.S)
    shown = re.search(r"```text\n(.*?)\n```", section, re.S)
    assert command and shown
    last = command.group(1).split("&&")[-1]
    words = shlex.split(last)
    assert words[0] == "pinlint"
    return words[1:], shown.group(1).splitlines()


def test_quick_start_output_is_what_the_readme_shows() -> None:
    arguments, shown = quick_start()
    assert "--today" in arguments  # the output must not depend on the real date
    completed = subprocess.run([sys.executable, "-m", "pinlint", *arguments], cwd=ROOT, capture_output=True,
                               text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    real = completed.stdout.splitlines()
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "..." in shown
    cut = shown.index("...")
    listed, closing = shown[:cut], shown[cut + 1:]
    position = 0
    for line in listed:  # every line shown, in the same order
        assert line in real[position:], f"README line not in the output (in order): {line!r}"
        position = real.index(line, position) + 1
    assert closing == real[-len(closing):], "the README's summary lines differ from the real ones"
    assert closing[0].startswith("Found ")


def test_readme_states_no_tag_that_does_not_exist() -> None:
    assert "@v0.1.0" not in README and "rev: v0" not in README
    assert "PINLINT_COMMIT_SHA" in README


def _git(cwd: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-c", "user.name=pinlint test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false",
         "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return completed.stdout.strip()


@pytest.mark.slow  # the real pre-commit program builds its hook environment
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_precommit_snippet_works_once_its_placeholders_are_filled_in(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    from tests.cli.test_precommit import HOOK_FILES, NSC, NSC_PATH

    hook_repo = tmp_path / "pinlint"
    hook_repo.mkdir()
    for name in HOOK_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, hook_repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, hook_repo / name)
    _git(hook_repo, "init", "-q")
    _git(hook_repo, "add", ".")
    _git(hook_repo, "commit", "-q", "-m", "pinlint")
    sha = _git(hook_repo, "rev-parse", "HEAD")

    snippet = re.search(r"Add to your `\.pre-commit-config\.yaml`.*?```yaml\n(.*?)```", README, re.S)
    assert snippet
    config = snippet.group(1).replace("https://github.com/OWNER/pinlint", str(hook_repo))
    config = config.replace("PINLINT_COMMIT_SHA", sha)
    assert "OWNER/" not in config and "PINLINT_COMMIT_SHA" not in config

    consumer = tmp_path / "consumer"
    consumer.mkdir()
    _git(consumer, "init", "-q")
    (consumer / ".pre-commit-config.yaml").write_text(config)
    nsc = consumer / NSC_PATH
    nsc.parent.mkdir(parents=True)
    nsc.write_text(NSC)
    _git(consumer, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home"), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    completed = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--files", NSC_PATH], cwd=consumer,
                               env=env, capture_output=True, text=True, timeout=900, check=False)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    assert re.search(rf"{re.escape(NSC_PATH)}:\d+:\d+: PIN101 ", output), output


def test_wheel_ships_the_licence_and_the_policy_schema(tmp_path: Path) -> None:
    completed = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path),
                                str(ROOT)], capture_output=True, text=True, timeout=600, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    [wheel] = tmp_path.glob("pinlint-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        licence = next(name for name in names if name.endswith(".dist-info/licenses/LICENSE"))
        text = archive.read(licence).decode()
        metadata = archive.read(next(name for name in names if name.endswith(".dist-info/METADATA"))).decode()
    assert "pinlint/config/pinlint-policy.schema.json" in names  # the policy file's schema, for editors
    assert text.startswith("MIT License") and "pinlint developers" in text
    assert "License-Expression: MIT" in metadata
    assert (ROOT / "LICENSE").read_text() == text
