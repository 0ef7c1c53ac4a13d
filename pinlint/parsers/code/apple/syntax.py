"""A small, language-neutral view of Swift and Objective-C syntax trees.

The detectors in this package ask the same questions of both languages: which calls are made (a Swift
call and an Objective-C message both become a ``Call`` with a name and labelled arguments), what a
dictionary literal holds, whether an expression is a boolean constant, which branches an ``if`` or
``guard`` has. Each language module answers them from its own grammar's node types.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pinlint.parsers.code.treesitter import MAX_TREE_DEPTH, Node, text, walk


@dataclass(frozen=True, slots=True)
class Argument:
    """One call argument: ``label`` is the Swift argument label or the Objective-C selector part."""

    label: str | None
    value: Node


@dataclass(frozen=True, slots=True)
class Call:
    """A function call, method call or message send.

    ``name`` is the callee's last name (``URLCredential``, ``evaluate``) or, for a message, its first
    selector part (``useCredential``); ``selector`` is the full selector
    (``useCredential:forAuthenticationChallenge:``) for messages and the Swift signature
    (``URLCredential(trust:)``) for calls.
    """

    node: Node
    name: str
    selector: str
    arguments: tuple[Argument, ...]
    receiver: Node | None = None
    closures: tuple[Node, ...] = field(default=())

    def argument(self, label: str) -> Node | None:
        for argument in self.arguments:
            if argument.label == label:
                return argument.value
        return None

    def positional(self, index: int) -> Node | None:
        if index < len(self.arguments):
            return self.arguments[index].value
        return None


@dataclass(frozen=True, slots=True)
class Branches:
    """The parts of a conditional: its conditions, the statements run when they all hold
    (``success``) and when they do not (``failure``). A ``guard`` has no ``success`` block: the
    statements after it run on success, which ``guard`` marks."""

    conditions: tuple[Node, ...]
    success: tuple[Node, ...]
    failure: tuple[Node, ...]
    guard: bool = False


@dataclass(slots=True)
class _Index:
    """One walk of a tree: every node in source order, and the positions of each node type."""

    nodes: list[Node]
    by_type: dict[str, list[int]]


@dataclass
class _Memo:
    """What a ``Syntax`` remembers about the tree it reads (one ``Syntax`` per parsed file)."""

    root: int = -1
    index: _Index | None = None
    calls: dict[int, tuple[Node, Call | None]] = field(default_factory=dict)
    call_list: list[Call] | None = None
    #: (root id, the file's source lower-cased), for ``mentions``
    lowered: tuple[int, bytes] | None = None


class Syntax:
    """The questions detectors ask; each language module subclasses it. A ``Syntax`` reads one tree at a
    time and remembers its walk and its calls (``nodes``, ``of_type``, ``call``)."""

    language = ""
    grammar = ""

    #: node types that start a function body (the scope of a trust decision)
    function_types: frozenset[str] = frozenset()
    #: node types of closures and blocks
    closure_types: frozenset[str] = frozenset()
    #: node types of statement lists (compound statements)
    block_types: frozenset[str] = frozenset()
    #: node types of return/throw
    exit_types: frozenset[str] = frozenset()

    # --- values -------------------------------------------------------------------------------------

    def string_value(self, node: Node | None) -> str | None:
        """The content of a plain string literal, or None (not a literal, or interpolated)."""
        raise NotImplementedError

    def string_prefix(self, node: Node) -> tuple[str, bool] | None:
        """For a string literal: its text up to the first interpolation, and whether one follows."""
        raise NotImplementedError

    def string_literals(self, root: Node) -> Iterator[Node]:
        raise NotImplementedError

    def string_pieces(self, node: Node) -> list[tuple[str, bool]] | None:
        """A literal as written: ``(text, False)`` pieces and ``(source, True)`` for each interpolation;
        None when ``node`` is not a string literal or the language has no interpolation."""
        return None

    def bool_value(self, node: Node | None) -> bool | None:
        raise NotImplementedError

    def name_of(self, node: Node | None) -> str:
        """The last identifier of an expression: ``a.b.c`` -> ``c``, ``.c`` -> ``c``, ``(id)x`` -> ``x``."""
        raise NotImplementedError

    def dict_entries(self, node: Node | None) -> list[tuple[Node, Node]] | None:
        raise NotImplementedError

    def array_elements(self, node: Node | None) -> list[Node] | None:
        raise NotImplementedError

    # --- structure ----------------------------------------------------------------------------------

    def call(self, node: Node) -> Call | None:
        """The call, method call or message ``node`` is, else None (read once per node)."""
        calls = self._memo().calls
        known = calls.get(node.id)
        if known is None:
            # the node is kept with its reading: its tree stays alive, so no other node takes its id
            known = calls[node.id] = (node, self.read_call(node))
        return known[1]

    def read_call(self, node: Node) -> Call | None:
        raise NotImplementedError

    def calls(self, root: Node) -> Iterator[Call]:
        if root.parent is None:
            self._index(root)
            memo = self._memo()
            if memo.call_list is None:
                memo.call_list = [found for node in self.nodes(root) if node.is_named
                                  for found in (self.call(node),) if found is not None]
            yield from memo.call_list
            return
        for node in walk(root):
            if node.is_named:
                found = self.call(node)
                if found is not None:
                    yield found

    def nodes(self, root: Node) -> list[Node]:
        """Every node below ``root`` in source order. For a whole tree the list comes from one walk that
        every analysis of the file shares; a subtree is walked afresh."""
        if root.parent is not None:
            return list(walk(root))
        return self._index(root).nodes

    def of_type(self, root: Node, *types: str) -> list[Node]:
        """The nodes below ``root`` of one of ``types``, in source order (for a whole tree, from the shared
        walk)."""
        if root.parent is not None:
            wanted = frozenset(types)
            return [node for node in walk(root) if node.type in wanted]
        index = self._index(root)
        if len(types) == 1:
            return [index.nodes[at] for at in index.by_type.get(types[0], ())]
        positions = sorted(at for kind in set(types) for at in index.by_type.get(kind, ()))
        return [index.nodes[at] for at in positions]

    def _index(self, root: Node) -> _Index:
        memo = self._memo()
        if memo.index is None or memo.root != root.id:
            # the file's one walk of every node also refuses a tree too deep to analyse (the parser left
            # that test to it: ``lang_apple.parse``)
            nodes = list(walk(root, MAX_TREE_DEPTH))
            by_type: dict[str, list[int]] = {}
            for at, node in enumerate(nodes):
                by_type.setdefault(node.type, []).append(at)
            memo.root, memo.index, memo.call_list = root.id, _Index(nodes, by_type), None
        return memo.index

    def mentions(self, root: Node, words: tuple[bytes, ...]) -> bool:
        """Whether the text of ``root`` (a file's tree) holds one of ``words`` (lower-case) in any case: a scan that
        acts only on certain names asks this before reading any node."""
        memo = self._memo()
        if memo.lowered is None or memo.lowered[0] != root.id:
            memo.lowered = (root.id, (root.text or b"").lower())
        lowered = memo.lowered[1]
        return any(word in lowered for word in words)

    def _memo(self) -> _Memo:
        memo: _Memo | None = self.__dict__.get("_memo_state")
        if memo is None:
            memo = self.__dict__["_memo_state"] = _Memo()
        return memo

    def assignment(self, node: Node) -> tuple[Node, Node] | None:
        """(target, value) for an assignment node, else None."""
        raise NotImplementedError

    def bindings(self, node: Node) -> list[tuple[str, Node | None, Node]]:
        """Names a declaration, optional binding or parameter introduces: (name, value, name node)."""
        raise NotImplementedError

    def branches(self, node: Node) -> Branches | None:
        raise NotImplementedError

    def is_not(self, node: Node) -> bool:
        """Whether ``node`` is a logical not (``!x``)."""
        raise NotImplementedError

    def is_exit(self, node: Node) -> bool:
        """Whether ``node`` is a return or throw statement."""
        raise NotImplementedError

    def comparison(self, node: Node) -> tuple[str, Node, Node] | None:
        """(operator, lhs, rhs) for ``==``/``!=``/``===``/``!==`` comparisons."""
        raise NotImplementedError

    def returned(self, node: Node) -> Node | None:
        """The value of a return statement (None when not a return or no value)."""
        raise NotImplementedError

    def closure_parameters(self, node: Node) -> list[str]:
        raise NotImplementedError

    def function_name(self, node: Node) -> str:
        """A function's name or Objective-C selector (``URLSession:didReceiveChallenge:...``)."""
        raise NotImplementedError

    def debug_lines(self, root: Node) -> list[tuple[int, int]]:
        """Row ranges (0-based, inclusive) of code compiled only in DEBUG builds."""
        return []

    # --- shared helpers -----------------------------------------------------------------------------

    def identifiers(self, node: Node) -> Iterator[str]:
        for child in walk(node):
            if child.type in ("simple_identifier", "identifier", "field_identifier", "type_identifier"):
                yield text(child)
