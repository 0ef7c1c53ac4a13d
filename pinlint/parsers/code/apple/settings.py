"""Library settings that weaken trust, hostname checks or the TLS floor, and URL literals.

AFNetworking ``allowInvalidCertificates``/``validatesDomainName``; CFStream SSL settings
(``kCFStreamSSLValidatesCertificateChain``, ``kCFStreamSSLAllowsAnyRoot``...); the private
``setAllowsAnyHTTPSCertificate:forHost:``; URLSession and Network.framework TLS floors; ``http://`` and
``ws://`` literals. Every shape is matched on syntax nodes, so comments and string contents never match.
"""

from __future__ import annotations

import re

from pinlint.model.facts import HOSTNAME, SERVER_TRUST
from pinlint.parsers.code.apple.emit import Emitter
from pinlint.parsers.code.apple.syntax import Argument, Syntax
from pinlint.parsers.code.treesitter import Node, ancestors, text
from pinlint.vocab.tls import SSL2, SSL3, TLS10, TLS11, TLS12, TLS13, TlsVersion

#: protocol constants -> the version they name (CLR204 decides which are too old)
PROTOCOLS: dict[str, TlsVersion] = {
    "TLSv10": TLS10,
    "TLSv11": TLS11,
    "tls_protocol_version_TLSv10": TLS10,
    "tls_protocol_version_TLSv11": TLS11,
    "tlsProtocol1": TLS10,
    "tlsProtocol11": TLS11,
    "kTLSProtocol1": TLS10,
    "kTLSProtocol11": TLS11,
    "kTLSProtocol1Only": TLS10,
    "tlsProtocol1Only": TLS10,
    "kSSLProtocol3": SSL3,
    "sslProtocol3": SSL3,
    "kSSLProtocol3Only": SSL3,
    "sslProtocol3Only": SSL3,
    "kSSLProtocol2": SSL2,
    "sslProtocol2": SSL2,
    "kCFStreamSocketSecurityLevelSSLv3": SSL3,
    "kCFStreamSocketSecurityLevelSSLv2": SSL2,
    "TLSv12": TLS12,
    "TLSv13": TLS13,
    "tls_protocol_version_TLSv12": TLS12,
    "tls_protocol_version_TLSv13": TLS13,
    "tlsProtocol12": TLS12,
    "tlsProtocol13": TLS13,
    "kTLSProtocol12": TLS12,
    "kTLSProtocol13": TLS13,
}

#: properties (and their setters) that set a protocol floor or ceiling
TLS_PROPERTIES = frozenset(
    {
        "tlsMinimumSupportedProtocolVersion",
        "tlsMinimumSupportedProtocol",
        "TLSMinimumSupportedProtocolVersion",
        "TLSMinimumSupportedProtocol",
        "tlsMaximumSupportedProtocolVersion",
        "tlsMaximumSupportedProtocol",
        "TLSMaximumSupportedProtocolVersion",
        "TLSMaximumSupportedProtocol",
    }
)

#: functions whose second argument is a protocol floor or ceiling
TLS_FUNCTIONS = frozenset(
    {
        "sec_protocol_options_set_min_tls_protocol_version",
        "sec_protocol_options_set_max_tls_protocol_version",
        "sec_protocol_options_set_tls_min_version",
        "sec_protocol_options_set_tls_max_version",
        "SSLSetProtocolVersionMin",
        "SSLSetProtocolVersionMax",
    }
)

#: CFStream SSL settings keys and the boolean value that weakens trust
STREAM_TRUST_KEYS: dict[str, bool] = {
    "kCFStreamSSLValidatesCertificateChain": False,
    "kCFStreamSSLAllowsAnyRoot": True,
    "kCFStreamSSLAllowsExpiredCertificates": True,
    "kCFStreamSSLAllowsExpiredRoots": True,
}

_STREAM_ORIGIN = "cfstream"


def _receiver_name(syntax: Syntax, site: Node) -> str:
    """``policy`` for ``policy.allowInvalidCertificates = YES`` and ``[policy setAllowInvalidCertificates:YES]``."""
    call = syntax.call(site)
    if call is not None and call.receiver is not None:
        return syntax.name_of(call.receiver)
    assigned = syntax.assignment(site)
    if assigned is None:
        return ""
    written = "".join(text(assigned[0]).split())
    return written.rsplit(".", 2)[-2] if written.count(".") >= 1 else ""


def _policy_mode(syntax: Syntax, site: Node) -> str:
    """``public-key`` or ``certificate`` when the policy the site configures was made with that pinning mode."""
    from pinlint.parsers.code.apple.pins import bound_name

    receiver = _receiver_name(syntax, site)
    if not receiver:
        return ""
    scope = site
    for parent in ancestors(site):
        scope = parent
        if parent.type in syntax.function_types:
            break
    for call in syntax.calls(scope):
        if call.node.start_byte > site.start_byte:
            break
        if not call.selector.startswith("policyWithPinningMode:") and call.argument("pinningMode") is None:
            continue
        mode = call.argument("policyWithPinningMode") or call.argument("pinningMode")
        if bound_name(syntax, call.node) != receiver or mode is None:
            continue
        written = syntax.name_of(mode).lower()
        if written.endswith("publickey"):
            return "public-key"
        if written.endswith("certificate"):
            return "certificate"
    return ""


def _setter_property(selector: str) -> str:
    """``setAllowInvalidCertificates:`` -> ``allowInvalidCertificates``."""
    if (
        selector.startswith("set")
        and selector.endswith(":")
        and selector.count(":") == 1
        and len(selector) > 4
    ):
        return selector[3].lower() + selector[4:-1]
    return ""


def _property_writes(syntax: Syntax, root: Node) -> list[tuple[str, Node, Node]]:
    """(property name, value, site) for ``x.prop = v``, ``x?.prop = v`` and ``[x setProp:v]``."""
    writes: list[tuple[str, Node, Node]] = []
    for node in syntax.nodes(root):
        if not node.is_named:
            continue
        assigned = syntax.assignment(node)
        if assigned is not None:
            writes.append((syntax.name_of(assigned[0]), assigned[1], node))
            continue
        call = syntax.call(node)
        if call is not None and call.arguments and call.receiver is not None:
            name = _setter_property(call.selector)
            if name:
                writes.append((name, call.arguments[0].value, node))
    return writes


#: Every name ``scan_settings`` acts on, lower-cased (a setter spells its property with a capital,
#: ``setAllowInvalidCertificates:``): a file whose source holds none of them has no setting to read, and its
#: nodes are not visited.
SETTING_WORDS = tuple(sorted({name.lower().encode() for name in {
    "allowInvalidCertificates", "validatesDomainName", *TLS_PROPERTIES, "setAllowsAnyHTTPSCertificate",
    *TLS_FUNCTIONS, "SSLSetProtocolVersionEnabled", *STREAM_TRUST_KEYS, "kCFStreamSSLLevel",
    "kCFStreamPropertySocketSecurityLevel"}}))


def scan_settings(syntax: Syntax, root: Node, emitter: Emitter) -> None:
    if not syntax.mentions(root, SETTING_WORDS):
        return
    for name, value, site in _property_writes(syntax, root):
        _property(syntax, name, value, site, emitter)
    for call in syntax.calls(root):
        _call(syntax, call.selector, call.name, call.arguments, call.node, emitter)
    for node in syntax.nodes(root):
        entries = syntax.dict_entries(node) if node.type == "dictionary_literal" else None
        if entries:
            for key, value in entries:
                _stream_setting(syntax, syntax.name_of(key), value, key, emitter)
        subscript = _subscript_write(syntax, node)
        if subscript is not None:
            _stream_setting(syntax, *subscript, emitter)


def _subscript_write(syntax: Syntax, node: Node) -> tuple[str, Node, Node] | None:
    """``settings[kCFStreamSSLAllowsAnyRoot as String] = true`` (Swift) as (key name, value, site)."""
    assigned = syntax.assignment(node)
    if assigned is None:
        return None
    target, value = assigned
    call = syntax.call(target)
    if call is None or len(call.arguments) != 1 or call.arguments[0].label is not None:
        return None
    if target.type == "call_expression" and any(
        child.type == "call_suffix" and text(child).startswith("[") for child in target.children
    ):
        return syntax.name_of(call.arguments[0].value), value, node
    return None


def _property(syntax: Syntax, name: str, value: Node, site: Node, emitter: Emitter) -> None:
    if name == "allowInvalidCertificates" and syntax.bool_value(value) is True:
        mode = _policy_mode(syntax, site)
        if mode:
            emitter.trust(
                SERVER_TRUST,
                "AFSecurityPolicy.allowInvalidCertificates",
                f"AFNetworking allowInvalidCertificates = YES with {mode} pinning skips chain validation: a "
                f"self-signed or expired certificate passes as long as it carries a pinned "
                f"{'key' if mode == 'public-key' else 'certificate'}",
                site,
                "afnetworking",
                confidence="medium",
            )
            return
        emitter.trust(
            SERVER_TRUST,
            "AFSecurityPolicy.allowInvalidCertificates",
            "AFNetworking allowInvalidCertificates = YES accepts certificates that fail chain validation "
            "(with pinning mode None: any certificate)",
            site,
            "afnetworking",
        )
    elif name == "validatesDomainName" and syntax.bool_value(value) is False:
        emitter.trust(
            HOSTNAME,
            "AFSecurityPolicy.validatesDomainName",
            "AFNetworking validatesDomainName = NO evaluates the chain without checking that the "
            "certificate was issued for the host",
            site,
            "afnetworking",
        )
    elif name in TLS_PROPERTIES:
        version = PROTOCOLS.get(syntax.name_of(value))
        if version is not None:
            emitter.tls(version, f"{name} = {text(value)}", site, "urlsession")


def _call(
    syntax: Syntax, selector: str, name: str, arguments: tuple[Argument, ...], site: Node, emitter: Emitter
) -> None:
    if (
        selector == "setAllowsAnyHTTPSCertificate:forHost:"
        and arguments
        and syntax.bool_value(arguments[0].value) is True
    ):
        emitter.trust(
            SERVER_TRUST,
            "setAllowsAnyHTTPSCertificate",
            "setAllowsAnyHTTPSCertificate:YES forHost: accepts any certificate for that host",
            site,
            "nsurlrequest",
        )
    elif name in TLS_FUNCTIONS and len(arguments) >= 2:
        version = PROTOCOLS.get(syntax.name_of(arguments[1].value))
        if version is not None:
            emitter.tls(version, f"{name}(..., {text(arguments[1].value)})", site, "network-framework")
    elif name == "SSLSetProtocolVersionEnabled" and len(arguments) >= 3:
        version = PROTOCOLS.get(syntax.name_of(arguments[1].value))
        if version is not None and syntax.bool_value(arguments[2].value) is True:
            emitter.tls(
                version,
                f"SSLSetProtocolVersionEnabled(..., {text(arguments[1].value)}, true)",
                site,
                "securetransport",
            )
    elif selector in ("setObject:forKey:", "setValue:forKey:") and len(arguments) == 2:
        _stream_setting(syntax, syntax.name_of(arguments[1].value), arguments[0].value, site, emitter)


def _stream_setting(syntax: Syntax, key: str, value: Node, site: Node, emitter: Emitter) -> None:
    if key in STREAM_TRUST_KEYS:
        if syntax.bool_value(value) is not STREAM_TRUST_KEYS[key]:
            return
        what = (
            "skips certificate chain validation"
            if key.endswith("ValidatesCertificateChain")
            else "accepts certificates the system would reject"
        )
        emitter.trust(
            SERVER_TRUST, key, f"stream SSL setting {key} = {text(value)} {what}", site, _STREAM_ORIGIN
        )
    elif key in ("kCFStreamSSLLevel", "kCFStreamPropertySocketSecurityLevel"):
        version = PROTOCOLS.get(syntax.name_of(value))
        if version is not None:
            emitter.tls(version, f"{key} = {text(value)}", site, _STREAM_ORIGIN)


def scan_urls(syntax: Syntax, root: Node, emitter: Emitter) -> None:
    for literal in syntax.string_literals(root):
        found = syntax.string_prefix(literal)
        if found is None:
            continue
        value, interpolated = found
        lowered = value.lower()
        if not lowered.startswith(("http://", "ws://")) or _names_a_namespace(literal):
            continue
        if _in_preview(literal):
            continue
        rest = value.split("://", 1)[1]
        host = re.split(r"[/?#:]", rest, maxsplit=1)[0]
        if (interpolated and host == rest) or (not interpolated and (not rest or "%" in host)):
            # the host itself is an expression: interpolated, joined with `+`, or a format argument
            pieces = _joined_pieces(syntax, literal, interpolated)
            if pieces is not None and not _compared(syntax, literal):
                emitter.joined(pieces, literal)
            continue
        emitter.endpoint(value, literal)


#: ``%@``, ``%s``, ``%d``, ``%1$@``: format specifiers an argument fills in.
_FORMAT_SPECIFIER = re.compile(r"%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?(?:@|l{0,2}[dius]|s)")
_FORMAT_CALLS = frozenset({"stringWithFormat", "initWithFormat", "appendFormat", "String", "localizedStringWithFormat"})
#: Calls that compare text: a URL passed to them is matched against, never fetched.
_COMPARING_CALLS = frozenset({
    "hasPrefix", "hasSuffix", "contains", "containsString", "range", "rangeOfString", "starts",
    "isEqualToString", "isEqual", "replacingOccurrences", "stringByReplacingOccurrencesOfString", "compare",
})


def _joined_pieces(syntax: Syntax, literal: Node, interpolated: bool) -> list[tuple[str, bool]] | None:
    """``"http://\\(host)"``, ``"http://" + host``, ``[NSString stringWithFormat:@"http://%@", host]``, as
    pieces of literal text and expressions; None when the host is not joined in one of these ways."""
    if interpolated:
        return syntax.string_pieces(literal)
    value = syntax.string_value(literal) or ""
    parent = literal.parent
    if parent is not None and parent.type == "additive_expression" and parent.named_children[:1] == [literal]:
        other = parent.named_children[-1]
        return [(value, False), (text(other), True)]
    call = syntax.call(parent) if parent is not None else None
    if call is not None and call.name == "stringByAppendingString" and call.receiver is not None \
            and call.receiver.id == literal.id and call.arguments:
        return [(value, False), (text(call.arguments[0].value), True)]
    holder = parent
    while holder is not None and holder.type in ("value_argument", "value_arguments", "call_suffix"):
        holder = holder.parent
    call = syntax.call(holder) if holder is not None else None
    if call is None or call.name not in _FORMAT_CALLS:
        return None
    values = [argument.value for argument in call.arguments]
    position = next((index for index, node in enumerate(values) if node.id == literal.id
                     or node.start_byte <= literal.start_byte < node.end_byte), None)
    if position is None:
        return None
    fillers = [text(node) for node in values[position + 1 :]]
    pieces: list[tuple[str, bool]] = []
    written = 0
    for index, match in enumerate(_FORMAT_SPECIFIER.finditer(value)):
        if match.start() > written:
            pieces.append((value[written : match.start()], False))
        pieces.append((fillers[index] if index < len(fillers) else match.group(0), True))
        written = match.end()
    if written < len(value):
        pieces.append((value[written:], False))
    return pieces


def _compared(syntax: Syntax, literal: Node) -> bool:
    """``url.hasPrefix("http://\\(host)")``, ``absoluteString == "http://\\(host)"``: matched, not fetched."""
    node = literal
    parent = literal.parent
    while parent is not None:
        if parent.type in ("value_argument", "value_arguments", "call_suffix", "parenthesized_expression",
                           "additive_expression"):
            node, parent = parent, parent.parent
            continue
        if syntax.comparison(parent) is not None:
            return True
        call = syntax.call(parent)
        if call is None:
            return False
        if call.name in _FORMAT_CALLS or call.name == "stringByAppendingString":
            node, parent = parent, parent.parent  # the joined text is used where the call's value goes
            continue
        return call.name in _COMPARING_CALLS and node.id != (call.receiver.id if call.receiver else -1)
    return False


def _in_preview(node: Node) -> bool:
    """Inside a SwiftUI preview (``#Preview { }``, a ``PreviewProvider`` type): it runs only in Xcode's
    canvas, never in the app."""
    ancestor = node.parent
    while ancestor is not None:
        if ancestor.type == "macro_invocation" and any(
            child.type == "simple_identifier" and text(child) == "Preview" for child in ancestor.children
        ):
            return True
        if ancestor.type == "class_declaration" and any(
            child.type == "inheritance_specifier" and text(child).endswith("PreviewProvider")
            for child in ancestor.children
        ):
            return True
        ancestor = ancestor.parent
    return False


_NAMESPACE_WORDS = ("xmlns", "namespace")


def _names_a_namespace(literal: Node) -> bool:
    """``xmlns:@"http://jabber.org/..."``, ``let streamNamespace = "http://..."``: an identifier, not a URL."""
    label = literal.prev_named_sibling
    if label is None or label.type not in (
        "identifier", "value_argument_label", "pointer_declarator", "pattern", "simple_identifier",
    ):
        return False
    written = text(label).lower()
    return any(word in written for word in _NAMESPACE_WORDS)
