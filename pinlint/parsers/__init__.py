"""Parsers: one module per format, each turning a file into facts (``pinlint.model.facts``).

A parser never decides what is a problem. Each module provides:

- ``NAME``: a short name used in messages;
- ``accepts(name: str, head: bytes) -> bool``: whether the file is its format, from the file name and the
  first bytes (cheap: no parsing);
- optionally ``TRIGGERS``: byte strings of which at least one must occur in the file for it to be worth
  parsing (the prefilter that keeps most source files from ever reaching a grammar), and
  ``TRIGGER_COMMENTS = "c"`` when triggers inside the language's ``//`` and ``/* */`` comments do not
  count (see ``pinlint.parsers.code.prefilter``);
- ``parse(source: SourceFile) -> list[object]``: the facts; a file that cannot be read becomes a
  ``ParseError`` fact, never an exception;
- optionally ``CONTEXT``: the kind of project context a file of this format needs when scanned alone
  (``android-config``: the manifest and Gradle file of a staged network security config); discovery
  (``pinlint.discover.android.CONTEXT_FINDERS``) lists those files, parsed as context only: findings
  inside them are not reported.

Modules are imported on first use, and keep their heavy imports (lxml, cryptography, grammars) inside
the functions that need them, so deciding which parsers claim a file loads none of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Protocol, cast

from pinlint.parsers.code.prefilter import Prefilter


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file's bytes, read once, with the path findings report."""

    path: Path
    display: str
    data: bytes
    #: True for files parsed only as context for another (never reported).
    context_only: bool = False
    #: Read what is costly to read too (the audit profile): minified and bundled code.
    thorough: bool = False

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
    "pinlint.parsers.config.android_nsc",
    "pinlint.parsers.config.android_manifest",
    "pinlint.parsers.config.gradle",
    "pinlint.parsers.config.plist",
    "pinlint.parsers.config.expo",
    "pinlint.parsers.config.cordova",
    "pinlint.parsers.config.capacitor",
    "pinlint.parsers.config.certificates",
    "pinlint.parsers.code.lang_jvm",
    "pinlint.parsers.code.lang_apple",
    "pinlint.parsers.code.lang_dart",
    "pinlint.parsers.code.lang_csharp",
    "pinlint.parsers.code.lang_javascript",
    "pinlint.parsers.code.lang_python",
    "pinlint.parsers.config.presence",
    "pinlint.parsers.binary.jvm_class",
    "pinlint.parsers.binary.dex_file",
    "pinlint.parsers.binary.macho_file",
)


def module_named(short_name: str) -> str:
    """The full module name of the parser whose last name part is ``short_name`` (``lang_dart``)."""
    for module_name in PARSER_MODULES:
        if module_name.rsplit(".", 1)[1] == short_name:
            return module_name
    raise KeyError(short_name)



@dataclass(frozen=True, slots=True)
class Claim:
    """The file names a parser may accept: a superset of its ``accepts``, decided from the name alone.

    The engine asks a parser's ``accepts`` only for names its claim covers, so deciding which parsers a
    Kotlin file needs never imports the XML, plist or certificate parsers (and their libraries). A claim
    may cover more than the parser accepts, never less (``tests/parsers/test_claims.py`` checks this).
    """

    #: Lower-case endings (``.xml``); the name is compared lower-cased.
    suffixes: tuple[str, ...] = ()
    #: Whole file names, compared lower-cased.
    names: frozenset[str] = frozenset()
    #: Files without an extension (``pathlib`` rules: ``.gitignore`` and ``file.`` have none).
    no_extension: bool = False

    def may_accept(self, name: str) -> bool:
        lowered = name.lower()
        if lowered.endswith(self.suffixes) or lowered in self.names:
            return True
        if self.no_extension:
            dot = lowered.rfind(".")
            return not 0 < dot < len(lowered) - 1
        return False


_CERTIFICATE_SUFFIXES = (
    ".cer", ".crt", ".pem", ".der", ".cert", ".p7b", ".p7c", ".key", ".p12", ".pfx", ".jks", ".bks",
    ".keystore", ".jceks", ".json", ".txt", ".properties", ".env", ".yaml", ".yml", ".conf", ".cfg",
)

#: The claim of each module of ``PARSER_MODULES``. A module without one is asked about every file.
CLAIMS: dict[str, Claim] = {
    "pinlint.parsers.config.android_nsc": Claim(suffixes=(".xml",)),
    "pinlint.parsers.config.android_manifest": Claim(names=frozenset({"androidmanifest.xml"})),
    "pinlint.parsers.config.gradle": Claim(names=frozenset({"build.gradle", "build.gradle.kts"}),
                                           suffixes=(".toml", ".kt", ".kts")),
    "pinlint.parsers.config.plist": Claim(suffixes=(".plist",)),
    "pinlint.parsers.config.expo": Claim(names=frozenset({
        "app.json", "app.config.json", "app.config.js", "app.config.mjs", "app.config.cjs", "app.config.ts"})),
    "pinlint.parsers.config.cordova": Claim(names=frozenset({"config.xml"})),
    "pinlint.parsers.config.capacitor": Claim(names=frozenset({
        "capacitor.config.json", "capacitor.config.ts", "capacitor.config.js", "capacitor.config.mjs",
        "capacitor.config.cjs"})),
    "pinlint.parsers.config.certificates": Claim(suffixes=_CERTIFICATE_SUFFIXES, no_extension=True),
    "pinlint.parsers.code.lang_jvm": Claim(suffixes=(".kt", ".java")),
    "pinlint.parsers.code.lang_apple": Claim(suffixes=(".swift", ".m", ".mm", ".h")),
    "pinlint.parsers.code.lang_dart": Claim(suffixes=(".dart",)),
    "pinlint.parsers.code.lang_csharp": Claim(suffixes=(".cs", ".csx")),
    "pinlint.parsers.code.lang_javascript": Claim(
        suffixes=(".js", ".jsx", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx")),
    "pinlint.parsers.code.lang_python": Claim(suffixes=(".py", ".pyw")),
    "pinlint.parsers.config.presence": Claim(suffixes=(".xml", ".plist")),
    "pinlint.parsers.binary.jvm_class": Claim(suffixes=(".class",)),
    "pinlint.parsers.binary.dex_file": Claim(suffixes=(".dex",)),
    # Mach-O executables have no extension (``Vendor.framework/Vendor``); dylibs, objects and static libraries do
    "pinlint.parsers.binary.macho_file": Claim(suffixes=(".dylib", ".o", ".a"), no_extension=True),
}

#: Android binary XML (AXML, in APKs) starts with this chunk header. Parsers of text XML never receive it;
#: the binary XML parser reads it instead.
AXML_MAGIC = b"\x03\x00\x08\x00"
TEXT_XML_PARSERS = frozenset({
    "pinlint.parsers.config.android_nsc",
    "pinlint.parsers.config.android_manifest",
    "pinlint.parsers.config.cordova",
})

_loaded: dict[str, ModuleType] = {}


def load(module_name: str) -> ParserModule:
    module = _loaded.get(module_name)
    if module is None:
        module = importlib.import_module(module_name)
        _loaded[module_name] = module
    return cast(ParserModule, module)


def _claim_key(lowered: str) -> tuple[str, bool]:
    """What decides every claim for a lower-cased name: the name itself when a claim names it, else its
    last dotted ending and whether ``pathlib`` sees an extension (claimed endings are plain extensions)."""
    if lowered in _NAMED:
        return lowered, True
    dot = lowered.rfind(".")
    return (lowered[dot:] if dot >= 0 else ""), 0 < dot < len(lowered) - 1


_NAMED = frozenset(name for claim in CLAIMS.values() for name in claim.names)
_SIMPLE_ENDINGS = all(
    suffix.count(".") == 1 and suffix.startswith(".") for claim in CLAIMS.values() for suffix in claim.suffixes
)
#: The parsers of each claim key (``PARSER_MODULES`` is part of the key: tests swap it).
_modules_by_key: dict[tuple[tuple[str, ...], tuple[str, bool]], tuple[ParserModule, ...]] = {}


def candidates_for(name: str) -> list[ParserModule]:
    """The parsers whose claim covers a file ``name``, imported on first use, in ``PARSER_MODULES`` order.

    Only their ``accepts`` still needs asking.
    """
    lowered = name.lower()
    key = (PARSER_MODULES, _claim_key(lowered)) if _SIMPLE_ENDINGS else None
    modules = _modules_by_key.get(key) if key is not None else None
    if modules is None:
        modules = tuple(
            load(module_name) for module_name in PARSER_MODULES
            if (claim := CLAIMS.get(module_name)) is None or claim.may_accept(name)
        )
        if key is not None:
            _modules_by_key[key] = modules
    return list(modules)


def preload(names: Iterable[str]) -> None:
    """Import every parser that files of these names may need (before forking workers that share them)."""
    keys = {_claim_key(name.lower()): name for name in names}
    for name in keys.values():
        candidates_for(name)


def release() -> None:
    """Free what the latest parsed file left behind (its syntax tree), once its facts are out. Loads
    nothing: a scan that never reached a grammar has nothing to free."""
    import sys

    treesitter = sys.modules.get("pinlint.parsers.code.treesitter")
    if treesitter is not None:
        treesitter.forget()


def triggers_of(parser: ParserModule) -> tuple[bytes, ...] | None:
    triggers = getattr(parser, "TRIGGERS", None)
    return tuple(triggers) if triggers else None


def trigger_groups_of(parser: ParserModule) -> tuple[tuple[bytes, ...], ...]:
    """The parser's ``TRIGGERS_TOGETHER``: groups of words that keep a file only when all occur."""
    return tuple(tuple(group) for group in getattr(parser, "TRIGGERS_TOGETHER", ()))


_prefilters: dict[str, Prefilter | None] = {}


def prefilter_of(parser: ParserModule) -> Prefilter | None:
    """The parser's trigger test, or None when it parses every file it claims."""
    key = getattr(parser, "__name__", parser.NAME)
    if key not in _prefilters:
        triggers = triggers_of(parser)
        _prefilters[key] = None if triggers is None else Prefilter.of(
            triggers, getattr(parser, "TRIGGER_COMMENTS", None), trigger_groups_of(parser))
    return _prefilters[key]


def context_files_of(parser: ParserModule) -> Callable[[Path], list[Path]] | None:
    """The discovery function that lists the context files ``parser``'s files need, or None."""
    kind = getattr(parser, "CONTEXT", None)
    if kind is None:
        return None
    from pinlint.discover.android import CONTEXT_FINDERS

    return CONTEXT_FINDERS.get(kind)


def reads(parser: ParserModule, head: bytes) -> bool:
    """Whether ``parser`` may be given a file that starts with ``head`` (text-XML parsers never get AXML)."""
    return not (head.startswith(AXML_MAGIC) and getattr(parser, "__name__", "") in TEXT_XML_PARSERS)


#: Archive members read up to the archive member limit rather than the policy's file size: bytecode, resource
#: tables and (extension-less) executables are routinely larger than any text file.
BINARY_MEMBER_SUFFIXES = (".dex", ".arsc", ".class", ".dylib", ".o", ".a")
#: Readers of compiled binaries: a loose file only they claim may be as large as an archive member (a framework's
#: executable is routinely larger than any text file), not only the policy's file size.
BINARY_READERS = frozenset({"pinlint.parsers.binary.macho_file"})


def is_binary_member(name: str) -> bool:
    base = name.rsplit("/", 1)[-1].lower()
    dot = base.rfind(".")
    return base.endswith(BINARY_MEMBER_SUFFIXES) or not 0 < dot < len(base) - 1


def file_limit(claiming: list[ParserModule], max_file_size: int, member_bytes: int) -> int:
    """The most bytes of a loose file read for ``claiming``: ``member_bytes`` (at least ``max_file_size``) when
    only binary readers claim it, else the policy's ``max_file_size``."""
    binary = bool(claiming) and all(getattr(parser, "__name__", "") in BINARY_READERS for parser in claiming)
    return max(max_file_size, member_bytes) if binary else max_file_size
