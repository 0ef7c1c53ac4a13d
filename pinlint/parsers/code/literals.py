"""Reading string literals, the same way in every code front end.

A string literal in a syntax tree is a row of pieces: plain text, escape sequences and interpolations
(``$"{host}"``, ``"${host}"``, ``"\\(host)"``, ``f"{host}"``). Each front end names its grammar's node kinds
in a ``LiteralForm`` and its escape sequences in an ``Escapes`` table (both small data, beside the front
end); this module walks the pieces, decodes escapes by the table, joins the text with ``HOLE`` where an
expression is interpolated, and cuts the text before the first interpolation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from pinlint.parsers.code.treesitter import Node, text

#: Placeholder for an interpolated part inside a string literal's static text.
HOLE = "\x00"


@dataclass(frozen=True, slots=True)
class Escapes:
    """How one language decodes a backslash escape sequence.

    ``simple`` maps the character after the backslash to its value. A sequence not in the table is kept
    as written, or (``unknown_drops_backslash``) read as the character after the backslash. With
    ``unicode4``, ``\\uXXXX`` is decoded too.
    """

    simple: Mapping[str, str]
    unknown_drops_backslash: bool = False
    unicode4: bool = False

    def decode(self, sequence: str) -> str:
        if len(sequence) == 2 and sequence[0] == "\\":
            found = self.simple.get(sequence[1])
            if found is not None:
                return found
            return sequence[1] if self.unknown_drops_backslash else sequence
        if self.unicode4 and sequence.startswith("\\u") and len(sequence) == 6:
            try:
                return chr(int(sequence[2:], 16))
            except ValueError:
                return sequence
        return sequence


#: Escape sequences kept as written (a language whose front end reads the source text of escapes).
RAW = Escapes({})


@dataclass(frozen=True, slots=True)
class StringPart:
    """A piece of a string literal: ``text``, an interpolated ``expression`` or a ``$name`` ``reference``."""

    text: str
    expression: Node | None = None
    reference: str | None = None

    @property
    def is_hole(self) -> bool:
        return self.expression is not None or self.reference is not None


def _self(node: Node) -> Node:
    return node


@dataclass(frozen=True, slots=True)
class LiteralForm:
    """The node kinds a grammar gives the pieces of one kind of string literal."""

    #: children holding plain text
    text: frozenset[str]
    #: children holding one escape sequence, decoded by ``escapes``
    escape: frozenset[str] = frozenset()
    #: children holding an interpolation
    hole: frozenset[str] = frozenset()
    escapes: Escapes = RAW
    #: the expression of an interpolation child (the child itself unless told)
    expression: Callable[[Node], Node] = field(default=_self)
    #: read only named children (some grammars give text pieces as anonymous nodes)
    named_only: bool = True


def parts(node: Node, form: LiteralForm) -> list[StringPart]:
    """The pieces of ``node`` as ``form`` names them; children of other kinds (quotes) are skipped."""
    found: list[StringPart] = []
    for child in node.named_children if form.named_only else node.children:
        kind = child.type
        if kind in form.text:
            found.append(StringPart(text(child)))
        elif kind in form.escape:
            found.append(StringPart(form.escapes.decode(text(child))))
        elif kind in form.hole:
            found.append(StringPart("", form.expression(child)))
    return found


def joined(pieces: Iterable[StringPart]) -> str:
    """The static text of a literal, with ``HOLE`` for each interpolation."""
    return "".join(HOLE if part.is_hole else part.text for part in pieces)


def prefix(pieces: Iterable[StringPart]) -> tuple[str, bool]:
    """The text before the first interpolation, and whether one follows."""
    written: list[str] = []
    for part in pieces:
        if part.is_hole:
            return "".join(written), True
        written.append(part.text)
    return "".join(written), False


def text_before_hole(value: str) -> str:
    """The static text of a joined literal up to its first ``HOLE``."""
    return value.split(HOLE, 1)[0]


def as_written(pieces: Iterable[StringPart], source: Callable[[Node], str] = text) -> list[tuple[str, bool]]:
    """A literal as written: ``(text, False)`` for each run of text and ``(source, True)`` for each
    interpolation (its expression's source, or the ``$name`` it references)."""
    written: list[tuple[str, bool]] = []
    for part in pieces:
        if part.expression is not None:
            written.append((source(part.expression), True))
        elif part.reference is not None:
            written.append((part.reference, True))
        elif written and not written[-1][1]:
            written[-1] = (written[-1][0] + part.text, False)
        else:
            written.append((part.text, False))
    return written
