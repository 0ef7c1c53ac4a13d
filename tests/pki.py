"""A small public-key infrastructure made on the fly with ``cryptography``: one root CA, two issuing CAs and
leaves shaped like the Web PKI's (key identifiers, key usage, serverAuth), so a strict verifier accepts them.

Nothing here is committed as a file; tests write what they need into their temporary folders.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

#: Every certificate is valid from here; tests pass ``--today`` relative to it.
START = datetime(2025, 1, 1, tzinfo=timezone.utc)

Key = ec.EllipticCurvePrivateKey


def new_key() -> Key:
    return ec.generate_private_key(ec.SECP256R1())


def pin_of(key: Key) -> str:
    spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


@dataclass
class Issuer:
    name: str
    key: Key
    certificate: x509.Certificate


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _builder(subject: str, key: Key, issuer: Issuer | None, not_after: datetime) -> x509.CertificateBuilder:
    issuer_name = issuer.name if issuer else subject
    issuer_public = (issuer.key if issuer else key).public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(START)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False)
    )


def make_ca(name: str, parent: Issuer | None = None, years: int = 10) -> Issuer:
    key = new_key()
    builder = _builder(name, key, parent, START + timedelta(days=365 * years))
    builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    builder = builder.add_extension(x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
        critical=True)
    certificate = builder.sign((parent.key if parent else key), hashes.SHA256())
    return Issuer(name, key, certificate)


@dataclass
class Leaf:
    key: Key
    certificate: x509.Certificate


def make_leaf(issuer: Issuer, *names: str, not_after: datetime | None = None) -> Leaf:
    key = new_key()
    builder = _builder(names[0], key, issuer, not_after or START + timedelta(days=365 * 3))
    builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    builder = builder.add_extension(x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False),
        critical=True)
    builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(name) for name in names]),
                                    critical=False)
    return Leaf(key, builder.sign(issuer.key, hashes.SHA256()))


def pem(*certificates: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)


def key_pem(key: Key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def write_chain(folder: Path, name: str, leaf: Leaf, *rest: x509.Certificate) -> tuple[Path, Path]:
    """``NAME.pem`` (the leaf, then ``rest``) and ``NAME.key``: what a TLS server loads."""
    chain_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    chain_path.write_bytes(pem(leaf.certificate, *rest))
    key_path.write_bytes(key_pem(leaf.key))
    return chain_path, key_path
