"""The certificates parser and its readers: certificates, roles, pins, private keys, keystores."""

from __future__ import annotations

import base64
import hashlib
import struct
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from pinlint.certs.keys import read_keystore
from pinlint.certs.x509info import read_certificates
from pinlint.model.facts import Certificate, ParseError, PrivateKey
from pinlint.parsers import SourceFile
from pinlint.parsers.config import certificates as parser
from tests.certgen import der, key_pem, make_chain, pem


def parse(display: str, data: bytes) -> list[object]:
    return parser.parse(SourceFile(Path(display), display, data))


def expected_pin(certificate) -> str:  # type: ignore[no-untyped-def]
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_pem_chain_gives_one_fact_per_certificate_with_roles(kind: str) -> None:
    chain = make_chain(kind=kind)
    data = b"server chain\n" + pem(chain.leaf, chain.intermediate, chain.root)
    facts = [fact for fact in parse("ios/App/chain.pem", data) if isinstance(fact, Certificate)]
    assert [fact.spki_sha256 for fact in facts] == [
        expected_pin(chain.leaf), expected_pin(chain.intermediate), expected_pin(chain.root)]
    assert [(fact.is_ca, fact.self_signed) for fact in facts] == [(False, False), (True, False), (True, True)]
    assert facts[0].span.line == 2
    assert facts[1].span.line > facts[0].span.line
    assert facts[0].subject == "CN=api.example.com"
    assert facts[0].issuer == "CN=Test Intermediate CA"
    assert facts[0].not_after.year == 2034


def test_der_certificate_and_pkcs7_bundle() -> None:
    chain = make_chain()
    facts = parse("app/src/main/res/raw/server", der(chain.leaf))
    assert [fact.spki_sha256 for fact in facts if isinstance(fact, Certificate)] == [expected_pin(chain.leaf)]
    bundle = pkcs7.serialize_certificates([chain.intermediate, chain.root], serialization.Encoding.DER)
    facts = parse("certs/bundle.p7b", bundle)
    assert len([fact for fact in facts if isinstance(fact, Certificate)]) == 2


def test_accepts_by_extension_and_by_content() -> None:
    chain = make_chain()
    assert parser.accepts("server.cer", b"")
    assert parser.accepts("ca.der", b"")
    assert parser.accepts("my_ca", pem(chain.root)[:200])
    assert parser.accepts("my_ca", der(chain.root)[:200])
    assert parser.accepts("service-account.json", b'{"private_key": "-----BEGIN PRIVATE KEY-----\\nAB')
    assert not parser.accepts("README", b"plain text")
    assert not parser.accepts("Main.kt", b"-----BEGIN CERTIFICATE-----")
    assert not parser.accepts("icon.png", b"\x89PNG")


def test_non_certificate_with_certificate_extension_is_ignored() -> None:
    assert parse("ios/App/server.cer", b"<html>404 not found</html>") == []


def test_broken_certificate_is_a_parse_error() -> None:
    broken = b"-----BEGIN CERTIFICATE-----\nTUlJQm9ndXM=\n-----END CERTIFICATE-----\n"
    facts = parse("res/raw/broken.pem", broken)
    assert len(facts) == 1 and isinstance(facts[0], ParseError)
    truncated = der(make_chain().leaf)[:120]
    facts = parse("res/raw/truncated.der", truncated)
    assert len(facts) == 1 and isinstance(facts[0], ParseError)


def test_pem_private_key_is_reported_without_material() -> None:
    chain = make_chain(kind="rsa")
    data = pem(chain.leaf) + key_pem(chain.leaf_key)
    facts = parse("app/src/main/assets/client.pem", data)
    keys = [fact for fact in facts if isinstance(fact, PrivateKey)]
    assert len(keys) == 1
    assert keys[0].kind == "pem" and "RSA 2048-bit" in keys[0].detail
    assert keys[0].span.line == pem(chain.leaf).count(b"\n") + 1
    body = b"".join(key_pem(chain.leaf_key).splitlines()[1:-1]).decode()
    assert body[:40] not in repr(facts)


def test_encrypted_and_fake_pem_keys_are_reported_by_armour() -> None:
    chain = make_chain()
    encrypted = parse("keys/client.key", key_pem(chain.leaf_key, password=b"secret"))
    assert len(encrypted) == 1 and "encrypted" in encrypted[0].detail  # type: ignore[attr-defined]
    armour = b"-----BEGIN EC PRIVATE KEY-----\nnot a key\n-----END EC PRIVATE KEY-----\n"
    fake = parse("keys/fake.pem", b"note\n" + armour)
    assert len(fake) == 1 and isinstance(fake[0], PrivateKey)
    assert fake[0].span.line == 2 and "does not parse" in fake[0].detail


def test_service_account_json_key_is_found() -> None:
    key = key_pem(make_chain().leaf_key).decode().replace("\n", "\\n")
    data = ('{\n  "type": "service_account",\n  "private_key": "' + key + '"\n}\n').encode()
    facts = parse("android/app/src/main/assets/service-account.json", data)
    assert len(facts) == 1 and isinstance(facts[0], PrivateKey) and facts[0].span.line == 3
    assert "unencrypted EC" in facts[0].detail


def test_pkcs12_without_password_is_a_key() -> None:
    chain = make_chain()
    blob = pkcs12.serialize_key_and_certificates(b"c", chain.leaf_key, chain.leaf, None,
                                                 serialization.NoEncryption())
    facts = parse("MyApp/client.p12", blob)
    keys = [fact for fact in facts if isinstance(fact, PrivateKey)]
    assert len(keys) == 1 and "without a password" in keys[0].detail
    assert any(isinstance(fact, Certificate) for fact in facts)


def test_password_protected_pkcs12_only_reported_when_packaged() -> None:
    chain = make_chain()
    blob = pkcs12.serialize_key_and_certificates(
        b"c", chain.leaf_key, chain.leaf, None, serialization.BestAvailableEncryption(b"pw"))
    assert parse("signing/client.p12", blob) == []
    facts = parse("app/src/main/res/raw/client.p12", blob)
    assert len(facts) == 1 and isinstance(facts[0], PrivateKey)


def _utf(text: str) -> bytes:
    return struct.pack(">H", len(text)) + text.encode()


def jks(entries: list[tuple[int, bytes]]) -> bytes:
    body = struct.pack(">III", 0xFEEDFEED, 2, len(entries))
    for tag, payload in entries:
        body += struct.pack(">I", tag) + _utf("alias") + b"\x00" * 8
        if tag == 1:
            body += struct.pack(">I", len(payload)) + payload + struct.pack(">I", 0)
        else:
            body += _utf("X.509") + struct.pack(">I", len(payload)) + payload
    return body + b"\x00" * 20


def bks(entries: list[tuple[int, bytes]]) -> bytes:
    body = struct.pack(">II", 2, 20) + b"s" * 20 + struct.pack(">I", 1024)
    for kind, payload in entries:
        body += bytes([kind]) + _utf("alias") + b"\x00" * 8 + struct.pack(">I", 0)
        if kind == 1:
            body += _utf("X.509") + struct.pack(">I", len(payload)) + payload
        else:
            body += struct.pack(">I", len(payload)) + payload
    return body + b"\x00" + b"h" * 20


def test_keystore_readers_tell_keys_from_trusted_certificates() -> None:
    certificate = der(make_chain().root)
    summary = read_keystore(jks([(2, certificate)]))
    assert summary is not None and summary.private_keys == 0 and summary.certificates == [certificate]
    summary = read_keystore(jks([(1, b"encrypted-key"), (2, certificate)]))
    assert summary is not None and summary.private_keys == 1
    summary = read_keystore(bks([(1, certificate)]))
    assert summary is not None and summary.format == "BKS" and summary.private_keys == 0
    summary = read_keystore(bks([(4, b"sealed")]))
    assert summary is not None and summary.private_keys == 1
    assert read_keystore(b"\x00\x01garbage") is None


def test_truststore_in_res_raw_gives_certificates_not_keys() -> None:
    chain = make_chain()
    facts = parse("app/src/main/res/raw/truststore.bks", bks([(1, der(chain.intermediate))]))
    assert [type(fact) for fact in facts] == [Certificate]
    facts = parse("app/src/main/res/raw/identity.jks", jks([(1, b"k")]))
    assert [type(fact) for fact in facts] == [PrivateKey]
    # A signing keystore next to the build script is not packaged into the app.
    assert parse("android/app/debug.keystore", jks([(1, b"k")])) == []


def test_unrecognised_packaged_keystore_is_reported() -> None:
    facts = parse("app/src/main/assets/store.keystore", b"\x00" * 64)
    assert len(facts) == 1 and "not recognised" in facts[0].detail  # type: ignore[attr-defined]


def test_read_certificates_never_raises_on_garbage() -> None:
    for blob in (b"", b"\x30", b"\x30\x82\x01", b"-----BEGIN CERTIFICATE-----", bytes(range(256))):
        read_certificates(blob)
