"""Helpers shared by checks: build-variant wording and host lists in messages."""

from __future__ import annotations

from collections.abc import Sequence

from pinlint.checks.context import CheckContext
from pinlint.model.facts import PinSet
from pinlint.model.findings import lower_severity
from pinlint.vocab import testcode


def hosts_text(hosts: Sequence[str]) -> str:
    """``api.example.com`` or ``a.com, b.com`` or ``every host`` for an empty list."""
    if not hosts:
        return "every host"
    if len(hosts) > 3:
        return ", ".join(hosts[:3]) + f" and {len(hosts) - 3} more"
    return ", ".join(hosts)


#: The confidence of findings about pins found by their shape in a binary's strings (``PinSet.found_in_binary``):
#: a 44-character base64 string of 32 bytes is most likely a pin, but could be another 32-byte value.
BINARY_PIN_CONFIDENCE = "medium"


def pin_hosts_text(pin_set: PinSet) -> str:
    """The hosts of a pin set for a message; for pins found in a binary, whether its strings name a host."""
    if not pin_set.found_in_binary:
        return hosts_text(pin_set.hosts)
    if pin_set.host_hint:
        return (f"{pin_set.host_hint} (found in the binary's strings; the host name stands beside the pins there, "
                "which suggests but does not prove it is the pinned host)")
    return "an unknown host (found in the binary's strings; no host name stands beside the pins there)"


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
