"""Certificate helpers that need no cryptography library: recognising a DER certificate from its first
bytes, writing a pin canonically, naming a certificate's role.

They run for every scanned file and every pin; the libraries that read certificates load only when a
certificate file is found.
"""

from __future__ import annotations

import base64


def role_of(is_ca: bool, self_signed: bool) -> str:
    if not is_ca:
        return "leaf"
    return "root" if self_signed else "intermediate"


def canonical_pin(value: str) -> str | None:
    """A pin's base64 written canonically (no inner whitespace), or None when it is not base64."""
    try:
        digest = base64.b64decode("".join(value.split()), validate=True)
    except ValueError:
        return None
    return base64.b64encode(digest).decode("ascii")


def looks_like_der_certificate(data: bytes) -> bool:
    """A DER SEQUENCE holding a SEQUENCE (a certificate's TBSCertificate), both with long-form lengths."""
    if len(data) < 8 or data[0] != 0x30 or data[1] not in (0x81, 0x82, 0x83):
        return False
    offset = 2 + (data[1] - 0x80)
    return data[offset] == 0x30 and data[offset + 1] in (0x81, 0x82, 0x83)
