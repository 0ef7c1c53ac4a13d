"""Trust decisions in Kotlin and Java that can accept (TrustCallback facts, one accepting path each).

- trust managers: each ``checkServerTrusted`` overload that cannot reject, or swallows the platform's
  ``CertificateException``; trust-all socket factories and Apache trust strategies;
- hostname verifiers that yield ``true`` on every path, and the library's allow-all verifiers;
- ``WebViewClient.onReceivedSslError`` that calls ``proceed()`` on the error handler;
- pin comparisons whose mismatch path carries on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pinlint.model.facts import (
    APP_CERT_CHECK,
    DEBUG_FLAG,
    DEFERRED,
    HOST_FORGEABLE,
    HOSTNAME,
    PIN_MATCH,
    PIN_MISMATCH,
    PLATFORM_FAILED,
    PLATFORM_IGNORED,
    SERVER_TRUST,
    STRUCTURAL_ONLY,
    SUBJECT_NAME,
    WEBVIEW_SSL_ERROR,
    TrustCallback,
    accepting,
)
from pinlint.parsers.code.jvm.context import PLATFORM, FileContext
from pinlint.parsers.code.jvm.syntax import (
    CALL,
    DECL,
    IF,
    LAMBDA,
    NESTED,
    RETURN,
    Call,
    Function,
    named_children,
)
from pinlint.parsers.code.jvm.tables import DELEGATE_CALLS, RECEIVER_DELEGATE_CALLS
from pinlint.parsers.code.treesitter import Node, text
from pinlint.vocab import names

if TYPE_CHECKING:
    from pinlint.parsers.code import codeutil as cu
    from pinlint.parsers.code.jvm.lowering import JvmLowering

# The statement lowering and the path search (``codeutil``) are imported by the functions that judge a
# decision site: most parsed files have none, and those modules cost a tenth of a one-file run to load.

#: Calls whose lambda (or lambda argument) is a hostname verifier.
VERIFIER_SINKS = frozenset(
    {
        "hostnameVerifier",
        "setHostnameVerifier",
        "setDefaultHostnameVerifier",
        "setSSLHostnameVerifier",
        "HostnameVerifier",
    }
)
#: Calls whose lambda is an Apache HttpClient trust strategy.
STRATEGY_SINKS = frozenset({"TrustStrategy", "loadTrustMaterial"})
ALLOW_ALL_VERIFIER_TYPES = frozenset({"AllowAllHostnameVerifier", "NoopHostnameVerifier"})
TRUST_ALL_STRATEGY_TYPES = frozenset({"TrustSelfSignedStrategy", "TrustAllStrategy"})
#: Scope functions that run their lambda at once, with the receiver as ``it`` or ``this``.
SCOPE_FUNCTIONS = frozenset({"let", "also", "run", "apply", "takeIf", "takeUnless", "with", "use"})


def analyse(ctx: FileContext) -> list[object]:
    facts: list[object] = []
    seen: set[tuple[str, frozenset[str], int, int]] = set()
    for handler in _handlers(ctx):
        guards = handler.paths[0].guards & {PIN_MISMATCH, SUBJECT_NAME, HOST_FORGEABLE}
        key = (handler.role, guards, handler.span.line, handler.span.col)
        if key not in seen:
            seen.add(key)
            facts.append(handler)
    return facts


#: Words of the source that each kind of decision site needs (``_function``, ``_call``, ``_member`` and
#: ``_typed_lambda`` act only on these names): a file whose text holds none of a kind's words has no site of
#: that kind, and its nodes of that kind are not read. In a large Kotlin file without them, reading every
#: call took most of the analysis.
FUNCTION_WORDS = (b"checkServerTrusted", b"verify", b"isTrusted", b"onReceivedSslError")
CALL_WORDS = tuple(sorted(name.encode() for name in {
    "getInsecure", "setDisableCNCheck", *TRUST_ALL_STRATEGY_TYPES, *ALLOW_ALL_VERIFIER_TYPES, *VERIFIER_SINKS,
    *STRATEGY_SINKS}))
MEMBER_WORDS = (b"isableCNCheck", b"ALLOW_ALL_HOSTNAME_VERIFIER", b"INSTANCE")
TYPED_LAMBDA_WORDS = (b"HostnameVerifier", b"TrustStrategy")


def _handlers(ctx: FileContext) -> Iterator[TrustCallback]:
    syntax = ctx.syntax
    wanted: set[str] = set()
    if ctx.holds(FUNCTION_WORDS):
        wanted |= syntax.function_types
    if ctx.holds(CALL_WORDS):
        wanted |= syntax.types_of(CALL)
    if ctx.holds(MEMBER_WORDS):
        wanted.add("identifier")
    if ctx.language == "java" and ctx.holds(TYPED_LAMBDA_WORDS):
        wanted |= syntax.types_of(DECL)
    if not wanted:
        return
    for node in ctx.index.of(wanted):
        function = syntax.function(node)
        if function is not None:
            yield from _function(ctx, function)
            continue
        if syntax.kind(node) == CALL:
            call = syntax.call(node)
            if call is not None:
                yield from _call(ctx, call)
        elif node.type == "identifier":
            yield from _member(ctx, node)
        elif syntax.kind(node) == DECL and ctx.language == "java":
            yield from _typed_lambda(ctx, node)


def _handler(
    ctx: FileContext,
    role: str,
    shape: str,
    evidence: str,
    node: Node,
    origin: str,
    confidence: str | None = None,
    guards: frozenset[str] = frozenset(),
) -> Iterator[TrustCallback]:
    """A decision site of ``role`` that accepts at ``node`` with ``guards`` on the way."""
    if not ctx.sound(node):
        return
    yield accepting(origin, ctx.language, role, shape, evidence, ctx.span(node), guards=guards, platform=PLATFORM,
                    confidence=confidence, variant=ctx.variant)


# --- declared callbacks -------------------------------------------------------------------------------


def _function(ctx: FileContext, function: Function) -> Iterator[TrustCallback]:
    name = function.name
    if name == "checkServerTrusted" and len(function.params) >= 2:
        yield from _trust_manager(ctx, function)
    elif name == "verify" and _is_hostname_verifier(ctx, function):
        yield from _verifier(ctx, function)
    elif name == "isTrusted" and function.params and "X509Certificate" in function.params[0].type:
        node = _always_true_function(ctx, function)
        if node is not None:
            yield from _handler(
                ctx,
                SERVER_TRUST,
                "TrustStrategy-returns-true",
                "TrustStrategy.isTrusted returns true for every chain, so any certificate is trusted",
                node,
                "apache-httpclient",
            )
    elif name == "onReceivedSslError" and len(function.params) >= 2:
        yield from _webview(ctx, function)


def _trust_manager(ctx: FileContext, function: Function) -> Iterator[TrustCallback]:
    from pinlint.parsers.code import codeutil as cu
    from pinlint.parsers.code.jvm.lowering import TRUST_MANAGER_SCENARIOS, TrustManagerLowering

    syntax = ctx.syntax
    if not ctx.sound(function.node):
        return
    params = {param.name for param in function.params}
    if function.expression is not None and text(function.expression) == "Unit":
        yield from _handler(
            ctx,
            SERVER_TRUST,
            "empty-checkServerTrusted",
            "checkServerTrusted is '= Unit', so every certificate chain is accepted",
            function.expression,
            "javax.net.ssl",
        )
        return
    body = function.block if function.block is not None else function.expression
    if body is None:
        return
    if function.block is not None and not syntax.statements(function.block):
        yield from _handler(
            ctx,
            SERVER_TRUST,
            "empty-checkServerTrusted",
            "checkServerTrusted has an empty body, so every certificate chain is accepted",
            function.name_node,
            "javax.net.ssl",
        )
        return
    chain = function.params[0].name
    # Every check the body holds counts (a `return` carries on), and the chain is forged or expired.
    deciding = TrustManagerLowering(syntax, params, chain, returns_accept=False).body(function.block,
                                                                                     function.expression)
    forged = [path for path in cu.accepting_paths(deciding, TRUST_MANAGER_SCENARIOS)
              if PLATFORM_FAILED in path.guards]
    swallowing = _swallowing_catches(ctx, forged)
    # Where a pin comparison fails, a `return` accepts at once.
    exiting = TrustManagerLowering(syntax, params, chain, returns_accept=True).body(function.block,
                                                                                  function.expression)
    pin_open = _pin_mismatch_continues(cu.accepting_paths(exiting, TRUST_MANAGER_SCENARIOS))
    for catch in swallowing:
        yield from _handler(
            ctx,
            SERVER_TRUST,
            "swallowed-CertificateException",
            "the catch swallows the CertificateException of the platform trust manager "
            "without rethrowing, so a rejected chain is accepted",
            catch,
            "javax.net.ssl",
            guards=frozenset({PLATFORM_FAILED}),
        )
    for if_node in pin_open:
        yield from _handler(
            ctx,
            SERVER_TRUST,
            "pin-mismatch-continues",
            "when the pin comparison fails, checkServerTrusted carries on without throwing, so "
            "a certificate with an unpinned key is accepted",
            if_node,
            "javax.net.ssl",
            guards=frozenset({PIN_MISMATCH}),
        )
    if pin_open or swallowing:
        return
    unchecked = [path for path in forged
                 if path.guards <= _SHAPE_ONLY or any(_swallowed(caught) for caught in path.caught)]
    if not unchecked:
        named = [path for path in forged if path.forgeable and not path.caught and path.guards <= _NAME_ONLY]
        if named:
            words = named[0].forgeable
            yield from _handler(
                ctx,
                SERVER_TRUST,
                "name-only-checkServerTrusted",
                f"checkServerTrusted rejects a chain only {words.replace('because of', 'by')}, "
                "and never asks the platform trust manager",
                function.name_node,
                "javax.net.ssl",
                guards=frozenset({_name_guard(words)}),
            )
        return
    neutralizer = next((caught.handler for path in unchecked for caught in path.caught if _swallowed(caught)), None)
    if neutralizer is not None:
        yield from _handler(
            ctx,
            SERVER_TRUST,
            "swallowed-CertificateException",
            "the catch swallows every exception the checks throw, so checkServerTrusted never "
            "rejects a chain",
            neutralizer,
            "javax.net.ssl",
            guards=frozenset({PLATFORM_IGNORED}),
        )
    elif any(STRUCTURAL_ONLY in path.guards for path in unchecked):
        yield from _handler(
            ctx,
            SERVER_TRUST,
            "structural-checkServerTrusted",
            "checkServerTrusted only checks that the chain is present or in date, never who "
            "issued it, so any certificate chain is accepted",
            function.name_node,
            "javax.net.ssl",
            guards=frozenset({STRUCTURAL_ONLY}),
        )
    else:
        yield from _handler(
            ctx,
            SERVER_TRUST,
            "accepting-checkServerTrusted",
            "checkServerTrusted never throws (it only logs or returns), so every certificate "
            "chain is accepted",
            function.name_node,
            "javax.net.ssl",
        )


#: A forged chain accepted with nothing but its shape checked, or with a forgeable name test on the way.
_SHAPE_ONLY = frozenset({PLATFORM_FAILED, STRUCTURAL_ONLY})
_NAME_ONLY = _SHAPE_ONLY | {SUBJECT_NAME, HOST_FORGEABLE}


def _swallowed(caught: cu.Caught) -> bool:
    """A rejection caught where nothing was checked before its ``try`` and nothing rejects after the catch."""
    return caught.before <= {STRUCTURAL_ONLY} and caught.after <= {STRUCTURAL_ONLY}


def _swallowing_catches(ctx: FileContext, forged: list[cu.Path]) -> list[Node]:
    """The catches that take the platform's rejection and after which nothing can reject the chain.

    ``catch (e) { cause = e }`` followed by ``if (!localStore.isTrusted(cert)) throw ...`` records the
    failure and decides later: not a swallowed rejection.
    """
    found: dict[int, Node] = {}
    for path in forged:
        for caught in path.caught:
            if caught.handler is not None and caught.after <= {STRUCTURAL_ONLY} and _asks_platform(ctx, caught.thrower):
                found.setdefault(caught.handler.id, caught.handler)
    return sorted(found.values(), key=lambda node: node.start_byte)


def _asks_platform(ctx: FileContext, node: Node | None) -> bool:
    call = ctx.syntax.call(node) if node is not None else None
    return call is not None and (call.name in DELEGATE_CALLS or (
        call.name in RECEIVER_DELEGATE_CALLS and call.receiver is not None))


def _pin_mismatch_continues(paths: list[cu.Path]) -> list[Node]:
    """The ``if`` of each pin comparison after whose failure nothing can reject the chain."""
    sites: dict[int, Node] = {}
    for path in paths:
        if (PIN_MISMATCH in path.guards and path.mismatch is not None and not path.caught
                and path.mismatch_after <= {STRUCTURAL_ONLY}):
            sites.setdefault(path.mismatch.id, path.mismatch)
    return sorted(sites.values(), key=lambda node: node.start_byte)


def _name_guard(words: str) -> str:
    """SUBJECT_NAME for a test of the certificate's subject or issuer string, else HOST_FORGEABLE."""
    return SUBJECT_NAME if "subject or issuer" in words else HOST_FORGEABLE


def _is_hostname_verifier(ctx: FileContext, function: Function) -> bool:
    if len(function.params) != 2:
        return False
    if "SSLSession" in function.params[1].type:
        return True
    return "HostnameVerifier" in _supertypes(ctx, function.node)


def _supertypes(ctx: FileContext, node: Node) -> str:
    """The super-type text of the class, object or anonymous class declaring ``node``."""
    parent = node.parent
    while parent is not None:
        if parent.type in ("class_declaration", "object_declaration", "object_literal"):
            return " ".join(
                text(child)
                for child in parent.named_children
                if child.type in ("delegation_specifiers", "super_interfaces", "superclass")
            )
        if parent.type == "object_creation_expression":
            return text(parent.child_by_field_name("type"))
        parent = parent.parent
    return ""


def _verifier(ctx: FileContext, function: Function) -> Iterator[TrustCallback]:
    if not ctx.sound(function.node):
        return
    body = function.block if function.block is not None else function.expression
    if body is None:
        return
    statements = _lowering(ctx, function.params[0].name).function(function.block, function.expression)
    pin_open = _pin_mismatch_sites(statements)
    for if_node in pin_open:
        yield from _handler(
            ctx,
            HOSTNAME,
            "pin-mismatch-returns-true",
            "when the pin comparison fails, the verifier still returns true, so the connection "
            "goes ahead with an unpinned key",
            if_node,
            "javax.net.ssl",
            guards=frozenset({PIN_MISMATCH}),
        )
    if pin_open:
        return
    forgeable = _forgeable_host_check(ctx, body)
    if forgeable is not None:
        node, words = forgeable
        yield from _handler(ctx, HOSTNAME, "verifier-forgeable-host", f"HostnameVerifier.verify accepts {words}, "
                            "without checking the certificate against the host", node, "javax.net.ssl",
                            guards=frozenset({HOST_FORGEABLE}))
        return
    node = _always_true_function(ctx, function, statements)
    if node is not None:
        yield from _handler(
            ctx,
            HOSTNAME,
            "verifier-returns-true",
            "HostnameVerifier.verify returns true for every host, so a certificate for any name is accepted",
            node,
            "javax.net.ssl",
        )


# --- callbacks that answer true or false, through the shared analysis ---------------------------------


def _lowering(ctx: FileContext, host: str, labels: frozenset[str] | None = None) -> JvmLowering:
    from pinlint.parsers.code.jvm.lowering import JvmLowering

    return JvmLowering(ctx.syntax, {host}, labels)


def _pin_mismatch_sites(statements: list[object]) -> list[Node]:
    """The ``if`` of each pin comparison after whose failure the callback still answers true (in release
    builds: a path that accepts only under a debug flag does not count)."""
    from pinlint.parsers.code import codeutil as cu

    sites: dict[int, Node] = {}
    for path in cu.accepting_paths(statements, ()):
        guards = path.guards
        if PIN_MISMATCH in guards and not guards & {PIN_MATCH, SUBJECT_NAME, DEBUG_FLAG} and path.mismatch is not None:
            sites.setdefault(path.mismatch.id, path.mismatch)
    return sorted(sites.values(), key=lambda node: node.start_byte)


def _first_answer(statements: list[object]) -> Node | None:
    """The first (in the source) statement that answers true."""
    from pinlint.parsers.code import codeutil as cu

    nodes = [path.node for path in cu.accepting_paths(statements, ()) if path.node is not None]
    return min(nodes, key=lambda node: node.start_byte) if nodes else None


def _always_true_function(
    ctx: FileContext, function: Function, statements: list[object] | None = None
) -> Node | None:
    """The node to report when a function answers true on every path (its expression body, or its first
    ``return``), else None."""
    from pinlint.parsers.code import codeutil as cu

    if function.expression is None and function.block is None:
        return None
    if statements is None:
        host = function.params[0].name if function.params else ""
        statements = _lowering(ctx, host).function(function.block, function.expression)
    if not cu.always_accepts(statements):
        return None
    return function.expression if function.expression is not None else _first_answer(statements)


def _always_true_lambda(ctx: FileContext, lambda_node: Node, labels: frozenset[str]) -> Node | None:
    """The node to report when a lambda answers true on every path (its expression, its last line, or for a
    Java block its first ``return``), else None."""
    from pinlint.parsers.code import codeutil as cu

    syntax = ctx.syntax
    lam = syntax.lambda_(lambda_node)
    if lam is None:
        return None
    kotlin_block = syntax.language == "kotlin" and lam.expression is None
    if kotlin_block and (not lam.statements or syntax.kind(lam.statements[-1]) == RETURN):
        return None
    host = lam.params[0] if lam.params else ""
    statements = _lowering(ctx, host, (labels or frozenset({"\x00"})) if kotlin_block else None).lambda_(lambda_node)
    if not cu.always_accepts(statements):
        return None
    if lam.expression is not None:
        return lam.expression
    return lam.statements[-1] if kotlin_block else _first_answer(statements)


#: Calls that check the certificate against the host: a verifier that makes one is not judged by its host test.
_HOST_VERIFYING_CALLS = frozenset({"verify", "getDefaultHostnameVerifier", "checkServerTrusted"})


def _forgeable_host_check(ctx: FileContext, body: Node) -> tuple[Node, str] | None:
    """A host test by prefix or undotted suffix that decides a verifier's ``true`` on its own."""
    syntax = ctx.syntax
    calls = ctx.index.inside(body, syntax.types_of(CALL))
    for node in calls:
        call = syntax.call(node)
        if call is not None and call.name in _HOST_VERIFYING_CALLS:
            return None
    for node in calls:
        call = syntax.call(node)
        if call is None or call.name.lower() not in names.PREFIX_METHODS | names.SUFFIX_METHODS:
            continue
        literals = [value for arg in call.args if (value := ctx.constants.string(arg)) is not None]
        words = names.forgeable_host_check(text(node), literals)
        if words is not None and ctx.sound(node):
            return node, words
    return None


def _webview(ctx: FileContext, function: Function) -> Iterator[TrustCallback]:
    syntax = ctx.syntax
    body = function.block if function.block is not None else function.expression
    if body is None:
        return
    handler = next(
        (param.name for param in function.params if "SslErrorHandler" in param.type), function.params[1].name
    )
    aliases = {handler}
    scoped: set[int] = set()  # lambdas whose `this` is the handler
    # Aliases: `val h = handler`, `handler?.let { h -> ... }`, `handler.run { ... }`.
    for _ in range(2):
        for node in syntax.iter_subtree(body, stop_nested=False):
            kind = syntax.kind(node)
            if kind == DECL:
                for name, value, _type in syntax.declarations(node):
                    if syntax.identifier(value) in aliases:
                        aliases.add(name)
            elif kind == CALL:
                call = syntax.call(node)
                if call is None or call.name not in SCOPE_FUNCTIONS or call.lambda_ is None:
                    continue
                subject = call.args[0] if call.name == "with" and call.args else call.receiver
                if syntax.identifier(subject) not in aliases:
                    continue
                lam = syntax.lambda_(call.lambda_)
                if call.name in ("run", "apply", "with"):
                    scoped.add(call.lambda_.id)
                elif lam is not None:
                    aliases.update(lam.params or ("it",))
    for node in syntax.iter_subtree(body, stop_nested=False):
        if syntax.kind(node) != CALL:
            continue
        call = syntax.call(node)
        if call is None or call.name != "proceed" or call.args:
            continue
        if call.receiver is None:
            if not any(ancestor.id in scoped for ancestor in _ancestors_until(node, body)):
                continue
        elif syntax.identifier(call.receiver) not in aliases:
            continue
        deferred = _deferred(ctx, node, body)
        if _guarded_by_certificate_check(ctx, node, body):
            evidence = (
                "onReceivedSslError calls handler.proceed() when the app's own certificate check passes, "
                "bypassing the platform's validation for it"
            )
            confidence: str | None = "medium"
            guards: frozenset[str] = frozenset({APP_CERT_CHECK})
        elif deferred:
            evidence = (
                "onReceivedSslError lets a callback (such as a dialog button) call handler.proceed(), so "
                "the page loads over a connection whose certificate failed validation"
            )
            confidence = "medium"
            guards = frozenset({DEFERRED})
        else:
            evidence = (
                "onReceivedSslError calls handler.proceed(), so the WebView loads the page over a "
                "connection whose certificate failed validation"
            )
            confidence = None
            guards = frozenset()
        yield from _handler(
            ctx, WEBVIEW_SSL_ERROR, "webview-proceed", evidence, node, "android-webview", confidence, guards
        )


def _guarded_by_certificate_check(ctx: FileContext, node: Node, top: Node) -> bool:
    """Whether ``node`` runs only when a condition that inspects the certificate itself holds."""
    syntax = ctx.syntax
    for ancestor in _ancestors_until(node, top):
        if syntax.kind(ancestor) != IF:
            continue
        condition, _then, _else = syntax.if_parts(ancestor)
        if condition is None:
            continue
        for part in syntax.iter_subtree(condition):
            if part.type == "identifier" and "cert" in text(part).lower():
                return True
    return False


def _ancestors_until(node: Node, top: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None and parent.id != top.id:
        yield parent
        parent = parent.parent


def _deferred(ctx: FileContext, node: Node, top: Node) -> bool:
    """Whether ``node`` runs later, from a callback, rather than during the handler."""
    syntax = ctx.syntax
    for ancestor in _ancestors_until(node, top):
        kind = syntax.kind(ancestor)
        if kind == NESTED:
            return True
        if kind == LAMBDA:
            lambda_node = ancestor
            if lambda_node.type == "annotated_lambda":
                continue
            owner = lambda_node.parent
            while owner is not None and owner.type in (
                "annotated_lambda",
                "value_argument",
                "value_arguments",
                "argument_list",
            ):
                owner = owner.parent
            call = syntax.call(owner) if owner is not None else None
            if call is None or call.name not in SCOPE_FUNCTIONS:
                return True
    return False


# --- calls, members and typed lambdas -----------------------------------------------------------------


def _call(ctx: FileContext, call: Call) -> Iterator[TrustCallback]:
    syntax = ctx.syntax
    name = call.name
    if name == "getInsecure" and syntax.dotted(call.receiver).endswith("SSLCertificateSocketFactory"):
        yield from _handler(
            ctx,
            SERVER_TRUST,
            "SSLCertificateSocketFactory.getInsecure",
            "SSLCertificateSocketFactory.getInsecure() returns a socket factory with all "
            "certificate and hostname checks off",
            call.node,
            "android-ssl",
        )
        return
    if (
        (call.is_new or ctx.language == "kotlin")
        and name in TRUST_ALL_STRATEGY_TYPES
        and call.class_body is None
    ):
        yield from _handler(
            ctx,
            SERVER_TRUST,
            name,
            f"{name} trusts certificates that are self-signed or otherwise unverified, so an "
            f"attacker's certificate is accepted",
            call.node,
            "apache-httpclient",
        )
        return
    if (
        (call.is_new or ctx.language == "kotlin")
        and name in ALLOW_ALL_VERIFIER_TYPES
        and call.class_body is None
    ):
        yield from _handler(
            ctx,
            HOSTNAME,
            name,
            f"{name} accepts a certificate issued for any host name",
            call.node,
            "apache-httpclient",
        )
        return
    if name == "setDisableCNCheck" and call.args and text(call.args[0]) == "true":
        yield from _handler(
            ctx,
            HOSTNAME,
            "setDisableCNCheck",
            "Apache CXF setDisableCNCheck(true) turns off the check that the certificate names the host, so a "
            "certificate issued for any name is accepted",
            call.node,
            "apache-cxf",
        )
        return
    lambdas = _lambda_arguments(ctx, call)
    if name in VERIFIER_SINKS:
        for lambda_node in lambdas:
            forgeable = _forgeable_host_check(ctx, lambda_node)
            if forgeable is not None:
                yield from _handler(ctx, HOSTNAME, "verifier-forgeable-host",
                                    f"the hostname verifier accepts {forgeable[1]}, without checking the "
                                    "certificate against the host", forgeable[0], "javax.net.ssl",
                                    guards=frozenset({HOST_FORGEABLE}))
                continue
            node = _always_true_lambda(ctx, lambda_node, frozenset({name}))
            if node is not None:
                yield from _handler(
                    ctx,
                    HOSTNAME,
                    "verifier-returns-true",
                    "the hostname verifier returns true for every host, so a certificate for any "
                    "name is accepted",
                    node,
                    "javax.net.ssl",
                )
    elif name in STRATEGY_SINKS:
        for lambda_node in lambdas:
            node = _always_true_lambda(ctx, lambda_node, frozenset({name}))
            if node is not None:
                yield from _handler(
                    ctx,
                    SERVER_TRUST,
                    "TrustStrategy-returns-true",
                    "the TrustStrategy returns true for every chain, so any certificate is trusted",
                    node,
                    "apache-httpclient",
                )


def _lambda_arguments(ctx: FileContext, call: Call) -> list[Node]:
    syntax = ctx.syntax
    result = [call.lambda_] if call.lambda_ is not None else []
    result.extend(arg for arg in call.args if syntax.kind(arg) == LAMBDA)
    return result


def _member(ctx: FileContext, node: Node) -> Iterator[TrustCallback]:
    """``ALLOW_ALL_HOSTNAME_VERIFIER``, ``NoopHostnameVerifier.INSTANCE``, ``TrustAllStrategy.INSTANCE``."""
    name = text(node)
    if name in ("isDisableCNCheck", "disableCNCheck"):
        yield from _cxf_property(ctx, node)
        return
    if name not in ("ALLOW_ALL_HOSTNAME_VERIFIER", "INSTANCE"):
        return
    parent = node.parent
    if parent is None or parent.type in (
        "import",
        "import_declaration",
        "scoped_identifier",
        "qualified_identifier",
        "variable_declarator",
        "variable_declaration",
    ):
        return
    syntax = ctx.syntax
    if name == "ALLOW_ALL_HOSTNAME_VERIFIER":
        parts = syntax.member_parts(parent)
        if parts is not None and text(node) != parts[1]:
            return
        yield from _handler(
            ctx,
            HOSTNAME,
            "ALLOW_ALL_HOSTNAME_VERIFIER",
            "ALLOW_ALL_HOSTNAME_VERIFIER accepts a certificate issued for any host name",
            parent,
            "apache-httpclient",
        )
        return
    parts = syntax.member_parts(parent)
    if parts is None or parts[1] != "INSTANCE" or named_children(parent)[-1].id != node.id:
        return
    owner = syntax.dotted(parts[0]).rsplit(".", 1)[-1]
    if owner == "NoopHostnameVerifier":
        yield from _handler(
            ctx,
            HOSTNAME,
            "NoopHostnameVerifier",
            "NoopHostnameVerifier accepts a certificate issued for any host name",
            parent,
            "apache-httpclient",
        )
    elif owner in TRUST_ALL_STRATEGY_TYPES:
        yield from _handler(
            ctx,
            SERVER_TRUST,
            owner,
            f"{owner} trusts certificates that are self-signed or otherwise unverified",
            parent,
            "apache-httpclient",
        )


def _cxf_property(ctx: FileContext, node: Node) -> Iterator[TrustCallback]:
    """Kotlin's property form of CXF ``setDisableCNCheck(true)``: ``params.isDisableCNCheck = true``."""
    target = node.parent if node.parent is not None and node.parent.type == "navigation_expression" else node
    assignment = target.parent
    if assignment is None or assignment.type != "assignment" or assignment.child_by_field_name("left") != target:
        return
    value = assignment.child_by_field_name("right")
    if value is not None and text(value) == "true":
        yield from _handler(
            ctx,
            HOSTNAME,
            "setDisableCNCheck",
            f"Apache CXF {text(node)} = true turns off the check that the certificate names the host, so a "
            "certificate issued for any name is accepted",
            assignment,
            "apache-cxf",
        )


def _typed_lambda(ctx: FileContext, node: Node) -> Iterator[TrustCallback]:
    """Java ``HostnameVerifier v = (h, s) -> true;`` and ``TrustStrategy t = (c, a) -> true;``."""
    syntax = ctx.syntax
    for _name, value, declared in syntax.declarations(node):
        value = syntax.unwrap(value)
        if value is None or syntax.kind(value) != LAMBDA:
            continue
        declared_type = declared.rsplit(".", 1)[-1]
        if declared_type not in ("HostnameVerifier", "TrustStrategy"):
            continue
        decisive = _always_true_lambda(ctx, value, frozenset())
        if decisive is None:
            continue
        if declared_type == "HostnameVerifier":
            yield from _handler(
                ctx,
                HOSTNAME,
                "verifier-returns-true",
                "the hostname verifier returns true for every host, so a certificate for any "
                "name is accepted",
                decisive,
                "javax.net.ssl",
            )
        else:
            yield from _handler(
                ctx,
                SERVER_TRUST,
                "TrustStrategy-returns-true",
                "the TrustStrategy returns true for every chain, so any certificate is trusted",
                decisive,
                "apache-httpclient",
            )
