"""URL literals: which are endpoints, which are cleartext, which hosts are local.

Shared by every front end so that ``http://localhost`` or an XML namespace URI is judged the same in
Kotlin, Swift, Dart, JavaScript, Python and config files.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from urllib.parse import urlsplit

from pinlint.model.facts import Endpoint, Span

INSECURE_SCHEMES = ("http", "ws")

#: Hosts of identifier URIs (XML namespaces, DTDs, schemas, licences): never network endpoints.
IDENTIFIER_HOSTS = frozenset({
    "schemas.android.com", "www.w3.org", "w3.org", "www.apple.com", "apple.com", "xmlns.com",
    "schemas.microsoft.com", "schemas.xmlsoap.org", "ns.adobe.com", "purl.org", "json-schema.org",
    "www.apache.org", "apache.org", "www.opensource.org", "opensource.org", "www.gnu.org", "gnu.org",
    "creativecommons.org", "xml.org", "www.xml.org", "java.sun.com", "xmlpull.org", "www.xmlpull.org",
    "maven.apache.org", "schemas.openxmlformats.org", "docs.oasis-open.org", "relaxng.org",
})

#: Host and path prefixes of specification identifiers (claim, profile and relation URIs that are only
#: ever compared, never fetched).
IDENTIFIER_PREFIXES = ("openid.net/specs/", "specs.openid.net/", "ns.adobe.com/", "www.w3.org/")
#: Path endings of schema and document-type identifiers.
IDENTIFIER_SUFFIXES = (".dtd", ".xsd", ".rng")

EMULATOR_HOSTS = frozenset({"10.0.2.2", "10.0.3.2"})


def is_local_host(host: str) -> bool:
    """Loopback, unspecified, emulator aliases, ``.local``/``.localhost`` names and bare host names."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if not name:
        return False
    if name in ("localhost", "0.0.0.0") or name.endswith((".localhost", ".local")):
        return True
    if name in EMULATOR_HOSTS:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return "." not in name
    return address.is_loopback or address.is_link_local or address.is_unspecified


def is_loopback_host(host: str) -> bool:
    """The device itself: ``localhost``, loopback and unspecified addresses, the emulator's host aliases."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name in ("localhost", "0.0.0.0") or name.endswith(".localhost") or name in EMULATOR_HOSTS:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def is_local_network_host(host: str) -> bool:
    """A host on the local network, not the device: RFC 1918 and link-local addresses, ``.local`` names,
    bare host names. Still a network (a hospital LAN is a hostile one), unlike loopback."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if not name or is_loopback_host(name):
        return False
    if name.endswith(".local"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return "." not in name
    return address.is_private or address.is_link_local


def is_identifier_host(host: str) -> bool:
    name = host.lower()
    return name in IDENTIFIER_HOSTS


def is_identifier_uri(host: str, path: str) -> bool:
    """A specification identifier (``http://openid.net/specs/...``) or a schema/DTD location."""
    where = host.lower() + path
    return where.startswith(IDENTIFIER_PREFIXES) or path.lower().endswith(IDENTIFIER_SUFFIXES)


def endpoint_from_literal(text: str, span: Span, language: str = "", platform: str = "any") -> Endpoint | None:
    """An Endpoint for a string literal that is an http(s)/ws(s) URL with a host, else None.

    Identifier URIs (namespaces, DTDs, schemas) are not endpoints.
    """
    value = text.strip()
    lowered = value.lower()
    if not lowered.startswith(("http://", "https://", "ws://", "wss://")):
        return None
    if any(character.isspace() for character in value):
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:
        return None
    if not host or is_identifier_host(host) or is_identifier_uri(host, parts.path):
        return None
    if "{" in host or "$" in host or "%" in host:
        return None
    return Endpoint(
        url=value, scheme=parts.scheme.lower(), host=host, span=span, language=language,
        local=is_loopback_host(host), local_network=is_local_network_host(host), platform=platform,
    )



#: Where a URL's authority (host and port) ends.
_AUTHORITY_END = "/?#"


def host_complete(prefix: str) -> bool:
    """Whether the URL in ``prefix`` (a literal's text before its first interpolation) has a host, and its
    port, that end inside it: ``https://api.example.com/v1/`` does, ``https://api.`` and ``https://`` do not."""
    scheme_end = prefix.find("://")
    if scheme_end < 0:
        return False
    authority = prefix[scheme_end + 3 :]
    return min((index for index in (authority.find(mark) for mark in _AUTHORITY_END) if index >= 0), default=-1) > 0


def joined_host_endpoint(
    parts: Sequence[tuple[str, bool]], span: Span, language: str = "", platform: str = "any",
    variant: str | None = None,
) -> Endpoint | None:
    """A cleartext URL whose host is built from an expression: ``"http://" + host``, ``"http://$host"``,
    ``f"ws://{cfg.host}:8080"``, ``"http://\\(region).example.com"``.

    ``parts`` is the URL as written, in order: ``(text, False)`` for literal text and ``(source, True)`` for
    each joined expression. An Endpoint when the first literal text is ``http://`` or ``ws://`` followed by
    at most part of a host and then an expression, so the literal names no host of its own; the shown URL
    has each expression in braces. None otherwise (a complete literal host is judged as written).
    """
    if len(parts) < 2 or parts[0][1] or not parts[1][1]:
        return None
    head = parts[0][0]
    scheme = next((name for name in INSECURE_SCHEMES if head.lower().startswith(name + "://")), None)
    if scheme is None:
        return None
    written = head[len(scheme) + 3 :]
    if any(mark in written for mark in _AUTHORITY_END + ":@") or any(character.isspace() for character in written):
        return None  # the host (or the port) is complete before the first expression
    url = "".join("{" + " ".join(source.split())[:60] + "}" if expression else source
                  for source, expression in parts)
    authority = url[len(scheme) + 3 :]
    cut = min((index for index in (authority.find(mark) for mark in _AUTHORITY_END) if index >= 0),
              default=len(authority))
    host = authority[:cut]
    if not written and host.startswith("{") and "}" in host:
        # the host is the first expression itself (a port may follow it)
        close = host.index("}")
        if close + 1 == len(host) or host[close + 1] == ":":
            host = host[1:close]
    return Endpoint(url=url, scheme=scheme, host=f"the host '{host}'", span=span, language=language,
                    platform=platform, variant=variant)


def pieces_from_holes(value: str, hole: str, expressions: Sequence[str]) -> list[tuple[str, bool]]:
    """The pieces ``joined_host_endpoint`` reads, from static text with ``hole`` where each of
    ``expressions`` (their source text, in order) is interpolated."""
    pieces: list[tuple[str, bool]] = []
    for index, piece in enumerate(value.split(hole)):
        if index:
            pieces.append((expressions[index - 1] if index - 1 < len(expressions) else "…", True))
        if piece:
            pieces.append((piece, False))
    return pieces
