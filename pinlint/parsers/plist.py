"""Placeholder parser: claims no file until its issue is built."""

from __future__ import annotations

from pinlint.parsers import SourceFile

NAME = "plist"


def accepts(name: str, head: bytes) -> bool:
    return False


def parse(source: SourceFile) -> list[object]:
    return []
