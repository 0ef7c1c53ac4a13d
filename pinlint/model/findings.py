"""Findings: what a check reports, and the severity/confidence scales."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from pinlint.model.facts import Span

SEVERITIES = ("info", "low", "medium", "high", "critical")
CONFIDENCES = ("low", "medium", "high")


def severity_rank(severity: str) -> int:
    """0 for info up to 4 for critical."""
    return SEVERITIES.index(severity)


def lower_severity(severity: str, steps: int = 1) -> str:
    """The severity ``steps`` levels lower, never below info."""
    return SEVERITIES[max(0, severity_rank(severity) - steps)]


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding is not counted: an inline comment, a config ignore or a baseline entry."""

    kind: str  # "inline" | "config" | "baseline"
    justification: str
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place.

    ``subject`` names what the finding is about without line numbers (hosts, pins, handler shape); it
    keys fingerprints and baselines so they survive edits that move lines. ``severity`` and
    ``confidence`` are filled from the rule when a check leaves them out.
    """

    rule_id: str
    message: str
    span: Span
    subject: tuple[str, ...] = ()
    severity: str | None = None
    confidence: str | None = None
    suppression: Suppression | None = None
    related: tuple[Span, ...] = field(default_factory=tuple)
    #: Labels for code scanning (SARIF ``properties.tags``): ``test`` marks a finding in test code only.
    tags: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        """A stable hash of rule, path and subject: no line numbers, so it survives shifted lines."""
        parts = [self.rule_id, self.span.path, *self.subject] if self.subject else [
            self.rule_id, self.span.path, self.message]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.line, self.span.col, self.rule_id, self.message)
