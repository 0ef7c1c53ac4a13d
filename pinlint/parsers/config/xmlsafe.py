"""Hostile-input-safe XML reading shared by every XML format (network security config, manifest,
Cordova ``config.xml``, XML plists).

lxml builds the tree with DTD loading, entity resolution and network access all off. A document that
declares entities, or names an external DTD other than Apple's property-list DTD, is refused as unsafe
(CFG902) and never expanded or fetched. A second, entity-refusing expat pass records where each start
tag and each of its attributes begins, because libxml2 reports only the line a start tag ends on.
"""

from __future__ import annotations

import contextlib
import xml.parsers.expat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pinlint.model.facts import ParseError, Span
from pinlint.parsers import SourceFile

if TYPE_CHECKING:  # lxml is imported when the first XML file is parsed, not when a parser is asked
    from lxml import etree

#: External DTDs that are declarations of a document type, not something to fetch or trust.
HARMLESS_SYSTEM_IDS = frozenset({
    "http://www.apple.com/DTDs/PropertyList-1.0.dtd",
    "https://www.apple.com/DTDs/PropertyList-1.0.dtd",
})


@dataclass(frozen=True, slots=True)
class TagPosition:
    line: int
    col: int
    end_line: int
    #: local attribute name -> (line, col) of the attribute name
    attributes: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class XmlDocument:
    """A parsed XML file with start-tag and attribute positions."""

    source: SourceFile
    root: etree._Element
    positions: dict[etree._Element, TagPosition]

    def span(self, element: etree._Element, attribute: str | None = None) -> Span:
        """Where ``element`` starts, or where its ``attribute`` (local name) is written."""
        position = self.positions.get(element)
        if position is None:
            line = element.sourceline or 1
            return Span(self.source.display, line, 1)
        if attribute is not None:
            local = attribute.rsplit("}", 1)[-1]
            found = position.attributes.get(local)
            if found is not None:
                return Span(self.source.display, found[0], found[1], found[0], found[1] + len(local))
        return Span(self.source.display, position.line, position.col, position.end_line, None)


def _parse_error(source: SourceFile, reason: str, line: int = 1, unsafe: bool = False) -> ParseError:
    return ParseError(Span(source.display, max(1, line), 1), reason, unsafe=unsafe)


def _lxml_parser() -> etree.XMLParser:
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_blank_text=False, recover=False,
    )


def _unsafe_reason(tree: etree._ElementTree) -> str | None:
    docinfo = tree.docinfo
    internal = docinfo.internalDTD
    if internal is not None and any(True for _ in internal.iterentities()):
        return "the document declares XML entities; refused without expanding them"
    system_url = docinfo.system_url
    if system_url and system_url not in HARMLESS_SYSTEM_IDS:
        return f"the document names an external DTD ({system_url}); refused without fetching it"
    return None


def parse(source: SourceFile) -> XmlDocument | ParseError:
    """Parse ``source`` safely, or say why it cannot be trusted or read."""
    from lxml import etree

    data = source.data
    if not data.strip():
        return _parse_error(source, "the file is empty")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _parse_error(source, "the file is binary, not XML")
    try:
        root = etree.fromstring(data, _lxml_parser())
    except etree.XMLSyntaxError as error:
        line = error.lineno or 1
        message = str(error.msg or error).strip()
        lowered = message.lower()
        if "entity" in lowered and any(word in lowered for word in ("not defined", "loop", "amplification",
                                                                     "external")):
            return _parse_error(source, f"entity use refused: {message}", unsafe_line(data) if line <= 1 else line,
                                unsafe=True)
        return _parse_error(source, f"malformed XML: {message}", line)
    except (ValueError, MemoryError, RecursionError) as error:
        return _parse_error(source, f"cannot parse XML: {error}")
    if root is None:
        return _parse_error(source, "no root element")
    reason = _unsafe_reason(root.getroottree())
    if reason is not None:
        return _parse_error(source, reason, unsafe_line(data), unsafe=True)
    return XmlDocument(source, root, _positions(root, data))


class _EntityRefused(Exception):
    pass


class _Found(Exception):
    pass


def unsafe_line(data: bytes) -> int:
    """The line of the first entity declaration, else of the ``<!DOCTYPE``, else 1: where CFG902 points.

    Read with an expat pass that stops at the first declaration, so nothing is expanded or fetched.
    """
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    found = {"doctype": 0, "entity": 0}

    def on_doctype(*_args: object) -> None:
        found["doctype"] = found["doctype"] or parser.CurrentLineNumber

    def on_entity(*_args: object) -> None:
        found["entity"] = parser.CurrentLineNumber
        raise _Found

    def on_element(*_args: object) -> None:
        raise _Found  # the prolog is over

    parser.StartDoctypeDeclHandler = on_doctype
    parser.EntityDeclHandler = on_entity
    parser.StartElementHandler = on_element
    parser.ExternalEntityRefHandler = lambda *_args: 0
    with contextlib.suppress(xml.parsers.expat.ExpatError, _Found, ValueError, RecursionError):
        parser.Parse(data, True)
    return found["entity"] or found["doctype"] or 1


def _refuse_entity(*_args: object) -> None:
    raise _EntityRefused


def _positions(root: etree._Element, data: bytes) -> dict[etree._Element, TagPosition]:
    """Map each element to where its start tag and attributes are, via an entity-refusing expat pass."""
    starts: list[tuple[int, int, int]] = []
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = lambda *_args: 0

    def on_start(_name: str, _attributes: object) -> None:
        starts.append((parser.CurrentLineNumber, parser.CurrentColumnNumber, parser.CurrentByteIndex))

    parser.StartElementHandler = on_start
    # A document lxml accepted but expat rejects still gets its tree; only the positions are lost.
    with contextlib.suppress(xml.parsers.expat.ExpatError, _EntityRefused, ValueError, RecursionError):
        parser.Parse(data, True)
    positions: dict[etree._Element, TagPosition] = {}
    elements = [element for element in root.iter() if isinstance(element.tag, str)]
    if len(elements) != len(starts):
        return positions
    for element, (line, col, offset) in zip(elements, starts, strict=True):
        positions[element] = _scan_start_tag(data, offset, line, col + 1)
    return positions


def _scan_start_tag(data: bytes, offset: int, line: int, col: int) -> TagPosition:
    """Walk a start tag's bytes from ``<`` to ``>``, noting where each attribute name begins.

    ``col`` counts characters (as expat does); so do the attribute columns: ``mark`` is a byte offset
    on the current line whose character column is ``mark_col``.
    """
    attributes: dict[str, tuple[int, int]] = {}
    index = offset + 1
    length = len(data)
    current_line = line
    mark, mark_col = offset, col
    while index < length and data[index] not in b" \t\r\n/>":
        index += 1
    quote: int | None = None
    while index < length:
        byte = data[index]
        if byte == 0x0A:
            current_line += 1
            mark, mark_col = index + 1, 1
            index += 1
            continue
        if quote is not None:
            if byte == quote:
                quote = None
            index += 1
            continue
        if byte in (0x22, 0x27):
            quote = byte
            index += 1
            continue
        if byte == 0x3E:  # '>'
            break
        if byte in b" \t\r/=":
            index += 1
            continue
        name_start = index
        while index < length and data[index] not in b" \t\r\n=/>\"'":
            index += 1
        name = data[name_start:index].decode("utf-8", errors="replace")
        local = name.split(":", 1)[-1]
        before = data[mark:name_start]
        width = name_start - mark if before.isascii() else len(before.decode("utf-8", errors="replace"))
        attributes.setdefault(local, (current_line, mark_col + width))
    return TagPosition(line, col, current_line, attributes)


def local_name(element: etree._Element) -> str:
    """The element's name without namespace."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]  # "{namespace}local" or "local", as lxml writes tags


def text_of(element: etree._Element) -> str:
    """The element's own text, trimmed (child elements and comments are not included)."""
    return (element.text or "").strip()
