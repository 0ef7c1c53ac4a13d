"""Fail-open trust checks over ``TrustHandler`` facts from code, and user CAs over ``TrustAnchors``."""

from __future__ import annotations

from collections.abc import Iterator

from pinlint.checks.common import hosts_text, variant_note, variant_severity
from pinlint.checks.context import CheckContext
from pinlint.model.facts import (
    FORGEABLE,
    HOSTNAME_OFF,
    PIN_FAIL_OPEN,
    TRUST_ALL,
    WEBVIEW_PROCEED,
    FactStore,
    TrustAnchors,
    TrustHandler,
)
from pinlint.model.findings import Finding

_ADVICE = {
    TRUST_ALL: "let the platform's trust evaluation decide and reject on failure",
    HOSTNAME_OFF: "use the platform's default hostname verification",
    WEBVIEW_PROCEED: "call handler.cancel() (or the super method) for SSL errors",
    PIN_FAIL_OPEN: "cancel the challenge (or throw) when the pin does not match",
    FORGEABLE: "let the platform validate the chain and host first and reject on failure, pin the key (SPKI "
               "SHA-256), and match hosts exactly or on a dot boundary",
}


def _handlers(facts: FactStore, ctx: CheckContext, rule_id: str, kind: str) -> Iterator[Finding]:
    for handler in facts.of(TrustHandler):
        if handler.kind != kind:
            continue
        yield Finding(
            rule_id,
            f"{handler.evidence}; {_ADVICE[kind]}" + variant_note(handler.variant),
            handler.span,
            subject=(handler.language, handler.shape),
            severity=variant_severity(ctx, handler.variant),
            confidence=handler.confidence,
        )


def trust_all_certificates(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """TRU301: a trust decision that accepts any certificate."""
    return _handlers(facts, ctx, "TRU301", TRUST_ALL)


def hostname_verification_disabled(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """TRU302: hostname verification that accepts any host."""
    return _handlers(facts, ctx, "TRU302", HOSTNAME_OFF)


def webview_ssl_error_proceed(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """TRU303: a WebView SSL error handler that proceeds."""
    return _handlers(facts, ctx, "TRU303", WEBVIEW_PROCEED)


def pin_failure_fails_open(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """TRU304: a pin comparison whose mismatch path lets the connection continue."""
    return _handlers(facts, ctx, "TRU304", PIN_FAIL_OPEN)


def forgeable_trust_decision(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """TRU306: a trust decision that accepts because of a name anyone can forge."""
    return _handlers(facts, ctx, "TRU306", FORGEABLE)


def user_ca_trusted(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """TRU305: user-installed CAs are trusted outside debug builds."""
    seen: set[tuple[str, int, int]] = set()
    for anchors in facts.of(TrustAnchors):
        if anchors.debug_only:
            continue
        for source in anchors.sources:
            if source.src != "user":
                continue
            key = (source.span.path, source.span.line, source.span.col)
            if key in seen:
                continue
            seen.add(key)
            why = "by default (targetSdk 23 or lower and no trust-anchor config)" if anchors.by_default else (
                '(<certificates src="user"/>)')
            fix = ('add <trust-anchors><certificates src="system"/></trust-anchors> to a base-config (or raise '
                   "targetSdk to 24 or later)") if anchors.by_default else (
                "trust only system CAs outside debug-overrides")
            yield Finding(
                "TRU305",
                f"user-installed CAs are trusted for {hosts_text(anchors.hosts)} {why}: a CA added by a proxy, MDM "
                f"or attacker can intercept the traffic; {fix}"
                + variant_note(anchors.variant),
                source.span,
                subject=(anchors.origin, "user", *sorted(anchors.hosts)),
                severity=variant_severity(ctx, anchors.variant),
            )
