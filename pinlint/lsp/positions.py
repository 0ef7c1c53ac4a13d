"""From pinlint's positions (1-based lines, 1-based character columns) to LSP positions.

LSP counts a column in code units of the negotiated position encoding: UTF-16 unless the client offers
another (``general.positionEncodings``). A character outside the Basic Multilingual Plane (an emoji, some
CJK) is one character to pinlint and two UTF-16 units to the editor, so every column is converted against
the text of its line.
"""

from __future__ import annotations

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units_of(text: str, encoding: str = UTF16) -> int:
    """How many code units of ``encoding`` ``text`` takes."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def column_to_units(line_text: str, column: int, encoding: str = UTF16) -> int:
    """The 0-based LSP character offset of pinlint's 1-based character ``column`` on ``line_text``.

    A column past the end of the line (a stale finding on an edited buffer) is clamped to the line's end.
    """
    characters = max(0, column - 1)
    return units_of(line_text[:characters], encoding)


def units_to_column(line_text: str, units: int, encoding: str = UTF16) -> int:
    """The 1-based character column at the 0-based LSP offset ``units`` (the inverse of ``column_to_units``)."""
    if encoding == UTF32:
        return min(units, len(line_text)) + 1
    counted = 0
    for index, char in enumerate(line_text):
        if counted >= units:
            return index + 1
        counted += units_of(char, encoding)
    return len(line_text) + 1


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as LSP counts them: split at ``\\r\\n``, ``\\r`` and ``\\n`` only."""
    lines: list[str] = []
    start = 0
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\n" or char == "\r":
            lines.append(text[start:index])
            if char == "\r" and index + 1 < length and text[index + 1] == "\n":
                index += 1
            start = index + 1
        index += 1
    lines.append(text[start:])
    return lines
