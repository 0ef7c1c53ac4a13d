"""Shared test helpers: the fixed reference date and scanning helpers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pinlint.config.policy import Policy
from pinlint.pipeline import ScanOptions, ScanResult, scan

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

#: Every fixture is judged as of this day; expiry fixtures are written against it, never the real date.
FIXTURE_TODAY = date(2026, 1, 15)


def scan_path(target: Path, relative_to: Path | None = None, policy: Policy | None = None,
              today: date = FIXTURE_TODAY) -> ScanResult:
    return scan(ScanOptions(targets=[target], today=today, policy=policy or Policy(),
                            relative_to=relative_to or target))


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
