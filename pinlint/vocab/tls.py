"""TLS and SSL protocol versions: one type, whatever spelling a platform or API writes.

Configs and code name versions in many ways (``TLSv1.1``, ``TLSv11``, ``1.1``, ``tls_1_1``, ``TLS1.1``,
``SSLv3``...). ``tls_version`` reads any of them into a ``TlsVersion``, which orders by age, so "below
TLS 1.2" means one thing everywhere (CLR204). API identifiers (``SslProtocols.Tls11``,
``kTLSProtocol11``) stay in the front ends' own tables, which name the version in its canonical form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class TlsVersion:
    """A protocol version; ``rank`` orders them (higher is newer), ``name`` is the canonical spelling."""

    rank: int
    name: str

    def __str__(self) -> str:
        return self.name


SSL2 = TlsVersion(0, "SSLv2")
SSL3 = TlsVersion(1, "SSLv3")
TLS10 = TlsVersion(2, "TLSv1.0")
TLS11 = TlsVersion(3, "TLSv1.1")
TLS12 = TlsVersion(4, "TLSv1.2")
TLS13 = TlsVersion(5, "TLSv1.3")

_BY_NUMBER = {("ssl", "2"): SSL2, ("ssl", "3"): SSL3, ("tls", "10"): TLS10, ("tls", "11"): TLS11,
              ("tls", "12"): TLS12, ("tls", "13"): TLS13}
#: ``SSLv3``, ``TLSv1.1``, ``TLS1.1``, ``TLSv11``, ``tls_1_1``, ``TLSv1_1``, ``TLSv1``, ``TLS1``, bare ``1.1``.
_SPELLING = re.compile(r"(?:(?P<family>ssl|tls)[_v]?)?(?P<major>\d)(?:[._]?(?P<minor>\d))?")


def tls_version(text: str) -> TlsVersion | None:
    """The version ``text`` names (case and spaces ignored), or None when it names none (or several)."""
    spelled = text.strip().lower().replace(" ", "")
    if spelled == "ssl":
        return SSL3  # a bare "SSL" protocol asks for SSL 3 or older
    match = _SPELLING.fullmatch(spelled)
    if match is None:
        return None
    family, major, minor = match.group("family"), match.group("major"), match.group("minor")
    if family is None:
        if minor is None or "." not in spelled:
            return None  # a bare number is a version only as ``1.0``/``1.1``/``1.2``/``1.3``
        family = "tls"
    if family == "ssl":
        return _BY_NUMBER.get(("ssl", major)) if minor in (None, "0") and "_" not in spelled else None
    return _BY_NUMBER.get(("tls", major + (minor or "0")))


def spelling_of(version: TlsVersion, written: str) -> str:
    """``written`` when it is not the version's canonical name (``TLSv1``), else empty (``TlsFloor.spelling``)."""
    return "" if written == version.name else written
