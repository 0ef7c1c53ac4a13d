"""Kotlin and Java sources: trust managers, hostname verifiers, WebView SSL handlers, OkHttp pins,
forced TLS versions and cipher suites, and cleartext URL literals.

Files are read with tree-sitter grammars (never regular expressions over code), so comments and the
contents of strings never produce findings. A cheap byte search for trigger words decides whether a file
is parsed at all; most source files never reach a grammar. Parts of a file the grammar cannot parse
(ERROR nodes) are skipped; the rest of the file is still analysed. The analyses live in
``pinlint.parsers.code.jvm``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pinlint.model.facts import ParseError, Span
from pinlint.parsers import InputRefused, SourceFile
from pinlint.parsers.code import treesitter
from pinlint.vocab import testcode

if TYPE_CHECKING:  # the analyses load with the first file that passes the prefilter
    from pinlint.parsers.code.jvm.context import FileContext

NAME = "lang_jvm"

EXTENSIONS = {".kt": "kotlin", ".java": "java"}

#: A file is parsed only when one of these occurs in its bytes. Words that share a core are searched by it,
#: one pass over the file for each core: ``ostnameVerifier`` for ``HostnameVerifier``, ``hostnameVerifier``
#: and ``NoopHostnameVerifier``; ``lsVersion`` for ``TlsVersion`` and ``tlsVersions``; ``ipherSuite`` for
#: ``CipherSuite``, ``cipherSuites`` and ``setEnabledCipherSuites``; ``nabledProtocols`` for
#: ``setEnabledProtocols`` and ``enabledProtocols``.
TRIGGERS: tuple[bytes, ...] = (
    b"checkServerTrusted",
    b"ostnameVerifier",
    b"CertificatePinner",
    b"http://",
    b"ws://",
    b"SSLContext",
    b"nabledProtocols",
    b"lsVersion",
    b"ipherSuite",
    b"ALLOW_ALL",
    b"getInsecure",
    b"TrustStrategy",
    b"TrustSelfSigned",
    b"TrustAllStrategy",
    b"sslSocketFactory",
    b"SSLConnectionSocketFactory",
    b"DisableCNCheck",
)
#: Words common in ordinary code that yield a fact only together: ``isTrusted`` is a TrustStrategy
#: callback only when it takes an ``X509Certificate`` (apps name their own device and account checks
#: ``isTrusted``); an ``onReceivedSslError`` override is reported only when it calls ``proceed``.
TRIGGERS_TOGETHER: tuple[tuple[bytes, ...], ...] = (
    (b"isTrusted", b"X509Certificate"),
    (b"onReceivedSslError", b"proceed"),
)
#: Triggers inside comments do not count: the grammar never finds anything there.
TRIGGER_COMMENTS = "c"



def analyses() -> tuple[Callable[[FileContext], list[object]], ...]:
    """The analyses run on every parsed file, in order."""
    from pinlint.parsers.code.jvm import endpoints, pinning, tls, trust

    return (trust.analyse, pinning.analyse, tls.analyse, endpoints.analyse)


def language_of(name: str) -> str | None:
    for suffix, language in EXTENSIONS.items():
        if name.endswith(suffix):
            return language
    return None


def accepts(name: str, head: bytes) -> bool:
    return language_of(name) is not None


def variant_of(display: str) -> str | None:
    """The debug build variant a source path belongs to (``src/debug/...`` -> ``debug``), None otherwise.

    Test source sets (``src/test``, ``src/androidTestDebug``) are not build variants: test code is told apart
    by ``pinlint.vocab.testcode`` for every language at once.
    """
    parts = display.replace("\\", "/").split("/")
    for index, part in enumerate(parts[:-1]):
        if part == "src" and index + 1 < len(parts) - 1:
            source_set = parts[index + 1]
            if testcode.is_test_source_set(source_set):
                return None
            if source_set == "debug" or source_set.endswith("Debug"):
                return source_set
    return None


def parse(source: SourceFile) -> list[object]:
    language = language_of(source.path.name) or language_of(source.display)
    if language is None or not treesitter.contains_trigger(source.data, TRIGGERS, TRIGGERS_TOGETHER):
        return []
    from pinlint.parsers.code.jvm.context import FileContext
    from pinlint.parsers.code.jvm.syntax import for_language

    try:
        # the node index walks every node, so it tests the depth instead of a walk of its own
        root = treesitter.parse(source.data, language, check_depth=False)
    except InputRefused as error:
        return [ParseError(Span(source.display), f"cannot analyse {language}: {error}")]
    except (ImportError, OSError, ValueError) as error:
        return [ParseError(Span(source.display), f"cannot load the {language} grammar: {error}")]
    try:
        ctx = FileContext.read(for_language(language), root, source.display, variant_of(source.display))
    except InputRefused as error:  # nested deeper than the analyses may follow
        return [ParseError(Span(source.display), f"cannot analyse {language}: {error}")]
    facts: list[object] = []
    for analysis in analyses():
        facts.extend(analysis(ctx))
    return facts
