"""The code stays ruff-clean and mypy-clean (strict), as the project's style requires."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_tool(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *arguments], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)


def test_ruff_is_clean() -> None:
    completed = run_tool("ruff", "check", "--no-cache", "pinlint", "tests", "bench", "scripts")
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_mypy_is_clean() -> None:
    completed = run_tool("mypy", "--no-incremental")
    assert completed.returncode == 0, completed.stdout + completed.stderr
