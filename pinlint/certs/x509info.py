"""Reading X.509 certificates from bytes and describing them: subject, issuer, role, dates, SPKI pin.

``read_certificates`` accepts one or many PEM certificates (explanatory text around them is allowed, as
RFC 7468 permits), a DER certificate, a PKCS#7 bundle (PEM or DER) or an unencrypted PKCS#12 file. It
never raises for bad input: it returns what it could read and says why the rest failed.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, pkcs7, pkcs12

from pinlint.certs.basics import looks_like_der_certificate, role_of

#: PEM armour labels that hold a certificate (RFC 7468, plus OpenSSL's trusted-certificate form).
CERTIFICATE_LABELS = ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE")
PKCS7_LABELS = ("PKCS7", "PKCS #7 SIGNED DATA", "CMS")

PEM_BLOCK = re.compile(
    rb"-----BEGIN (?P<label>[A-Z0-9 #]+)-----(?P<body>.*?)-----END (?P=label)-----", re.DOTALL
)
_PEM_BEGIN = re.compile(rb"-----BEGIN (?P<label>[A-Z0-9 #]+)-----")
_PEM_END = re.compile(rb"-----END (?P<label>[A-Z0-9 #]+)-----")


def pem_blocks(data: bytes) -> Iterator[tuple[bytes, int, int]]:
    """(label, start, end) of each ``BEGIN``/``END`` block, as ``PEM_BLOCK.finditer`` finds them.

    The ``END`` lines are indexed first, so thousands of unclosed ``BEGIN`` lines cost linear time (the
    regular expression rescans the rest of the file for each one).
    """
    ends: dict[bytes, list[int]] = {}
    for match in _PEM_END.finditer(data):
        ends.setdefault(match.group("label"), []).append(match.start())
    position = 0
    while True:
        begin = _PEM_BEGIN.search(data, position)
        if begin is None:
            return
        label = begin.group("label")
        closing = ends.get(label, [])
        index = bisect.bisect_left(closing, begin.end())
        if index == len(closing):
            position = begin.start() + 1
            continue
        end = closing[index] + len(b"-----END -----") + len(label)
        yield label, begin.start(), end
        position = end


class LineIndex:
    """Line numbers of byte offsets, in logarithmic time (counting newlines per offset is quadratic)."""

    def __init__(self, data: bytes) -> None:
        self.starts = [match.end() for match in re.finditer(rb"\n", data)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) + 1


@dataclass(frozen=True)
class CertInfo:
    """One certificate, described. ``line`` is where it starts in its file (1-based)."""

    certificate: x509.Certificate = field(repr=False, compare=False)
    subject: str
    issuer: str
    is_ca: bool
    self_signed: bool
    not_before: date
    not_after: date
    spki_sha256: str
    sha256_fingerprint: str
    line: int = 1

    @property
    def role(self) -> str:
        """``root`` (self-signed CA), ``intermediate`` (CA, not self-signed) or ``leaf`` (not a CA)."""
        return role_of(self.is_ca, self.self_signed)

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(Encoding.DER)


@dataclass
class ReadResult:
    """The certificates read from one file and, when something looked like a certificate but was not, why."""

    certificates: list[CertInfo] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    #: Certificates that parse but cannot be described (an unsupported key algorithm): not broken files.
    unsupported: list[tuple[int, str]] = field(default_factory=list)


def spki_pin(certificate: x509.Certificate) -> str:
    """base64 of SHA-256 over the DER SubjectPublicKeyInfo: the pin every platform expects."""
    spki = certificate.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        # X.509 v1 certificates have no extensions; the old v1 roots are self-issued CAs.
        return certificate.version == x509.Version.v1 and certificate.subject == certificate.issuer
    except ValueError:
        return False
    return bool(constraints.ca)


def _self_signed(certificate: x509.Certificate) -> bool:
    if certificate.subject != certificate.issuer:
        return False
    try:
        certificate.verify_directly_issued_by(certificate)
    except Exception:  # unsupported algorithms or a bad signature: self-issued but not self-signed
        return False
    return True


def _name(name: x509.Name) -> str:
    try:
        return name.rfc4514_string()
    except ValueError:
        return "<unreadable name>"


def describe(certificate: x509.Certificate, line: int = 1) -> CertInfo:
    return CertInfo(
        certificate=certificate,
        subject=_name(certificate.subject),
        issuer=_name(certificate.issuer),
        is_ca=_is_ca(certificate),
        self_signed=_self_signed(certificate),
        not_before=certificate.not_valid_before_utc.date(),
        not_after=certificate.not_valid_after_utc.date(),
        spki_sha256=spki_pin(certificate),
        sha256_fingerprint=certificate.fingerprint(hashes.SHA256()).hex(":").upper(),
        line=line,
    )


def line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _describe_all(certificates: list[x509.Certificate], line: int, result: ReadResult) -> None:
    for certificate in certificates:
        try:
            result.certificates.append(describe(certificate, line))
        except Exception as error:  # odd keys or dates: say so instead of failing the file
            result.unsupported.append((line, f"certificate cannot be described: {error}"))


def read_pem(data: bytes) -> ReadResult:
    with warnings.catch_warnings():
        # Old roots with non-positive serial numbers load with a deprecation warning: not the user's concern.
        warnings.simplefilter("ignore")
        return _read_pem(data)


def _read_pem(data: bytes) -> ReadResult:
    result = ReadResult()
    lines = LineIndex(data)
    for raw_label, start, end in pem_blocks(data):
        label = raw_label.decode("ascii")
        line = lines.line(start)
        block = data[start:end]
        if label == "TRUSTED CERTIFICATE":
            block = block.replace(b"TRUSTED CERTIFICATE", b"CERTIFICATE")
        if label in CERTIFICATE_LABELS:
            try:
                _describe_all([x509.load_pem_x509_certificate(block)], line, result)
            except ValueError:
                result.problems.append((line, "PEM certificate block does not hold a valid certificate"))
        elif label in PKCS7_LABELS:
            try:
                _describe_all(pkcs7.load_pem_pkcs7_certificates(block), line, result)
            except ValueError:
                result.problems.append((line, "PEM PKCS#7 block does not hold certificates"))
    return result


def read_der(data: bytes) -> ReadResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read_der(data)


def _read_der(data: bytes) -> ReadResult:
    result = ReadResult()
    try:
        _describe_all([x509.load_der_x509_certificate(data)], 1, result)
        return result
    except ValueError:
        pass
    try:
        _describe_all(pkcs7.load_der_pkcs7_certificates(data), 1, result)
        return result
    except ValueError:
        pass
    if looks_like_der_certificate(data):
        result.problems.append((1, "DER data that looks like a certificate does not parse"))
    return result


class PKCS12Refused(ValueError):
    """A PKCS#12 file whose key derivations would cost too much to open (``pkcs12_cost``)."""


def read_pkcs12_unencrypted(data: bytes) -> tuple[bool, list[CertInfo], object | None]:
    """Try PKCS#12 with no password and with an empty one: (opened, certificates, private key or None).

    Raises ``PKCS12Refused`` before OpenSSL sees a file that asks for more key-derivation work than
    ``pkcs12_cost`` allows (OpenSSL's work cannot be interrupted).
    """
    from pinlint.certs.pkcs12_cost import refusal

    refused = refusal(data)
    if refused is not None:
        raise PKCS12Refused(refused)
    for password in (None, b""):
        try:
            key, certificate, extra = pkcs12.load_key_and_certificates(data, password)
        except (ValueError, TypeError):
            continue
        result = ReadResult()
        _describe_all([c for c in (certificate, *extra) if c is not None], 1, result)
        return True, result.certificates, key
    return False, [], None


def read_certificates(data: bytes) -> ReadResult:
    """Every certificate in ``data``: PEM (one or many, or PKCS#7), else DER certificate or PKCS#7."""
    if b"-----BEGIN " in data:
        return read_pem(data)
    return read_der(data)
