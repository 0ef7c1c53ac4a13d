"""Certificate helpers that need no cryptography library: recognising a DER certificate from its first
bytes, naming a certificate's role.

They run for every scanned file and every pin; the libraries that read certificates load only when a
certificate file is found.
"""

from __future__ import annotations

from pinlint.model.facts import Certificate, TrustAnchors


def role_of(is_ca: bool, self_signed: bool) -> str:
    if not is_ca:
        return "leaf"
    return "root" if self_signed else "intermediate"


def looks_like_der_certificate(data: bytes) -> bool:
    """A DER SEQUENCE holding a SEQUENCE (a certificate's TBSCertificate), both with long-form lengths."""
    if len(data) < 8 or data[0] != 0x30 or data[1] not in (0x81, 0x82, 0x83):
        return False
    offset = 2 + (data[1] - 0x80)
    return data[offset] == 0x30 and data[offset + 1] in (0x81, 0x82, 0x83)


def certificate_role(certificate: Certificate) -> str:
    """``leaf``, ``intermediate`` or ``root`` for a certificate fact."""
    return role_of(certificate.is_ca, certificate.self_signed)


def bundled_anchor_sources(anchors: TrustAnchors) -> list[str]:
    """The ``@raw`` sources of a trust-anchor list that trusts nothing else (certificate pinning), else []."""
    if anchors.debug_only or anchors.by_default or not anchors.sources:
        return []
    if not all(source.src.startswith("@raw/") for source in anchors.sources):
        return []
    return [source.src for source in anchors.sources]
