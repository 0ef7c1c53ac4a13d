"""Placeholder renderer until the outputs are built."""

from __future__ import annotations

from pinlint.engine import ScanResult
from pinlint.output import RunInfo


def render(result: ScanResult, run: RunInfo) -> str:
    raise NotImplementedError("this output format is not built yet")
