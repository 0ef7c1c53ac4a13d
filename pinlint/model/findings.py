"""Findings: what a check reports (the severity and confidence scales are in ``pinlint.model.severity``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pinlint.model.facts import Span
from pinlint.model.severity import CONFIDENCES, SEVERITIES, lower_severity, severity_rank

__all__ = ["CONFIDENCES", "SEVERITIES", "Finding", "Suppression", "lower_severity", "severity_rank"]


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
        """A stable hash of rule, path and subject: no line numbers, so it survives shifted lines. In compiled
        code (one DEX file holds every class) the class and method are part of it."""
        parts = [self.rule_id, self.span.path, *self.subject] if self.subject else [
            self.rule_id, self.span.path, self.message]
        if self.span.logical:
            parts.append(self.span.logical)
        import hashlib  # loads OpenSSL: only reports that show fingerprints pay for it

        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.line, self.span.col, self.rule_id, self.message)
