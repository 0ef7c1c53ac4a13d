"""Pins meet certificates: what each pin and each certificate-pinning entry actually pins.

Runs after the platform resolvers, over the whole scan:

1. Sets that pin certificates named in code (Alamofire, AFNetworking) are rewritten with what the tree
   holds: the bundle default (a placeholder entry starting with ``<bundle``) becomes the bundled
   certificate files, so the backup count is real; key pinning fed those certificates gets their SPKI
   pins in place of run-time placeholders.
2. Every well-formed SHA-256 pin is matched against the SPKI of every certificate in the tree and gets a
   ``PinClassification`` (``leaf``, ``intermediate`` or ``root``) per matching certificate.
3. Every certificate a certificate-pinning set names, and every bundled certificate an Android
   ``trust-anchors`` list limited to ``@raw`` resources trusts, becomes a ``PinnedCertificate``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePosixPath

from pinlint.certs.basics import bundled_anchor_sources, certificate_role
from pinlint.model.facts import (
    Certificate,
    FactStore,
    Pin,
    PinClassification,
    PinnedCertificate,
    PinSet,
    TrustAnchors,
)
from pinlint.vocab import testcode

BUNDLE_PLACEHOLDER = "<bundle"
#: Which bundled files each library loads by default (Alamofire ``Bundle.af.certificates``, AFNetworking
#: ``certificatesInBundle:``).
BUNDLE_EXTENSIONS = {
    "alamofire": (".cer", ".crt", ".der"),
    "afnetworking": (".cer",),
}
DEFAULT_BUNDLE_EXTENSIONS = (".cer", ".crt", ".der")


def _is_android_path(path: str) -> bool:
    parts = PurePosixPath(path).parts[:-1]
    return "android" in parts or "res" in parts or ("src" in parts and "main" in parts)


def bundled_certificate_files(certificates: list[Certificate], origin: str) -> list[str]:
    """The certificate files an iOS library would load from the main bundle by default."""
    extensions = BUNDLE_EXTENSIONS.get(origin, DEFAULT_BUNDLE_EXTENSIONS)
    paths = {
        certificate.path for certificate in certificates
        if certificate.path.lower().endswith(extensions)
        and not testcode.is_test_source(certificate.path) and not _is_android_path(certificate.path)
    }
    return sorted(paths)


def _expand_entries(pin_set: PinSet, certificates: list[Certificate]) -> tuple[str, ...] | None:
    """The entries with bundle placeholders replaced by the bundled files; None when there are none."""
    expanded: list[str] = []
    for entry in pin_set.certificates:
        if not entry.startswith(BUNDLE_PLACEHOLDER):
            expanded.append(entry)
            continue
        bundled = bundled_certificate_files(certificates, pin_set.origin)
        if not bundled:
            return None
        expanded.extend(bundled)
    return tuple(dict.fromkeys(expanded))


def _resolve_code_certificates(store: FactStore, certificates: list[Certificate]) -> None:
    """Give certificate-based sets from code their real certificate files, and key pinning its real keys.

    Certificate pinning (``kind == "certificate"``) keeps file entries; key pinning fed certificates
    (Alamofire ``PublicKeysTrustEvaluator``, AFNetworking public-key mode), whose pins are only known at
    run time, gets the SPKI pins of those certificates when every entry is found in the tree.
    """
    for index, fact in enumerate(store.facts):
        if not isinstance(fact, PinSet) or not fact.certificates:
            continue
        expanded = _expand_entries(fact, certificates)
        if expanded is None:
            continue
        if fact.kind == "certificate":
            if expanded != fact.certificates:
                store.facts[index] = replace(fact, certificates=expanded)
            continue
        if not fact.pins or not all(pin.unresolved for pin in fact.pins):
            continue
        found = [certificates_for_reference(entry, certificates) for entry in expanded]
        if not all(found):
            continue
        span = fact.pins[0].span
        keys = dict.fromkeys(certificate.spki_sha256 for group in found for certificate in group)
        pins = tuple(Pin(key, "sha256", span) for key in keys)
        store.facts[index] = replace(fact, pins=pins, certificates=expanded)


def _classify_pins(store: FactStore, by_spki: dict[str, list[Certificate]]) -> None:
    seen: set[tuple[str, str, int]] = set()
    for pin_set in store.of(PinSet):
        for pin in pin_set.pins:
            if pin.unresolved or not pin.is_valid:
                continue
            canonical = pin.canonical
            if canonical is None:
                continue
            for certificate in by_spki.get(canonical, ()):
                key = (canonical, certificate.path, certificate.span.line)
                if key in seen:
                    continue
                seen.add(key)
                store.add(PinClassification(canonical, certificate_role(certificate), certificate))


def reference_names(reference: str) -> list[str]:
    """The file names an entry can mean: the string literals in a code expression, else the entry itself."""
    quoted = re.findall(r'"([^"\\]+)"', reference)
    return quoted or [reference]


def _matches_reference(reference: str, certificate: Certificate) -> bool:
    path = PurePosixPath(certificate.path)
    for name in reference_names(reference):
        wanted = PurePosixPath(name.strip().lstrip("./"))
        if not wanted.name:
            continue
        if wanted.suffix.lower() in (".cer", ".crt", ".der", ".pem"):
            same_file = len(wanted.parts) == 1 or certificate.path.endswith(str(wanted))
            if path.name == wanted.name and same_file:
                return True
        elif path.stem == wanted.name:
            return True
    return False


def certificates_for_reference(reference: str, certificates: list[Certificate]) -> list[Certificate]:
    """The tree's certificates a certificate-pinning entry names (file name, path, or name without suffix)."""
    return [certificate for certificate in certificates if _matches_reference(reference, certificate)]


def raw_resource_certificates(reference: str, certificates: list[Certificate]) -> list[Certificate]:
    """The certificates behind an Android ``@raw/name`` reference (any ``res/raw*`` folder, any extension)."""
    name = reference.split("/", 1)[1] if "/" in reference else reference
    found = []
    for certificate in certificates:
        path = PurePosixPath(certificate.path)
        if path.stem == name and path.parent.name.startswith("raw") and path.parent.parent.name == "res":
            found.append(certificate)
    return found


def _pin_certificates(store: FactStore, certificates: list[Certificate]) -> None:
    for pin_set in store.of(PinSet):
        if pin_set.kind != "certificate":
            continue
        for reference in dict.fromkeys(pin_set.certificates):
            for certificate in certificates_for_reference(reference, certificates):
                store.add(PinnedCertificate(pin_set, reference, certificate))
    for anchors in store.of(TrustAnchors):
        for reference in dict.fromkeys(bundled_anchor_sources(anchors)):
            for certificate in raw_resource_certificates(reference, certificates):
                store.add(PinnedCertificate(anchors, reference, certificate))


def resolve(store: FactStore) -> None:
    certificates = store.of(Certificate)
    if not certificates:
        return
    by_spki: dict[str, list[Certificate]] = {}
    for certificate in certificates:
        by_spki.setdefault(certificate.spki_sha256, []).append(certificate)
    _resolve_code_certificates(store, certificates)
    _classify_pins(store, by_spki)
    _pin_certificates(store, certificates)
