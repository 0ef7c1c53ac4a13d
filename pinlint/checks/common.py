"""Helpers shared by checks: build-variant wording and host lists in messages."""

from __future__ import annotations

from collections.abc import Sequence

from pinlint.checks.context import CheckContext
from pinlint.model.findings import lower_severity
from pinlint.vocab import testcode


def hosts_text(hosts: Sequence[str]) -> str:
    """``api.example.com`` or ``a.com, b.com`` or ``every host`` for an empty list."""
    if not hosts:
        return "every host"
    if len(hosts) > 3:
        return ", ".join(hosts[:3]) + f" and {len(hosts) - 3} more"
    return ", ".join(hosts)


def build_variant(variant: str | None) -> str | None:
    """The build variant, or None for release code and for test source sets: test code is not a build of
    the app, and triage tells it apart by path (``pinlint.vocab.testcode``) for every rule at once."""
    return None if not variant or testcode.is_test_source_set(variant) else variant


def variant_note(variant: str | None) -> str:
    """The message suffix for settings that only apply to a non-release build."""
    variant = build_variant(variant)
    if not variant:
        return ""
    return f" (only in the '{variant}' build, not release)"


def variant_severity(ctx: CheckContext, variant: str | None, local: bool = False) -> str | None:
    """The lowered severity for a debug-only or local-only setting, or None to keep the rule's default."""
    assert ctx.rule is not None
    steps = (1 if build_variant(variant) else 0) + (2 if local else 0)
    if not steps:
        return None
    return lower_severity(ctx.rule.severity, steps)


def allowed_host(host: str, allowed: Sequence[str] | None) -> bool:
    """Whether ``host`` is in an ``allowed_hosts`` option (exact names and ``*.`` wildcards)."""
    if not allowed:
        return False
    name = host.lower().rstrip(".")
    for pattern in allowed:
        pattern = str(pattern).lower().rstrip(".")
        if pattern.startswith("*."):
            if name.endswith(pattern[1:]):
                return True
        elif name == pattern:
            return True
    return False
