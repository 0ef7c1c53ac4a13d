"""iOS property lists: ``Info.plist`` and any other plist that carries ATS or TrustKit settings.

XML and binary plists are read with ``plistlib`` (entity declarations refused: CFG902; anything else
unreadable: CFG901), key lines come from an entity-refusing expat pass, and the settings are turned into
facts by ``pinlint.parsers.config.ats``. A plist preprocessed by Xcode (``#if``/``#else``/``#endif`` lines) is
read once per build variant, and settings that only a debug build keeps are marked as such. A plist
whose name says it belongs to a debug build (``Info-Debug.plist``) is marked the same way.
"""

from __future__ import annotations

import re

from pinlint.model.facts import Note, ParseError, Span
from pinlint.parsers import SourceFile
from pinlint.parsers.config import ats, plistread, preprocess

NAME = "plist"

#: A plist with any of these is worth reading even when it is not named like an Info.plist.
SETTING_WORDS = (
    b"NSAppTransportSecurity", b"TSKConfiguration", b"NSAllowsArbitraryLoads", b"NSExceptionDomains",
    b"NSPinnedDomains", b"TSKPinnedDomains",
)


def accepts(name: str, head: bytes) -> bool:
    return name.lower().endswith(".plist")


def is_info_plist_name(name: str) -> bool:
    """``Info.plist``, ``App-Info.plist``, ``Info-Release.plist`` and similar."""
    lowered = name.lower()
    return "info" in re.split(r"[-_. ]+", lowered[: -len(".plist")]) or lowered.endswith("info.plist")


def name_variant(name: str) -> str | None:
    """``debug`` for plists whose name marks them as the debug build's (``Info-Debug.plist``)."""
    stem = name.lower()[: -len(".plist")] if name.lower().endswith(".plist") else name.lower()
    return "debug" if "debug" in re.split(r"[-_. ]+", stem) else None


def parse(source: SourceFile) -> list[object]:
    data = source.data
    if not is_info_plist_name(source.path.name) and not any(word in data for word in SETTING_WORDS):
        return []
    variant = name_variant(source.path.name)
    builds = None if data.startswith(b"bplist") else preprocess.variants(data)
    if builds is None:
        document = plistread.read(data, source.display)
        if isinstance(document, ParseError):
            return [document]
        locator = ats.Locator(source.display, document.positions)
        return ats.interpret(document.value, locator, origin="ats", variant=variant)
    return _parse_preprocessed(source, builds, variant)


def _parse_preprocessed(
    source: SourceFile, builds: list[preprocess.Variant], variant: str | None,
) -> list[object]:
    """Facts from every build of a preprocessed plist; debug-only lines give debug-only facts."""
    facts: dict[object, None] = {}
    errors: list[ParseError] = []
    for build in builds:
        document = plistread.read(build.data, source.display)
        if isinstance(document, ParseError):
            if document.unsafe:
                return [document]
            errors.append(document)
            continue
        locator = ats.Locator(source.display, document.positions)
        for fact in ats.interpret(document.value, locator, origin="ats", variant=variant):
            span = getattr(fact, "span", None)
            if isinstance(span, Span) and span.line in build.debug_lines:
                fact = ats.with_variant(fact, "debug")
            facts.setdefault(fact, None)
    if len(errors) == len(builds):
        first = errors[0]
        return [ParseError(first.span, f"{first.reason} (in every #if branch of the preprocessed plist)")]
    result = list(facts)
    for error in errors:
        result.append(Note(error.span, f"one #if branch of this plist cannot be read: {error.reason}"))
    return result
