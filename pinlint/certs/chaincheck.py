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

``judge_chain`` adds what every client checks before the pins, and what a team must act on before it
breaks (shared by ``chain-check`` and ``live-check``):

- certificate validation: a leaf issued for another name, a certificate outside its dates, and (with a trust
  store) no valid path to a trusted root make every platform reject, whatever its pins say;
- expiry of the leaf, the intermediates and the pin sets against a warning window;
- backup readiness: each enforced pin set needs a pin that is not in today's chain (a key held in reserve);
- drift against a recorded chain, and servers that send the leaf alone or an incomplete chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from cryptography import x509

from pinlint.certs.drift import RecordedCert, compare
from pinlint.certs.mechanisms import Mechanism, mechanisms_for_host, pinned_certificates_of
from pinlint.certs.trust import chain_shape, dns_names, issuing_root, name_matches, names_text, verify_path
from pinlint.certs.x509info import CertInfo
from pinlint.model.facts import Certificate, FactStore, PinSet, PlatformPresence, Span

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

    @property
    def pinned(self) -> bool:
        """Whether any pinning covers the host here (else the system trust store alone decides)."""
        return any(verdict.mechanism != VALIDATION for verdict in self.verdicts)


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
    pins = {pin.canonical for pin in pin_set.pins if pin.is_valid and not pin.unresolved}
    for info in candidates:
        if info.spki_sha256 in pins:
            return ACCEPT, f"pin {info.spki_sha256} matches the {_describe(info)}"
    if any(pin.unresolved for pin in pin_set.pins):
        return UNKNOWN, "some pins are only known at build or run time"
    return REJECT, f"no {scope} key in the chain is among the {len(pins)} pin(s)"


def _issued_by(top: CertInfo, anchor: Certificate) -> bool:
    """Whether the anchor issued ``top``: its signature when the anchor's encoding is known, else the names."""
    if anchor.subject != top.issuer:
        return False
    if not anchor.der:
        return True
    try:
        issuer = x509.load_der_x509_certificate(anchor.der)
    except ValueError:
        return True
    try:
        top.certificate.verify_directly_issued_by(issuer)
    except Exception:  # wrong signature or unsupported algorithm: not issued by this anchor
        return False
    return True


def _judge_anchors(mechanism: Mechanism, chain: list[CertInfo], facts: FactStore) -> tuple[str, str, str]:
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
        if _issued_by(top, item.certificate):
            reason = f"the chain ends in {top.subject}, issued by anchor {item.certificate.subject}"
            return ACCEPT, location, reason
    return REJECT, location, "the chain does not lead to any bundled trust anchor"


def check_chain(facts: FactStore, host: str, chain: list[CertInfo], today: date) -> list[PlatformResult]:
    """Each platform's verdict on ``chain`` for ``host``."""
    ordered = order_chain(chain)
    results: dict[str, PlatformResult] = {}
    for mechanism in mechanisms_for_host(facts, host):
        result = results.setdefault(mechanism.platform, PlatformResult(mechanism.platform))
        if mechanism.anchors is not None:
            outcome, location, reason = _judge_anchors(mechanism, ordered, facts)
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


# The whole judgement: validation before pins, expiry, backup readiness, drift and chain shape.

#: Problem kinds and the severity each carries (``--fail-on`` compares against it).
SEVERITY_OF = {
    "platform-rejects": "high",
    "name-mismatch": "high",
    "leaf-expired": "high",
    "chain-untrusted": "high",
    "leaf-expiring": "medium",
    "intermediate-expiring": "medium",
    "pin-set-expired": "medium",
    "pin-set-expiring": "medium",
    "no-backup": "medium",
    "drift": "medium",
    "leaf-alone": "medium",
    "chain-incomplete": "medium",
    "unreachable": "info",
    "chain-unread": "info",
}

#: Problem kinds that make every client refuse the chain, whatever its pins say.
BLOCKING = frozenset({"name-mismatch", "leaf-expired", "chain-untrusted"})

#: The mechanism name of the verdict that stands for the platform's own certificate validation.
VALIDATION = "certificate validation"


@dataclass(frozen=True)
class Problem:
    """Something about a host's chain a team has to act on. ``span`` is the pin set it concerns, if any."""

    kind: str
    message: str
    platform: str = ""
    span: Span | None = None

    @property
    def severity(self) -> str:
        return SEVERITY_OF[self.kind]


@dataclass(frozen=True)
class BackupStatus:
    """One pin set's keys against the chain: the pins the chain holds, and those held in reserve."""

    platform: str
    mechanism: str
    pin_set: PinSet
    in_chain: tuple[str, ...]
    reserve: tuple[str, ...]

    @property
    def ready(self) -> bool:
        """A pin matches today's chain and another is held in reserve; a set nothing matches is not ready."""
        return bool(self.in_chain) and bool(self.reserve)


@dataclass
class ChainJudgement:
    """Everything pinlint says about one chain for one host."""

    host: str
    chain: list[CertInfo]
    platforms: list[PlatformResult]
    name_matches: bool
    chain_valid: bool | None
    trust_reason: str
    leaf_days_left: int
    backups: list[BackupStatus] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def backup_ready(self) -> bool | None:
        """True when every pin set holds a key in reserve, None when no pin set could be judged."""
        if not self.backups:
            return None
        return all(status.ready for status in self.backups)

    @property
    def rejected(self) -> list[str]:
        return [result.platform for result in self.platforms if result.outcome == REJECT]

    @property
    def blocking(self) -> list[Problem]:
        """The problems that make every client refuse the chain before any pin: the leaf's name, its dates,
        no path to a trusted root."""
        return [problem for problem in self.problems if problem.kind in BLOCKING]

    @property
    def accepted(self) -> bool:
        """Whether deploying this chain is safe: every platform accepts it and nothing blocks it."""
        return not self.rejected and not self.blocking


def _validation_failures(chain: list[CertInfo], host: str, today: date, name_ok: bool,
                         untrusted: str | None) -> list[str]:
    reasons: list[str] = []
    if not name_ok:
        reasons.append(f"the leaf is issued for {names_text(chain[0])}, not {host}")
    for info in chain:
        if info.not_after < today:
            reasons.append(f"the {_describe(info)} expired on {info.not_after.isoformat()}")
        elif info.not_before > today:
            reasons.append(f"the {_describe(info)} is not valid before {info.not_before.isoformat()}")
    if untrusted:
        reasons.append(f"not trusted: {untrusted}")
    return reasons


def _pins_of(pin_set: PinSet) -> list[str]:
    found: list[str] = []
    for pin in pin_set.valid_distinct_pins:
        value = pin.canonical if pin.is_valid and not pin.unresolved else None
        if value and value not in found:
            found.append(value)
    return found


def _backup(mechanism: Mechanism, pin_set: PinSet, chain: list[CertInfo], facts: FactStore) -> BackupStatus | None:
    if pin_set.kind == "certificate" and not pin_set.pins:
        present = {info.sha256_fingerprint for info in chain}
        pinned = [item.certificate for item in pinned_certificates_of(facts, pin_set)]
        if not pinned:
            return None
        return BackupStatus(mechanism.platform, pin_set.label or mechanism.origin, pin_set,
                            tuple(c.spki_sha256 for c in pinned if c.sha256_fingerprint in present),
                            tuple(c.spki_sha256 for c in pinned if c.sha256_fingerprint not in present))
    if any(pin.unresolved for pin in pin_set.pins):
        return None
    pins = _pins_of(pin_set)
    if not pins:
        return None
    keys = {info.spki_sha256 for info in chain}
    return BackupStatus(mechanism.platform, pin_set.label or mechanism.origin, pin_set,
                        tuple(pin for pin in pins if pin in keys), tuple(pin for pin in pins if pin not in keys))


def _set_name(status: BackupStatus) -> str:
    kind = status.pin_set.kind
    return status.mechanism + (f" ({kind} identities)" if kind in ("ca", "leaf") else "")


def judge_chain(
    facts: FactStore,
    host: str,
    chain: list[CertInfo],
    today: date,
    *,
    warn_days: int = 30,
    roots: list[CertInfo] | None = None,
    moment: datetime | None = None,
    recorded: list[RecordedCert] | None = None,
) -> ChainJudgement:
    """Would each platform accept ``chain`` for ``host``, and what needs attention before it breaks?

    ``roots`` is the trust store (None: trust is not judged, only names and dates); ``recorded`` the chain
    recorded for the host earlier (drift).
    Pins are matched against the presented chain plus the store root that issued its top certificate,
    as the platforms match them against the verified path.
    """
    presented = order_chain(chain)
    leaf = presented[0]
    path = list(presented)
    if roots is not None:
        top_root = issuing_root(presented[-1], roots) if not presented[-1].self_signed else None
        if top_root is not None and all(top_root.spki_sha256 != info.spki_sha256 for info in path):
            path.append(top_root)
    name_ok = name_matches(leaf, host)
    chain_valid: bool | None = None
    trust_reason = "trust not judged (no trust store given)"
    untrusted: str | None = None
    if roots is not None:
        at = moment or datetime.combine(today, time(12), timezone.utc)
        verdict = verify_path(host, presented, roots, at)
        chain_valid, trust_reason = verdict.valid, verdict.reason
        if not verdict.valid:
            alias = (dns_names(leaf) or [host])[0].replace("*", "wildcard")
            untrusted_alone = verify_path(alias, presented, roots, at) if not name_ok else verdict
            if not untrusted_alone.valid:
                untrusted = untrusted_alone.reason
    platforms = check_chain(facts, host, path, today)
    failures = _validation_failures(path if roots is not None else presented, host, today, name_ok, untrusted)
    if failures:
        for result in platforms:
            bundled = any(v.mechanism == "android-trust-anchors" for v in result.verdicts)
            reasons = [r for r in failures if not (bundled and r.startswith("not trusted"))]
            if reasons:
                result.verdicts.insert(0, Verdict(result.platform, VALIDATION, "", REJECT, "; ".join(reasons)))
    judgement = ChainJudgement(host, presented, platforms, name_ok, chain_valid, trust_reason,
                               (leaf.not_after - today).days)
    _collect(judgement, facts, path, today, warn_days, untrusted, roots, recorded)
    return judgement


def _collect(judgement: ChainJudgement, facts: FactStore, path: list[CertInfo], today: date, warn_days: int,
             untrusted: str | None, roots: list[CertInfo] | None, recorded: list[RecordedCert] | None) -> None:
    problems = judgement.problems
    host, leaf = judgement.host, judgement.chain[0]
    if not judgement.name_matches:
        problems.append(Problem("name-mismatch", f"the leaf is issued for {names_text(leaf)}, not {host}"))
    if judgement.leaf_days_left < 0:
        problems.append(Problem("leaf-expired", f"the leaf expired on {leaf.not_after.isoformat()}"))
    elif judgement.leaf_days_left <= warn_days:
        problems.append(Problem("leaf-expiring", f"the leaf expires on {leaf.not_after.isoformat()}, in "
                                                 f"{judgement.leaf_days_left} day(s)"))
    for info in judgement.chain[1:]:
        days = (info.not_after - today).days
        if days <= warn_days:
            state = "expired" if days < 0 else f"expires in {days} day(s)"
            problems.append(Problem("intermediate-expiring", f"the {_describe(info)} {state} "
                                                             f"({info.not_after.isoformat()})"))
    if untrusted:
        problems.append(Problem("chain-untrusted", f"the chain is not valid against the trust store: {untrusted}"))
    shape = chain_shape(judgement.chain, roots)
    if shape is not None:
        problems.append(Problem(shape[0], shape[1]))
    statuses: dict[str, list[BackupStatus]] = {}
    seen: set[int] = set()
    for mechanism in mechanisms_for_host(facts, host):
        for pin_set in mechanism.pin_sets:
            if id(pin_set) in seen:
                continue
            seen.add(id(pin_set))
            expiring = _expiry_problem(mechanism.platform, pin_set, today, warn_days)
            if expiring is not None:
                problems.append(expiring)
            if not pin_set.enforced or (pin_set.expiration is not None and pin_set.expiration <= today):
                continue
            status = _backup(mechanism, pin_set, path, facts)
            if status is not None:
                judgement.backups.append(status)
                statuses.setdefault(status.platform, []).append(status)
    for result in judgement.platforms:
        if result.outcome == REJECT:
            problems.append(Problem("platform-rejects", _rejection(result, statuses.get(result.platform, []), path),
                                    result.platform, _first_span(result, statuses.get(result.platform, []))))
    for status in judgement.backups:
        if status.in_chain and not status.ready:
            problems.append(Problem(
                "no-backup", f"{status.platform} {_set_name(status)}: every pin is in today's chain "
                             f"({len(status.in_chain)} pin(s)), none held in reserve: one key change is an outage",
                status.platform, status.pin_set.span))
    if recorded:
        judgement.drift.extend(compare(recorded, judgement.chain))
        for change in judgement.drift:
            problems.append(Problem("drift", f"the chain changed since the baseline: {change}"))


def _expiry_problem(platform: str, pin_set: PinSet, today: date, warn_days: int) -> Problem | None:
    if pin_set.expiration is None or not pin_set.enforced:
        return None
    days = (pin_set.expiration - today).days
    where = pin_set.expiration_span or pin_set.span
    if days <= 0:
        return Problem("pin-set-expired", f"{platform} pin set expired on {pin_set.expiration.isoformat()}: "
                                          "pinning is off for this host", platform, where)
    if days <= warn_days:
        return Problem("pin-set-expiring", f"{platform} pin set expires on {pin_set.expiration.isoformat()}, in "
                                           f"{days} day(s): pinning then stops", platform, where)
    return None


def _rejection(result: PlatformResult, statuses: list[BackupStatus], chain: list[CertInfo]) -> str:
    reasons = [f"{v.mechanism}: {v.reason}" for v in result.verdicts if v.outcome == REJECT]
    text = f"{result.platform} would reject the chain: " + "; ".join(reasons)
    unmatched = [pin for status in statuses if not status.in_chain for pin in status.reserve]
    if unmatched and all(v.mechanism != VALIDATION for v in result.verdicts if v.outcome == REJECT):
        keys = ", ".join(f"{info.subject} key {info.spki_sha256}" for info in chain if info.is_ca) or "none"
        text += (f"; none of the pins ({', '.join(dict.fromkeys(unmatched))}) is for a CA key now presented "
                 f"({keys}): the backup was not for that key")
    return text


def _first_span(result: PlatformResult, statuses: list[BackupStatus]) -> Span | None:
    for status in statuses:
        if not status.in_chain:
            return status.pin_set.span
    return statuses[0].pin_set.span if statuses else None
