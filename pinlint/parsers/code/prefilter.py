"""The byte-level prefilter: whether a file is worth handing to a parser, decided before any parsing.

A parser lists ``TRIGGERS``, byte strings of which at least one must occur in a file for the parser to
find anything in it. Most source files of an app contain none, and are never parsed.

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
from dataclasses import dataclass

#: String literals first, so that ``//`` inside ``"http://..."`` is never a comment; group 1 is a comment.
_C_FAMILY_TOKENS = re.compile(
    rb'"""[\s\S]*?"""'
    rb"|'''[\s\S]*?'''"
    rb'|"(?:\\.|[^"\\\n])*"'
    rb"|'(?:\\.|[^'\\\n])*'"
    rb"|(//[^\n]*|/\*[\s\S]*?(?:\*/|\Z))"
)

COMMENT_SYNTAXES = {"c": _C_FAMILY_TOKENS}


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

    @classmethod
    def of(cls, triggers: tuple[bytes, ...], comments: str | None = None) -> Prefilter:
        if comments is not None and comments not in COMMENT_SYNTAXES:
            raise ValueError(f"unknown comment syntax {comments!r}")
        return cls(minimal_triggers(triggers), comments)

    def wants(self, data: bytes) -> bool:
        """Whether ``data`` holds a trigger (outside comments, when the parser says so)."""
        if self.comments is None:
            return any(trigger in data for trigger in self.triggers)
        present = tuple(trigger for trigger in self.triggers if trigger in data)
        return bool(present) and _outside_comments(data, present, COMMENT_SYNTAXES[self.comments])


def _positions(data: bytes, triggers: tuple[bytes, ...]) -> list[int]:
    found: list[int] = []
    for trigger in triggers:
        index = data.find(trigger)
        while index >= 0:
            found.append(index)
            index = data.find(trigger, index + 1)
    found.sort()
    return found


def _outside_comments(data: bytes, triggers: tuple[bytes, ...], tokens: re.Pattern[bytes]) -> bool:
    """Whether a trigger starts outside every comment. Scans only as far as the last trigger."""
    positions = _positions(data, triggers)
    count = len(positions)
    index = 0
    for token in tokens.finditer(data):
        start, end = token.span()
        if positions[index] < start:
            return True  # between tokens: code
        if token.group(1) is None and positions[index] < end:
            return True  # inside a string literal: code
        while index < count and positions[index] < end:
            index += 1
        if index == count:
            return False
    return True  # after the last token: code
