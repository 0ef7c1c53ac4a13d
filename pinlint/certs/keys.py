"""Private keys in a tree: PEM private-key blocks, PKCS#12 files and Java/BouncyCastle keystores.

Detection is by container, never by printing or keeping key material: what leaves this module is a line
number and a short description such as ``RSA 2048-bit key`` or ``key data does not parse``.
Keystores are read only as far as their plaintext entry headers (JKS, JCEKS, BKS), which tell private-key
entries from trusted-certificate entries without any password.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from pinlint.certs.x509info import LineIndex

#: Any PEM armour whose label names a private key (PKCS#8, PKCS#1, SEC1, OpenSSH, encrypted, PGP).
PRIVATE_KEY_ARMOUR = re.compile(rb"-----BEGIN (?P<label>[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----")


@dataclass(frozen=True)
class FoundKey:
    line: int
    detail: str


def describe_key(key: object) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return f"RSA {key.key_size}-bit key"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return f"EC {key.curve.name} key"
    if isinstance(key, dsa.DSAPrivateKey):
        return f"DSA {key.key_size}-bit key"
    if isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
        return "EdDSA key"
    return "private key"


def pem_private_keys(data: bytes) -> list[FoundKey]:
    """Every PEM private-key block, found by its armour; the content need not parse to be reported."""
    found: list[FoundKey] = []
    lines = LineIndex(data)
    missing: set[bytes] = set()  # labels with no END after some point: none after any later one either
    for match in PRIVATE_KEY_ARMOUR.finditer(data):
        label = match.group("label").decode("ascii")
        line = lines.line(match.start())
        end = -1 if match.group("label") in missing else data.find(
            b"-----END " + match.group("label") + b"-----", match.end())
        if end < 0:
            missing.add(match.group("label"))
        block = data[match.start(): end + len(label) + 14] if end >= 0 else b""
        if "ENCRYPTED" in label or b"Proc-Type: 4,ENCRYPTED" in block:
            detail = f"{label} block, encrypted (the passphrase usually ships with the app too)"
        elif label in ("OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK"):
            detail = f"{label} block"
        else:
            detail = f"{label} block, " + _parse_detail(block)
        found.append(FoundKey(line, detail))
    return found


def _parse_detail(block: bytes) -> str:
    if not block:
        return "no END line"
    # JSON and similar files hold PEM with escaped newlines.
    block = block.replace(b"\\n", b"\n").replace(b"\\r", b"")
    try:
        return "unencrypted " + describe_key(load_pem_private_key(block, password=None))
    except TypeError:
        return "encrypted"
    except Exception:
        return "key data does not parse"


@dataclass
class KeystoreSummary:
    """What a keystore's plaintext entry headers say it holds."""

    format: str
    private_keys: int = 0
    secret_keys: int = 0
    certificates: list[bytes] = field(default_factory=list)
    complete: bool = True


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def take(self, size: int) -> bytes:
        if size < 0 or self.offset + size > len(self.data):
            raise ValueError("truncated")
        chunk = self.data[self.offset: self.offset + size]
        self.offset += size
        return chunk

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        value: int = struct.unpack(">H", self.take(2))[0]
        return value

    def u32(self) -> int:
        value: int = struct.unpack(">I", self.take(4))[0]
        return value

    def utf(self) -> bytes:
        return self.take(self.u16())


MAX_ENTRIES = 10_000


def _read_jks(data: bytes) -> KeystoreSummary:
    reader = _Reader(data)
    magic = reader.u32()
    summary = KeystoreSummary("JCEKS" if magic == 0xCECECECE else "JKS")
    version = reader.u32()
    if version not in (1, 2):
        raise ValueError("unknown version")
    count = reader.u32()
    if count > MAX_ENTRIES:
        raise ValueError("implausible entry count")
    for _ in range(count):
        tag = reader.u32()
        reader.utf()  # alias
        reader.take(8)  # timestamp
        if tag == 1:
            summary.private_keys += 1
            reader.take(reader.u32())
            for _ in range(reader.u32()):
                if version == 2:
                    reader.utf()
                reader.take(reader.u32())
        elif tag == 2:
            if version == 2:
                reader.utf()
            summary.certificates.append(reader.take(reader.u32()))
        elif tag == 3:
            # A JCEKS secret key is a serialized Java object: it cannot be skipped without a Java parser.
            summary.secret_keys += 1
            summary.complete = False
            break
        else:
            raise ValueError("unknown entry")
    return summary


def _read_bks(data: bytes) -> KeystoreSummary:
    reader = _Reader(data)
    version = reader.u32()
    salt_length = reader.u32()
    if version not in (1, 2) or not 1 <= salt_length <= 128:
        raise ValueError("not BKS")
    reader.take(salt_length)
    iterations = reader.u32()
    if not 1 <= iterations <= 1_000_000:
        raise ValueError("not BKS")
    summary = KeystoreSummary("BKS")
    for _ in range(MAX_ENTRIES):
        kind = reader.u8()
        if kind == 0:
            return summary
        reader.utf()  # alias
        reader.take(8)  # date
        for _ in range(reader.u32()):
            reader.utf()
            reader.take(reader.u32())
        if kind == 1:
            reader.utf()
            summary.certificates.append(reader.take(reader.u32()))
        elif kind == 2:
            key_type = reader.u8()
            reader.utf()
            reader.utf()
            reader.take(reader.u32())
            if key_type == 0:
                summary.private_keys += 1
            elif key_type == 2:
                summary.secret_keys += 1
        elif kind in (3, 4):
            reader.take(reader.u32())
            if kind == 4:
                summary.private_keys += 1  # a sealed (password-encrypted) key entry
            else:
                summary.secret_keys += 1
        else:
            raise ValueError("unknown entry")
    raise ValueError("implausible entry count")


def read_keystore(data: bytes) -> KeystoreSummary | None:
    """The entry summary of a JKS, JCEKS or BKS keystore, or None when the format is not recognised."""
    try:
        if data[:4] in (b"\xfe\xed\xfe\xed", b"\xce\xce\xce\xce"):
            return _read_jks(data)
        return _read_bks(data)
    except (ValueError, struct.error):
        return None
