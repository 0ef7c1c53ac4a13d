"""Renderers: pure functions ``render(result: ScanResult, run: RunInfo) -> str``, one module per format.

The CLI does the writing; the engine never imports an output.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from pinlint.engine import ScanResult

FORMATS = ("text", "json", "sarif", "github")


@dataclass(frozen=True)
class RunInfo:
    """Facts about the invocation a renderer may show."""

    exit_code: int = 0
    fail_on: str = "low"
    color: bool = False
    category: str | None = None
    command_line: tuple[str, ...] = field(default_factory=tuple)


def renderer(name: str) -> Callable[[ScanResult, RunInfo], str]:
    module = importlib.import_module(f"pinlint.output.{name}_format")
    render: Callable[[ScanResult, RunInfo], str] = module.render
    return render
