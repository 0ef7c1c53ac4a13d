"""Swift and Objective-C sources: trust handlers, Alamofire/AFNetworking/TrustKit settings, URLs, TLS floors.

``.swift`` files are Swift; ``.m``, ``.mm`` and ``.h`` are Objective-C (a ``.h`` may be plain C, which the
Objective-C grammar reads too). A file is parsed only when it contains one of ``TRIGGERS``; grammars load
on first use. Findings come from syntax trees only, so comments and string contents never match, and no
fact comes from a region the grammar could not parse. The detectors live in ``pinlint.parsers.code.apple``.
"""

from __future__ import annotations

from pinlint.model.facts import ParseError, Span
from pinlint.parsers import SourceFile
from pinlint.parsers.code.treesitter import Node

NAME = "lang_apple"

SWIFT_SUFFIXES = (".swift",)
OBJC_SUFFIXES = (".m", ".mm", ".h")

#: Byte strings of which one must occur for a file to be parsed at all.
TRIGGERS: tuple[bytes, ...] = (
    b"serverTrust",
    b"ServerTrust",
    b"credentialForTrust",
    b"initWithTrust",
    b"DisabledTrustEvaluator",
    b"DisabledEvaluator",
    b"disableEvaluation",
    b"customEvaluation",
    b"allowInvalidCertificates",
    b"AllowInvalidCertificates",
    b"validatesDomainName",
    b"ValidatesDomainName",
    b"validateHost",
    b"validateCertificateChain",
    b"acceptSelfSignedCertificates",
    b"performDefaultValidation",
    b"kTSK",
    b"TSK",
    b"PinnedCertificatesTrustEvaluator",
    b"PublicKeysTrustEvaluator",
    b"CC_SHA1",
    b"Insecure.SHA1",
    b"pinCertificates",
    b"pinPublicKeys",
    b"AFSecurityPolicy",
    b"PinningMode",
    b"continueWithoutCredential",
    b"http://",
    b"ws://",
    b"HTTP://",
    b"WS://",
    b"tlsMinimumSupportedProtocol",
    b"TLSMinimumSupportedProtocol",
    b"tlsMaximumSupportedProtocol",
    b"TLSMaximumSupportedProtocol",
    b"kCFStreamSSL",
    b"kCFStreamSocketSecurityLevel",
    b"setAllowsAnyHTTPSCertificate",
    b"TLSv1",
    b"tls_protocol_version",
    b"SSLSetProtocolVersion",
    b"kTLSProtocol",
    b"kSSLProtocol",
    b"tlsProtocol",
    b"sslProtocol",
)
#: A challenge handler accepts the server only with a credential built from its trust
#: (``URLCredential(trust:)``); a ``URLCredential`` of a user and password is no trust decision.
TRIGGERS_TOGETHER: tuple[tuple[bytes, ...], ...] = ((b"URLCredential", b"trust"),)
#: Triggers inside comments do not count: the grammar never finds anything there.
TRIGGER_COMMENTS = "c"


def accepts(name: str, head: bytes) -> bool:
    return name.endswith(SWIFT_SUFFIXES + OBJC_SUFFIXES)


def parse(source: SourceFile) -> list[object]:
    from pinlint.parsers.code.apple import handlers, pins, settings
    from pinlint.parsers.code.apple.emit import Emitter
    from pinlint.parsers.code.apple.syntax import Syntax
    from pinlint.parsers.code.treesitter import parse as parse_tree

    syntax: Syntax
    if source.path.name.endswith(SWIFT_SUFFIXES):
        from pinlint.parsers.code.apple.swift import SwiftSyntax

        syntax = SwiftSyntax()
    else:
        from pinlint.parsers.code.apple.objc import ObjcSyntax

        syntax = ObjcSyntax()
    try:
        root = parse_tree(source.data, syntax.grammar, check_depth=False)
        syntax.nodes(root)  # the shared walk of every node, which refuses a tree nested too deep
    except Exception as error:  # a grammar that fails to load or parse is a parse error, not a crash
        return [ParseError(Span(source.display), f"{NAME}: cannot parse {syntax.language}: {error}")]
    emitter = Emitter(source.display, syntax, syntax.debug_lines(root), clean=not root.has_error)
    known = pins.constants(syntax, root)
    settings.scan_settings(syntax, root, emitter)
    settings.scan_urls(syntax, root, emitter)
    if syntax.grammar == "objc":
        _scan_macros(root, emitter)
    pins.scan_trustkit(syntax, root, emitter, known)
    pins.scan_sha1_fingerprints(root, emitter)
    pins.scan_alamofire(syntax, root, emitter, known)
    pins.scan_afnetworking(syntax, root, emitter)
    pins.scan_delegate_pinning(syntax, root, emitter, known)
    handlers.HandlerAnalysis(syntax, root, emitter).run()
    return emitter.facts


def _scan_macros(root: Node, emitter: object) -> None:
    """URL literals in ``#define NAME @"http://..."``: the macro body is parsed, never pattern-matched."""
    from pinlint.parsers import InputRefused
    from pinlint.parsers.code.apple import settings
    from pinlint.parsers.code.apple.emit import Emitter
    from pinlint.parsers.code.treesitter import parse as parse_tree
    from pinlint.parsers.code.treesitter import point

    assert isinstance(emitter, Emitter)
    for node in emitter.syntax.of_type(root, "preproc_def"):
        value = node.child_by_field_name("value")
        if value is None or (b"http://" not in (value.text or b"") and b"ws://" not in (value.text or b"")):
            continue
        body = emitter.syntax.__class__()
        inner = Emitter(emitter.path, body)
        try:
            fragment = parse_tree(b"id __pinlint_macro = " + (value.text or b"") + b";", body.grammar,
                                  fragment=True)
        except InputRefused:  # a macro body nested too deeply or too slow to parse: skip it
            continue
        settings.scan_urls(body, fragment, inner)
        line, column = point(value)
        offset = len(b"id __pinlint_macro = ") + 1  # the fragment's columns start after this prefix
        for fact in inner.facts:
            from dataclasses import replace

            span = fact.span  # type: ignore[attr-defined]
            moved = replace(
                span,
                line=line,
                col=column + span.col - offset,
                end_line=line,
                end_col=column + (span.end_col or span.col) - offset,
            )
            emitter.add(replace(fact, span=moved, variant=emitter.variant(node)))  # type: ignore[type-var]
