"""Which platforms the project ships: an Android manifest or an iOS Info.plist is enough to say so.

Claims the files by name only and never reads them, so platform presence does not depend on whether a
manifest or plist parses. ``PlatformPresence`` facts let checks such as unpinned-sensitive-host know
which platforms must pin a host, and where to report when one does not.
"""

from __future__ import annotations

from pinlint.model.facts import PlatformPresence, Span
from pinlint.parsers import SourceFile

NAME = "presence"


def platform_of(name: str) -> str | None:
    if name == "AndroidManifest.xml":
        return "android"
    if name == "Info.plist" or name.endswith("-Info.plist"):
        return "ios"
    return None


def accepts(name: str, head: bytes) -> bool:
    return platform_of(name) is not None


def parse(source: SourceFile) -> list[object]:
    platform = platform_of(source.path.name)
    return [PlatformPresence(platform, Span(source.display))] if platform else []
