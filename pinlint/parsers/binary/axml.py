"""Android binary XML (AXML: the compiled ``AndroidManifest.xml`` and ``res/xml/*.xml`` of an APK), turned back
into text XML so the manifest and network security config parsers read it with every rule unchanged.

Format: ``ResourceTypes.h`` of Android's ``frameworks/base`` (``ResChunk_header``, ``ResStringPool_header``,
``ResXMLTree_node``, ``ResXMLTree_attrExt``, ``ResXMLTree_attribute``, ``Res_value``). The text written keeps
each element on the source line aapt recorded, so findings point at the same lines as in the source XML;
attribute values are written as the platform reads them (booleans ``true``/``false``, integers in decimal,
resource references as ``@type/name`` through ``resources.arsc`` when it is given, else ``@0x7f020000``).
Android attributes are written in the Android namespace whatever prefix the binary used; an attribute whose
name string was stripped (obfuscated APKs) is named from the resource map for the attributes pinlint reads.

Libraries measured: pyaxmlparser (15 MB installed with its dependencies) decodes AXML correctly but builds an
lxml tree of its own and brings a command-line stack; androguard (162 MB) reads everything, slowly. This
reader is one module over ``struct`` with every offset checked, checked against ``aapt dump xmltree`` in the
tests. Malformed input raises ``AxmlError`` (CFG901), never reads out of bounds and never loops.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

MAGIC = b"\x03\x00\x08\x00"
ANDROID_NS = "http://schemas.android.com/apk/res/android"

RES_STRING_POOL = 0x0001
RES_XML = 0x0003
RES_XML_START_NAMESPACE = 0x0100
RES_XML_END_NAMESPACE = 0x0101
RES_XML_START_ELEMENT = 0x0102
RES_XML_END_ELEMENT = 0x0103
RES_XML_CDATA = 0x0104
RES_XML_RESOURCE_MAP = 0x0180

TYPE_REFERENCE = 0x01
TYPE_ATTRIBUTE = 0x02
TYPE_STRING = 0x03
TYPE_INT_DEC = 0x10
TYPE_INT_HEX = 0x11
TYPE_BOOLEAN = 0x12

#: Android attribute resource ids -> names, for binaries whose attribute name strings were stripped.
ANDROID_ATTRIBUTES = {
    0x01010527: "networkSecurityConfig", 0x010104EC: "usesCleartextTraffic", 0x0101000F: "debuggable",
    0x01010270: "targetSdkVersion", 0x0101020C: "minSdkVersion", 0x01010003: "name",
}
#: More elements than any real resource has: refused (the text written stays bounded too).
MAX_ELEMENTS = 200_000
MAX_LINE = 1_000_000


class AxmlError(ValueError):
    """The bytes are not well-formed binary XML; the message says where."""


def is_axml(head: bytes) -> bool:
    return head.startswith(MAGIC)


def string_pool(data: bytes, offset: int) -> list[str]:
    """The strings of the ``ResStringPool`` chunk at ``offset`` (UTF-8 or UTF-16)."""
    _type, header_size, size = _chunk(data, offset)
    if header_size < 28:
        raise AxmlError(f"string pool header of {header_size} bytes at {offset}")
    count, _styles, flags, strings_start, _styles_start = struct.unpack_from("<IIIII", data, offset + 8)
    if count > size // 4:
        raise AxmlError(f"string pool claims {count} strings in {size} bytes")
    utf8 = bool(flags & 0x100)
    offsets = struct.unpack_from(f"<{count}I", data, offset + header_size)
    base = offset + strings_start
    end = offset + size
    return [_string(data, base + relative, end, utf8) for relative in offsets]


def _string(data: bytes, at: int, end: int, utf8: bool) -> str:
    if not 0 <= at < end:
        raise AxmlError(f"string at {at} outside its pool")
    if utf8:
        _length, at = _utf8_length(data, at, end)
        length, at = _utf8_length(data, at, end)
        if at + length > end:
            raise AxmlError(f"string at {at} runs past its pool")
        return data[at:at + length].decode("utf-8", errors="replace")
    length = _u16(data, at, end)
    at += 2
    if length & 0x8000:
        length = ((length & 0x7FFF) << 16) | _u16(data, at, end)
        at += 2
    if at + 2 * length > end:
        raise AxmlError(f"string at {at} runs past its pool")
    return data[at:at + 2 * length].decode("utf-16-le", errors="replace")


def _utf8_length(data: bytes, at: int, end: int) -> tuple[int, int]:
    if at >= end:
        raise AxmlError("string length past its pool")
    length = data[at]
    if length & 0x80:
        if at + 1 >= end:
            raise AxmlError("string length past its pool")
        return ((length & 0x7F) << 8) | data[at + 1], at + 2
    return length, at + 1


def _u16(data: bytes, at: int, end: int) -> int:
    if at + 2 > end:
        raise AxmlError("string length past its pool")
    value: int = struct.unpack_from("<H", data, at)[0]
    return value


def _chunk(data: bytes, offset: int) -> tuple[int, int, int]:
    if offset + 8 > len(data):
        raise AxmlError(f"chunk header past the end at {offset}")
    chunk_type, header_size, size = struct.unpack_from("<HHI", data, offset)
    if header_size < 8 or size < header_size or offset + size > len(data):
        raise AxmlError(f"chunk of type 0x{chunk_type:04x} at {offset} has bad sizes ({header_size}, {size})")
    return chunk_type, header_size, size


def to_text(data: bytes, reference_name: Callable[[int], str | None] = lambda _id: None) -> bytes:
    """The text XML of a binary XML document. ``reference_name`` names a resource id (``xml/config``)."""
    try:
        return _to_text(data, reference_name)
    except struct.error as error:
        raise AxmlError(f"truncated: {error}") from None


def _to_text(data: bytes, reference_name: Callable[[int], str | None]) -> bytes:
    if not is_axml(data):
        raise AxmlError("not binary XML (no RES_XML header)")
    _type, header_size, size = _chunk(data, 0)
    strings: list[str] = []
    resource_ids: tuple[int, ...] = ()
    prefixes: dict[str, str] = {}
    pending_namespaces: list[tuple[str, str]] = []
    lines: list[str] = []
    depth = 0
    elements = 0
    offset = header_size
    while offset < size:
        chunk_type, chunk_header, chunk_size = _chunk(data, offset)
        if chunk_type == RES_STRING_POOL:
            strings = string_pool(data, offset)
        elif chunk_type == RES_XML_RESOURCE_MAP:
            count = (chunk_size - chunk_header) // 4
            resource_ids = struct.unpack_from(f"<{count}I", data, offset + chunk_header)
        elif chunk_type in (RES_XML_START_NAMESPACE, RES_XML_END_NAMESPACE, RES_XML_START_ELEMENT,
                            RES_XML_END_ELEMENT, RES_XML_CDATA):
            line = struct.unpack_from("<I", data, offset + 8)[0] if chunk_header >= 16 else 0
            body = offset + chunk_header
            if chunk_type == RES_XML_START_NAMESPACE:
                prefix_index, uri_index = struct.unpack_from("<II", data, body)
                uri = _lookup(strings, uri_index)
                prefix = "android" if uri == ANDROID_NS else (_lookup(strings, prefix_index) or "ns")
                prefixes[uri] = prefix
                pending_namespaces.append((prefix, uri))
            elif chunk_type == RES_XML_START_ELEMENT:
                elements += 1
                if elements > MAX_ELEMENTS:
                    raise AxmlError(f"more than {MAX_ELEMENTS} elements")
                tag = _element(data, body, offset, chunk_size, strings, resource_ids, prefixes, reference_name)
                declarations = "".join(f" xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in pending_namespaces)
                pending_namespaces = []
                _place(lines, line, f"<{tag[0]}{declarations}{tag[1]}>")
                depth += 1
            elif chunk_type == RES_XML_END_ELEMENT:
                _namespace, name_index = struct.unpack_from("<II", data, body)
                if depth == 0:
                    raise AxmlError(f"end of element at {offset} with no element open")
                depth -= 1
                _place(lines, line, f"</{_name(strings, name_index)}>")
            elif chunk_type == RES_XML_CDATA:
                text_index = struct.unpack_from("<I", data, body)[0]
                _place(lines, line, escape(_lookup(strings, text_index)))
        offset += chunk_size
    if depth:
        raise AxmlError(f"{depth} element(s) never closed (truncated)")
    return ('<?xml version="1.0" encoding="utf-8"?>' + "\n".join(lines) + "\n").encode("utf-8")


def escape(text: str) -> str:
    """``text`` as XML character data (``&``, ``<`` and ``>`` escaped).

    Written here rather than taken from ``xml.sax.saxutils``, whose import brings in ``urllib.request``,
    ``http.client`` and ``ssl``: a fifth of a small scan's time when a tree holds one JAR."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


_ATTRIBUTE_ESCAPES = {ord("\n"): "&#10;", ord("\r"): "&#13;", ord("\t"): "&#9;"}


def quoteattr(text: str) -> str:
    """``text`` as a quoted XML attribute value, quoted and escaped as ``xml.sax.saxutils.quoteattr`` does
    (line breaks and tabs as character references, so the XML parser does not normalise them away)."""
    text = escape(text).translate(_ATTRIBUTE_ESCAPES)
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


def _place(lines: list[str], line: int, text: str) -> None:
    """Append ``text`` on source line ``line`` (1-based; the XML declaration sits on line 1)."""
    target = min(max(line, 1), MAX_LINE)
    while len(lines) < target:
        lines.append("")
    lines[-1] += text


def _lookup(strings: list[str], index: int) -> str:
    if index == 0xFFFFFFFF:
        return ""
    if index >= len(strings):
        raise AxmlError(f"string index {index} outside the pool of {len(strings)}")
    return strings[index]


def _name(strings: list[str], index: int) -> str:
    name = _lookup(strings, index)
    return name if _is_name(name) else "x"


def _is_name(name: str) -> bool:
    return bool(name) and (name[0].isalpha() or name[0] == "_") and all(
        character.isalnum() or character in "_-." for character in name)


def _element(data: bytes, body: int, chunk: int, chunk_size: int, strings: list[str], resource_ids: tuple[int, ...],
             prefixes: dict[str, str], reference_name: Callable[[int], str | None]) -> tuple[str, str]:
    _ns, name_index, attribute_start, attribute_size, count = struct.unpack_from("<IIHHH", data, body)
    if attribute_size < 20 or body + attribute_start + count * attribute_size > chunk + chunk_size:
        raise AxmlError(f"attributes of the element at {chunk} run past it")
    attributes: list[str] = []
    seen: set[str] = set()
    for number in range(count):
        at = body + attribute_start + number * attribute_size
        ns_index, attribute_name, raw, _size, _zero, data_type, value = struct.unpack_from("<IIIHBBI", data, at)
        uri = _lookup(strings, ns_index)
        name = _lookup(strings, attribute_name)
        if not _is_name(name):
            resource = resource_ids[attribute_name] if attribute_name < len(resource_ids) else 0
            name = ANDROID_ATTRIBUTES.get(resource, "")
            uri = ANDROID_NS if name else uri
        if not _is_name(name):
            continue
        qualified = f"{prefixes.get(uri, 'ns')}:{name}" if uri else name
        if uri and uri not in prefixes:
            continue
        if qualified in seen:
            continue
        seen.add(qualified)
        text = _value(strings, raw, data_type, value, reference_name)
        attributes.append(f" {qualified}={quoteattr(text)}")
    return _name(strings, name_index), "".join(attributes)


def _value(strings: list[str], raw: int, data_type: int, value: int,
           reference_name: Callable[[int], str | None]) -> str:
    if raw != 0xFFFFFFFF and raw < len(strings):
        return strings[raw]
    if data_type == TYPE_STRING:
        return _lookup(strings, value)
    if data_type == TYPE_BOOLEAN:
        return "true" if value else "false"
    if data_type in (TYPE_INT_DEC, TYPE_INT_HEX):
        return str(value - (1 << 32) if value & 0x80000000 else value)
    if data_type in (TYPE_REFERENCE, TYPE_ATTRIBUTE):
        named = reference_name(value)
        sigil = "@" if data_type == TYPE_REFERENCE else "?"
        return f"{sigil}{named}" if named else f"{sigil}0x{value:08x}"
    return f"0x{value:08x}"
