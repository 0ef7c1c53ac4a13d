"""Helpers shared by checks: build-variant wording and host lists in messages."""

from __future__ import annotations

from collections.abc import Sequence

from pinlint.checks.context import CheckContext
from pinlint.model.findings import lower_severity


def hosts_text(hosts: Sequence[str]) -> str:
    """``api.example.com`` or ``a.com, b.com`` or ``every host`` for an empty list."""
    if not hosts:
        return "every host"
    if len(hosts) > 3:
        return ", ".join(hosts[:3]) + f" and {len(hosts) - 3} more"
    return ", ".join(hosts)


#: Variants naming test code rather than a build: test, mock and story files, Gradle test source sets.
_TEST_VARIANTS = ("test", "androidTest", "sharedTest")


def variant_note(variant: str | None) -> str:
    """The message suffix for settings that only apply to a non-release build, or only to test code."""
    if not variant:
        return ""
    if variant.startswith(_TEST_VARIANTS):
        return " (test code only, not shipped in the app)"
    return f" (only in the '{variant}' build, not release)"


def variant_severity(ctx: CheckContext, variant: str | None, local: bool = False) -> str | None:
    """The lowered severity for a debug-only or local-only setting, or None to keep the rule's default."""
    assert ctx.rule is not None
    steps = (1 if variant else 0) + (2 if local else 0)
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
