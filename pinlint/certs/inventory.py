"""The pinning inventory: every pinned host, on every platform, with what each pin is.

One entry per pinning mechanism and host: platform, mechanism, place, kind, each pin with its role
(leaf, intermediate, root, or public root) and certificate subject when the tree or the public root store
tells, expiry, enforcement and backup status. Rendered as text, JSON, Markdown or CSV
(``pinlint.render.inventory``): evidence for a risk analysis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pinlint.certs.basics import bundled_anchor_sources, certificate_role
from pinlint.certs.roots import public_root_pins
from pinlint.model.facts import FactStore, LinkedLibrary, PinClassification, PinnedCertificate, PinSet, TrustAnchors
from pinlint.vocab.libraries import NOTABLE_LIBRARIES

#: The host and status of pins found by their shape in a binary's strings (``PinSet.found_in_binary``).
UNKNOWN_HOST = "(unknown host: pins found in a binary)"
BINARY_STATUS = "unknown (found in a binary's strings)"


@dataclass
class PinEntry:
    value: str
    algorithm: str
    role: str = "unknown"
    subject: str = ""
    #: The not-after date of the bundled certificate this pin or entry names, when the tree holds it.
    not_after: str = ""


@dataclass
class InventoryEntry:
    host: str
    platform: str
    mechanism: str
    file: str
    line: int
    kind: str
    include_subdomains: bool
    pins: list[PinEntry] = field(default_factory=list)
    certificates: list[PinEntry] = field(default_factory=list)
    expiration: str = ""
    status: str = "enforced"
    backup: str = "yes"
    variant: str = ""


def _status(enforced: bool, expiration: date | None, today: date) -> str:
    """``enforced``, ``report-only``, or ``expired``: the platforms stop pinning after the expiration date."""
    expired = expiration is not None and expiration <= today
    if not enforced:
        return "expired (report-only)" if expired else "report-only"
    return "expired (not enforced)" if expired else "enforced"


def _pin_entries(pin_set: PinSet, classified: dict[str, list[PinClassification]],
                 roots: dict[str, str]) -> list[PinEntry]:
    entries = []
    for pin in pin_set.distinct_pins:
        entry = PinEntry(pin.value, pin.algorithm)
        canonical = pin.canonical if pin.is_valid else None
        if pin.unresolved:
            entry.role = "unresolved"
        elif not pin.is_valid:
            entry.role = "invalid"
        elif canonical in classified:
            matches = classified[canonical]
            entry.role = "/".join(sorted({match.role for match in matches}))
            entry.subject = matches[0].certificate.subject
            entry.not_after = min(match.certificate.not_after for match in matches).isoformat()
        elif canonical in roots:
            entry.role, entry.subject = "public root", roots[canonical]
        entries.append(entry)
    return entries


def _certificate_entry(item: PinnedCertificate) -> PinEntry:
    certificate = item.certificate
    return PinEntry(certificate.path, "certificate", certificate_role(certificate), certificate.subject,
                    certificate.not_after.isoformat())


def _backup(count: int) -> str:
    return "yes" if count >= 2 else "missing"


def build_inventory(facts: FactStore, today: date) -> list[InventoryEntry]:
    classified: dict[str, list[PinClassification]] = {}
    for classification in facts.of(PinClassification):
        classified.setdefault(classification.pin, []).append(classification)
    pin_sets = facts.of(PinSet)
    roots = public_root_pins() if any(pin_set.pins for pin_set in pin_sets) else {}
    pinned: dict[object, list[PinnedCertificate]] = {}
    for item in facts.of(PinnedCertificate):
        pinned.setdefault(item.owner, []).append(item)
    entries: list[InventoryEntry] = []
    for pin_set in pin_sets:
        pins = _pin_entries(pin_set, classified, roots)
        certificates = [_certificate_entry(item) for item in pinned.get(pin_set, [])]
        if pin_set.kind == "certificate" and not pin_set.pins:
            count = len(set(pin_set.certificates))
        else:
            count = len(pin_set.valid_distinct_pins)
        if pin_set.found_in_binary:
            hint = f"{pin_set.host_hint} (beside the pins in a binary's strings; not proven)"
            hosts: tuple[str, ...] = (hint if pin_set.host_hint else UNKNOWN_HOST,)
            status, backup = BINARY_STATUS, "unknown"
        else:
            hosts = pin_set.hosts or ("(every host)",)
            status, backup = _status(pin_set.enforced, pin_set.expiration, today), _backup(count)
        for host in hosts:
            entries.append(InventoryEntry(
                host=host, platform=pin_set.platform, mechanism=pin_set.label or pin_set.origin,
                file=pin_set.span.path, line=pin_set.span.line, kind=pin_set.kind,
                include_subdomains=pin_set.include_subdomains, pins=pins, certificates=certificates,
                expiration=pin_set.expiration.isoformat() if pin_set.expiration else "",
                status=status, backup=backup, variant=pin_set.variant or "",
            ))
    for anchors in facts.of(TrustAnchors):
        sources = bundled_anchor_sources(anchors)
        if not sources:
            continue
        certificates = [_certificate_entry(item) for item in pinned.get(anchors, [])]
        certificates = certificates or [PinEntry(source, "certificate") for source in sources]
        for host in anchors.hosts or ("(every host)",):
            entries.append(InventoryEntry(
                host=host, platform=anchors.platform, mechanism="trust anchors (bundled certificates only)",
                file=anchors.span.path, line=anchors.span.line, kind="certificate", include_subdomains=True,
                certificates=certificates, backup=_backup(len(set(sources))), variant=anchors.variant or "",
            ))
    return sorted(entries, key=lambda entry: (entry.host.lower(), entry.platform, entry.file, entry.line))


@dataclass
class LibraryEntry:
    """A pinning or networking library a compiled binary links (``pinlint.vocab.libraries``)."""

    name: str
    what: str
    path: str
    how: str
    file: str


def linked_libraries(facts: FactStore) -> list[LibraryEntry]:
    """The notable libraries each compiled binary of the scan links, once per binary and library."""
    found: dict[tuple[str, str], LibraryEntry] = {}
    for library in facts.of(LinkedLibrary):
        what = NOTABLE_LIBRARIES.get(library.name)
        if what is not None:
            found.setdefault((library.span.path, library.name), LibraryEntry(
                library.name, what, library.path, library.how, library.span.path))
    return sorted(found.values(), key=lambda entry: (entry.name.lower(), entry.file))
