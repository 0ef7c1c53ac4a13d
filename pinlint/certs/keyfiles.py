"""What ``pinlint pins`` can pin: certificates, and keys that are not (yet) in a certificate.

A backup pin is usually the key of a certificate that does not exist yet: a key pair generated offline,
or the certificate signing request made from it. So besides certificates (``x509info``) this module reads

- public keys: PEM ``PUBLIC KEY`` (SubjectPublicKeyInfo) and ``RSA PUBLIC KEY`` (PKCS#1), or DER SPKI;
- certificate signing requests: PEM ``CERTIFICATE REQUEST`` / ``NEW CERTIFICATE REQUEST``, or DER;
- private keys: PEM (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8 with a password) or DER; only the pin of the
  public half leaves this module, never any private material;
- PKCS#12 files, with a password when they have one: their certificates, else their key's public half.

Every pin is base64 of SHA-256 over the DER SubjectPublicKeyInfo, the form every platform pins.
"""

from __future__ import annotations

import base64
import hashlib
import warnings
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_der_private_key,
    load_der_public_key,
    load_pem_private_key,
    load_pem_public_key,
    pkcs12,
)

from pinlint.certs.x509info import CertInfo, LineIndex, pem_blocks, read_certificates

PUBLIC_KEY_LABELS = ("PUBLIC KEY", "RSA PUBLIC KEY")
REQUEST_LABELS = ("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST")
PRIVATE_KEY_LABELS = ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY")


class KeyFileError(Exception):
    """A file ``pins`` cannot read: the message is one line (and never holds key material)."""


@dataclass(frozen=True)
class KeyInfo:
    """A key to pin that is not a certificate: a public key, a CSR's key, a private key's public half.

    It has the attributes the snippets use from a certificate (``subject``, ``is_ca``, ``role``,
    ``spki_sha256``); ``kind`` says what was read.
    """

    kind: str  # "public key" | "certificate request" | "private key"
    subject: str
    spki_sha256: str
    line: int = 1
    is_ca: bool = False

    @property
    def role(self) -> str:
        return "key (no certificate yet)" if self.kind != "certificate request" else "certificate request"


Pinnable = CertInfo | KeyInfo


def spki_pin_of_key(public_key: object) -> str:
    """The SPKI SHA-256 pin (base64) of a public key object."""
    spki = public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)  # type: ignore[attr-defined]
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


def _key_name(public_key: object) -> str:
    size = getattr(public_key, "key_size", None)
    curve = getattr(getattr(public_key, "curve", None), "name", None)
    algorithm = type(public_key).__name__.removeprefix("_").replace("PublicKey", "")
    detail = f" {curve}" if curve else (f" {size}-bit" if size else "")
    return f"{algorithm}{detail} key"


def _request_info(request: x509.CertificateSigningRequest, line: int) -> KeyInfo:
    try:
        subject = request.subject.rfc4514_string() or "(empty subject)"
    except ValueError:
        subject = "<unreadable name>"
    return KeyInfo("certificate request", subject, spki_pin_of_key(request.public_key()), line)


def _private_info(key: object, line: int) -> KeyInfo:
    public = key.public_key()  # type: ignore[attr-defined]
    return KeyInfo("private key", f"{_key_name(public)} (the private key's public half)", spki_pin_of_key(public), line)


def _pem_keys(data: bytes, password: bytes | None) -> list[Pinnable]:
    found: list[Pinnable] = []
    lines = LineIndex(data)
    for raw_label, start, end in pem_blocks(data):
        label = raw_label.decode("ascii", errors="replace")
        block = data[start:end]
        line = lines.line(start)
        try:
            if label in PUBLIC_KEY_LABELS:
                public = load_pem_public_key(block)
                found.append(KeyInfo("public key", _key_name(public), spki_pin_of_key(public), line))
            elif label in REQUEST_LABELS:
                request_block = block.replace(b"NEW CERTIFICATE REQUEST", b"CERTIFICATE REQUEST")
                found.append(_request_info(x509.load_pem_x509_csr(request_block), line))
            elif label in PRIVATE_KEY_LABELS:
                found.append(_private_info(_load_private(block, password, pem=True, line=line), line))
        except (ValueError, TypeError):
            raise KeyFileError(f"line {line}: the {label} block does not parse") from None
    return found


def _load_private(data: bytes, password: bytes | None, *, pem: bool, line: int = 1) -> object:
    loader = load_pem_private_key if pem else load_der_private_key
    try:
        return loader(data, password=password)
    except TypeError:
        # the key is encrypted and no password was given, or a password was given for a plain key
        if password is None:
            raise KeyFileError(f"line {line}: the private key is encrypted; give its password with "
                               "--password-file or --password-env") from None
        return loader(data, password=None)
    except ValueError:
        if password is not None:
            raise KeyFileError(f"line {line}: the private key does not open with that password "
                               "(or is damaged)") from None
        raise


def _der_key(data: bytes, password: bytes | None) -> list[Pinnable]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            public = load_der_public_key(data)
            return [KeyInfo("public key", _key_name(public), spki_pin_of_key(public))]
        except (ValueError, TypeError):
            pass
        try:
            return [_request_info(x509.load_der_x509_csr(data), 1)]
        except ValueError:
            pass
        try:
            return [_private_info(_load_private(data, password, pem=False), 1)]
        except (ValueError, TypeError):
            return []


def _pkcs12(data: bytes, password: bytes | None) -> list[Pinnable] | None:
    """The certificates of a PKCS#12 file (else its key's public half); None when it is not PKCS#12."""
    tries = [password] if password is not None else [None, b""]
    for attempt in tries:
        try:
            key, certificate, extra = pkcs12.load_key_and_certificates(data, attempt)
        except (ValueError, TypeError):
            continue
        certificates = [c for c in (certificate, *extra) if c is not None]
        if certificates:
            return list(read_certificates(b"".join(c.public_bytes(Encoding.PEM) for c in certificates)).certificates)
        return [_private_info(key, 1)] if key is not None else []
    return None


def read_pinnable(data: bytes, *, pkcs12_file: bool, password: bytes | None = None) -> list[Pinnable]:
    """Every certificate and key in ``data`` that can be pinned, in file order (certificates first for PEM).

    Raises ``KeyFileError`` with a one-line message when nothing usable is found.
    """
    if pkcs12_file:
        found = _pkcs12(data, password)
        if found is None:
            hint = "the password is wrong" if password is not None else \
                "it is password-protected: give the password with --password-file or --password-env"
            raise KeyFileError(f"the PKCS#12 file does not open ({hint}), or it is damaged")
        if found:
            return found
        raise KeyFileError("the PKCS#12 file holds no certificate and no key")
    result = read_certificates(data)
    pinnable: list[Pinnable] = list(result.certificates)
    if b"-----BEGIN " in data:
        pinnable.extend(_pem_keys(data, password))
    elif not pinnable:
        pinnable.extend(_der_key(data, password))
    if pinnable:
        return pinnable
    if result.problems or result.unsupported:
        line, reason = (result.problems or result.unsupported)[0]
        raise KeyFileError(f"line {line}: {reason}")
    raise KeyFileError("no certificate or key found (expected PEM or DER certificates, PKCS#7, PKCS#12, public "
                       "keys, certificate requests or private keys)")
