"""Checks that need the certificates: private keys shipped in the tree (KEY401), pins of public roots
(PIN109), one host pinned differently across platforms (PIN110), sensitive hosts left unpinned (PIN111),
and the certificate-pinning parts of leaf-only-pin (PIN102) and of the expiry rules (PIN103, PIN104).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePosixPath

from pinlint.certs.basics import bundled_anchor_sources, certificate_role
from pinlint.certs.hosts import base_domain, covers, policy_probe
from pinlint.certs.roots import public_root_pins
from pinlint.checks.common import BINARY_PIN_CONFIDENCE, hosts_text, pin_hosts_text, variant_note, variant_severity
from pinlint.checks.context import CheckContext
from pinlint.model.facts import (
    FactStore,
    Pin,
    PinnedCertificate,
    PinSet,
    PlatformPresence,
    PrivateKey,
    Span,
    TrustAnchors,
)
from pinlint.model.findings import Finding, lower_severity

Owner = PinSet | TrustAnchors

TEST_FOLDERS = frozenset({"test", "tests", "androidtest", "testdata", "spec", "specs", "__tests__"})
MOBILE_PLATFORMS = ("android", "ios")


def _in_test_folder(path: str) -> bool:
    folders = PurePosixPath(path).parts[:-1]
    return any(part.lower() in TEST_FOLDERS or part.endswith("Tests") for part in folders)


def bundled_private_key(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """KEY401: a private key ships in the tree (PEM private-key block, unencrypted PKCS#12, app keystore)."""
    assert ctx.rule is not None
    for key in facts.of(PrivateKey):
        in_tests = _in_test_folder(key.span.path)
        note = " (in a test folder: lower severity, but it is still a published key)" if in_tests else ""
        yield Finding(
            "KEY401",
            f"private key in the tree: {key.detail}; whoever unpacks the app or reads the repository holds "
            f"this identity: remove it, revoke its certificate and use a new key kept off the device" + note,
            key.span,
            subject=(key.kind, key.detail),
            severity=lower_severity(ctx.rule.severity, 2) if in_tests else None,
        )


# --- PIN102 / PIN103 / PIN104 for certificate pinning -------------------------------------------------


@dataclass
class _Pinning:
    owner: Owner
    references: tuple[str, ...]
    resolved: dict[str, list[PinnedCertificate]]

    @property
    def complete(self) -> bool:
        return bool(self.references) and all(self.resolved.get(reference) for reference in self.references)

    @property
    def pinned(self) -> list[PinnedCertificate]:
        return [item for reference in self.references for item in self.resolved.get(reference, [])]

    @property
    def span(self) -> Span:
        if isinstance(self.owner, TrustAnchors):
            for source in self.owner.sources:
                if source.src in self.references:
                    return source.span
        return self.owner.span

    @property
    def what(self) -> str:
        if isinstance(self.owner, TrustAnchors):
            return "trust anchors limited to bundled certificates"
        return self.owner.label or f"{self.owner.origin} certificate pinning"


def certificate_pinnings(facts: FactStore) -> list[_Pinning]:
    """Every certificate pinning whose entries the resolver matched to certificates in the tree."""
    grouped: dict[Owner, _Pinning] = {}
    for item in facts.of(PinnedCertificate):
        pinning = grouped.get(item.owner)
        if pinning is None:
            owner = item.owner
            if isinstance(owner, TrustAnchors):
                references = tuple(dict.fromkeys(bundled_anchor_sources(owner)))
            else:
                references = tuple(dict.fromkeys(owner.certificates))
            pinning = grouped[owner] = _Pinning(owner, references, {})
        pinning.resolved.setdefault(item.reference, []).append(item)
    return list(grouped.values())


def _enforced(owner: Owner) -> bool:
    return owner.enforced if isinstance(owner, PinSet) else True


def _files_text(items: list[PinnedCertificate]) -> str:
    shown = dict.fromkeys(f"{item.certificate.path} ({item.certificate.subject})" for item in items)
    return hosts_text(list(shown))


def leaf_certificate_pinning(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """The PIN102 findings for certificate pinning: every pinned bundled certificate is a leaf."""
    for pinning in certificate_pinnings(facts):
        owner = pinning.owner
        if not _enforced(owner) or not pinning.complete:
            continue
        pinned = pinning.pinned
        if not all(certificate_role(item.certificate) == "leaf" for item in pinned):
            continue
        yield Finding(
            "PIN102",
            f"{pinning.what} for {hosts_text(owner.hosts)} pins only end-entity (leaf) certificates "
            f"({_files_text(pinned)}); the pinning breaks at the next certificate renewal: pin an "
            f"intermediate or root CA certificate, with a backup" + variant_note(owner.variant),
            pinning.span,
            subject=(owner.origin, "certificate", *sorted(owner.hosts)),
            severity=variant_severity(ctx, owner.variant),
            related=tuple(dict.fromkeys(item.certificate.span for item in pinned)),
        )


def _last_valid_day(pinning: _Pinning) -> date:
    return max(item.certificate.not_after for item in pinning.pinned)


def pinned_certificate_expiry(
    facts: FactStore, ctx: CheckContext, window_days: int | None
) -> Iterator[Finding]:
    """PIN103 (``window_days`` None) or PIN104 findings: every certificate a pinning names expires.

    A certificate-pinned app fails from the day after the last pinned certificate's not-after date: the
    server can no longer present a chain with it.
    """
    for pinning in certificate_pinnings(facts):
        owner = pinning.owner
        if not _enforced(owner) or not pinning.complete:
            continue
        breaks = _last_valid_day(pinning) + timedelta(days=1)
        names = _files_text(pinning.pinned)
        if window_days is None:
            if breaks > ctx.today:
                continue
            rule_id, subject = "PIN103", "certificate-expired"
            text = (f"every bundled certificate it pins ({names}) expired by {breaks.isoformat()}: the "
                    f"server cannot present them any more, so connections fail; bundle the renewed one")
        else:
            if breaks <= ctx.today or breaks > ctx.today + timedelta(days=window_days):
                continue
            days = (breaks - ctx.today).days
            rule_id, subject = "PIN104", "certificate-expiring"
            plural = "s" if days != 1 else ""
            text = (f"every bundled certificate it pins ({names}) expires by {breaks.isoformat()} (in "
                    f"{days} day{plural}): from then connections fail; ship the renewed one before that")
        yield Finding(
            rule_id,
            f"{pinning.what} for {hosts_text(owner.hosts)}: {text}" + variant_note(owner.variant),
            pinning.span,
            subject=(owner.origin, "certificate", *sorted(owner.hosts), subject),
            severity=variant_severity(ctx, owner.variant),
            related=tuple(dict.fromkeys(item.certificate.span for item in pinning.pinned)),
        )


# --- PIN109 ----------------------------------------------------------------------------------------------


def _pins_to_judge(facts: FactStore) -> Iterator[tuple[PinSet, Pin, str]]:
    seen: set[tuple[str, int, int, str]] = set()
    for pin_set in facts.of(PinSet):
        for pin in pin_set.pins:
            if pin.unresolved or not pin.is_valid:
                continue
            # pins found in a binary share its one place: the value tells them apart
            key = (pin.span.path, pin.span.line, pin.span.col, pin.value)
            canonical = pin.canonical
            if key in seen or canonical is None:
                continue
            seen.add(key)
            yield pin_set, pin, canonical


def public_ca_pin(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """PIN109: a pin (or pinned certificate) that is a public root CA of the Mozilla root store.

    Any certificate that CA or its intermediates issue for the host passes, so the pin narrows trust far
    less than it seems to. The store is read from ``certifi`` only when the scan found pins.
    """
    pins = list(_pins_to_judge(facts))
    pinned_certificates = facts.of(PinnedCertificate)
    if not pins and not pinned_certificates:
        return
    roots = public_root_pins()
    for pin_set, pin, canonical in pins:
        subject = roots.get(canonical)
        if subject is None:
            continue
        yield Finding(
            "PIN109",
            f"pin for {pin_hosts_text(pin_set)} is the key of the public root CA '{subject}': every "
            f"certificate that CA and its intermediates issue for the host passes; pin your own intermediate "
            f"or leaf keys (with a backup) if you mean to narrow trust" + variant_note(pin_set.variant),
            pin.span,
            subject=(pin_set.origin, canonical),
            severity=variant_severity(ctx, pin_set.variant),
            confidence=BINARY_PIN_CONFIDENCE if pin_set.found_in_binary else None,
        )
    seen: set[tuple[Owner, str]] = set()
    for item in pinned_certificates:
        subject = roots.get(item.certificate.spki_sha256)
        if subject is None or (item.owner, item.certificate.spki_sha256) in seen:
            continue
        seen.add((item.owner, item.certificate.spki_sha256))
        yield Finding(
            "PIN109",
            f"pinned certificate {item.certificate.path} for {hosts_text(item.owner.hosts)} is the public "
            f"root CA '{subject}': every certificate that CA issues for the host passes"
            + variant_note(item.owner.variant),
            item.certificate.span,
            subject=(item.owner.origin, item.certificate.spki_sha256),
            severity=variant_severity(ctx, item.owner.variant),
        )


# --- PIN110 ----------------------------------------------------------------------------------------------


def _comparable(pin_set: PinSet) -> set[str] | None:
    """The pin keys of a set that can be compared, or None (leaf lists, certificates, unresolved values)."""
    if pin_set.kind in ("leaf", "certificate") or pin_set.variant or not pin_set.hosts or pin_set.count_unknown:
        return None
    if any(pin.unresolved for pin in pin_set.pins):
        return None
    keys = {pin.key for pin in pin_set.pins if pin.is_valid}
    return keys or None


def pin_mismatch_across_platforms(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """PIN110: one host is pinned by two sources (platforms, or config and code) with no pin in common.

    Sources are compared per host (wildcards compared by their base domain) and per mechanism
    (``platform`` and ``origin``). A finding is reported on each side, pointing at the other.
    """
    sides: dict[str, dict[tuple[str, str], tuple[set[str], PinSet]]] = {}
    for pin_set in sorted(facts.of(PinSet), key=lambda item: item.span):
        keys = _comparable(pin_set)
        if keys is None:
            continue
        for host in pin_set.hosts:
            per_host = sides.setdefault(base_domain(host), {})
            side = (pin_set.platform, pin_set.origin)
            if side in per_host:
                per_host[side][0].update(keys)
            else:
                per_host[side] = (set(keys), pin_set)
    for host, per_host in sorted(sides.items()):
        for side, (keys, pin_set) in sorted(per_host.items()):
            for other_side, (other_keys, other_set) in sorted(per_host.items()):
                if other_side == side or keys & other_keys:
                    continue
                where = f"{other_set.span.path}:{other_set.span.line}"
                yield Finding(
                    "PIN110",
                    f"{host} is pinned by {_what(pin_set)} ({side[0]}) and by {_what(other_set)} "
                    f"({other_side[0]}, {where}) with no pin in common: one list is stale, and the app will "
                    f"refuse the server on one side; keep one set of pins for the host everywhere",
                    pin_set.span,
                    subject=(host, *side, *other_side),
                    related=(other_set.span,),
                )


def _what(pin_set: PinSet) -> str:
    return pin_set.label or pin_set.origin


# --- PIN111 ----------------------------------------------------------------------------------------------


def platform_main_files(facts: FactStore) -> dict[str, str]:
    """Platforms the project ships, each with the file to report on (manifest, Info.plist, else any)."""
    found: dict[str, list[str]] = {}
    for presence in facts.of(PlatformPresence):
        found.setdefault(presence.platform, []).append(presence.span.path)
    fallback: dict[str, str] = {}
    for fact in facts:
        platform = getattr(fact, "platform", None)
        span = getattr(fact, "span", None)
        if platform in MOBILE_PLATFORMS and isinstance(span, Span) and isinstance(platform, str):
            fallback.setdefault(platform, span.path)
    result: dict[str, str] = {}
    for platform in MOBILE_PLATFORMS:
        paths = found.get(platform)
        if paths:
            result[platform] = min(paths, key=lambda path: (_in_test_folder(path), "src/main/" not in path,
                                                            len(PurePosixPath(path).parts), path))
        elif platform in fallback:
            result[platform] = fallback[platform]
    return result


def _applies_to(fact_platform: str, platform: str) -> bool:
    return fact_platform == platform or fact_platform not in MOBILE_PLATFORMS


def pinned_on(facts: FactStore, platform: str, host: str, today: date) -> bool:
    """Whether enforced, unexpired release pinning on ``platform`` covers ``host``."""
    for pin_set in facts.of(PinSet):
        if not pin_set.enforced or pin_set.variant or not _applies_to(pin_set.platform, platform):
            continue
        if pin_set.expiration is not None and pin_set.expiration <= today:
            continue
        if not pin_set.certificates and not any(pin.is_valid or pin.unresolved for pin in pin_set.pins):
            continue
        if any(covers(entry, pin_set.include_subdomains, host) for entry in pin_set.hosts):
            return True
    for anchors in facts.of(TrustAnchors):
        if anchors.variant or not _applies_to(anchors.platform, platform):
            continue
        if not bundled_anchor_sources(anchors):
            continue
        if not anchors.hosts or any(covers(entry, True, host) for entry in anchors.hosts):
            return True
    return False


def unpinned_sensitive_host(facts: FactStore, ctx: CheckContext) -> Iterator[Finding]:
    """PIN111: a host the policy lists in ``sensitive-hosts`` has no enforced pinning on a shipped platform.

    A platform ships when the tree has its main configuration (an Android manifest, an iOS Info.plist) or
    any of its configuration facts; the finding is reported on line 1 of that file.
    """
    entries = [entry for entry in ctx.policy.sensitive_hosts if str(entry).strip()]
    if not entries:
        return
    for platform, path in sorted(platform_main_files(facts).items()):
        for entry in entries:
            if pinned_on(facts, platform, policy_probe(str(entry)), ctx.today):
                continue
            yield Finding(
                "PIN111",
                f"sensitive host {entry} (policy sensitive-hosts) has no enforced pinning on {platform}: any "
                f"CA the device trusts, or one an attacker gets installed, can read its health data in "
                f"transit; pin it in the {platform} configuration",
                Span(path),
                subject=(platform, str(entry)),
            )
