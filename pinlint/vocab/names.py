"""Names anyone can forge: certificate subject/issuer strings and host names checked without a boundary.

A trust decision that accepts a certificate because its subject or issuer *says* something
(``cert.Issuer == "CN=localhost"``, ``subjectDN.name.contains("MyCompany")``,
``SecCertificateCopySubjectSummary(c) == "api..."``) can be fooled by anyone: a self-signed certificate
may carry any name. A host checked by prefix (``url.startsWith("https://localhost")`` also matches
``https://localhost.evil.example``) or by a suffix without a dot boundary (``host.endsWith("example.com")``
matches ``evilexample.com``) admits hosts the author never meant. The front ends use these tables on the
condition expressions of trust callbacks; TRU306 reports the decisions that rest on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

#: Accessors (identifiers, compared lower-case) of a certificate's subject or issuer name, in every
#: language pinlint reads.
NAME_ACCESSORS = frozenset({
    "subject", "issuer", "subjectdn", "issuerdn", "getsubjectdn", "getissuerdn", "subjectx500principal",
    "issuerx500principal", "getsubjectx500principal", "getissuerx500principal", "subjectname", "issuername",
    "getnameinfo", "commonname", "cn", "get_subject", "get_issuer", "seccertificatecopysubjectsummary",
    "seccertificatecopycommonname", "subjectsummary", "issuerstring", "subjectstring", "getissuername",
    "getsubjectname", "subject_summary", "common_name",
})
#: Accessors that look like names but identify the key or the certificate's bytes (safe comparisons).
KEY_ACCESSORS = frozenset({
    "publickey", "subjectpublickeyinfo", "getpublickey", "thumbprint", "getcerthashstring", "fingerprint",
    "fingerprint256", "pubkey", "spki", "sha256", "digest", "getencoded", "encoded", "rawdata", "getrawcertdata",
})
#: Methods that match a prefix, and that match a suffix.
PREFIX_METHODS = frozenset({"startswith", "hasprefix", "startswithignorecase"})
SUFFIX_METHODS = frozenset({"endswith", "hassuffix", "endswithignorecase"})
#: Methods and operators that compare or search text.
COMPARE_METHODS = frozenset({
    "equals", "equalsignorecase", "contains", "includes", "indexof", "matches", "range",
    "localizedcaseinsensitivecontains", "compare", "find", "search", "match", "regionmatches",
    *PREFIX_METHODS, *SUFFIX_METHODS,
})
COMPARE_OPERATORS = ("==", "!=", "===", "!==", " in ", "=~")

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: A presence test (``cert.subject != null``) says nothing about the name.
_NULL_TEST = re.compile(r"(==|!=)=?\s*(null|nil|None|undefined)\b|\bis\s+(not\s+)?None\b")


_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(identifier: str) -> list[str]:
    """The lower-case words of an identifier (``pinnedKeys`` -> ``pinned``, ``keys``)."""
    return [word.lower() for word in _WORD.findall(identifier)]


def _identifiers(text: str) -> set[str]:
    return {word.lower() for word in _IDENTIFIER.findall(text)}


def certificate_name_check(condition: str) -> str | None:
    """A "because ..." clause for a condition that compares or searches a certificate's subject or issuer
    name, else None.

    ``condition`` is the source text of one condition expression of a trust callback.
    """
    words = _identifiers(condition)
    if not words & NAME_ACCESSORS or words & KEY_ACCESSORS or _NULL_TEST.search(condition):
        return None
    if not (words & COMPARE_METHODS or any(operator in condition for operator in COMPARE_OPERATORS)):
        return None
    return ("because of the certificate's subject or issuer name, which anyone can write into a self-signed "
            "certificate")


def _bounded_prefix(literal: str) -> bool:
    """A prefix that ends at a host boundary: ``https://localhost/``, ``https://localhost:8443``."""
    if "://" in literal:
        try:
            parts = urlsplit(literal)
        except ValueError:
            return False
        rest = literal.split("://", 1)[1]
        # something after the host (a path), or a port: no other host name can continue the text
        return bool(parts.netloc) and (len(rest) > len(parts.netloc) or ":" in parts.netloc)
    return literal.endswith((":", "/"))


def forgeable_host_check(condition: str, literals: Iterable[str]) -> str | None:
    """A "because ..." clause for a host check by prefix, or by a suffix without a dot boundary, else None."""
    words = _identifiers(condition)
    values = [value for value in literals if value]
    if not values:
        return None
    if words & PREFIX_METHODS and any(not _bounded_prefix(value) for value in values):
        shown = next(value for value in values if not _bounded_prefix(value))
        return f"because the host starts with '{shown}', as '{_prefix_example(shown)}' does too"
    if words & SUFFIX_METHODS and any(not value.startswith(".") for value in values):
        shown = next(value for value in values if not value.startswith("."))
        return f"because the host ends with '{shown}' (no dot boundary), as 'evil{shown}' does too"
    return None


def _prefix_example(prefix: str) -> str:
    return prefix.rstrip(".") + ".evil.example"
