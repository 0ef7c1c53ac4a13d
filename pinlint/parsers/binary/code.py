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
  the same method (PIN1xx);
- ``http://`` and ``ws://`` URL strings loaded by code (``ldc``, ``const-string``) as ``Endpoint`` facts, so
  CLR203 judges them as it judges a literal in source (loopback hosts, namespace URIs and strings only compared
  against are left out), at medium confidence: the binary shows the URL, not that the app connects to it.

Every fact carries the class and method as the span's ``logical`` location. Whether a trust-all class is also
instantiated and installed (``SSLContext.init``, ``sslSocketFactory``, ``setDefaultSSLSocketFactory``,
``setHostnameVerifier``) is a cross-class question answered by ``pinlint.resolve.bytecode`` from the
``CompiledClass`` facts emitted here.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from pinlint.model.bytecode import ORIGIN, PLATFORM, CompiledClass
from pinlint.model.facts import (
    HOSTNAME,
    OTHER_CONDITION,
    PLATFORM_FAILED,
    SERVER_TRUST,
    WEBVIEW_SSL_ERROR,
    Endpoint,
    Pin,
    PinSet,
    Span,
    TlsFloor,
    TrustCallback,
    accepting,
)

#: Op kinds.
RETURN = "return"  # value: the constant returned when the return follows a constant push, else None
THROW = "throw"
INVOKE = "invoke"  # owner, name, descriptor
STRING = "string"  # value: str
NEW = "new"  # owner: the class created
LAMBDA = "lambda"  # owner/name/descriptor: the implementation method; value: the interface created
BRANCH = "branch"
HANDLER = "handler"  # owner: the caught type (empty for finally)


class Op(NamedTuple):
    """One instruction the analysis reads. ``at`` is its code address (bytes in a class file, 16-bit units in
    DEX); ``Method.line_at`` turns it into a source line only for the few ops that become findings."""

    kind: str
    at: int = 0
    owner: str = ""
    name: str = ""
    descriptor: str = ""
    value: object = None


#: (code address, source line) pairs sorted by address, and the method's first line.
LineTable = tuple[list[tuple[int, int]], int]
NO_LINES: LineTable = ([], 0)


@dataclass(slots=True)
class Method:
    name: str
    descriptor: str
    ops: list[Op] = field(default_factory=list)
    #: True when the method has no code (abstract or native).
    abstract: bool = False
    #: Reads the method's line table when a line is first asked for (most decoded methods never are).
    line_reader: Callable[[], LineTable] | None = None
    table: LineTable | None = None

    def lines(self) -> LineTable:
        if self.table is None:
            self.table = self.line_reader() if self.line_reader is not None else NO_LINES
            self.line_reader = None
        return self.table

    @property
    def first_line(self) -> int:
        return self.lines()[1]

    def line_at(self, at: int) -> int:
        """The line of the last table entry at or before code address ``at`` (the first entry's line before it)."""
        lines = self.lines()[0]
        index = bisect.bisect_right(lines, (at, 1 << 62)) - 1
        return lines[index][1] if index >= 0 else (lines[0][1] if lines else 0)


@dataclass(slots=True)
class ClassInfo:
    """One compiled class; names are dotted (``com.vendor.Net$TrustAll``)."""

    name: str
    super_name: str
    interfaces: tuple[str, ...]
    methods: list[Method] = field(default_factory=list)


def is_cleartext_url(text: str) -> bool:
    """Whether a string constant starts (after blanks) with ``http://`` or ``ws://``: the only strings the
    readers decode code for on their account."""
    return text.lstrip()[:7].lower().startswith(("http://", "ws://"))


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


def span_at(display: str, info: ClassInfo, method: Method, at: int | None = None) -> Span:
    """The span of code address ``at`` of ``method`` (its first line when ``at`` is None or has no line)."""
    line = method.line_at(at) if at is not None else 0
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
        name = method.name
        if name == "checkServerTrusted" and method.descriptor.startswith(TRUST_MANAGER_PARAMS):
            defines.add("checkServerTrusted")
            handler = _trust_manager(info, method, display, language)
            if handler is not None:
                yield handler
        elif name == "verify" and method.descriptor == VERIFY_DESCRIPTOR:
            defines.add("verify")
            if _returns_true(method):
                yield _hostname(info, method, display, language, "verify returns true for every host")
            else:
                target = _delegate(method, by_name)
                if target is not None and _returns_true(target[1]):
                    # a desugared lambda: the class's verify only calls the lambda body, reported where it is
                    yield _hostname(target[0], target[1], display, language,
                                    "lambda returns true for every host")
        elif name == "onReceivedSslError" and method.descriptor == SSL_ERROR_DESCRIPTOR:
            yield from _webview(info, method, display, language)
        kinds = {op[0] for op in method.ops}
        if LAMBDA in kinds:
            yield from _lambdas(info, method, display, language, by_name)
        if STRING in kinds and INVOKE in kinds:
            yield from _tls(info, method, display)
            yield from _pins(info, method, display)
        if STRING in kinds:
            yield from _endpoints(info, method, display, language)
        if NEW in kinds and INVOKE in kinds and any(_installs(op) for op in method.ops):
            installs.update(op.owner for op in method.ops if op.kind == NEW)
    if defines or installs or info.super_name not in ("", "java.lang.Object"):
        yield CompiledClass(info.name, info.super_name, info.interfaces, frozenset(defines), frozenset(installs),
                            Span(display, 1, 1, logical=info.name))


_INSTALLER_NAMES = frozenset(name for _owner, name in INSTALLERS)


def _installs(op: Op) -> bool:
    return op.kind == INVOKE and op.name in _INSTALLER_NAMES and (
        (op.owner, op.name) in INSTALLERS or ("*", op.name) in INSTALLERS)


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
                               span=span_at(display, info, method, op.at), platform=PLATFORM,
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
                               span=span_at(display, info, method, op.at), platform=PLATFORM,
                               confidence="medium" if branches else None)
            return


def _tls(info: ClassInfo, method: Method, display: str) -> Iterator[TlsFloor]:
    from pinlint.vocab.jvm import GENERIC_CONTEXTS, PROTOCOLS
    from pinlint.vocab.tls import spelling_of

    last: str | None = None
    for op in method.ops:
        if op.kind == STRING:
            last = str(op.value)
        elif op.kind == INVOKE:
            if op.owner == SSL_CONTEXT and op.name == "getInstance" and last is not None:
                name = last.strip().lower()
                protocol = PROTOCOLS.get(name)
                if protocol is not None and name not in GENERIC_CONTEXTS:
                    yield TlsFloor(origin=ORIGIN, platform=PLATFORM, min_version=protocol[0],
                                   spelling=spelling_of(*protocol),
                                   span=span_at(display, info, method, op.at),
                                   setting=f'SSLContext.getInstance("{last}")')
            last = None


def _pins(info: ClassInfo, method: Method, display: str) -> Iterator[PinSet]:
    strings: list[tuple[str, int]] = []  # (text, code address)
    by_host: dict[str, list[Pin]] = {}
    first_at: dict[str, int] = {}
    for op in method.ops:
        if op.kind == STRING:
            strings.append((str(op.value), op.at))
            continue
        if op.kind != INVOKE:
            continue
        if op.owner == PINNER_BUILDER and op.name == "add":
            pinned = [(text, at) for text, at in strings if text.strip().lower().startswith(("sha256/", "sha1/"))]
            hosts = [text for text, _at in strings if not text.strip().lower().startswith(("sha256/", "sha1/"))]
            if pinned and hosts:
                host = hosts[0]
                entry = by_host.setdefault(host, [])
                first_at.setdefault(host, op.at)
                entry.extend(_pin(text, span_at(display, info, method, at)) for text, at in pinned)
        strings = []
    for host, pins in by_host.items():
        yield PinSet(origin="okhttp", platform=PLATFORM, hosts=(host,), pins=tuple(pins),
                     span=span_at(display, info, method, first_at[host]), include_subdomains=host.startswith("**."),
                     label="OkHttp CertificatePinner")


def _pin(value: str, span: Span) -> Pin:
    """An OkHttp pin string (``sha256/BASE64``), decoded as OkHttp (Okio) decodes it."""
    cleaned = value.strip()
    algorithm, _slash, digest = cleaned.partition("/")
    return Pin(value=digest.strip(), algorithm=algorithm.lower(), span=span, decoder="okio")


def _endpoints(info: ClassInfo, method: Method, display: str, language: str) -> Iterator[Endpoint]:
    ops = method.ops
    for number, op in enumerate(ops):
        if op.kind != STRING or not is_cleartext_url(str(op.value)):
            continue
        from pinlint.vocab.jvm import COMPARISON_CALLS, NAMESPACE_CALLS, is_namespace_path
        from pinlint.vocab.urls import endpoint_from_literal

        value = str(op.value)
        consumer = next((later for later in ops[number + 1:] if later.kind == INVOKE), None)
        if consumer is not None and (consumer.name in COMPARISON_CALLS or consumer.name in NAMESPACE_CALLS):
            continue  # compared against or a namespace, not fetched
        endpoint = endpoint_from_literal(value, span_at(display, info, method, op.at), language, PLATFORM)
        if endpoint is None or endpoint.scheme not in ("http", "ws") or is_namespace_path(value):
            continue
        yield replace(endpoint, confidence="medium")
