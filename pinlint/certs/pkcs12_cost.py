"""How much work opening a PKCS#12 file would cost, read from its DER before OpenSSL sees it.

A PKCS#12 file (RFC 7292) names its own key-derivation work: the MAC's iteration count, and for each
encrypted part a PBKDF2 or PKCS#12-PBE iteration count, or scrypt parameters. OpenSSL does that work
inside one C call that no signal interrupts, so a 735-byte file asking for 2**31 - 1 MAC iterations
would hang the scan. ``refusal`` reads every such parameter (walking the DER, and the DER inside its
OCTET STRINGs, within a node budget) and says why the file must not be opened, or None.

``cryptography`` (the project's X.509 and PKCS#12 library) exposes no ASN.1 reader, and the structure
needed here is a few SEQUENCEs, OIDs and INTEGERs, so this is a small DER walker (X.690) of its own
rather than a new dependency (pyasn1 and asn1crypto would each parse it, at the cost of a dependency
for forty lines of work).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Iterations of one key derivation (or the MAC) pinlint lets OpenSSL run; real files use 1 to 600,000.
MAX_ITERATIONS = 2_000_000
#: Iterations of all derivations in the file together (each runs again for each password tried).
MAX_TOTAL_ITERATIONS = 4_000_000
#: scrypt: the memory one derivation takes (128 * N * r bytes) and its work (N * r * p).
MAX_SCRYPT_BYTES = 64 * 1024 * 1024
MAX_SCRYPT_WORK = 1 << 22
#: DER elements read before giving up (a PKCS#12 file holds a few hundred).
MAX_ELEMENTS = 100_000
MAX_DEPTH = 40

_SEQUENCE, _OCTET_STRING, _OID, _INTEGER = 0x30, 0x04, 0x06, 0x02
_PBKDF2 = "1.2.840.113549.1.5.12"
_SCRYPT = "1.3.6.1.4.1.11591.4.11"
#: PKCS#12 PBE (pbeWithSHAAnd...) and PKCS#5 PBES1: parameters are SEQUENCE { salt, iterations }.
_PKCS12_PBE = "1.2.840.113549.1.12.1."
_PBES1 = {f"1.2.840.113549.1.5.{n}" for n in (1, 3, 4, 6, 10, 11)}


class Malformed(ValueError):
    """The bytes are not DER this reader can follow."""


@dataclass(frozen=True, slots=True)
class Element:
    tag: int
    start: int  # of the content
    end: int

    @property
    def constructed(self) -> bool:
        return bool(self.tag & 0x20)


def element(data: bytes, offset: int, limit: int) -> Element:
    """The DER element at ``offset`` (not past ``limit``). Raises ``Malformed``."""
    if offset + 2 > limit:
        raise Malformed("truncated")
    tag = data[offset]
    if tag & 0x1F == 0x1F:
        raise Malformed("high tag numbers are not used in PKCS#12")
    length = data[offset + 1]
    position = offset + 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or position + count > limit:
            raise Malformed("bad length")
        length = int.from_bytes(data[position:position + count], "big")
        position += count
    if position + length > limit:
        raise Malformed("length past the end")
    return Element(tag, position, position + length)


def children(data: bytes, parent: Element) -> list[Element]:
    found: list[Element] = []
    offset = parent.start
    while offset < parent.end:
        child = element(data, offset, parent.end)
        found.append(child)
        offset = child.end
    return found


def _oid(data: bytes, item: Element) -> str:
    raw = data[item.start:item.end]
    if not raw:
        raise Malformed("empty OID")
    parts = [min(raw[0] // 40, 2), raw[0] - 40 * min(raw[0] // 40, 2)]
    value = 0
    for byte in raw[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return ".".join(str(part) for part in parts)


def _integer(data: bytes, item: Element) -> int:
    if item.tag != _INTEGER or item.end - item.start > 16:
        return 1 << 128  # absurd, or a huge number: counts as too much work
    return int.from_bytes(data[item.start:item.end], "big", signed=True)


@dataclass
class _Walk:
    data: bytes
    costs: list[tuple[str, int]]
    seen: int = 0

    def visit(self, item: Element, depth: int) -> None:
        self.seen += 1
        if self.seen > MAX_ELEMENTS or depth > MAX_DEPTH:
            raise Malformed("too many or too deeply nested elements")
        if item.tag == _OCTET_STRING and item.end - item.start >= 2 and self.data[item.start] == _SEQUENCE:
            try:  # the content of a data ContentInfo, a bag, a SafeContents: DER inside DER
                inner = element(self.data, item.start, item.end)
            except Malformed:
                return
            if inner.end == item.end:
                self.visit(inner, depth + 1)
            return
        if not item.constructed:
            return
        parts = children(self.data, item)
        if item.tag == _SEQUENCE and len(parts) == 2 and parts[0].tag == _OID:
            self._algorithm(_oid(self.data, parts[0]), parts[1])
        for part in parts:
            self.visit(part, depth + 1)

    def _algorithm(self, oid: str, parameters: Element) -> None:
        fields = children(self.data, parameters) if parameters.tag == _SEQUENCE else []
        if oid == _PBKDF2 and len(fields) >= 2:
            self.costs.append(("PBKDF2 iteration count", _integer(self.data, fields[1])))
        elif oid == _SCRYPT and len(fields) >= 4:
            cost, block, parallel = (_integer(self.data, field) for field in fields[1:4])
            if 128 * cost * block > MAX_SCRYPT_BYTES or cost * block * parallel > MAX_SCRYPT_WORK:
                self.costs.append((f"scrypt N={cost}, r={block}, p={parallel}", 1 << 128))
        elif (oid in _PBES1 or oid.startswith(_PKCS12_PBE)) and len(fields) == 2:
            self.costs.append(("PBE iteration count", _integer(self.data, fields[1])))


def refusal(data: bytes) -> str | None:
    """Why opening ``data`` as PKCS#12 would cost too much (or it is not DER at all), or None."""
    try:
        pfx = element(data, 0, len(data))
        if pfx.tag != _SEQUENCE:
            return None  # not a PKCS#12 file; OpenSSL rejects it at once
        costs: list[tuple[str, int]] = []
        parts = children(data, pfx)
        if len(parts) >= 3 and parts[2].tag == _SEQUENCE:
            mac = children(data, parts[2])
            costs.append(("MAC iteration count", _integer(data, mac[2]) if len(mac) >= 3 else 1))
        walk = _Walk(data, costs)
        for part in parts[:2]:
            walk.visit(part, 1)
    except Malformed as error:
        return f"not PKCS#12 DER pinlint can read ({error}); not opened"
    for what, count in costs:
        if count > MAX_ITERATIONS:
            shown = "too large" if count >= 1 << 64 else str(count)
            return f"its {what} is {shown}, over the {MAX_ITERATIONS} pinlint lets OpenSSL compute; not opened"
        if count < 0:
            return f"its {what} is negative; not opened"
    total = sum(count for _what, count in costs)
    if total > MAX_TOTAL_ITERATIONS:
        return f"its key derivations add up to {total} iterations, over {MAX_TOTAL_ITERATIONS}; not opened"
    return None
