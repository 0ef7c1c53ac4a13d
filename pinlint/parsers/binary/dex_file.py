"""Dalvik executables (``classes*.dex``, in APKs): trust managers, hostname verifiers (desugared lambdas
too), WebView SSL handlers, forced TLS versions and OkHttp pins in compiled code
(``pinlint.parsers.binary.code``). Every finding names its class and method; lines come from the debug info."""

from __future__ import annotations

from pinlint.model.facts import ParseError, Span
from pinlint.parsers import SourceFile

NAME = "dex_file"
LANGUAGE = "dex"


def accepts(name: str, head: bytes) -> bool:
    from pinlint.parsers.binary.dex import is_dex

    return name.lower().endswith(".dex") and is_dex(head)


def parse(source: SourceFile) -> list[object]:
    from pinlint.parsers.binary import code, dex

    try:
        classes = [info for info, _source_file in dex.read(source.data)]
        # line numbers are read from the debug info while the facts are made, so a bad one shows here
        return code.analyse(classes, {info.name: source.display for info in classes}, LANGUAGE)
    except dex.DexFormatError as error:
        return [ParseError(Span(source.display), f"malformed DEX file: {error}")]
