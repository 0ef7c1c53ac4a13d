"""What the JVM front end knows about Kotlin and Java calls and names, as tables the lowering reads.

Which calls ask the platform to evaluate a chain, which always throw, which throw when their argument is
false, which never reject anything (logging, string building, getters), which check only a chain's shape;
which names are certificate material (pins, hashes); how the exception types a trust manager meets are
related. Adding an API is a line here, not a change to the analysis.
"""

from __future__ import annotations

import re

from pinlint.parsers.code.jvm.syntax import Call, Syntax
from pinlint.parsers.code.treesitter import text

# --- names and comparisons ----------------------------------------------------------------------------

#: Words that make an identifier certificate material: a test comparing one is a pin comparison.
PIN_WORDS = frozenset(
    {
        "pin",
        "pins",
        "pinned",
        "pinning",
        "pinset",
        "spki",
        "fingerprint",
        "fingerprints",
        "hash",
        "hashes",
        "sha256",
        "digest",
        "thumbprint",
        "thumbprints",
    }
)
#: Calls that compare their receiver with their argument.
COMPARISON_CALLS = frozenset(
    {
        "contains",
        "equals",
        "containsKey",
        "equalsIgnoreCase",
        "isEqual",
        "contentEquals",
        "any",
        "none",
        "containsAll",
        "compareTo",
    }
)
#: Operators that compare.
COMPARISON_OPERATORS = frozenset({"==", "!=", "in", "!in", "===", "!=="})
#: Calls (without a receiver) that always throw.
THROWING_CALLS = frozenset({"TODO", "error", "fail"})
#: Conditions that hold in debug builds only.
DEBUG_FLAGS = frozenset({"BuildConfig.DEBUG"})


# --- calls in a trust manager -------------------------------------------------------------------------

#: Calls that ask a platform trust manager to evaluate the chain (``checkTrusted`` only with a receiver).
DELEGATE_CALLS = frozenset({"checkServerTrusted", "checkClientTrusted"})
RECEIVER_DELEGATE_CALLS = frozenset({"checkTrusted"})
#: Calls that never reject a chain: logging, string and collection helpers, getters, digests.
BENIGN_CALLS = frozenset(
    {
        "println",
        "print",
        "printf",
        "printStackTrace",
        "d",
        "i",
        "v",
        "w",
        "e",
        "wtf",
        "debug",
        "info",
        "warn",
        "warning",
        "error",
        "trace",
        "log",
        "fine",
        "finer",
        "finest",
        "severe",
        "config",
        "tag",
        "toString",
        "getName",
        "name",
        "getSubjectDN",
        "subjectDN",
        "getIssuerDN",
        "issuerDN",
        "getSubjectX500Principal",
        "subjectX500Principal",
        "getIssuerX500Principal",
        "issuerX500Principal",
        "getEncoded",
        "encoded",
        "getPublicKey",
        "publicKey",
        "isEmpty",
        "isNotEmpty",
        "isNullOrEmpty",
        "size",
        "length",
        "get",
        "first",
        "firstOrNull",
        "last",
        "lastOrNull",
        "getOrNull",
        "getOrDefault",
        "exceptionOrNull",
        "onFailure",
        "onSuccess",
        "equals",
        "contains",
        "hashCode",
        "format",
        "append",
        "joinToString",
        "map",
        "filter",
        "any",
        "all",
        "none",
        "getMessage",
        "message",
        "localizedMessage",
        "getLocalizedMessage",
        "arrayOf",
        "listOf",
        "emptyArray",
        "emptyList",
        "digest",
        "update",
        "encodeToString",
        "encode",
        "toByteArray",
        "getBytes",
        "String",
        "StringBuilder",
        "getSerialNumber",
        "serialNumber",
        "getNotAfter",
        "notAfter",
        "getNotBefore",
        "notBefore",
        "let",
        "also",
        "apply",
        "run",
        "with",
        "forEach",
        "forEachIndexed",
        "onEach",
        "takeIf",
        "takeUnless",
        "use",
        "getInstance",
        "sha256",
        "sha1",
        "md5",
        "hex",
        "toHex",
        "recordException",
        "captureException",
        "getSimpleName",
        "simpleName",
        "javaClass",
        "getClass",
        "lowercase",
        "uppercase",
        "toLowerCase",
        "toUpperCase",
        "trim",
        "substring",
        "split",
        "replace",
        "startsWith",
        "endsWith",
        "plus",
    }
)
#: Calls on a certificate that check only its shape (dates): they never reject a forged chain. (Without a
#: receiver the name is the app's own method, an unseen check.)
STRUCTURAL_CALLS = frozenset({"checkValidity"})
#: Calls that throw when their first argument is false (or null).
ASSERT_CALLS = frozenset(
    {
        "require",
        "check",
        "requireNotNull",
        "checkNotNull",
        "checkArgument",
        "checkState",
        "requireNonNull",
        "assertTrue",
        "assert",
    }
)
#: Calls that run a block and swallow whatever it throws.
SWALLOWING_CALLS = frozenset({"runCatching"})
#: Names a structural-only condition may use (besides the parameters).
STRUCTURAL_NAMES = frozenset(
    {
        "isEmpty",
        "isNotEmpty",
        "isNullOrEmpty",
        "size",
        "length",
        "count",
        "firstOrNull",
        "first",
        "get",
        "getOrNull",
        "isNullOrBlank",
        "isBlank",
        "null",
        "true",
        "false",
        "it",
        "orEmpty",
        "lastIndex",
    }
)

_LOG_RECEIVER = re.compile(r"(?i)(^|[^a-z])(log|logger|timber|slf4j|crashlytics|sentry|system\.(out|err))")


def is_benign_call(syntax: Syntax, call: Call) -> bool:
    if call.name in BENIGN_CALLS:
        if call.name in ("d", "i", "v", "w", "e", "wtf", "log") and call.receiver is not None:
            return _LOG_RECEIVER.search(text(call.receiver)) is not None or call.name in ("log",)
        return True
    return call.receiver is not None and _LOG_RECEIVER.search(text(call.receiver)) is not None



# --- exceptions ---------------------------------------------------------------------------------------

#: What a platform trust manager throws for a forged chain, and for an expired one.
CERTIFICATE_FAILURE = "CertificateException"
EXPIRED_FAILURE = "CertificateExpiredException"
#: Handler types that catch whatever an app's own helper throws for a bad chain (it may wrap it).
CATCH_ALL_CERTIFICATE = frozenset({"CertificateException", "GeneralSecurityException", "Exception", "Throwable"})
#: What only a catch-all catches: an exception whose type the code does not name (``throw e``).
UNNAMED = frozenset({"Exception", "Throwable"})

_PARENT = {
    "CertificateExpiredException": "CertificateException",
    "CertificateNotYetValidException": "CertificateException",
    "CertificateParsingException": "CertificateException",
    "CertificateEncodingException": "CertificateException",
    "CertificateRevokedException": "CertificateException",
    "CertPathValidatorException": "GeneralSecurityException",
    "CertificateException": "GeneralSecurityException",
    "SignatureException": "GeneralSecurityException",
    "InvalidKeyException": "GeneralSecurityException",
    "NoSuchAlgorithmException": "GeneralSecurityException",
    "KeyStoreException": "GeneralSecurityException",
    "GeneralSecurityException": "Exception",
    "SSLPeerUnverifiedException": "SSLException",
    "SSLHandshakeException": "SSLException",
    "SSLException": "IOException",
    "IOException": "Exception",
    "IllegalArgumentException": "RuntimeException",
    "IllegalStateException": "RuntimeException",
    "UnsupportedOperationException": "RuntimeException",
    "NullPointerException": "RuntimeException",
    "SecurityException": "RuntimeException",
    "RuntimeException": "Exception",
    "Exception": "Throwable",
    "NotImplementedError": "Error",
    "Error": "Throwable",
}



def ancestry(exception: str) -> list[str]:
    chain = [exception]
    seen = {exception}
    while chain[-1] in _PARENT:
        parent = _PARENT[chain[-1]]
        if parent in seen:
            break
        chain.append(parent)
        seen.add(parent)
    if chain[-1] not in ("Throwable",):
        chain.extend(name for name in ("Exception", "Throwable") if name not in seen)
    return chain


def lineage(exception: str) -> frozenset[str]:
    """``exception`` and every type a handler may name to catch it."""
    return frozenset(ancestry(exception))
