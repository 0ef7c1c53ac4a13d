"""Renderers: pure functions ``render(result: ScanResult, run: RunInfo) -> str``, one module per format.

The CLI does the writing; the engine never imports an output.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pinlint.model.result import ScanResult

FORMATS = ("text", "json", "sarif", "github")


@dataclass(frozen=True)
class RunInfo:
    """Facts about the invocation a renderer may show."""

    exit_code: int = 0
    fail_on: str = "low"
    color: bool = False
    category: str | None = None
    command_line: tuple[str, ...] = field(default_factory=tuple)
    #: The absolute, resolved directory display paths are relative to (SARIF ``%SRCROOT%``); None leaves it
    #: unstated.
    source_root: str | None = None
    #: Text format: findings only, no summary or hints (``-q``).
    quiet: bool = False
    #: Text format: one line per rule with its count instead of each finding (``--statistics``).
    statistics: bool = False


#: Control characters, line separators and bidirectional overrides: never written raw to a terminal or log.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` on one line with control characters escaped, so scanned content cannot drive a terminal."""
    return _UNPRINTABLE.sub(_escape, text.replace("\t", " "))


def renderer(name: str) -> Callable[[ScanResult, RunInfo], str]:
    module = importlib.import_module(f"pinlint.render.{name}_format")
    render: Callable[[ScanResult, RunInfo], str] = module.render
    return render
