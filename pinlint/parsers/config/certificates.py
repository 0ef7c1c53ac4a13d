"""Certificates and private keys shipped in the tree.

Claims certificate and key files by extension (``.cer``, ``.crt``, ``.pem``, ``.der``, ``.p7b``, ``.key``,
``.p12``/``.pfx``, ``.jks``/``.bks``/``.keystore``), files without an extension whose content is PEM or
a DER certificate (Android ``res/raw/name``), and a few text formats that carry PEM (a service-account
``.json``). Produces ``Certificate`` facts for every readable certificate and ``PrivateKey`` facts for
private keys, never keeping key material.

A file with a certificate extension that is not a certificate (an HTML error page saved as ``.cer``)
is ignored; only a file that is clearly a broken certificate (PEM certificate armour or DER certificate
structure that does not parse) becomes a ``ParseError``.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from pinlint.certs.basics import looks_like_der_certificate
from pinlint.model.facts import Certificate, ParseError, PrivateKey, Span
from pinlint.parsers import SourceFile

if TYPE_CHECKING:  # cryptography loads with the first certificate file, not when a parser is asked
    from pinlint.certs.x509info import CertInfo, ReadResult

NAME = "certificates"

CERTIFICATE_EXTENSIONS = frozenset({".cer", ".crt", ".pem", ".der", ".cert", ".p7b", ".p7c"})
KEY_EXTENSIONS = frozenset({".key"})
PKCS12_EXTENSIONS = frozenset({".p12", ".pfx"})
KEYSTORE_EXTENSIONS = frozenset({".jks", ".bks", ".keystore", ".jceks"})
#: Text formats that sometimes carry a PEM block (service-account JSON, env and properties files).
PEM_CARRIER_EXTENSIONS = frozenset({".json", ".txt", ".properties", ".env", ".yaml", ".yml", ".conf", ".cfg"})

#: Folder suffixes of iOS bundles and asset catalogues, whose content is packaged into the app.
APP_BUNDLE_SUFFIXES = (".bundle", ".app", ".xcassets")


def _extension(name: str) -> str:
    return PurePosixPath(name.lower()).suffix


def accepts(name: str, head: bytes) -> bool:
    extension = _extension(name)
    if extension in CERTIFICATE_EXTENSIONS | KEY_EXTENSIONS | PKCS12_EXTENSIONS | KEYSTORE_EXTENSIONS:
        return True
    if (extension in PEM_CARRIER_EXTENSIONS or not extension) and b"-----BEGIN " in head:
        return True
    return not extension and looks_like_der_certificate(head)


def is_app_resource(display: str) -> bool:
    """Whether a file is packaged into the app: Android ``res/raw*`` or ``assets``, or an iOS bundle."""
    parts = PurePosixPath(display).parts[:-1]
    for index, part in enumerate(parts):
        if part == "assets" or part in ("Resources", "Supporting Files"):
            return True
        if part.startswith("raw") and index > 0 and parts[index - 1] == "res":
            return True
        if part.endswith(APP_BUNDLE_SUFFIXES):
            return True
    return False


def _certificate_fact(source: SourceFile, info: CertInfo) -> Certificate:
    return Certificate(
        path=source.display,
        span=Span(source.display, info.line),
        spki_sha256=info.spki_sha256,
        is_ca=info.is_ca,
        self_signed=info.self_signed,
        subject=info.subject,
        issuer=info.issuer,
        not_after=info.not_after,
        not_before=info.not_before,
        sha256_fingerprint=info.sha256_fingerprint,
        der=info.der,
    )


def _from_read(source: SourceFile, result: ReadResult, report_problems: bool) -> list[object]:
    facts: list[object] = [_certificate_fact(source, info) for info in result.certificates]
    if report_problems:
        facts.extend(ParseError(Span(source.display, line), reason) for line, reason in result.problems)
    return facts


def _pkcs12(source: SourceFile) -> list[object]:
    from pinlint.certs.keys import describe_key
    from pinlint.certs.x509info import PKCS12Refused, read_pkcs12_unencrypted

    span = Span(source.display)
    try:
        opened, certificates, key = read_pkcs12_unencrypted(source.data)
    except PKCS12Refused as error:
        return [ParseError(span, f"PKCS#12 file {error}")]
    facts: list[object] = [_certificate_fact(source, info) for info in certificates]
    if opened and key is not None:
        detail = f"PKCS#12 file without a password holding an {describe_key(key)}"
        facts.append(PrivateKey("pkcs12", span, detail))
    elif not opened and is_app_resource(source.display):
        facts.append(PrivateKey(
            "pkcs12", span,
            "password-protected PKCS#12 file packaged with the app (its password ships in the app too)",
        ))
    return facts


def _keystore(source: SourceFile) -> list[object]:
    if not is_app_resource(source.display):
        return []  # signing keystores next to the build scripts are not packaged into the app
    from cryptography import x509

    from pinlint.certs.keys import read_keystore
    from pinlint.certs.x509info import describe

    span = Span(source.display)
    summary = read_keystore(source.data)
    if summary is None:
        detail = "keystore packaged with the app, format not recognised: it may hold private keys"
        return [PrivateKey("keystore", span, detail)]
    facts: list[object] = []
    for der in summary.certificates:
        try:
            facts.append(_certificate_fact(source, describe(x509.load_der_x509_certificate(der))))
        except ValueError:
            continue
    held = []
    if summary.private_keys:
        held.append(f"{summary.private_keys} private key entr{'y' if summary.private_keys == 1 else 'ies'}")
    if summary.secret_keys:
        held.append(f"{summary.secret_keys} secret key entr{'y' if summary.secret_keys == 1 else 'ies'}")
    if held:
        facts.append(PrivateKey("keystore", span, f"{summary.format} keystore packaged with the app holding "
                                                  + " and ".join(held)))
    return facts


def parse(source: SourceFile) -> list[object]:
    extension = _extension(source.path.name)
    data = source.data
    if extension in PKCS12_EXTENSIONS:
        return _pkcs12(source)
    if extension in KEYSTORE_EXTENSIONS:
        return _keystore(source)
    certificate_file = extension in CERTIFICATE_EXTENSIONS or not extension
    pem = b"-----BEGIN " in data
    if not pem and (extension in PEM_CARRIER_EXTENSIONS or extension in KEY_EXTENSIONS):
        return []
    # imported here, so that cryptography (30 ms) loads only for a file that may hold a certificate
    from pinlint.certs.keys import pem_private_keys
    from pinlint.certs.x509info import read_certificates

    if pem:
        facts = _from_read(source, read_certificates(data), report_problems=certificate_file)
        facts.extend(PrivateKey("pem", Span(source.display, found.line), found.detail)
                     for found in pem_private_keys(data))
        return facts
    return _from_read(source, read_certificates(data), report_problems=certificate_file)
