"""Compiled code lowered to one small form, shared by the JVM class-file and the DEX readers, and the analysis
that turns it into the facts source code gives (``TrustCallback``, ``PinSet``, ``TlsFloor``).

Each method becomes a list of ``Op``: only what the analysis needs (returns, throws, calls, string and
integer constants, object creation, lambda creation), each with its source line when the binary carries
line numbers. The analysis finds:

- ``checkServerTrusted`` that returns without throwing on every path: no ``athrow``/``throw`` and no call
  other than logging (TRU301; ``empty-checkServerTrusted`` when the body is only a return);
- ``HostnameVerifier.verify`` that returns the constant true (TRU302), also as a lambda (an
  ``invokedynamic`` whose implementation method returns true);
- ``onReceivedSslError`` that calls ``SslErrorHandler.proceed()`` (TRU303);
- ``SSLContext.getInstance`` with ``TLSv1``, ``TLSv1.1`` or ``SSLv3`` (CLR204);
- OkHttp ``CertificatePinner.Builder.add`` with its host and ``sha256/``/``sha1/`` pins as string constants of
  the same method (PIN1xx).

Every fact carries the class and method as the span's ``logical`` location. Whether a trust-all class is also
instantiated and installed (``SSLContext.init``, ``sslSocketFactory``, ``setDefaultSSLSocketFactory``,
``setHostnameVerifier``) is a cross-class question answered by ``pinlint.resolve.bytecode`` from the
``CompiledClass`` facts emitted here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pinlint.model.facts import (
    HOSTNAME,
    OTHER_CONDITION,
    PLATFORM_FAILED,
    SERVER_TRUST,
    WEBVIEW_SSL_ERROR,
    Pin,
    PinSet,
    Span,
    TlsFloor,
    TrustCallback,
    accepting,
)

PLATFORM = "android"
ORIGIN = "javax.net.ssl"

#: Op kinds.
RETURN = "return"  # value: the constant returned when the return follows a constant push, else None
THROW = "throw"
INVOKE = "invoke"  # owner, name, descriptor
STRING = "string"  # value: str
NEW = "new"  # owner: the class created
LAMBDA = "lambda"  # owner/name/descriptor: the implementation method; value: the interface created
BRANCH = "branch"
HANDLER = "handler"  # owner: the caught type (empty for finally)


@dataclass(frozen=True, slots=True)
class Op:
    kind: str
    line: int = 0
    owner: str = ""
    name: str = ""
    descriptor: str = ""
    value: object = None


@dataclass(slots=True)
class Method:
    name: str
    descriptor: str
    ops: list[Op] = field(default_factory=list)
    #: True when the method has no code (abstract or native).
    abstract: bool = False
    first_line: int = 0


@dataclass(slots=True)
class ClassInfo:
    """One compiled class; names are dotted (``com.vendor.Net$TrustAll``)."""

    name: str
    super_name: str
    interfaces: tuple[str, ...]
    methods: list[Method] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CompiledClass:
    """What the cross-class resolver needs of a class: its parents, the trust methods it defines, and the
    classes it creates in a method that also installs a trust manager, socket factory or verifier."""

    name: str
    super_name: str
    interfaces: tuple[str, ...]
    defines: frozenset[str]
    installs: frozenset[str]
    span: Span


def dotted(internal: str) -> str:
    """``com/vendor/Net$TrustAll`` or ``Lcom/vendor/Net$TrustAll;`` -> ``com.vendor.Net$TrustAll``."""
    name = internal[1:-1] if internal.startswith("L") and internal.endswith(";") else internal
    return name.replace("/", ".")


TRUST_MANAGER_PARAMS = "([Ljava/security/cert/X509Certificate;Ljava/lang/String;"
VERIFY_DESCRIPTOR = "(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z"
SSL_ERROR_DESCRIPTOR = "(Landroid/webkit/WebView;Landroid/webkit/SslErrorHandler;Landroid/net/http/SslError;)V"
#: Calls that install a trust manager, socket factory or hostname verifier.
INSTALLERS = frozenset({
    ("javax.net.ssl.SSLContext", "init"),
    ("*", "sslSocketFactory"),
    ("*", "setSSLSocketFactory"),
    ("*", "setDefaultSSLSocketFactory"),
    ("*", "setHostnameVerifier"),
    ("*", "setDefaultHostnameVerifier"),
    ("*", "hostnameVerifier"),
})
#: Calls a trust method may make without being able to reject (logging, string building).
HARMLESS_OWNERS = ("android.util.Log", "java.io.PrintStream", "java.lang.StringBuilder", "java.lang.Object",
                   "java.util.logging.Logger", "org.slf4j.Logger", "timber.log.Timber",
                   "kotlin.jvm.internal.Intrinsics")
#: Kotlin's parameter null checks throw only for null arguments, never for an untrusted chain.
HARMLESS_CALLS = frozenset({"checkNotNullParameter", "checkParameterIsNotNull"})
PINNER_BUILDER = "okhttp3.CertificatePinner$Builder"
SSL_CONTEXT = "javax.net.ssl.SSLContext"
SSL_ERROR_HANDLER = "android.webkit.SslErrorHandler"


def logical(info: ClassInfo, method: Method) -> str:
    return f"{info.name}.{method.name}"


def span_at(display: str, info: ClassInfo, method: Method, line: int = 0) -> Span:
    return Span(display, line or method.first_line or 1, 1, logical=logical(info, method))


def analyse(classes: list[ClassInfo], display_of: dict[str, str], language: str) -> list[object]:
    """The facts of compiled classes; ``display_of`` gives each class's display path (its member)."""
    by_name = {info.name: info for info in classes}
    facts: list[object] = []
    for info in classes:
        display = display_of[info.name]
        facts.extend(_class_facts(info, display, language, by_name))
    return facts


def _class_facts(info: ClassInfo, display: str, language: str, by_name: dict[str, ClassInfo]) -> Iterator[object]:
    defines: set[str] = set()
    installs: set[str] = set()
    for method in info.methods:
        if method.abstract:
            continue
        if method.name == "checkServerTrusted" and method.descriptor.startswith(TRUST_MANAGER_PARAMS):
            defines.add("checkServerTrusted")
            handler = _trust_manager(info, method, display, language)
            if handler is not None:
                yield handler
        elif method.name == "verify" and method.descriptor == VERIFY_DESCRIPTOR:
            defines.add("verify")
            if _returns_true(method):
                yield _hostname(info, method, display, language, "verify returns true for every host")
            else:
                target = _delegate(method, by_name)
                if target is not None and _returns_true(target[1]):
                    # a desugared lambda: the class's verify only calls the lambda body, reported where it is
                    yield _hostname(target[0], target[1], display, language,
                                    "lambda returns true for every host")
        elif method.name == "onReceivedSslError" and method.descriptor == SSL_ERROR_DESCRIPTOR:
            yield from _webview(info, method, display, language)
        yield from _lambdas(info, method, display, language, by_name)
        yield from _tls(info, method, display)
        yield from _pins(info, method, display)
        created = {op.owner for op in method.ops if op.kind == NEW}
        if created and any(_installs(op) for op in method.ops):
            installs.update(created)
    if defines or installs or info.super_name not in ("", "java.lang.Object"):
        yield CompiledClass(info.name, info.super_name, info.interfaces, frozenset(defines), frozenset(installs),
                            Span(display, 1, 1, logical=info.name))


def _installs(op: Op) -> bool:
    return op.kind == INVOKE and ((op.owner, op.name) in INSTALLERS or ("*", op.name) in INSTALLERS)


def _harmless(op: Op) -> bool:
    return op.owner.startswith(HARMLESS_OWNERS) or op.name in HARMLESS_CALLS


def _trust_manager(info: ClassInfo, method: Method, display: str, language: str) -> TrustCallback | None:
    if any(op.kind == THROW for op in method.ops):
        return None
    calls = [op for op in method.ops if op.kind == INVOKE]
    if any(not _harmless(op) for op in calls):
        return None
    handlers = [op for op in method.ops if op.kind == HANDLER]
    if handlers:
        shape, evidence = ("swallowed-CertificateException",
                           "the compiled checkServerTrusted catches exceptions and never throws, so a rejected "
                           "chain is accepted")
    elif calls:
        shape, evidence = ("accepting-checkServerTrusted",
                           "the compiled checkServerTrusted never throws (it only logs or returns), so every "
                           "certificate chain is accepted")
    else:
        shape, evidence = ("empty-checkServerTrusted",
                           "the compiled checkServerTrusted only returns, so every certificate chain is accepted")
    return accepting(ORIGIN, language, SERVER_TRUST, shape, f"{evidence} (class {info.name})",
                     span_at(display, info, method), guards=frozenset({PLATFORM_FAILED} if handlers else ()),
                     platform=PLATFORM, confidence="medium")


def _returns_true(method: Method) -> bool:
    """Every return of the method returns the constant 1 (true), and it has at least one."""
    returns = [op for op in method.ops if op.kind == RETURN]
    return bool(returns) and all(op.value == 1 for op in returns) and not any(op.kind == THROW for op in method.ops)


def _delegate(method: Method, by_name: dict[str, ClassInfo]) -> tuple[ClassInfo, Method] | None:
    """The method that ``method`` only forwards to (one call, then a return), when the scan defines it."""
    calls = [op for op in method.ops if op.kind == INVOKE]
    if len(calls) != 1 or any(op.kind not in (INVOKE, RETURN) for op in method.ops):
        return None
    owner = by_name.get(calls[0].owner)
    target = next((candidate for candidate in (owner.methods if owner else [])
                   if candidate.name == calls[0].name and candidate.descriptor == calls[0].descriptor), None)
    return (owner, target) if owner is not None and target is not None else None


def _hostname(info: ClassInfo, method: Method, display: str, language: str, what: str) -> TrustCallback:
    return accepting(origin=ORIGIN, language=language, role=HOSTNAME, shape="verifier-returns-true",
                        evidence=f"the compiled hostname verifier's {what}, so a certificate for any name is "
                                 f"accepted (class {info.name})",
                        span=span_at(display, info, method), platform=PLATFORM, confidence="medium")


def _lambdas(info: ClassInfo, method: Method, display: str, language: str,
             by_name: dict[str, ClassInfo]) -> Iterator[TrustCallback]:
    for op in method.ops:
        if op.kind != LAMBDA or op.value != "javax.net.ssl.HostnameVerifier":
            continue
        target = by_name.get(op.owner)
        implementation = next((candidate for candidate in (target.methods if target else [])
                               if candidate.name == op.name and candidate.descriptor == op.descriptor), None)
        if implementation is not None and _returns_true(implementation):
            installed = any(_installs(candidate) for candidate in method.ops)
            yield accepting(origin=ORIGIN, language=language, role=HOSTNAME, shape="verifier-returns-true",
                               evidence="the compiled hostname verifier lambda returns true for every host, so a "
                                        f"certificate for any name is accepted (class {info.name})",
                               span=span_at(display, info, method, op.line), platform=PLATFORM,
                               confidence="high" if installed else "medium")


def _webview(info: ClassInfo, method: Method, display: str, language: str) -> Iterator[TrustCallback]:
    for op in method.ops:
        if op.kind == INVOKE and op.name == "proceed" and op.descriptor == "()V":
            branches = any(candidate.kind == BRANCH for candidate in method.ops)
            yield accepting(origin="android-webview", language=language, role=WEBVIEW_SSL_ERROR,
                               shape="webview-proceed", guards=frozenset({OTHER_CONDITION} if branches else ()),
                               evidence="the compiled onReceivedSslError calls handler.proceed()"
                                        + (" on some path" if branches else "")
                                        + ", so the WebView loads the page over a connection whose certificate "
                                          f"failed validation (class {info.name})",
                               span=span_at(display, info, method, op.line), platform=PLATFORM,
                               confidence="medium" if branches else None)
            return


def _tls(info: ClassInfo, method: Method, display: str) -> Iterator[TlsFloor]:
    from pinlint.parsers.code.jvm.tls import GENERIC_CONTEXTS, PROTOCOLS

    last: str | None = None
    for op in method.ops:
        if op.kind == STRING:
            last = str(op.value)
        elif op.kind == INVOKE:
            if op.owner == SSL_CONTEXT and op.name == "getInstance" and last is not None:
                name = last.strip().lower()
                protocol = PROTOCOLS.get(name)
                if protocol is not None and name not in GENERIC_CONTEXTS and protocol[0] < PROTOCOLS["tlsv1.2"][0]:
                    yield TlsFloor(origin=ORIGIN, platform=PLATFORM, min_version=protocol[1],
                                   span=span_at(display, info, method, op.line),
                                   setting=f'SSLContext.getInstance("{last}")')
            last = None


def _pins(info: ClassInfo, method: Method, display: str) -> Iterator[PinSet]:
    strings: list[tuple[str, int]] = []
    by_host: dict[str, list[Pin]] = {}
    first_line: dict[str, int] = {}
    for op in method.ops:
        if op.kind == STRING:
            strings.append((str(op.value), op.line))
            continue
        if op.kind != INVOKE:
            continue
        if op.owner == PINNER_BUILDER and op.name == "add":
            pinned = [(text, line) for text, line in strings if text.strip().lower().startswith(("sha256/", "sha1/"))]
            hosts = [text for text, _line in strings if not text.strip().lower().startswith(("sha256/", "sha1/"))]
            if pinned and hosts:
                host = hosts[0]
                entry = by_host.setdefault(host, [])
                first_line.setdefault(host, op.line)
                entry.extend(_pin(text, span_at(display, info, method, line)) for text, line in pinned)
        strings = []
    for host, pins in by_host.items():
        yield PinSet(origin="okhttp", platform=PLATFORM, hosts=(host,), pins=tuple(pins),
                     span=span_at(display, info, method, first_line[host]), include_subdomains=host.startswith("**."),
                     label="OkHttp CertificatePinner")


def _pin(value: str, span: Span) -> Pin:
    """An OkHttp pin string (``sha256/BASE64``), decoded as OkHttp (Okio) decodes it."""
    cleaned = value.strip()
    algorithm, _slash, digest = cleaned.partition("/")
    return Pin(value=digest.strip(), algorithm=algorithm.lower(), span=span, decoder="okio")
