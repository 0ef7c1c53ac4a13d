"""Protocol versions and cipher suites forced in code (TlsFloor and CipherPolicy facts).

``SSLContext.getInstance("TLSv1")``, ``setEnabledProtocols(...)`` / ``enabledProtocols = ...``, OkHttp
``ConnectionSpec.Builder(...).tlsVersions(...)`` and ``setEnabledCipherSuites(...)`` /
``.cipherSuites(...)``. Only values resolvable to literals or library constants are reported.
"""

from __future__ import annotations

from pinlint.model.facts import CipherPolicy, TlsFloor
from pinlint.parsers.code.jvm.context import PLATFORM, FileContext
from pinlint.parsers.code.jvm.syntax import ASSIGN, CALL
from pinlint.parsers.code.treesitter import Node
from pinlint.vocab.jvm import GENERIC_CONTEXTS, PROTOCOLS
from pinlint.vocab.tls import spelling_of

#: OkHttp ``TlsVersion`` constants.
TLS_VERSION_CONSTANTS = {
    "SSL_3_0": "SSLv3",
    "TLS_1_0": "TLSv1.0",
    "TLS_1_1": "TLSv1.1",
    "TLS_1_2": "TLSv1.2",
    "TLS_1_3": "TLSv1.3",
}
PROTOCOL_SETTERS = frozenset({"setEnabledProtocols", "tlsVersions"})
CIPHER_SETTERS = frozenset({"setEnabledCipherSuites", "cipherSuites"})
#: Cipher-suite name parts that mark a broken or unauthenticated suite.
WEAK_CIPHER_PARTS = {
    "NULL": "no encryption (NULL)",
    "ANON": "no authentication (anon)",
    "EXPORT": "export-grade keys",
    "EXPORT1024": "export-grade keys",
    "RC4": "RC4",
    "DES": "DES",
    "DES40": "DES",
    "3DES": "3DES",
    "DESEDE": "3DES",
    "MD5": "MD5",
}


#: The names ``analyse`` acts on: a file whose source holds none of them sets no TLS version or cipher
#: suite, and its calls and assignments are not read.
SETTING_WORDS = tuple(sorted(name.encode() for name in {
    "SSLContext", "SSLConnectionSocketFactory", "enabledProtocols", "enabledCipherSuites", *PROTOCOL_SETTERS,
    *CIPHER_SETTERS}))


def analyse(ctx: FileContext) -> list[object]:
    if not ctx.holds(SETTING_WORDS):
        return []
    syntax = ctx.syntax
    facts: list[object] = []
    for node in ctx.index.of(syntax.types_of(CALL) | syntax.types_of(ASSIGN)):
        kind = syntax.kind(node)
        if kind == CALL:
            call = syntax.call(node)
            if call is None or not ctx.sound(node):
                continue
            if (
                call.name == "getInstance"
                and call.args
                and syntax.dotted(call.receiver).endswith("SSLContext")
            ):
                value = ctx.constants.string(call.args[0])
                name = (value or "").strip().lower()
                protocol = None if name in GENERIC_CONTEXTS else PROTOCOLS.get(name)
                if protocol is not None:
                    facts.append(
                        TlsFloor(
                            origin="javax.net.ssl",
                            platform=PLATFORM,
                            min_version=protocol[0],
                            spelling=spelling_of(*protocol),
                            span=ctx.line_span(call.name_node, node),
                            setting=f'SSLContext.getInstance("{value}")',
                            variant=ctx.variant,
                        )
                    )
            elif call.name in PROTOCOL_SETTERS:
                facts.extend(_protocols(ctx, call.name, list(call.args), call.name_node, node))
            elif call.name == "SSLConnectionSocketFactory" and len(call.args) >= 2:
                # Apache HttpClient: SSLConnectionSocketFactory(context, supportedProtocols, cipherSuites, verifier)
                facts.extend(_protocols(ctx, call.name, [call.args[1]], call.name_node, node))
            elif call.name in CIPHER_SETTERS:
                facts.extend(_ciphers(ctx, call.name, list(call.args), call.name_node, node))
        elif kind == ASSIGN and ctx.language == "kotlin":
            target, value, operator = syntax.assignment(node)
            parts = syntax.member_parts(target) if target is not None else None
            if parts is None or value is None or operator != "=" or not ctx.sound(node):
                continue
            if parts[1] == "enabledProtocols":
                facts.extend(_protocols(ctx, "enabledProtocols", [value], target, node))
            elif parts[1] == "enabledCipherSuites":
                facts.extend(_ciphers(ctx, "enabledCipherSuites", [value], target, node))
    return facts


def _values(ctx: FileContext, args: list[Node], constant_names: dict[str, str] | None) -> list[str] | None:
    """The string (or library-constant) values of ``args``, arrays flattened; None when any is unknown."""
    syntax = ctx.syntax
    values: list[str] = []
    for arg in args:
        single = ctx.constants.string(arg)
        if single is not None:
            values.append(single)
            continue
        dotted = syntax.dotted(arg)
        if dotted and "." in dotted:
            owner, _, member = dotted.rpartition(".")
            if constant_names is not None and owner.endswith("TlsVersion") and member in constant_names:
                values.append(constant_names[member])
                continue
            if owner.endswith("CipherSuite"):
                values.append(member)
                continue
        many = ctx.constants.strings(arg)
        elements = ctx.constants.elements(syntax.unwrap(arg)) if syntax.unwrap(arg) is not None else None
        if many is not None:
            values.extend(many)
        elif elements is not None:
            nested = _values(ctx, elements, constant_names)
            if nested is None:
                return None
            values.extend(nested)
        else:
            return None
    return values


def _protocols(ctx: FileContext, name: str, args: list[Node], at: Node, node: Node) -> list[object]:
    values = _values(ctx, args, TLS_VERSION_CONSTANTS)
    if not values:
        return []
    known = [PROTOCOLS[value.strip().lower()] for value in values if value.strip().lower() in PROTOCOLS]
    if not known:
        return []
    lowest = min(known, key=lambda protocol: (protocol[0].rank, protocol[1]))
    setting = f"{name}({', '.join(values)})"
    return [
        TlsFloor(
            origin="okhttp" if name == "tlsVersions" else "javax.net.ssl",
            platform=PLATFORM,
            min_version=lowest[0],
            spelling=spelling_of(*lowest),
            span=ctx.line_span(at, node),
            setting=setting,
            variant=ctx.variant,
        )
    ]


def weak_cipher_reason(suite: str) -> str | None:
    """Why a cipher-suite name is weak, or None."""
    parts = suite.strip().upper().split("_")
    for part in parts:
        reason = WEAK_CIPHER_PARTS.get(part)
        if reason is not None:
            return reason
    return None


def _ciphers(ctx: FileContext, name: str, args: list[Node], at: Node, node: Node) -> list[object]:
    values = _values(ctx, args, None)
    if not values:
        return []
    weak = [value for value in values if weak_cipher_reason(value) is not None]
    if not weak:
        return []
    reasons = sorted({reason for value in weak if (reason := weak_cipher_reason(value)) is not None})
    shown = ", ".join(weak[:3]) + (f" and {len(weak) - 3} more" if len(weak) > 3 else "")
    return [
        CipherPolicy(
            origin="okhttp" if name == "cipherSuites" else "javax.net.ssl",
            platform=PLATFORM,
            weakness=f"weak cipher suites enabled ({', '.join(reasons)})",
            span=ctx.line_span(at, node),
            setting=f"{name}({shown})",
            variant=ctx.variant,
        )
    ]
