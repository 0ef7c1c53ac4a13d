"""Reading property lists safely, with the line of every key.

``plistlib`` reads XML and binary plists and refuses any XML entity declaration (billion laughs,
external entities); it never fetches the DTD. It gives no positions, so a second pass with an
entity-refusing expat parser records the line and column of each ``<key>`` (and of each array item),
keyed by its path from the root. Binary plists have no lines: their paths have no positions.

A plist nested deeper than ``MAX_DEPTH`` containers is refused: real ones nest a few levels, and every
recorded path holds its whole ancestry, so a 50,000-deep document would cost gigabytes.
"""

from __future__ import annotations

import contextlib
import plistlib
import re
import xml.parsers.expat
from dataclasses import dataclass, field

from pinlint.model.facts import ParseError, Span

PathKey = tuple[str | int, ...]

_XML_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")

#: Deeper nesting of arrays and dictionaries than this is refused (libxml2 stops at 256 too).
MAX_DEPTH = 256


@dataclass(frozen=True, slots=True)
class PlistDocument:
    """A decoded plist and the (line, column) where each key or array item is written."""

    value: object
    positions: dict[PathKey, tuple[int, int]]
    binary: bool


class _EntityRefused(Exception):
    pass


class _TooDeep(Exception):
    pass


def _refuse(*_args: object) -> None:
    raise _EntityRefused


@dataclass
class _Frame:
    kind: str
    path: PathKey
    next_index: int = 0
    pending_key: str | None = None


#: The last element of a position path that names where a dictionary member's *value* is written (its
#: ``<string>``), next to the member's own path (its ``<key>``).
VALUE = "\x00value"


@dataclass
class _PositionPass:
    """Expat callbacks that follow the plist structure and note where each member is written."""

    parser: xml.parsers.expat.XMLParserType
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    stack: list[_Frame] = field(default_factory=list)
    key_text: list[str] | None = None
    key_position: tuple[int, int] = (1, 1)

    def where(self) -> tuple[int, int]:
        return self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1

    def start(self, name: str, _attributes: object) -> None:
        if name == "key":
            self.key_text = []
            self.key_position = self.where()
            return
        if name == "plist":
            return
        path: PathKey = ()
        if self.stack:
            top = self.stack[-1]
            if top.kind == "dict":
                path = (*top.path, top.pending_key if top.pending_key is not None else "")
                top.pending_key = None
                member_value: PathKey = (*path, VALUE)
                self.positions[member_value] = self.where()  # the value element (``<string>``) itself
            else:
                path = (*top.path, top.next_index)
                top.next_index += 1
                self.positions[path] = self.where()
        if name in ("dict", "array"):
            if len(self.stack) >= MAX_DEPTH:
                raise _TooDeep
            self.stack.append(_Frame(name, path))

    def end(self, name: str) -> None:
        if name == "key" and self.key_text is not None:
            key = "".join(self.key_text)
            self.key_text = None
            if self.stack and self.stack[-1].kind == "dict":
                top = self.stack[-1]
                top.pending_key = key
                member = (*top.path, key)
                self.positions[member] = self.key_position
        elif name in ("dict", "array") and self.stack:
            self.stack.pop()

    def characters(self, text: str) -> None:
        if self.key_text is not None:
            self.key_text.append(text)


def key_positions(data: bytes) -> dict[PathKey, tuple[int, int]]:
    """Where each key of an XML plist is written; whatever was found before any error.

    Raises ``_TooDeep`` for containers nested deeper than ``MAX_DEPTH``.
    """
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    walker = _PositionPass(parser)
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = lambda *_args: 0
    parser.StartElementHandler = walker.start
    parser.EndElementHandler = walker.end
    parser.CharacterDataHandler = walker.characters
    with contextlib.suppress(xml.parsers.expat.ExpatError, _EntityRefused, ValueError, RecursionError):
        parser.Parse(data, True)
    return walker.positions


def _without_leading_declaration(data: bytes) -> bytes:
    """Blank an XML declaration that is not at the very start (left there by removed lines), keeping lines."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if body.startswith(b"<") or not body.lstrip().startswith(b"<?xml"):
        return data
    match = _XML_DECLARATION.search(data)
    if match is None:
        return data
    blank = bytes(byte if byte in b"\r\n" else 0x20 for byte in match.group())
    return data[: match.start()] + blank + data[match.end():]


def read(data: bytes, display: str) -> PlistDocument | ParseError:
    """The plist in ``data``, or a ParseError (``unsafe`` for entity declarations). Never raises."""
    if data.startswith(b"bplist"):
        try:
            value = plistlib.loads(data, fmt=plistlib.FMT_BINARY)
        except RecursionError:
            return ParseError(Span(display), "the binary plist nests too deeply to read")
        except Exception as error:  # plistlib raises many types on corrupt binary input
            return ParseError(Span(display), f"malformed binary plist: {error}")
        return PlistDocument(value, {}, binary=True)
    if not data.strip():
        return ParseError(Span(display), "the plist is empty")
    xml_data = _without_leading_declaration(data)
    try:
        value = plistlib.loads(xml_data, fmt=plistlib.FMT_XML)
    except plistlib.InvalidFileException as error:
        message = str(error)
        if "entit" in message.lower():
            reason = "the plist declares XML entities; refused without expanding them"
            from pinlint.parsers.config.xmlsafe import unsafe_line

            return ParseError(Span(display, unsafe_line(xml_data)), reason, unsafe=True)
        return ParseError(Span(display), f"malformed plist: {message}")
    except xml.parsers.expat.ExpatError as error:
        line = getattr(error, "lineno", 1) or 1
        reason = xml.parsers.expat.ErrorString(error.code) if error.code else str(error)
        return ParseError(Span(display, line), f"malformed plist XML: {reason}")
    except Exception as error:  # ValueError for bad numbers, and anything else a hostile file provokes
        found = re.search(r"\bline (\d+)", str(error))
        return ParseError(Span(display, int(found.group(1)) if found else 1), f"malformed plist: {error}")
    try:
        positions = key_positions(xml_data)
    except _TooDeep:
        return ParseError(Span(display), f"the plist nests more than {MAX_DEPTH} levels deep; not analysed")
    return PlistDocument(value, positions, binary=False)
