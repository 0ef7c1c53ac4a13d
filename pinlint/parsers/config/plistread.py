"""Reading property lists safely, with the line of every key.

``plistlib`` reads XML and binary plists and refuses any XML entity declaration (billion laughs,
external entities); it never fetches the DTD. It gives no positions, so a second pass with an
entity-refusing expat parser records the line and column of each ``<key>`` (and of each array item),
keyed by its path from the root. Binary plists have no lines: their paths have no positions.

A plist nested deeper than ``MAX_DEPTH`` containers is refused: real ones nest a few levels, and every
recorded path holds its whole ancestry, so a 50,000-deep document would cost gigabytes.

The decoded document is budgeted too, not only the file: a binary plist can refer to one object from
many places (a million references to one 1 MB string is a 5 MB file), and everything after the reader
treats each reference as its own value. A plist that decodes to more than ``MAX_VALUES`` values
(counted per reference) or ``MAX_DECODED_BYTES`` of strings and data is refused, after a walk that
stops as soon as the budget is spent. Positions are recorded only up to ``MAX_POSITION_ENTRIES`` path
elements (wide and deep XML), after which members are reported without a line.
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
#: Values a decoded plist may hold, each reference counted (real Info.plists hold hundreds).
MAX_VALUES = 200_000
#: Bytes of strings and data a decoded plist may hold, each reference counted.
MAX_DECODED_BYTES = 32 * 1024 * 1024
#: Path elements recorded for positions in all (each member's path holds its whole ancestry).
MAX_POSITION_ENTRIES = 4_000_000


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

    #: path elements that may still be recorded (MAX_POSITION_ENTRIES in all)
    budget: int = MAX_POSITION_ENTRIES

    def note(self, path: PathKey, where: tuple[int, int]) -> None:
        self.budget -= len(path)
        if self.budget >= 0:
            self.positions[path] = where

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
                self.note(path, self.where())
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
                self.note(member, self.key_position)
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


def over_budget(value: object) -> str | None:
    """Why the decoded ``value`` is too large to analyse, or None. Stops as soon as the budget is spent,
    so a document that refers to one object a billion times costs no more than the budget."""
    values, size = 1, 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (str, bytes, bytearray)):
            size += len(item)
            if size > MAX_DECODED_BYTES:
                return f"the plist decodes to more than {MAX_DECODED_BYTES} bytes of text and data; not analysed"
            continue
        if isinstance(item, dict):
            values += 2 * len(item)
            members: list[object] = [*item.keys(), *item.values()] if values <= MAX_VALUES else []
        elif isinstance(item, (list, tuple)):
            values += len(item)
            members = list(item) if values <= MAX_VALUES else []
        else:
            continue
        if values > MAX_VALUES:
            return f"the plist decodes to more than {MAX_VALUES} values; not analysed"
        stack.extend(members)
    return None


def read(data: bytes, display: str) -> PlistDocument | ParseError:
    """The plist in ``data``, or a ParseError (``unsafe`` for entity declarations). Never raises."""
    if data.startswith(b"bplist"):
        try:
            value = plistlib.loads(data, fmt=plistlib.FMT_BINARY)
        except RecursionError:
            return ParseError(Span(display), "the binary plist nests too deeply to read")
        except Exception as error:  # plistlib raises many types on corrupt binary input
            return ParseError(Span(display), f"malformed binary plist: {error}")
        refused = over_budget(value)
        if refused is not None:
            return ParseError(Span(display), refused)
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
    refused = over_budget(value)
    if refused is not None:
        return ParseError(Span(display), refused)
    try:
        positions = key_positions(xml_data)
    except _TooDeep:
        return ParseError(Span(display), f"the plist nests more than {MAX_DEPTH} levels deep; not analysed")
    return PlistDocument(value, positions, binary=False)
