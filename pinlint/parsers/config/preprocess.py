"""C preprocessor lines in Info.plist files (Xcode's ``INFOPLIST_PREPROCESS``).

A preprocessed plist may hold ``#if DEBUG`` ... ``#else`` ... ``#endif`` lines. Both branches often
write the same key, so the file with the directive lines simply removed is not one valid plist. Instead
each build the file can produce is rebuilt: variant ``k`` takes the ``k``-th branch of every conditional
(the implicit empty ``#else`` when there is none). Lines that are dropped are replaced by empty lines, so
every variant keeps the original line numbers. Lines that only a debug build keeps (the ``#if DEBUG``
branch, the ``#else`` of ``#ifndef DEBUG``) are reported, so their facts can be marked as debug-only.
Conditions are never evaluated; other directives (``#include``, ``#define``) are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: At most this many variants are built, however many branches a conditional has.
MAX_VARIANTS = 8
#: Conditionals nested deeper than this are not followed (their directive lines are dropped, their lines
#: kept), so hostile nesting cannot exhaust the stack.
MAX_NESTING = 64

_DIRECTIVE = re.compile(
    rb"^[ \t]*#[ \t]*"
    rb"(if|ifdef|ifndef|elif|else|endif|define|undef|include|import|error|warning|pragma|line)\b"
    rb"(.*?)[ \t]*(?:\r\n|\r|\n)?$",
    re.DOTALL,
)
_DEBUG_NAME = r"\(?\s*(?:defined\s*\(?\s*)?DEBUG\s*\)?\s*\)?"
_POSITIVE_DEBUG = re.compile(rf"^{_DEBUG_NAME}(?:\s*(?:==|!=)\s*\d+)?$")
_NEGATIVE_DEBUG = re.compile(rf"^!\s*{_DEBUG_NAME}$")


@dataclass
class _Branch:
    debug: bool
    lines: list[int | _Group] = field(default_factory=list)


@dataclass
class _Group:
    branches: list[_Branch] = field(default_factory=list)
    has_else: bool = False
    negative_debug: bool = False


@dataclass(frozen=True, slots=True)
class Variant:
    """One build of a preprocessed file: its bytes (same line count) and the debug-only line numbers."""

    data: bytes
    debug_lines: frozenset[int]
    index: int


def _debug_condition(kind: str, condition: str) -> tuple[bool, bool]:
    """(branch is debug-only, the group's #else is debug-only) for one #if/#ifdef/#ifndef/#elif."""
    text = condition.strip()
    if kind == "ifdef":
        return text == "DEBUG", False
    if kind == "ifndef":
        return False, text == "DEBUG"
    if kind == "elif" and text.startswith("!"):
        return False, False
    if kind in ("if", "elif"):
        if _POSITIVE_DEBUG.match(text) and "!=" not in text and not re.search(r"==\s*0\b", text):
            return True, False
        if _NEGATIVE_DEBUG.match(text):
            return False, True
    return False, False


def _structure(lines: list[bytes]) -> tuple[list[int | _Group], bool]:
    """The file as kept lines and conditional groups; False when it has no directive at all."""
    top: list[int | _Group] = []
    stack: list[tuple[_Group, list[int | _Group]]] = []
    current = top
    found = False
    too_deep = 0  # conditionals opened beyond MAX_NESTING and not yet closed
    for number, line in enumerate(lines):
        match = _DIRECTIVE.match(line)
        if not match:
            current.append(number)
            continue
        found = True
        kind = match.group(1).decode("ascii")
        condition = match.group(2).decode("utf-8", errors="replace")
        if too_deep and kind in ("if", "ifdef", "ifndef", "endif"):
            too_deep += 1 if kind != "endif" else -1
        elif too_deep:
            continue
        elif kind in ("if", "ifdef", "ifndef") and len(stack) >= MAX_NESTING:
            too_deep = 1
        elif kind in ("if", "ifdef", "ifndef"):
            debug, negative = _debug_condition(kind, condition)
            group = _Group(negative_debug=negative)
            group.branches.append(_Branch(debug))
            current.append(group)
            stack.append((group, current))
            current = group.branches[-1].lines
        elif kind in ("elif", "else") and stack:
            group = stack[-1][0]
            if kind == "else":
                group.has_else = True
                debug = group.negative_debug
            else:
                debug, _ = _debug_condition(kind, condition)
            group.branches.append(_Branch(debug))
            current = group.branches[-1].lines
        elif kind == "endif" and stack:
            _group, current = stack.pop()
    return top, found


def _branch_count(nodes: list[int | _Group]) -> int:
    count = 1
    for node in nodes:
        if isinstance(node, _Group):
            own = len(node.branches) + (0 if node.has_else else 1)
            nested = max(_branch_count(branch.lines) for branch in node.branches)
            count = max(count, own, nested)
    return count


def _select(nodes: list[int | _Group], choice: int, debug: bool, kept: dict[int, bool]) -> None:
    for node in nodes:
        if isinstance(node, int):
            kept[node] = debug
            continue
        index = min(choice, len(node.branches) - 1) if node.has_else else choice
        if index < len(node.branches):
            branch = node.branches[index]
            _select(branch.lines, choice, debug or branch.debug, kept)


def _line_ending(line: bytes) -> bytes:
    if line.endswith(b"\r\n"):
        return b"\r\n"
    if line.endswith((b"\n", b"\r")):
        return line[-1:]
    return b""


def variants(data: bytes) -> list[Variant] | None:
    """Each build of a file with preprocessor lines, or None when it has none."""
    if b"#" not in data:
        return None
    lines = data.splitlines(keepends=True)
    nodes, found = _structure(lines)
    if not found:
        return None
    result: list[Variant] = []
    for choice in range(min(_branch_count(nodes), MAX_VARIANTS)):
        kept: dict[int, bool] = {}
        _select(nodes, choice, False, kept)
        parts = [line if number in kept else _line_ending(line) for number, line in enumerate(lines)]
        debug_lines = frozenset(number + 1 for number, debug in kept.items() if debug)
        result.append(Variant(b"".join(parts), debug_lines, choice))
    return result
