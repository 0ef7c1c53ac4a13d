"""The GitHub Action, run the way the runner runs a composite action's steps.

Each ``run:`` step of ``action.yml`` is executed by ``bash --noprofile --norc -eo pipefail`` (the runner's
``shell: bash``), in its ``working-directory``, with its ``env:`` block evaluated from the inputs,
``github.action_path``, ``runner.temp``/``runner.os`` and the outputs earlier steps wrote to
``$GITHUB_OUTPUT``. ``uses:`` steps (the pip cache, the SARIF upload) belong to other actions: their
conditions and inputs are evaluated and checked, not run. Installing pinlint builds a virtual environment
from this checkout (packages from the index), once for the module.

The README's workflow and ``action.yml`` are also checked with ``zizmor`` (offline).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from tests.output_samples import VALIDATOR

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
SINGLE_PIN = """<network-security-config>
  <domain-config>
    <domain includeSubdomains="true">api.example.com</domain>
    <pin-set expiration="2099-01-01">
      <pin digest="SHA-256">AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=</pin>
    </pin-set>
  </domain-config>
</network-security-config>
"""
NSC = "app/src/main/res/xml/network_security_config.xml"


@dataclass
class Runner:
    """Enough of the Actions runner for this composite action: inputs, contexts, step outputs."""

    workspace: Path
    temp: Path
    inputs: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    logs: list[tuple[str, subprocess.CompletedProcess[str]]] = field(default_factory=list)

    def value(self, expression: str) -> str:
        parts = expression.split(".")
        if parts[0] == "inputs":
            return self.inputs.get(parts[1], str(ACTION["inputs"][parts[1]].get("default", "")))
        if expression == "github.action_path":
            return str(ROOT)
        if expression == "runner.temp":
            return str(self.temp)
        if expression == "runner.os":
            return "Linux"
        if parts[0] == "steps" and parts[2] == "outputs":
            return self.outputs.get(parts[1], {}).get(parts[3], "")
        raise AssertionError(f"expression the test runner does not know: {expression}")

    def expand(self, text: str) -> str:
        return EXPRESSION.sub(lambda match: self.value(match.group(1)), str(text))

    def condition(self, text: str | None) -> bool:
        """``a == 'b' && c == 'd'``: the only form of ``if:`` the action uses."""
        if not text:
            return True
        for clause in text.split("&&"):
            left, right = (side.strip() for side in clause.split("=="))
            if self.value(left) != right.strip("'"):
                return False
        return True

    def run_step(self, step: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        output_file = self.temp / f"output-{len(self.logs)}"
        output_file.write_text("")
        env = {key: value for key, value in os.environ.items() if not key.startswith(("INPUT_", "PINLINT_"))}
        env.pop("VIRTUAL_ENV", None)
        env.update(GITHUB_OUTPUT=str(output_file), GITHUB_ACTION_PATH=str(ROOT), GITHUB_WORKSPACE=str(self.workspace),
                   RUNNER_TEMP=str(self.temp), RUNNER_OS="Linux")
        env.update({key: self.expand(value) for key, value in (step.get("env") or {}).items()})
        script = self.temp / f"step-{len(self.logs)}.sh"
        script.write_text(step["run"])
        cwd = self.workspace / self.expand(step.get("working-directory", "."))
        completed = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd,
                                   env=env, capture_output=True, text=True, timeout=900, check=False)
        self.logs.append((step.get("name", ""), completed))
        if step.get("id"):
            lines = output_file.read_text().splitlines()
            self.outputs[step["id"]] = dict(line.split("=", 1) for line in lines if "=" in line)
        return completed

    def run(self, skip: tuple[str, ...] = ()) -> tuple[int, list[dict[str, Any]]]:
        """Every step in order until one fails; the exit code of the last step run and the ``uses:`` steps
        that would have run."""
        used: list[dict[str, Any]] = []
        code = 0
        for step in ACTION["runs"]["steps"]:
            if step.get("name") in skip or not self.condition(step.get("if")):
                continue
            if "uses" in step:
                used.append({"uses": step["uses"], "with": {k: self.expand(v) for k, v in step["with"].items()}})
                continue
            code = self.run_step(step).returncode
            if code != 0:
                break
        return code, used


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A runner temp folder in which the action's own install steps have built pinlint's environment."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    temp = tmp_path_factory.mktemp("runner-temp")
    runner = Runner(workspace=temp, temp=temp)
    for step in ACTION["runs"]["steps"][:3]:
        if "run" in step:
            completed = runner.run_step(step)
            assert completed.returncode == 0, completed.stdout + completed.stderr
    assert (temp / "pinlint-venv" / "bin" / "pinlint").exists()
    return temp


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    config = tmp_path / NSC
    config.parent.mkdir(parents=True)
    config.write_text(SINGLE_PIN)
    return tmp_path


def scan(workspace: Path, temp: Path, **inputs: str) -> tuple[int, Runner, list[dict[str, Any]]]:
    runner = Runner(workspace=workspace, temp=temp, inputs=inputs)
    code, used = runner.run(skip=("Prepare pip cache", "Install pinlint"))
    return code, runner, used


def validate(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text())
    if VALIDATOR.is_file():
        completed = subprocess.run([sys.executable, str(VALIDATOR), "--strict", str(path)], capture_output=True,
                                   text=True, timeout=600, check=False)
        assert completed.returncode == 0, completed.stdout + completed.stderr
    return document


@pytest.mark.slow  # builds the action's environment with pip
def test_findings_write_sarif_and_fail_the_step_after_the_upload(workspace: Path, runner_temp: Path) -> None:
    code, runner, used = scan(workspace, runner_temp, upload="true", category="android")
    assert code == 1
    outputs = runner.outputs["scan"]
    assert outputs["exit-code"] == "1"
    assert outputs["sarif-file"] == str(workspace / "pinlint.sarif")
    document = validate(workspace / "pinlint.sarif")
    assert [result["ruleId"] for result in document["runs"][0]["results"]] == ["PIN101"]
    assert document["runs"][0]["automationDetails"]["id"] == "android/"
    assert used[-1]["uses"].startswith("github/codeql-action/upload-sarif@")
    assert used[-1]["with"] == {"sarif_file": str(workspace / "pinlint.sarif"), "category": "android"}
    assert any(step["uses"].startswith("actions/cache@") for step in used)  # the pip cache, by default


@pytest.mark.slow  # builds the action's environment with pip
def test_args_are_passed_through_to_check(workspace: Path, runner_temp: Path) -> None:
    code, runner, used = scan(workspace, runner_temp, args="--select CLR,TRU --jobs 1", cache="false")
    assert code == 0
    assert runner.outputs["scan"]["exit-code"] == "0"
    assert validate(workspace / "pinlint.sarif")["runs"][0]["results"] == []
    assert used == []  # no upload unless asked, no cache when turned off


@pytest.mark.slow  # builds the action's environment with pip
def test_exit_2_still_writes_a_valid_sarif_file_with_the_error(workspace: Path, runner_temp: Path) -> None:
    code, runner, used = scan(workspace, runner_temp, config="missing-policy.yaml", upload="true")
    assert code == 2
    assert runner.outputs["scan"]["exit-code"] == "2"
    document = validate(workspace / "pinlint.sarif")
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["exitCode"] == 2
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "missing-policy.yaml: no such file" in note["message"]["text"]
    assert used[-1]["with"]["sarif_file"] == str(workspace / "pinlint.sarif")  # the upload still has a file
    scan_log = next(completed for name, completed in runner.logs if name == "Run pinlint")
    assert "::error title=pinlint::pinlint exited with 2" in scan_log.stdout


@pytest.mark.slow  # builds the action's environment with pip
def test_github_annotations_and_working_directory(workspace: Path, runner_temp: Path) -> None:
    (workspace / "mobile").mkdir()
    (workspace / "app").rename(workspace / "mobile" / "app")
    code, runner, used = scan(workspace, runner_temp, format="github", **{"working-directory": "mobile"},
                              upload="true")
    assert code == 1
    assert runner.outputs["scan"]["sarif-file"] == ""
    scan_log = next(completed for name, completed in runner.logs if name == "Run pinlint")
    assert f"::error file={NSC},line=4," in scan_log.stdout
    assert not any(step["uses"].startswith("github/codeql-action") for step in used)


@pytest.mark.slow  # builds the action's environment with pip
def test_bad_format_is_an_error(workspace: Path, runner_temp: Path) -> None:
    code, _runner, _used = scan(workspace, runner_temp, format="xml")
    assert code == 2


def test_windows_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    runner = Runner(workspace=tmp_path, temp=tmp_path)
    step = dict(ACTION["runs"]["steps"][0])
    step["env"] = {**step["env"], "RUNNER_OS": "Windows"}
    completed = runner.run_step(step)
    assert completed.returncode == 1
    assert "Windows runners are not supported" in completed.stdout


def readme_workflow() -> str:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```yaml\n(# \.github/workflows/pinlint\.yml\n.*?)```", readme, re.S)
    assert len(blocks) == 1
    return blocks[0]


def test_readme_workflow_pins_actions_by_commit(tmp_path: Path) -> None:
    workflow = yaml.safe_load(readme_workflow())
    steps = workflow["jobs"]["pinlint"]["steps"]
    for step in steps:
        uses = step.get("uses", "")
        owner_and_ref = uses.rsplit("@", 1)
        assert len(owner_and_ref) == 2, uses
        assert re.fullmatch(r"[0-9a-f]{40}", owner_and_ref[1]) or owner_and_ref[1] == "PINLINT_COMMIT_SHA", uses
    assert workflow["jobs"]["pinlint"]["permissions"]["security-events"] == "write"


@pytest.mark.parametrize("target", ["workflow", "action"])
def test_zizmor_finds_nothing(tmp_path: Path, target: str) -> None:
    zizmor = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")
    if not Path(zizmor).exists():
        pytest.skip("zizmor is not installed (pip install '.[test]')")
    if target == "workflow":
        folder = tmp_path / ".github" / "workflows"
        folder.mkdir(parents=True)
        path = folder / "pinlint.yml"
        # the README asks for pinlint's own commit SHA in place of the placeholder
        path.write_text(readme_workflow().replace("PINLINT_COMMIT_SHA", "0" * 40))
    else:
        path = tmp_path / "action.yml"
        shutil.copy(ROOT / "action.yml", path)
    completed = subprocess.run([zizmor, "--offline", "--no-progress", "--format", "plain", str(path)],
                               capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "No findings to report" in completed.stdout + completed.stderr
