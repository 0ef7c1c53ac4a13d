"""What every JVM analysis needs about the file being read, collected in one walk of its syntax tree."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from pinlint.model.facts import Span
from pinlint.parsers.code import treesitter
from pinlint.parsers.code.jvm.constants import Constants
from pinlint.parsers.code.jvm.syntax import DECL, Syntax
from pinlint.parsers.code.treesitter import Node

PLATFORM = "android"


@dataclass
class NodeIndex:
    """Every named node of a tree in pre-order, and the positions of each node type among them.

    Built by one walk; the analyses ask it for the nodes of the types they read (``of``), in source
    order, or for those inside one function body (``inside``), instead of walking the tree again.
    """

    nodes: list[Node]
    positions: dict[str, list[int]]
    #: start byte of each node, in the same order (pre-order never goes back in the file)
    starts: list[int]
    #: the merged positions of each set of types asked for
    _merged: dict[frozenset[str], list[int]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, root: Node, max_depth: int = treesitter.MAX_TREE_DEPTH) -> NodeIndex:
        """The index of ``root``'s tree; raises ``NestingTooDeep`` for a node more than ``max_depth`` levels
        below the root (the walk visits every node, so it is also the parser's depth test)."""
        # ``treesitter.walk`` follows a tree cursor, not ``node.children``: a node keeps the children list it
        # was asked for, so the index would hold every anonymous node (each brace and comma) alive as well.
        nodes: list[Node] = []
        positions: dict[str, list[int]] = {}
        starts: list[int] = []
        for node in treesitter.walk(root, max_depth):
            if node.is_named:
                positions.setdefault(node.type, []).append(len(nodes))
                nodes.append(node)
                starts.append(node.start_byte)
        return cls(nodes, positions, starts)

    def _positions(self, types: Iterable[str]) -> list[int]:
        wanted = frozenset(types)
        merged = self._merged.get(wanted)
        if merged is None:
            found = [self.positions[kind] for kind in wanted if kind in self.positions]
            merged = found[0] if len(found) == 1 else sorted(position for group in found for position in group)
            self._merged[wanted] = merged
        return merged

    def of(self, types: Iterable[str]) -> list[Node]:
        """The named nodes whose type is one of ``types``, in pre-order."""
        nodes = self.nodes
        return [nodes[position] for position in self._positions(types)]

    def inside(self, container: Node, types: Iterable[str]) -> list[Node]:
        """The named nodes of ``types`` within ``container`` (itself included), in pre-order."""
        nodes = self.nodes
        first = bisect_left(self.starts, container.start_byte)
        # the ancestors that start where the container starts come before it
        while first < len(nodes) and nodes[first].id != container.id:
            first += 1
        end = container.end_byte
        found: list[Node] = []
        positions = self._positions(types)
        for index in range(bisect_left(positions, first), len(positions)):
            node = nodes[positions[index]]
            if node.start_byte > end or node.end_byte > end:
                if node.start_byte >= end:
                    break
                continue
            found.append(node)
        return found


@dataclass
class FileContext:
    syntax: Syntax
    root: Node
    display: str
    constants: Constants
    variant: str | None
    index: NodeIndex = field(repr=False, default_factory=lambda: NodeIndex([], {}, []))
    #: The file's bytes, for ``holds``.
    source: bytes = field(repr=False, default=b"")

    @classmethod
    def read(cls, syntax: Syntax, root: Node, display: str, variant: str | None) -> FileContext:
        """The context of one parsed file: its nodes indexed in one walk, its constants read from them."""
        index = NodeIndex.build(root)
        syntax = syntax.reading()
        constants = Constants(syntax, index.of(syntax.types_of(DECL)))
        return cls(syntax, root, display, constants, variant, index, root.text or b"")

    def holds(self, words: tuple[bytes, ...]) -> bool:
        """Whether the file's text holds one of ``words``: an analysis that acts only on certain names asks
        this before reading any node, since most files that reach the grammar name none of them."""
        source = self.source
        return any(word in source for word in words)

    @property
    def language(self) -> str:
        return self.syntax.language

    def of_kind(self, kind: str) -> list[Node]:
        """The named nodes of one canonical kind (``syntax.CALL``, ``syntax.DECL``...), in pre-order."""
        return self.index.of(self.syntax.types_of(kind))

    def span(self, node: Node) -> Span:
        return treesitter.span(self.display, node)

    def line_span(self, start: Node, end: Node | None = None) -> Span:
        """A span from ``start`` to the end of ``end`` (a call reported at its method name)."""
        return treesitter.span(self.display, start, end)

    def sound(self, node: Node) -> bool:
        """Whether ``node`` lies in a part of the tree the grammar parsed (no ERROR around or inside it)."""
        if not self.root.has_error:  # a tree without errors anywhere: no ancestor to walk up to
            return True
        return not node.has_error and not treesitter.has_error_ancestor(node)
