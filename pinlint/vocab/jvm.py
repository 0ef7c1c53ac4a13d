"""The Java platform's names that the Kotlin/Java source reader and the bytecode reader both judge by: JSSE
protocol names, and the calls whose string argument is compared against or names an XML namespace
rather than being an address the app connects to.

Kept apart from both readers so that reading a JAR or an APK loads none of the source analyses.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pinlint.vocab.tls import SSL2, SSL3, TLS10, TLS11, TLS12, TLS13, TlsVersion

#: JSSE protocol names (lower-cased) -> the version and the name messages use (``SSLv2Hello`` is the SSLv2
#: hello format, as old as SSLv2; ``SSL`` asks for SSL 3 or older).
PROTOCOLS: dict[str, tuple[TlsVersion, str]] = {
    "sslv2": (SSL2, "SSLv2"),
    "sslv2hello": (SSL2, "SSLv2Hello"),
    "sslv3": (SSL3, "SSLv3"),
    "ssl": (SSL3, "SSL"),
    "tlsv1": (TLS10, "TLSv1"),
    "tlsv1.0": (TLS10, "TLSv1.0"),
    "tlsv1.1": (TLS11, "TLSv1.1"),
    "tlsv1.2": (TLS12, "TLSv1.2"),
    "tlsv1.3": (TLS13, "TLSv1.3"),
}
#: ``SSLContext.getInstance`` names that are aliases of the generic context: ``"SSL"`` gives the same
#: context as ``"TLS"`` (TLS 1.2 and 1.3 enabled) on Android (Conscrypt) and on the JDK.
GENERIC_CONTEXTS = frozenset({"ssl", "tls", "default"})
#: Calls whose string arguments are namespace URIs or XML feature names, not endpoints.
NAMESPACE_CALLS = frozenset(
    {
        "getAttributeValue",
        "getAttributeNS",
        "setAttributeNS",
        "hasAttributeNS",
        "removeAttributeNS",
        "getAttributeNodeNS",
        "createElementNS",
        "createAttributeNS",
        "getElementsByTagNameNS",
        "startTag",
        "endTag",
        "attribute",
        "setPrefix",
        "require",
        "setFeature",
        "getFeature",
        "setProperty",
        "getProperty",
        "setNamespace",
        "startPrefixMapping",
        "lookupNamespaceURI",
        "lookupPrefix",
        "isDefaultNamespace",
        "Namespace",
        "QName",
        "getNamespace",
        "getElementNS",
    }
)
#: Calls that compare or edit text: a URL passed to them is matched against, not fetched.
COMPARISON_CALLS = frozenset(
    {
        "startsWith",
        "endsWith",
        "contains",
        "equals",
        "equalsIgnoreCase",
        "replace",
        "replaceFirst",
        "replaceAll",
        "removePrefix",
        "removeSuffix",
        "removeSurrounding",
        "matches",
        "indexOf",
        "lastIndexOf",
        "regionMatches",
        "split",
        "compile",
        "Regex",
        "toRegex",
        "substringAfter",
        "substringBefore",
        "substringAfterLast",
        "substringBeforeLast",
        "compareTo",
        "trimStart",
        "startsWithIgnoreCase",
    }
)
NAMESPACE_SEGMENTS = frozenset({"ns", "xmlns", "namespace", "namespaces"})


def is_namespace_path(url: str) -> bool:
    """URLs such as ``http://owncloud.org/ns`` name an XML (WebDAV) namespace."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    segments = [segment for segment in path.lower().split("/") if segment]
    return bool(segments) and segments[-1] in NAMESPACE_SEGMENTS
