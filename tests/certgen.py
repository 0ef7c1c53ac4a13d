"""Test certificate chains, generated on the fly: nothing here is ever committed as a file.

``make_chain`` builds a root CA, an intermediate CA and a leaf for a host with RSA or EC keys;
``pem``/``der`` serialise them and ``key_pem`` a private key (for the KEY401 tests only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def new_key(kind: str = "ec") -> PrivateKey:
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_certificate(
    subject: str,
    key: PrivateKey,
    issuer: str | None = None,
    issuer_key: PrivateKey | None = None,
    ca: bool = False,
    not_after: datetime | None = None,
    host: str | None = None,
) -> x509.Certificate:
    now = datetime(2025, 1, 1, tzinfo=timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer or subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(not_after or now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if host:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
    return builder.sign(issuer_key or key, hashes.SHA256())


@dataclass
class Chain:
    root: x509.Certificate
    intermediate: x509.Certificate
    leaf: x509.Certificate
    root_key: PrivateKey
    intermediate_key: PrivateKey
    leaf_key: PrivateKey

    def new_leaf(self, host: str = "api.example.com", kind: str = "ec",
                 not_after: datetime | None = None) -> Chain:
        """The same CAs with a rotated leaf key (a renewal)."""
        key = new_key(kind)
        leaf = make_certificate(host, key, "Test Intermediate CA", self.intermediate_key, host=host,
                                not_after=not_after)
        return Chain(self.root, self.intermediate, leaf, self.root_key, self.intermediate_key, key)


def make_chain(host: str = "api.example.com", kind: str = "ec",
               leaf_not_after: datetime | None = None) -> Chain:
    root_key, intermediate_key, leaf_key = new_key(kind), new_key(kind), new_key(kind)
    root = make_certificate("Test Root CA", root_key, ca=True)
    intermediate = make_certificate("Test Intermediate CA", intermediate_key, "Test Root CA", root_key,
                                    ca=True)
    leaf = make_certificate(host, leaf_key, "Test Intermediate CA", intermediate_key, host=host,
                            not_after=leaf_not_after)
    return Chain(root, intermediate, leaf, root_key, intermediate_key, leaf_key)


def pem(*certificates: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)


def der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def key_pem(key: PrivateKey, password: bytes | None = None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
