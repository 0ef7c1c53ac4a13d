"""What every JVM analysis needs about the file being read."""

from __future__ import annotations

from dataclasses import dataclass

from pinlint.model.facts import Span
from pinlint.parsers.code import treesitter
from pinlint.parsers.code.jvm.constants import Constants
from pinlint.parsers.code.jvm.syntax import Syntax
from pinlint.parsers.code.treesitter import Node

PLATFORM = "android"


@dataclass
class FileContext:
    syntax: Syntax
    root: Node
    display: str
    constants: Constants
    variant: str | None

    @property
    def language(self) -> str:
        return self.syntax.language

    def span(self, node: Node) -> Span:
        return treesitter.span(self.display, node)

    def line_span(self, start: Node, end: Node | None = None) -> Span:
        """A span from ``start`` to the end of ``end`` (a call reported at its method name)."""
        return treesitter.span(self.display, start, end)

    def sound(self, node: Node) -> bool:
        """Whether ``node`` lies in a part of the tree the grammar parsed (no ERROR around or inside it)."""
        return not node.has_error and not treesitter.has_error_ancestor(node)
