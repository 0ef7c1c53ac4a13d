"""The byte-level prefilter: whether a file is worth handing to a parser, decided before any parsing.

A parser lists ``TRIGGERS``, byte strings of which at least one must occur in a file for the parser to
find anything in it. Most source files of an app contain none, and are never parsed. A word that is
common in ordinary code but yields a fact only beside another (``isTrusted`` is a TrustStrategy callback
only when it takes an ``X509Certificate``) goes in ``TRIGGERS_TOGETHER`` instead: groups of byte strings
that keep a file only when every one of them occurs.

A code parser whose language has C-family comments (``//`` and ``/* */``) may also set
``TRIGGER_COMMENTS = "c"``: a trigger then counts only outside comments. Its parser reads syntax nodes and
never looks inside comments, so a file whose triggers are all in comments yields nothing. This matters
because most open-source app files start with a licence header that holds a URL such as
``http://www.apache.org/licenses/LICENSE-2.0``: without it, ``http://`` would send nearly every file to
the grammar.

The comment scan is deliberately conservative. It recognises string and character literals (including
triple-quoted ones) so that ``"http://host"`` is never mistaken for a comment, and any byte it cannot
place counts as code: a mistake can only make it keep a file, never drop one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

COMMENT_SYNTAXES = frozenset({"c"})


#: A token: its start, its end, and whether it is a comment (else a string literal).
_Token = tuple[int, int, bool]

#: A block comment is matched by its opener only: its end is found with ``bytes.find``, which a lazy
#: pattern can only do one byte at a time (the licence header most files start with runs to 600 bytes).
_COMMENTS = rb"(?P<comment>//[^\n]*|/\*)"


def _literals(quote: bytes) -> bytes:
    """A triple-quoted literal, else a one-line literal, else the quote alone (a quote nothing closes)."""
    q = re.escape(quote)
    return rb"%s%s%s[\s\S]*?%s%s%s|%s(?:\\.|[^%s\\\n])*%s|%s" % (q, q, q, q, q, q, q, q, q, q)


def _tokens(blocked: frozenset[bytes]) -> re.Pattern[bytes]:
    parts = [_literals(quote) for quote in (b'"', b"'") if quote not in blocked]
    return re.compile(b"|".join([*parts, _COMMENTS]))


_DOUBLE, _STAR, _QUOTES = ord('"'), ord("*"), frozenset(b"\"'")
#: The token pattern for each set of quotes known to start no literal up to some point.
_PATTERNS = {
    blocked: _tokens(blocked)
    for blocked in (frozenset(), frozenset({b'"'}), frozenset({b"'"}), frozenset({b'"', b"'"}))
}


def c_family_tokens(data: bytes) -> Iterator[_Token]:
    """The string literals and comments of C-family code, in order, in time linear in ``data``.

    The same tokens, left to right, as trying at each byte: a triple-quoted literal, a one-line quoted
    literal, a ``//`` comment, a ``/* */`` comment (unclosed: to the end). A byte that starts none of them
    is code. Retrying a one-line literal at every quote of a line that has no closing quote takes
    quadratic time (minutes on a few megabytes of ``\\"``); here a failed one-line literal rules out
    every later quote of the same kind on that line: each of them is escaped in the failed attempt, so
    its own attempt reads the same bytes and fails at the same place.
    """
    size = len(data)
    # positions before these cannot start a one-line literal of ``"`` (``'``)
    double_until = single_until = -1
    full, no_double, no_single, no_quotes = (
        _PATTERNS[frozenset()], _PATTERNS[frozenset({b'"'})], _PATTERNS[frozenset({b"'"})],
        _PATTERNS[frozenset({b'"', b"'"})])
    position = 0
    while position < size:
        double, single = position < double_until, position < single_until
        if double or single:
            # Search only up to the end of the blocked line (past it, the quotes count again). Every
            # token kind matches at the same start when cut short, so the first start found is right;
            # the token itself is matched again on the whole data.
            if double and single:
                pattern, limit = no_quotes, min(double_until, single_until)
            elif double:
                pattern, limit = no_double, double_until
            else:
                pattern, limit = no_single, single_until
            found = pattern.search(data, position, limit)
            if found is None:
                position = limit
                continue
            found = pattern.match(data, found.start())
        else:
            found = full.search(data, position)
        if found is None:
            return
        start, end = found.span()
        if end - start == 2 and data[start + 1] == _STAR and found.group("comment") is not None:
            close = data.find(b"*/", end)
            end = size if close < 0 else close + 2  # unclosed: to the end
        elif end - start == 1 and data[start] in _QUOTES:  # a quote alone: no literal closes on its line
            line_end = data.find(b"\n", start)
            if data[start] == _DOUBLE:
                double_until = size if line_end < 0 else line_end
            else:
                single_until = size if line_end < 0 else line_end
            position = start + 1
            continue
        yield start, end, found.group("comment") is not None
        position = end


def minimal_triggers(triggers: tuple[bytes, ...]) -> tuple[bytes, ...]:
    """The triggers without those that contain another trigger (they can never decide the answer alone)."""
    unique = sorted(set(triggers), key=lambda trigger: (len(trigger), trigger))
    kept: list[bytes] = []
    for trigger in unique:
        if not any(shorter in trigger for shorter in kept):
            kept.append(trigger)
    return tuple(kept)


@dataclass(frozen=True, slots=True)
class Prefilter:
    """The trigger test of one parser."""

    triggers: tuple[bytes, ...]
    #: A key of ``COMMENT_SYNTAXES``: triggers inside comments of that syntax do not count.
    comments: str | None = None
    #: Groups of words that count only together: a file is kept when all the words of one group occur.
    together: tuple[tuple[bytes, ...], ...] = ()

    @classmethod
    def of(cls, triggers: tuple[bytes, ...], comments: str | None = None,
           together: tuple[tuple[bytes, ...], ...] = ()) -> Prefilter:
        if comments is not None and comments not in COMMENT_SYNTAXES:
            raise ValueError(f"unknown comment syntax {comments!r}")
        return cls(minimal_triggers(triggers), comments, tuple(tuple(group) for group in together if group))

    def wants(self, data: bytes) -> bool:
        """Whether ``data`` holds a trigger, or every word of a group (outside comments, when the parser
        says so)."""
        if self.comments is None:
            return any(trigger in data for trigger in self.triggers) or any(
                all(word in data for word in group) for group in self.together)
        # Words in the comments before the first token (a licence header) never count: look past them.
        start = code_start(data)
        present = tuple(trigger for trigger in self.triggers if data.find(trigger, start) >= 0)
        if present and _outside_comments(data, present, start):
            return True
        return any(all(data.find(word, start) >= 0 for word in group)
                   and all(_outside_comments(data, (word,), start) for word in group) for group in self.together)


_BLANK = re.compile(rb"[ \t\r\n\f\v]*")
#: Comments skipped at most before the first token: a licence header is one to a few; a file of a million
#: one-line comments (hostile input) stops here, and its later comments are told apart by the comment scan.
MAX_LEADING_COMMENTS = 64


def code_start(data: bytes) -> int:
    """A position before which C-family ``data`` holds only blanks and ``//`` and ``/* */`` comments: the
    start of its first token (most often past a licence header), or an earlier comment's start when more
    than ``MAX_LEADING_COMMENTS`` come first. A block comment ends at its first ``*/``, as in
    ``c_family_tokens``."""
    size = len(data)
    position = 0
    for _comment in range(MAX_LEADING_COMMENTS):
        position = _BLANK.match(data, position).end()  # type: ignore[union-attr]  # matches the empty string
        if data.startswith(b"/*", position):
            close = data.find(b"*/", position + 2)
            position = size if close < 0 else close + 2
        elif data.startswith(b"//", position):
            line_end = data.find(b"\n", position)
            position = size if line_end < 0 else line_end + 1
        else:
            return position
        if position >= size:
            return size
    return position


def _positions(data: bytes, triggers: tuple[bytes, ...], start: int = 0) -> list[int]:
    found: list[int] = []
    for trigger in triggers:
        index = data.find(trigger, start)
        while index >= 0:
            found.append(index)
            index = data.find(trigger, index + 1)
    found.sort()
    return found


def _outside_comments(data: bytes, triggers: tuple[bytes, ...], start: int = 0) -> bool:
    """Whether a trigger starts outside every comment, counting only triggers from ``start`` on (before
    it, ``code_start`` found only blanks and comments). Scans only as far as the last trigger."""
    positions = _positions(data, triggers, start)
    if not positions:
        return False
    count = len(positions)
    index = 0
    for token_start, token_end, comment in c_family_tokens(data):
        if positions[index] < token_start:
            return True  # between tokens: code
        if not comment and positions[index] < token_end:
            return True  # inside a string literal: code
        while index < count and positions[index] < token_end:
            index += 1
        if index == count:
            return False
    return True  # after the last token: code
