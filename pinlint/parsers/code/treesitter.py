"""Shared tree-sitter plumbing for the source-code front ends.

Grammars are loaded lazily, once per process, so that scanning configuration files never imports a
grammar. Tree walks are iterative so that deeply nested code cannot exhaust the Python stack, and a tree
nested deeper than ``MAX_TREE_DEPTH`` is refused before any front end sees it: tree-sitter finds a node's
parent by descending from the root, so every upward walk costs time in proportion to the depth, and
hostile input (100,000 nested parentheses, or a 100,000-term ``+`` chain) would otherwise take hours.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from pinlint.model.facts import Span
from pinlint.parsers import InputRefused

#: language name -> (module, function returning the grammar pointer)
GRAMMARS: dict[str, tuple[str, str]] = {
    "kotlin": ("tree_sitter_kotlin", "language"),
    "java": ("tree_sitter_java", "language"),
    "swift": ("tree_sitter_swift", "language"),
    "objc": ("tree_sitter_objc", "language"),
    "dart": ("tree_sitter_dart", "language"),
    "csharp": ("tree_sitter_c_sharp", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
}

#: Syntax trees deeper than this are refused (real code stays below a hundred or so levels).
MAX_TREE_DEPTH = 1000

_parsers: dict[str, Any] = {}
#: The source of the latest file parsed, then the fragments parsed inside it (newest last): spans count
#: columns in characters and a node knows only byte offsets, so ``span`` finds a node's source here.
_sources: list[bytes] = []
MAX_REMEMBERED_FRAGMENTS = 4
#: node -> parent, for the trees of the latest parse (cleared by ``parse``; the cached nodes keep their
#: tree alive, so a node id cannot be reused by another tree while it is a key here).
_parents: dict[tuple[int, int, int], Any] = {}


#: Parsing time allowed for one file: a base plus a rate per megabyte (real code parses in under a second
#: per megabyte; mutated input can drive a grammar's error recovery into minutes).
PARSE_SECONDS_BASE = 5.0
PARSE_SECONDS_PER_MB = 5.0


class NestingTooDeep(InputRefused, RecursionError):
    """A syntax tree nested deeper than ``MAX_TREE_DEPTH``: the file is reported as not analysed."""


class ParseTooSlow(InputRefused):
    """The grammar did not finish within its time budget: the file is reported as not analysed."""


class TooManyTokens(InputRefused):
    """More tokens than ``MAX_TOKENS``: the syntax tree would not fit the memory bound."""


#: Tokens a file may hold to be parsed. A grammar keeps about 200 bytes per syntax node while parsing and
#: the analysis walks the nodes after it, so 1.2 million tokens (a dense 4 to 5 MB file; ordinary code
#: of that size has far fewer) stay within a few hundred megabytes. Counted before parsing.
MAX_TOKENS = 1_200_000
#: Bytes to token classes: word characters, white space, anything else (each byte its own token).
_CLASSES = bytes(
    ord("a") if chr(byte).isalnum() or byte in b"_$" or byte >= 0x80 else ord(" ") if chr(byte).isspace()
    else ord(".") for byte in range(256))


def token_estimate(data: bytes) -> int:
    """An upper estimate of the tokens in ``data``: runs of word characters, plus every other non-space
    byte. Linear, in C loops (translate, count), and holding one copy of ``data``: a run of word
    characters is counted where one starts, after a space or another token or at the very start (a
    substitution would build one piece per run first, 120 MB for a 3 MB minified file)."""
    classes = data.translate(_CLASSES)
    runs = classes.count(b" a") + classes.count(b".a") + classes.startswith(b"a")
    return classes.count(b".") + runs

Node = Any  # tree_sitter.Node; typed loosely so modules need not import tree_sitter eagerly


def forget() -> None:
    """Drop the latest file's source, fragments and parent cache, so its syntax tree is freed now rather
    than when the next file is parsed (the cached nodes keep the whole tree alive)."""
    _parents.clear()
    _sources.clear()


def grammar_binding(package: str) -> ModuleType:
    """The compiled part (``<package>._binding``) of a grammar package, loaded without running the package's
    ``__init__``: most grammar packages import ``importlib.resources`` there for their query files, which
    pinlint does not read, and that import (tempfile, shutil, random, bz2, lzma) is most of what a
    one-file pre-commit run spends on loading its grammar (Kotlin: 5.5-8 ms with it, 1.2-1.8 ms
    without). Falls back to the ordinary import when the package is laid out otherwise."""
    name = f"{package}._binding"
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    package_spec = importlib.util.find_spec(package)
    folders = package_spec.submodule_search_locations if package_spec is not None else None
    for folder in folders or ():
        finder = importlib.machinery.FileFinder(
            folder, (importlib.machinery.ExtensionFileLoader, importlib.machinery.EXTENSION_SUFFIXES))
        spec = finder.find_spec(name)
        if spec is not None and spec.loader is not None:
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            sys.modules[name] = module
            return module
    return importlib.import_module(name)


def parser_for(language: str) -> Any:
    """A cached ``tree_sitter.Parser`` for ``language`` (a key of GRAMMARS)."""
    parser = _parsers.get(language)
    if parser is None:
        import tree_sitter

        module_name, function_name = GRAMMARS[language]
        grammar = tree_sitter.Language(getattr(grammar_binding(module_name), function_name)())
        parser = tree_sitter.Parser(grammar)
        _parsers[language] = parser
    return parser


def parse(data: bytes, language: str, fragment: bool = False, check_depth: bool = True) -> Node:
    """The root node of ``data`` parsed as ``language``. Parse errors stay in the tree as ERROR nodes.

    ``fragment`` marks text taken from the file being analysed (a macro body): the file's own source is
    remembered beside it, so spans of both count columns correctly. ``check_depth=False`` leaves the tree's
    depth to the caller, which must refuse a tree deeper than ``MAX_TREE_DEPTH`` itself before analysing it
    (the Kotlin/Java node index does, in the walk it makes over every node anyway).

    Raises ``NestingTooDeep`` for a tree deeper than ``MAX_TREE_DEPTH``, ``ParseTooSlow`` when the grammar
    takes longer than its budget (``PARSE_SECONDS_BASE`` plus ``PARSE_SECONDS_PER_MB`` per megabyte) and
    ``TooManyTokens`` for more than ``MAX_TOKENS`` tokens.
    """
    _parents.clear()
    tokens = token_estimate(data)
    if tokens > MAX_TOKENS:
        raise TooManyTokens(f"about {tokens} tokens, over the {MAX_TOKENS}-token limit of the syntax tree; "
                            "not analysed")
    parser = parser_for(language)
    budget = PARSE_SECONDS_BASE + PARSE_SECONDS_PER_MB * len(data) / 1_000_000
    _set_timeout(parser, budget)
    try:
        tree = parser.parse(data)
    except ValueError:  # what tree-sitter raises when the time budget runs out
        parser.reset()
        raise ParseTooSlow(f"parsing took longer than {budget:.0f} s; not analysed") from None
    root = tree.root_node
    if fragment and _sources:
        del _sources[1:-MAX_REMEMBERED_FRAGMENTS + 1]
        _sources.append(data)
    else:
        _sources[:] = [data]
    if (check_depth and depth_exceeds(root, MAX_TREE_DEPTH)) or (
            root.has_error and bracket_depth(data) > MAX_TREE_DEPTH):
        raise too_deep()
    return root


def too_deep() -> NestingTooDeep:
    return NestingTooDeep(f"syntax nested more than {MAX_TREE_DEPTH} levels deep; not analysed")


#: Opening brackets become +1, closing ones -1 (as signed bytes); every other byte is deleted.
_BRACKETS = bytes(1 if chr(byte) in "({[" else 255 if chr(byte) in ")}]" else 0 for byte in range(256))
_NOT_BRACKETS = bytes(byte for byte in range(256) if chr(byte) not in "({[)}]")


def bracket_depth(data: bytes) -> int:
    """The deepest unclosed ``( { [`` nesting of ``data``, brackets in strings and comments included.

    A grammar's error recovery can flatten text it cannot place (100,000 unclosed Objective-C blocks
    become one flat ERROR node), hiding depth the tree no longer shows; this counts it in the bytes, in C
    loops, for trees that hold errors."""
    from itertools import accumulate

    steps = memoryview(data.translate(_BRACKETS, _NOT_BRACKETS)).cast("b")
    return max(accumulate(steps), default=0)


def _set_timeout(parser: Any, seconds: float) -> None:
    # timeout_micros is deprecated in favour of a progress callback, which only works with chunked
    # reading and which crashed the process when it cancelled a parse; the timeout is reliable.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if hasattr(parser, "timeout_micros"):
            parser.timeout_micros = int(seconds * 1_000_000)


def depth_exceeds(root: Node, limit: int) -> bool:
    """Whether any node lies more than ``limit`` levels below ``root`` (one cursor pass, no recursion)."""
    cursor = root.walk()
    depth = 0
    while True:
        if cursor.goto_first_child():
            depth += 1
            if depth > limit:
                return True
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return False
            depth -= 1


def walk(root: Node, max_depth: int | None = None) -> Iterator[Node]:
    """Every named and anonymous node below ``root`` (pre-order), without recursion.

    A tree cursor holds only the path to the current node, so a bundle whose functions hold thousands of
    statements does not keep a Python object alive for every pending sibling. With ``max_depth``, raises
    ``NestingTooDeep`` on reaching a node more than ``max_depth`` levels below ``root``: for a caller that
    walks every node anyway and parsed with ``check_depth=False``."""
    yield root
    cursor = root.walk()
    depth = 0
    while True:
        if cursor.goto_first_child():
            depth += 1
            if max_depth is not None and depth > max_depth:
                raise too_deep()
            yield cursor.node
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return
            depth -= 1
        yield cursor.node


def walk_named(root: Node, *types: str) -> Iterator[Node]:
    """Named nodes below ``root`` whose type is one of ``types`` (all named nodes when none given)."""
    wanted = frozenset(types)
    for node in walk(root):
        if node.is_named and (not wanted or node.type in wanted):
            yield node


def text(node: Node | None) -> str:
    """The source text of ``node`` (empty for None)."""
    if node is None:
        return ""
    raw: bytes = node.text or b""
    return raw.decode("utf-8", errors="replace")


def _source_of(node: Node) -> bytes | None:
    """The parsed source ``node`` belongs to, or None when it is not among the latest parses."""
    start, end = node.start_byte, node.end_byte
    text: bytes | None = None
    for data in reversed(_sources):
        if end <= len(data):
            if text is None:
                text = node.text or b""
            if data[start:end] == text:
                return data
    return None


def char_column(data: bytes | None, offset: int, byte_column: int) -> int:
    """The 1-based column, in characters (code points), of byte ``offset``, whose 0-based byte column in
    its line is ``byte_column``. Undecodable bytes count one character each, as they are shown."""
    if data is None or byte_column == 0:
        return byte_column + 1
    before = data[offset - byte_column: offset]
    if before.isascii():
        return byte_column + 1
    return len(before.decode("utf-8", errors="replace")) + 1


def columns(node: Node) -> tuple[int, int]:
    """The 1-based start and end columns of ``node`` in characters (tree-sitter counts bytes)."""
    data = _source_of(node)
    return (char_column(data, node.start_byte, node.start_point[1]),
            char_column(data, node.end_byte, node.end_point[1]))


def span(path: str, node: Node, end: Node | None = None) -> Span:
    """The 1-based span of ``node`` (to the end of ``end`` when given), columns counted in characters."""
    last = end if end is not None else node
    data = _source_of(node)
    last_data = data if last is node else _source_of(last)
    return Span(
        path,
        node.start_point[0] + 1,
        char_column(data, node.start_byte, node.start_point[1]),
        last.end_point[0] + 1,
        char_column(last_data, last.end_byte, last.end_point[1]),
    )


def point(node: Node) -> tuple[int, int]:
    """The 1-based (line, column) where ``node`` starts, the column in characters."""
    return node.start_point[0] + 1, char_column(_source_of(node), node.start_byte, node.start_point[1])


def parent(node: Node) -> Node | None:
    """``node.parent``, remembered: tree-sitter finds a parent by descending from the root, so walking a
    chain of parents afresh for every node of a deep tree costs the square of its depth each time."""
    key = (node.id, node.start_byte, node.end_byte)
    try:
        return _parents[key]
    except KeyError:
        found = node.parent
        _parents[key] = found
        return found


def ancestors(node: Node) -> Iterator[Node]:
    found = parent(node)
    while found is not None:
        yield found
        found = parent(found)


def has_error_ancestor(node: Node) -> bool:
    """Whether ``node`` sits inside a region the grammar could not parse (findings there are unsound)."""
    return any(parent.type == "ERROR" for parent in ancestors(node))


def contains_trigger(data: bytes, triggers: tuple[bytes, ...],
                     together: tuple[tuple[bytes, ...], ...] = ()) -> bool:
    """The byte-level prefilter: whether any trigger word, or every word of a group, occurs in ``data``."""
    return any(trigger in data for trigger in triggers) or any(
        all(word in data for word in group) for group in together)
