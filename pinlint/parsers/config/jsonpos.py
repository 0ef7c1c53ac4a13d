"""A small JSON reader that remembers where each key is written.

Python's ``json`` module gives no positions, and findings in ``app.json`` or ``capacitor.config.json``
must point at the line of the offending key. This reader builds the same values as ``json.loads`` and
records, for every member of an object, the line and column of its key, and for every array item the
position where the item starts. Positions are keyed by the path from the root (object keys and array
indexes). It only reads data; nothing in the file is ever evaluated.

``//`` and ``/* */`` comments and trailing commas are accepted, because some tools read their JSON
configuration leniently; everything else is strict JSON.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import re
from collections.abc import Callable
from dataclasses import dataclass

PathKey = tuple[str | int, ...]

#: Deeper nesting than this is refused rather than recursed into.
MAX_DEPTH = 200

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
#: json's own string scanner (C-accelerated); the stubs do not declare it.
_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_LITERALS = {"true": True, "false": False, "null": None}


class JsonSyntaxError(ValueError):
    """The text is not JSON; ``line`` and ``col`` say where reading stopped (1-based)."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(f"{message} (line {line}, column {col})")
        self.reason = message
        self.line = line
        self.col = col


@dataclass(frozen=True, slots=True)
class JsonDocument:
    """The decoded value and, for each path, the (line, column) of its key or array item."""

    value: object
    positions: dict[PathKey, tuple[int, int]]


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.index = 0
        self.line_starts = [0] + [match.end() for match in re.finditer(r"\r\n|\r|\n", text)]
        self.positions: dict[PathKey, tuple[int, int]] = {}

    def where(self, index: int | None = None) -> tuple[int, int]:
        offset = self.index if index is None else index
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def fail(self, message: str) -> JsonSyntaxError:
        line, col = self.where()
        return JsonSyntaxError(message, line, col)

    def skip_space(self) -> None:
        text = self.text
        length = len(text)
        while self.index < length:
            char = text[self.index]
            if char in " \t\r\n\ufeff":
                self.index += 1
            elif text.startswith("//", self.index):
                end = text.find("\n", self.index)
                self.index = length if end < 0 else end + 1
            elif text.startswith("/*", self.index):
                end = text.find("*/", self.index + 2)
                if end < 0:
                    raise self.fail("unterminated comment")
                self.index = end + 2
            else:
                return

    def peek(self) -> str:
        self.skip_space()
        return self.text[self.index] if self.index < len(self.text) else ""

    def value(self, path: PathKey, depth: int) -> object:
        if depth > MAX_DEPTH:
            raise self.fail("nesting too deep")
        char = self.peek()
        if char == "{":
            return self.parse_object(path, depth)
        if char == "[":
            return self.parse_array(path, depth)
        if char == '"':
            return self.string()
        match = _NUMBER.match(self.text, self.index)
        if match and match.group():
            try:
                number: object = json.loads(match.group())
            except ValueError:  # more digits than Python converts
                raise self.fail("number too long") from None
            self.index = match.end()
            return number
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, self.index):
                self.index += len(word)
                return literal
        raise self.fail("expected a value" if char else "unexpected end of file")

    def string(self) -> str:
        # json's own scanner: linear in time and memory, where a regex over a 5 MB string is neither
        try:
            decoded, end = _scanstring(self.text, self.index + 1, True)
        except ValueError as error:
            message = getattr(error, "msg", str(error))
            if message.startswith("Invalid \\escape"):
                raise self.fail(f"invalid string escape: {message}") from None
            raise self.fail("unterminated or invalid string") from None
        self.index = end
        # a lone surrogate ("\\ud800") cannot be written out as UTF-8: keep it visible, but writable
        return _LONE_SURROGATE.sub("\ufffd", str(decoded))

    def parse_object(self, path: PathKey, depth: int) -> dict[str, object]:
        self.index += 1
        result: dict[str, object] = {}
        while True:
            char = self.peek()
            if char == "}":
                self.index += 1
                return result
            if char != '"':
                raise self.fail("expected a quoted key or '}'")
            key_position = self.where()
            key = self.string()
            if self.peek() != ":":
                raise self.fail("expected ':' after a key")
            self.index += 1
            member = (*path, key)
            self.positions[member] = key_position
            result[key] = self.value(member, depth + 1)
            char = self.peek()
            if char == ",":
                self.index += 1
                continue
            if char != "}":
                raise self.fail("expected ',' or '}'")

    def parse_array(self, path: PathKey, depth: int) -> list[object]:
        self.index += 1
        result: list[object] = []
        while True:
            char = self.peek()
            if char == "]":
                self.index += 1
                return result
            item_path = (*path, len(result))
            self.positions[item_path] = self.where()
            result.append(self.value(item_path, depth + 1))
            char = self.peek()
            if char == ",":
                self.index += 1
                continue
            if char != "]":
                raise self.fail("expected ',' or ']'")


def loads(text: str) -> JsonDocument:
    """Decode ``text``, or raise ``JsonSyntaxError`` with the position where it stops being JSON."""
    reader = _Reader(text)
    value = reader.value((), 0)
    if reader.peek():
        raise reader.fail("unexpected text after the JSON value")
    return JsonDocument(value, reader.positions)
