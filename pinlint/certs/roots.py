"""The public root CAs of the Mozilla root store, as pins, read from ``certifi`` when first needed.

No hash is copied into pinlint: the store is the one installed with ``certifi``, read lazily (only when a
scan has pins to compare) and cached for the rest of the process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pinlint.certs.x509info import CertInfo


@cache
def public_root_pins() -> dict[str, str]:
    """SPKI SHA-256 pin -> subject of every root in the Mozilla store; empty if certifi is unavailable."""
    from pinlint.certs.x509info import read_pem  # cryptography, only when pins are compared

    try:
        import certifi

        data = Path(certifi.where()).read_bytes()
    except (ImportError, OSError):
        return {}
    return {info.spki_sha256: info.subject for info in read_pem(data).certificates}


@cache
def public_roots() -> tuple[CertInfo, ...]:
    """Every root of the Mozilla store as installed with ``certifi`` (the default trust store of live-check)."""
    from pinlint.certs.x509info import read_pem

    try:
        import certifi

        data = Path(certifi.where()).read_bytes()
    except (ImportError, OSError):
        return ()
    return tuple(read_pem(data).certificates)
