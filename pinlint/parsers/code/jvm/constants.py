"""Simple constant folding within one file: string literals, concatenations and named constants.

Resolves ``const val PIN = "sha256/..."``, ``private static final String HOST = "api.example.com"``,
companion-object and ``object`` constants (by their last name, ``Pins.PRIMARY``), templates such as
``"sha256/$HASH"`` and arrays or lists of these. A name declared with different values in the file is
ambiguous and stays unresolved.
"""

from __future__ import annotations

from pinlint.parsers.code.jvm.syntax import Syntax, named_children
from pinlint.parsers.code.treesitter import Node, text

MAX_DEPTH = 16

COLLECTION_BUILDERS = frozenset(
    {
        "arrayOf",
        "listOf",
        "setOf",
        "mutableListOf",
        "mutableSetOf",
        "arrayListOf",
        "hashSetOf",
        "linkedSetOf",
        "asList",
        "of",
        "listOfNotNull",
    }
)


class Constants:
    """Named values of one file, evaluated on demand."""

    def __init__(self, syntax: Syntax, declarations: list[Node]) -> None:
        """``declarations``: the file's declaration nodes (``syntax.DECL``), in source order."""
        self.syntax = syntax
        self.values: dict[str, list[Node]] = {}
        for node in declarations:
            for name, value, _declared in syntax.declarations(node):
                if name and value is not None:
                    self.values.setdefault(name, []).append(value)

    def declaration(self, name: str) -> Node | None:
        """The single value node declared for ``name``, if there is exactly one."""
        values = self.values.get(name)
        if values and len(values) == 1:
            return values[0]
        return None

    def reference_name(self, node: Node | None) -> str | None:
        """The constant name an expression refers to (``PIN``, ``Pins.PIN`` -> ``PIN``)."""
        node = self.syntax.unwrap(node)
        if node is None:
            return None
        if node.type == "identifier":
            return text(node)
        dotted = self.syntax.dotted(node)
        if dotted:
            return dotted.rsplit(".", 1)[-1]
        return None

    def string(self, node: Node | None, depth: int = 0) -> str | None:
        """The string value of ``node``, or None when it is not a constant string."""
        if node is None or depth > MAX_DEPTH:
            return None
        syntax = self.syntax
        node = syntax.unwrap(node)
        if node is None:
            return None
        parts = syntax.string_parts(node)
        if parts is not None:
            pieces: list[str] = []
            for part in parts:
                if part.reference is not None:
                    value = self._named(part.reference, depth)
                elif part.expression is not None:
                    value = self.string(part.expression, depth + 1)
                else:
                    value = part.text
                if value is None:
                    return None
                pieces.append(value)
            return "".join(pieces)
        if node.type == "binary_expression" and syntax.operator(node) == "+":
            left = self.string(node.child_by_field_name("left"), depth + 1)
            right = self.string(node.child_by_field_name("right"), depth + 1)
            if left is None or right is None:
                return None
            return left + right
        name = self.reference_name(node)
        if name is not None:
            return self._named(name, depth)
        return None

    def _named(self, name: str, depth: int) -> str | None:
        values = self.values.get(name)
        if not values:
            return None
        results = {self.string(value, depth + 1) for value in values}
        if len(results) != 1:
            return None
        return results.pop()

    def strings(self, node: Node | None, depth: int = 0) -> list[str] | None:
        """The strings of an array or list expression (or of a constant holding one)."""
        if node is None or depth > MAX_DEPTH:
            return None
        syntax = self.syntax
        node = syntax.unwrap(node)
        if node is None:
            return None
        elements = self.elements(node)
        if elements is None:
            name = self.reference_name(node)
            if name is None:
                return None
            value = self.declaration(name)
            return self.strings(value, depth + 1) if value is not None else None
        result: list[str] = []
        for element in elements:
            value = self.string(element, depth + 1)
            if value is None:
                nested = self.strings(element, depth + 1)
                if nested is None:
                    return None
                result.extend(nested)
            else:
                result.append(value)
        return result

    def elements(self, node: Node) -> list[Node] | None:
        """The element expressions of an array or collection literal, else None."""
        syntax = self.syntax
        if node.type in ("array_initializer", "collection_literal"):
            return named_children(node)
        if node.type == "array_creation_expression":
            initializer = node.child_by_field_name("value")
            return named_children(initializer) if initializer is not None else None
        call = syntax.call(node)
        if call is not None and call.name in COLLECTION_BUILDERS and call.lambda_ is None:
            return list(call.args)
        return None
