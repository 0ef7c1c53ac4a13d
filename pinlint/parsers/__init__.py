"""Parsers: one module per format, each turning a file into facts (``pinlint.model``).

A parser never decides what is a problem. Each module provides:

- ``NAME``: a short name used in messages;
- ``accepts(name: str, head: bytes) -> bool``: whether the file is its format, from the file name and the
  first bytes (cheap: no parsing);
- optionally ``TRIGGERS``: byte strings of which at least one must occur in the file for it to be worth
  parsing (the prefilter that keeps most source files from ever reaching a grammar);
- ``parse(source: SourceFile) -> list[object]``: the facts; a file that cannot be read becomes a
  ``ParseError`` fact, never an exception;
- optionally ``context_files(path: Path) -> list[Path]``: files that give this one its project context
  (the manifest and Gradle file of a staged network security config), parsed when the file is scanned
  alone; findings inside them are not reported.

Modules are imported on first use, so a scan of one XML file never loads a source-code grammar.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Protocol, cast


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file's bytes, read once, with the path findings report."""

    path: Path
    display: str
    data: bytes
    #: True for files parsed only as context for another (never reported).
    context_only: bool = False

    def text(self) -> str:
        """The content decoded as UTF-8 (BOM removed), undecodable bytes replaced."""
        return self.data.decode("utf-8-sig", errors="replace")


class InputRefused(Exception):
    """Raised by shared parsing machinery (a grammar) for input it will not analyse; the message says why.

    Parsers turn it into a ``ParseError``; the engine does too if one lets it through.
    """


class ParserModule(Protocol):
    NAME: str

    def accepts(self, name: str, head: bytes) -> bool: ...

    def parse(self, source: SourceFile) -> list[object]: ...


#: Every parser, in the order they run on a file. A file may be claimed by several parsers.
PARSER_MODULES: tuple[str, ...] = (
    "pinlint.parsers.android_nsc",
    "pinlint.parsers.android_manifest",
    "pinlint.parsers.gradle",
    "pinlint.parsers.plist",
    "pinlint.parsers.expo",
    "pinlint.parsers.cordova",
    "pinlint.parsers.capacitor",
    "pinlint.parsers.certificates",
    "pinlint.parsers.lang_jvm",
    "pinlint.parsers.lang_apple",
    "pinlint.parsers.lang_dart",
    "pinlint.parsers.lang_csharp",
    "pinlint.parsers.lang_javascript",
    "pinlint.parsers.lang_python",
    "pinlint.parsers.presence",
)

_loaded: dict[str, ModuleType] = {}


def load(module_name: str) -> ParserModule:
    module = _loaded.get(module_name)
    if module is None:
        module = importlib.import_module(module_name)
        _loaded[module_name] = module
    return cast(ParserModule, module)


def triggers_of(parser: ParserModule) -> tuple[bytes, ...] | None:
    triggers = getattr(parser, "TRIGGERS", None)
    return tuple(triggers) if triggers else None


def context_files_of(parser: ParserModule) -> Callable[[Path], list[Path]] | None:
    return getattr(parser, "context_files", None)
