"""Fail-open trust checks over ``TrustCallback`` facts from code, and user CAs over ``TrustAnchors``.

Front ends say what each trust decision site decides and which guards hold on each path that accepts; the
verdict of TRU301-TRU304 and TRU306 is decided here, from those guards alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from pinlint.checks.common import hosts_text, variant_note, variant_severity
from pinlint.checks.context import CheckContext
from pinlint.model.facts import (
    AUTH_CHALLENGE,
    DEBUG_FLAG,
    HOST_COMPARED,
    HOST_FORGEABLE,
    HOST_LOCAL,
    HOSTNAME,
    OTHER_CONDITION,
    PIN_MATCH,
    PIN_MISMATCH,
    PIN_VALIDATOR,
    PLATFORM_NAME_MISMATCH,
    PLATFORM_PASSED,
    SERVER_TRUST,
    SUBJECT_NAME,
    WEBVIEW_SSL_ERROR,
    AcceptingPath,
    FactStore,
    TrustAnchors,
    TrustCallback,
)
from pinlint.model.findings import Finding

#: Guards that make an accepting path a real decision about the certificate.
_DECIDES_CERTIFICATE = frozenset({PLATFORM_PASSED, PIN_MATCH, SUBJECT_NAME, PIN_VALIDATOR})
#: Guards that rest on a name anyone can forge.
_FORGEABLE = frozenset({SUBJECT_NAME, HOST_FORGEABLE})
#: Guards that make the acceptance conditional without inspecting the certificate (lower confidence).
_CONDITIONAL = frozenset({HOST_COMPARED, HOST_FORGEABLE, OTHER_CONDITION})


def _after_pin_mismatch(path: AcceptingPath) -> bool:
    """Accepts after a comparison of the certificate failed, and no other comparison succeeded."""
    return PIN_MISMATCH in path.guards and not path.guards & {PIN_MATCH, SUBJECT_NAME}


def _rests_on_forgeable_name(path: AcceptingPath) -> bool:
    """Accepts because of a subject string or a loosely matched host, without the platform or a pin."""
    return bool(path.guards & _FORGEABLE) and not path.guards & {PIN_MATCH, PLATFORM_PASSED}


def _accepts_any_certificate(callback: TrustCallback, path: AcceptingPath) -> bool:
    """A server-trust path on which nothing about the certificate was decided (local exceptions aside)."""
    return callback.role in (SERVER_TRUST, AUTH_CHALLENGE) and not path.guards & (
        _DECIDES_CERTIFICATE | {HOST_LOCAL, PLATFORM_NAME_MISMATCH})


def _accepts_any_host(callback: TrustCallback, path: AcceptingPath) -> bool:
    """A path that accepts a certificate for another host: a hostname decision with no guard, or a server-trust
    path that runs when the platform found only a host-name mismatch."""
    if callback.role == HOSTNAME:
        return not path.guards & (_DECIDES_CERTIFICATE | {HOST_LOCAL, HOST_COMPARED})
    return PLATFORM_NAME_MISMATCH in path.guards and not path.guards & (_DECIDES_CERTIFICATE | {HOST_LOCAL})


def _fails_pin_or_name(callback: TrustCallback) -> bool:
    return any(_after_pin_mismatch(path) or _rests_on_forgeable_name(path) for path in callback.paths)


def _worst(paths: list[AcceptingPath]) -> AcceptingPath | None:
    """The path that accepts most easily: unconditional before conditional, release before debug."""
    def rank(path: AcceptingPath) -> int:
        return (2 if DEBUG_FLAG in path.guards else 0) + (1 if path.guards & _CONDITIONAL else 0)
    return min(paths, key=rank) if paths else None


def _confidence(path: AcceptingPath) -> str | None:
    """The front end's confidence, or medium when the path only accepts under a condition."""
    if path.confidence is None and path.guards & _CONDITIONAL:
        return "medium"
    return path.confidence


def _debug_variant(path: AcceptingPath) -> str | None:
    return "debug" if DEBUG_FLAG in path.guards else path.variant


def _finding(
    ctx: CheckContext, rule_id: str, advice: str, callback: TrustCallback, path: AcceptingPath,
    confidence: str | None, variant: str | None,
) -> Finding:
    return Finding(
        rule_id,
        f"{path.evidence}; {advice}" + variant_note(variant),
        path.span,
        subject=(callback.language, path.shape),
        severity=variant_severity(ctx, variant),
        confidence=confidence,
    )


def trust_all_certificates(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """TRU301: a trust decision that accepts any certificate.

    A server-trust path fires when it accepts with no platform evaluation that succeeded, no pin or certificate
    comparison and no name check on it (a local-host exception aside); the most unconditional such path of a
    callback is reported, unless the callback already fails open on a pin or a forgeable name (TRU304, TRU306).
    """
    for callback in facts.of(TrustCallback):
        if _fails_pin_or_name(callback):
            continue
        path = _worst([path for path in callback.paths if _accepts_any_certificate(callback, path)])
        if path is not None:
            yield _finding(ctx, "TRU301", "let the platform's trust evaluation decide and reject on failure",
                           callback, path, _confidence(path), _debug_variant(path))


def hostname_verification_disabled(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """TRU302: hostname verification that accepts any host.

    A hostname decision that accepts with no host comparison, or a server-trust path that accepts when the
    platform's only error is a host-name mismatch; not reported when the callback already trusts any
    certificate (TRU301) or fails open on a pin or a forgeable name.
    """
    for callback in facts.of(TrustCallback):
        if _fails_pin_or_name(callback) or any(_accepts_any_certificate(callback, p) for p in callback.paths):
            continue
        path = _worst([path for path in callback.paths if _accepts_any_host(callback, path)])
        if path is not None:
            yield _finding(ctx, "TRU302", "use the platform's default hostname verification",
                           callback, path, _confidence(path), _debug_variant(path))


def webview_ssl_error_proceed(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """TRU303: a WebView SSL error handler that proceeds: every path of the handler that proceeds."""
    for callback in facts.of(TrustCallback):
        if callback.role != WEBVIEW_SSL_ERROR:
            continue
        for path in callback.paths:
            yield _finding(ctx, "TRU303", "call handler.cancel() (or the super method) for SSL errors",
                           callback, path, path.confidence, path.variant)


def pin_failure_fails_open(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """TRU304: a pin comparison whose mismatch path lets the connection continue (the first such path of a
    callback)."""
    for callback in facts.of(TrustCallback):
        path = next((path for path in callback.paths if _after_pin_mismatch(path)), None)
        if path is not None:
            yield _finding(ctx, "TRU304", "cancel the challenge (or throw) when the pin does not match",
                           callback, path, path.confidence, path.variant)


def forgeable_trust_decision(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """TRU306: a trust decision that accepts because of a name anyone can forge (a subject or issuer string, a
    host matched by prefix or by a suffix without a dot), with no platform evaluation or pin on the path;
    the first such path of a callback that does not fail open on a pin (TRU304)."""
    for callback in facts.of(TrustCallback):
        if any(_after_pin_mismatch(path) for path in callback.paths):
            continue
        path = next((path for path in callback.paths if _rests_on_forgeable_name(path)), None)
        if path is not None:
            yield _finding(ctx, "TRU306", "let the platform validate the chain and host first and reject on "
                           "failure, pin the key (SPKI SHA-256), and match hosts exactly or on a dot boundary",
                           callback, path, path.confidence, path.variant)


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
