"""What one scan gives every later stage: the resolved facts, the findings, and what a renderer shows.

``pinlint.pipeline.run`` builds it; renderers read only this (and ``RunInfo``): the source lines they quote
and the files that could not be read come with it, so a renderer reads no file and decides no rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from pinlint.model.facts import FactStore, Note, Span
from pinlint.model.findings import Finding

if TYPE_CHECKING:
    from pinlint.config.policy import Policy
    from pinlint.discover.walk import Skipped
    from pinlint.rules import Rule


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file the scan could not read or refused (a ``ParseError``), with the rule that reports it."""

    rule_id: str
    span: Span
    reason: str
    unsafe: bool = False


@dataclass
class ScanResult:
    findings: list[Finding]
    rules: dict[str, Rule]
    #: Problems that are not findings: unreadable paths, internal errors (shown as notifications).
    errors: list[str]
    files_scanned: int
    skipped: list[Skipped]
    facts: FactStore
    #: Warnings that are not findings: unused or reasonless suppressions, policy files not obeyed.
    notices: list[Note] = field(default_factory=list)
    profile: str = "precommit"
    #: The reference date of expiry checks and the policy applied, for the record.
    today: date | None = None
    policy: Policy | None = None
    #: Findings left out because every location is in test code (``ScanInputs.include_tests`` shows them).
    tests_left_out: int = 0
    #: Test code files a grammar would have read that the precommit profile left unparsed (test code is not
    #: shipped; ``ScanInputs.include_tests`` and the audit profile parse them).
    test_files_not_analysed: int = 0
    #: The text of each line a finding points at, by path and line number (as read, not yet trimmed).
    source_lines: dict[str, dict[int, str]] = field(default_factory=dict)
    #: Files that could not be read or were refused, each with its rule (CFG901 or CFG902).
    unreadable: list[Unreadable] = field(default_factory=list)
