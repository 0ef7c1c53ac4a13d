"""The severity and confidence scales, apart from the findings so the command line can name them in its
options without loading the fact model."""

from __future__ import annotations

SEVERITIES = ("info", "low", "medium", "high", "critical")
CONFIDENCES = ("low", "medium", "high")


def severity_rank(severity: str) -> int:
    """0 for info up to 4 for critical."""
    return SEVERITIES.index(severity)


def lower_severity(severity: str, steps: int = 1) -> str:
    """The severity ``steps`` levels lower, never below info."""
    return SEVERITIES[max(0, severity_rank(severity) - steps)]
