"""Pinning checks: one function per rule, serving every source of pins (Android network security
config, NSPinnedDomains, TrustKit on both platforms, OkHttp, React Native, Flutter and certificate
evaluators) through the shared ``PinSet`` fact."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from pinlint.checks.certs import leaf_certificate_pinning, pinned_certificate_expiry
from pinlint.checks.common import hosts_text, variant_note, variant_severity
from pinlint.checks.context import CheckContext
from pinlint.model.facts import FactStore, Pin, PinClassification, PinSet, TrustAnchors
from pinlint.model.findings import Finding

#: What an invalid pin does, per mechanism (PIN106).
_INVALID_PIN_EFFECT = {
    "android-nsc": "Android rejects the whole network security config at load, so the app crashes at its first "
                   "connection",
    "trustkit-android": "TrustKit-Android throws when it initialises",
    "trustkit": "TrustKit throws when it initialises, so the app crashes at start-up",
    "ns-pinned-domains": "ATS can never match it",
}
#: How to turn enforcement on, per mechanism (PIN107).
_ENFORCE_ADVICE = {
    "trustkit-android": 'set enforcePinning="true" in <trustkit-config>',
    "trustkit": "set TSKEnforcePinning to YES (the default when the key is absent)",
}


def _what(pin_set: PinSet) -> str:
    return pin_set.label or pin_set.origin


def _set_subject(pin_set: PinSet) -> tuple[str, ...]:
    return (pin_set.origin, pin_set.kind, *sorted(pin_set.hosts))


def missing_backup_pin(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """PIN101: an enforced pin set with fewer than ``minimum_pins`` distinct, well-formed pins."""
    minimum = int(ctx.option("minimum_pins") or 2)
    for pin_set in facts.of(PinSet):
        if not pin_set.enforced or pin_set.count_unknown:
            continue
        if pin_set.kind == "certificate" and (pin_set.certificates or not pin_set.pins):
            # certificate pinning (fingerprints, bundled files): the backup is a second certificate,
            # whatever the digest (a weak digest is weak-pin-digest's finding)
            count = len(set(pin_set.certificates))
            unit = "pinned certificate"
        else:
            count = len(pin_set.valid_distinct_pins)
            unit = "distinct valid pin"
        if count >= minimum:
            continue
        duplicates = len(pin_set.pins) > len(pin_set.distinct_pins)
        detail = " (the same pin is written more than once; the platform counts it once)" if duplicates else ""
        plural = "" if count == 1 else "s"
        yield Finding(
            "PIN101",
            f"{_what(pin_set)} for {hosts_text(pin_set.hosts)} has {count} {unit}{plural}{detail}; "
            f"add a backup pin for a key not in the current chain so a key rotation does not lock users out"
            + variant_note(pin_set.variant),
            pin_set.span,
            subject=_set_subject(pin_set),
            severity=variant_severity(ctx, pin_set.variant),
        )


def leaf_only_pin(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """PIN102: every pin of a host pins an end-entity certificate, which changes at every renewal."""
    pin_sets = facts.of(PinSet)
    roles: dict[str, set[str]] = {}
    for classification in facts.of(PinClassification):
        roles.setdefault(classification.pin, set()).add(classification.role)
    for pin_set in pin_sets:
        if not pin_set.enforced:
            continue
        if pin_set.kind == "leaf":
            has_ca_list = any(
                other.kind in ("ca", "any") and other.span.path == pin_set.span.path
                and set(other.hosts) == set(pin_set.hosts) and other.origin == pin_set.origin
                for other in pin_sets
            )
            if has_ca_list:
                continue
            reason = "pins only leaf identities and no CA identity"
        elif pin_set.found_in_binary:
            continue  # which pins guard which host is unknown, so "every pin of a host" cannot be judged
        else:
            valid = [pin for pin in pin_set.valid_distinct_pins if not pin.unresolved]
            if not valid or not all(roles.get(pin.canonical or "") == {"leaf"} for pin in valid):
                continue
            reason = "pins only keys of end-entity (leaf) certificates found in this repository"
        yield Finding(
            "PIN102",
            f"{_what(pin_set)} for {hosts_text(pin_set.hosts)} {reason}; the pins break at the next certificate "
            f"renewal: pin an intermediate or root CA key, with a backup" + variant_note(pin_set.variant),
            pin_set.span,
            subject=_set_subject(pin_set),
            severity=variant_severity(ctx, pin_set.variant),
        )
    yield from leaf_certificate_pinning(facts, ctx)


def expired_pin_set(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """PIN103: the pin set's expiration date is on or before today, so pinning is silently off."""
    for pin_set in facts.of(PinSet):
        if pin_set.expiration is None or pin_set.expiration > ctx.today:
            continue
        yield Finding(
            "PIN103",
            f"{_what(pin_set)} for {hosts_text(pin_set.hosts)} expired on {pin_set.expiration.isoformat()}: "
            f"pinning is silently off and any certificate the trust anchors accept passes; renew the pins "
            f"and move the expiration date forward" + variant_note(pin_set.variant),
            pin_set.expiration_span or pin_set.span,
            subject=(*_set_subject(pin_set), "expired"),
            severity=variant_severity(ctx, pin_set.variant),
        )
    yield from pinned_certificate_expiry(facts, ctx, None)


def pin_set_expiring_soon(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """PIN104: the pin set expires within the warning window (``warning_days``, default 90)."""
    window = int(ctx.option("warning_days") or 90)
    horizon = ctx.today + timedelta(days=window)
    for pin_set in facts.of(PinSet):
        expiration = pin_set.expiration
        if expiration is None or expiration <= ctx.today or expiration > horizon:
            continue
        days = (expiration - ctx.today).days
        yield Finding(
            "PIN104",
            f"{_what(pin_set)} for {hosts_text(pin_set.hosts)} expires on {expiration.isoformat()} "
            f"(in {days} day{'s' if days != 1 else ''}); after that pinning silently stops: ship renewed pins "
            f"and a later date before then" + variant_note(pin_set.variant),
            pin_set.expiration_span or pin_set.span,
            subject=(*_set_subject(pin_set), "expiring"),
            severity=variant_severity(ctx, pin_set.variant),
        )
    yield from pinned_certificate_expiry(facts, ctx, window)


def _unique_pins(facts: FactStore) -> Iterator[tuple[PinSet, Pin]]:
    seen: set[tuple[str, int, int, str]] = set()
    for pin_set in facts.of(PinSet):
        for pin in pin_set.pins:
            key = (pin.span.path, pin.span.line, pin.span.col, pin.value)  # a binary's pins share one place
            if key in seen:
                continue
            seen.add(key)
            yield pin_set, pin


def weak_pin_digest(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """PIN105: a pin computed with a digest other than SHA-256."""
    for pin_set, pin in _unique_pins(facts):
        if pin.unresolved or pin.is_sha256:
            continue
        message = (
            f"pin for {hosts_text(pin_set.hosts)} uses digest '{pin.algorithm}': only SHA-256 SPKI pins are "
            f"accepted by the platforms (Android rejects the whole config); use the SHA-256 pin")
        if pin_set.origin == "urlsession-fingerprint":
            message = (f"the server certificate is compared by its SHA-1 fingerprint ({pin.value}): SHA-1 "
                       "collisions are practical, so a forged certificate can match; compare the SHA-256 of the "
                       "public key (SPKI) instead")
        yield Finding(
            "PIN105",
            message + variant_note(pin_set.variant),
            pin.span,
            subject=(pin_set.origin, pin.value),
            severity=variant_severity(ctx, pin_set.variant),
        )


def invalid_pin(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """PIN106: a SHA-256 pin that is not base64 of exactly 32 bytes."""
    for pin_set, pin in _unique_pins(facts):
        if pin.unresolved or not pin.is_sha256 or pin.is_valid:
            continue
        digest = pin.digest
        problem = "is not valid base64" if digest is None else f"decodes to {len(digest)} bytes, not 32"
        effect = _INVALID_PIN_EFFECT.get(pin_set.origin, "it can never match")
        yield Finding(
            "PIN106",
            f"pin '{pin.value[:60]}' for {hosts_text(pin_set.hosts)} {problem}: {effect}; use base64 of the "
            f"SHA-256 of the SPKI" + variant_note(pin_set.variant),
            pin.span,
            subject=(pin_set.origin, pin.value),
            severity=variant_severity(ctx, pin_set.variant),
        )


def report_only_pinning(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """PIN107: pinning is configured but not enforced, so a mismatch is only reported."""
    for pin_set in facts.of(PinSet):
        if pin_set.enforced:
            continue
        yield Finding(
            "PIN107",
            f"{_what(pin_set)} for {hosts_text(pin_set.hosts)} is report-only: a pin mismatch is reported "
            f"but the connection goes ahead; {_ENFORCE_ADVICE.get(pin_set.origin, 'enforce pinning')}"
            + variant_note(pin_set.variant),
            pin_set.enforcement_span or pin_set.span,
            subject=(*_set_subject(pin_set), "report-only"),
            severity=variant_severity(ctx, pin_set.variant),
        )


def pins_overridable(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """PIN108: ``overridePins="true"`` outside ``debug-overrides`` lets that CA source bypass the pins."""
    seen: set[tuple[str, int, int]] = set()
    for anchors in facts.of(TrustAnchors):
        if anchors.debug_only or anchors.by_default:
            continue
        for source in anchors.sources:
            if not source.override_pins:
                continue
            span = source.override_span or source.span
            key = (span.path, span.line, span.col)
            if key in seen:
                continue
            seen.add(key)
            yield Finding(
                "PIN108",
                f"trust anchor '{source.src}' has overridePins=\"true\" for {hosts_text(anchors.hosts)}: any chain "
                f"ending in it skips pin checks; remove overridePins outside debug-overrides"
                + variant_note(anchors.variant),
                span,
                subject=(anchors.origin, source.src, *sorted(anchors.hosts)),
                severity=variant_severity(ctx, anchors.variant),
            )
