"""The rotation rehearsal: would each platform's pinning accept this certificate chain for this host?

The chain is the one the server will present (leaf first; the root may be included). For each pinning
mechanism that covers the host, after inheritance and most-specific-domain selection:

- report-only pinning and pin sets whose expiration date is on or before today accept (pinning is off);
- ``any`` sets (Android, TrustKit, OkHttp...) accept when any chain certificate's key is pinned;
- ``NSPinnedCAIdentities`` needs a CA certificate of the chain, ``NSPinnedLeafIdentities`` the leaf; when a
  host has both lists, both must match;
- certificate pinning accepts when a chain certificate is one of the pinned certificates;
- Android trust anchors limited to bundled certificates accept when the chain contains an anchor or
  ends in a certificate an anchor issued;
- pins only known at run time make the answer unknown, never a rejection.

A platform rejects when any of its mechanisms rejects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pinlint.certs.basics import canonical_pin
from pinlint.certs.mechanisms import Mechanism, mechanisms_for_host, pinned_certificates_of
from pinlint.certs.x509info import CertInfo, read_certificates
from pinlint.model.facts import Certificate, FactStore, PinSet, PlatformPresence

ACCEPT, REJECT, UNKNOWN = "accept", "reject", "unknown"


@dataclass(frozen=True)
class Verdict:
    platform: str
    mechanism: str
    location: str
    outcome: str
    reason: str


@dataclass
class PlatformResult:
    platform: str
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        outcomes = {verdict.outcome for verdict in self.verdicts}
        if REJECT in outcomes:
            return REJECT
        if UNKNOWN in outcomes:
            return UNKNOWN
        return ACCEPT


def order_chain(certificates: list[CertInfo]) -> list[CertInfo]:
    """Leaf first: the first certificate that is not a CA moves to the front, the rest keep their order."""
    for index, info in enumerate(certificates):
        if not info.is_ca:
            return [info, *certificates[:index], *certificates[index + 1:]]
    return list(certificates)


def _location(pin_set: PinSet) -> str:
    return f"{pin_set.span.path}:{pin_set.span.line}"


def _describe(info: CertInfo) -> str:
    return f"{info.role} {info.subject}"


def _judge_set(pin_set: PinSet, chain: list[CertInfo], facts: FactStore, today: date) -> tuple[str, str]:
    if not pin_set.enforced:
        return ACCEPT, "report-only: a mismatch is only reported"
    if pin_set.expiration is not None and pin_set.expiration <= today:
        return ACCEPT, f"pin set expired on {pin_set.expiration.isoformat()}: pinning is off"
    if pin_set.kind == "certificate" and not pin_set.pins:
        pinned = pinned_certificates_of(facts, pin_set)
        if not pinned:
            return UNKNOWN, "the pinned certificate files were not found in the tree"
        fingerprints = {item.certificate.sha256_fingerprint for item in pinned}
        for info in chain:
            if info.sha256_fingerprint in fingerprints:
                return ACCEPT, f"pinned certificate matches the {_describe(info)}"
        return REJECT, f"none of the {len(fingerprints)} pinned certificate(s) is in the chain"
    if pin_set.kind == "leaf":
        candidates, scope = chain[:1], "leaf"
    elif pin_set.kind == "ca":
        candidates, scope = [info for info in chain if info.is_ca] or chain[1:], "CA"
    else:
        candidates, scope = chain, "chain"
    pins = {canonical_pin(pin.value) for pin in pin_set.pins if pin.is_valid and not pin.unresolved}
    for info in candidates:
        if info.spki_sha256 in pins:
            return ACCEPT, f"pin {info.spki_sha256} matches the {_describe(info)}"
    if any(pin.unresolved for pin in pin_set.pins):
        return UNKNOWN, "some pins are only known at build or run time"
    return REJECT, f"no {scope} key in the chain is among the {len(pins)} pin(s)"


def _issued_by(top: CertInfo, anchor: Certificate, root: Path | None) -> bool:
    """Whether the anchor issued ``top``: its signature when the anchor file can be read, else the names."""
    if anchor.subject != top.issuer:
        return False
    if root is None:
        return True
    try:
        data = (root / anchor.path).read_bytes()
    except OSError:
        return True
    for info in read_certificates(data).certificates:
        if info.spki_sha256 == anchor.spki_sha256:
            try:
                top.certificate.verify_directly_issued_by(info.certificate)
            except Exception:  # wrong signature or unsupported algorithm: not issued by this anchor
                return False
            return True
    return True


def _judge_anchors(
    mechanism: Mechanism, chain: list[CertInfo], facts: FactStore, root: Path | None
) -> tuple[str, str, str]:
    anchors = mechanism.anchors
    assert anchors is not None
    location = f"{anchors.span.path}:{anchors.span.line}"
    pinned = pinned_certificates_of(facts, anchors)
    if not pinned:
        return UNKNOWN, location, "the bundled anchor certificates were not found in the tree"
    keys = {item.certificate.spki_sha256: item.certificate for item in pinned}
    for info in chain:
        if info.spki_sha256 in keys:
            return ACCEPT, location, f"the {_describe(info)} is a bundled trust anchor"
    top = chain[-1]
    for item in pinned:
        if _issued_by(top, item.certificate, root):
            reason = f"the chain ends in {top.subject}, issued by anchor {item.certificate.subject}"
            return ACCEPT, location, reason
    return REJECT, location, "the chain does not lead to any bundled trust anchor"


def check_chain(
    facts: FactStore, host: str, chain: list[CertInfo], today: date, root: Path | None = None
) -> list[PlatformResult]:
    """Each platform's verdict on ``chain`` for ``host``; ``root`` is the scanned folder (to read anchors)."""
    ordered = order_chain(chain)
    results: dict[str, PlatformResult] = {}
    for mechanism in mechanisms_for_host(facts, host):
        result = results.setdefault(mechanism.platform, PlatformResult(mechanism.platform))
        if mechanism.anchors is not None:
            outcome, location, reason = _judge_anchors(mechanism, ordered, facts, root)
            result.verdicts.append(Verdict(mechanism.platform, mechanism.origin, location, outcome, reason))
            continue
        for pin_set in mechanism.pin_sets:
            outcome, reason = _judge_set(pin_set, ordered, facts, today)
            name = pin_set.label or mechanism.origin
            if pin_set.kind in ("ca", "leaf"):
                name += f" ({pin_set.kind} identities)"
            result.verdicts.append(Verdict(mechanism.platform, name, _location(pin_set), outcome, reason))
    for presence in facts.of(PlatformPresence):
        results.setdefault(presence.platform, PlatformResult(presence.platform))
    return [results[name] for name in sorted(results)]
