"""Small, conservative reasoning over a trust manager's body: can it reject.

The question a ``checkServerTrusted`` raises is about paths, not call presence: it fails open when no
path can reject, and a catch that swallows the platform's ``CertificateException`` turns a rejecting call
into an accepting one. The analysis is deliberately conservative where it cannot see: a call to an
unknown helper may throw, so it counts as a possible rejection (precision first), while logging, string
building and date checks (``checkValidity``) never reject a forged chain. (Callbacks that answer true or
false, such as hostname verifiers, go through the shared analysis: ``pinlint.parsers.code.jvm.lowering``.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pinlint.parsers.code.jvm.lowering import (
    COMPARISON_CALLS,
    COMPARISON_OPERATORS,
    THROWING_CALLS,
    is_negated,
    is_pin_name,
)
from pinlint.parsers.code.jvm.syntax import (
    BLOCK,
    CALL,
    ELVIS,
    IF,
    LAMBDA,
    NESTED,
    RETURN,
    THROW,
    TRY,
    WHEN,
    Call,
    Catch,
    Syntax,
    named_children,
)
from pinlint.parsers.code.treesitter import Node, text
from pinlint.vocab import names

# --- exception types ----------------------------------------------------------------------------------

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

#: What a call to the platform trust manager (or an unknown helper) throws on a bad chain.
CERTIFICATE_FAILURE = "CertificateException"
#: A thrown type we cannot name (``throw e``, an unknown helper).
ANY = "*"
#: Catch types that catch every certificate failure.
CATCH_ALL_CERTIFICATE = frozenset(
    {"CertificateException", "GeneralSecurityException", "Exception", "Throwable"}
)
#: Catch types that catch only some certificate failures (an accepted expired chain is still fail-open).
CATCH_SOME_CERTIFICATE = frozenset(
    {
        "CertificateExpiredException",
        "CertificateNotYetValidException",
        "CertPathValidatorException",
    }
)


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


def catch_covers(catch: Catch, exception: str) -> bool:
    """Whether ``catch`` catches every instance of ``exception`` (``ANY``: only catch-alls do)."""
    if exception == ANY:
        return any(name in ("Exception", "Throwable") for name in catch.types)
    lineage = ancestry(exception)
    return any(name in lineage for name in catch.types)


# --- call classes -------------------------------------------------------------------------------------

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
#: Calls that check only the shape of a chain (presence, dates): they never reject a forged chain.
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


# --- rejection analysis -------------------------------------------------------------------------------


@dataclass
class Action:
    """Something that may end the callback with an exception (a rejection)."""

    node: Node
    exception: str
    #: ``throw``, ``delegate`` (a platform trust manager call), ``call`` (an unknown helper), ``assert``.
    how: str
    structural: bool = False
    neutralized_by: Catch | None = None
    partially_swallowed_by: list[Catch] = field(default_factory=list)
    #: Why a throw's guard is forgeable (it tests the certificate's subject or issuer name), else "".
    forgeable: str = ""


@dataclass
class RejectReport:
    actions: list[Action]
    #: Catches around a platform trust-manager call that do not rethrow.
    swallowing: list[Catch]

    @property
    def can_reject(self) -> bool:
        return any(not action.structural and action.neutralized_by is None for action in self.actions)


class RejectAnalysis:
    """Finds the rejecting actions of a trust callback body and what neutralizes them."""

    def __init__(self, syntax: Syntax, params: set[str]) -> None:
        self.syntax = syntax
        self.params = params
        self._catch_cache: dict[int, bool] = {}

    def run(self, body: Node) -> RejectReport:
        actions = list(self._scan(body, (), ()))
        swallowing: list[Catch] = []
        seen: set[int] = set()
        for action in actions:
            if action.how != "delegate":
                continue
            culprits = list(action.partially_swallowed_by)
            if action.neutralized_by is not None:
                culprits.append(action.neutralized_by)
            for catch in culprits:
                if catch.node.id not in seen:
                    seen.add(catch.node.id)
                    swallowing.append(catch)
        return RejectReport(actions, swallowing)

    def can_reject(self, node: Node) -> bool:
        return any(
            not action.structural and action.neutralized_by is None for action in self._scan(node, (), ())
        )

    def _catch_rejects(self, catch: Catch) -> bool:
        cached = self._catch_cache.get(catch.node.id)
        if cached is None:
            cached = self.can_reject(catch.body)
            self._catch_cache[catch.node.id] = cached
        return cached

    def _resolve(self, action: Action, tries: tuple[list[Catch], ...]) -> Action:
        for catches in reversed(tries):
            for catch in catches:
                if catch_covers(catch, action.exception) or (
                    action.how in ("delegate", "call")
                    and any(t in CATCH_ALL_CERTIFICATE for t in catch.types)
                ):
                    if not self._catch_rejects(catch):
                        action.neutralized_by = catch
                    return action
                if (
                    action.how == "delegate"
                    and any(t in CATCH_SOME_CERTIFICATE for t in catch.types)
                    and not self._catch_rejects(catch)
                ):
                    action.partially_swallowed_by.append(catch)
        return action

    def _scan(self, node: Node, guards: tuple[Node, ...], tries: tuple[list[Catch], ...]) -> Iterator[Action]:
        syntax = self.syntax
        kind = syntax.kind(node)
        if kind == NESTED:
            return
        structural = bool(guards) and self.is_structural(guards[-1])
        if kind == THROW:
            thrown = syntax.thrown(node)
            exception = ANY
            call = syntax.call(syntax.unwrap(thrown)) if thrown is not None else None
            if call is not None and call.name[:1].isupper():
                exception = call.name
            forgeable = next((words for guard in guards if (words := names.certificate_name_check(text(guard)))), "")
            yield self._resolve(Action(node, exception, "throw", structural, forgeable=forgeable), tries)
            if thrown is not None:
                yield from self._scan(thrown, guards, tries)
            return
        if kind == TRY:
            body, catches, final = syntax.try_parts(node)
            if body is not None:
                yield from self._scan(body, guards, (*tries, catches))
            for catch in catches:
                yield from self._scan(catch.body, guards, tries)
            if final is not None:
                yield from self._scan(final, guards, tries)
            return
        if kind == IF:
            condition, then, otherwise = syntax.if_parts(node)
            if condition is not None:
                yield from self._scan(condition, guards, tries)
                inner = (*guards, condition)
            else:
                inner = guards
            for branch in (then, otherwise):
                if branch is not None:
                    yield from self._scan(branch, inner, tries)
            return
        if kind == WHEN:
            branches, _has_else = syntax.when_branches(node)
            subject = next((child for child in node.named_children if child.type == "when_subject"), None)
            for conditions, body in branches:
                for condition in conditions:
                    yield from self._scan(condition, guards, tries)
                if body is not None:
                    guard = conditions[0] if conditions else subject
                    yield from self._scan(body, (*guards, guard) if guard is not None else guards, tries)
            return
        if kind == ELVIS:
            left, right = syntax.elvis_parts(node)
            if left is not None:
                yield from self._scan(left, guards, tries)
            if right is not None:
                yield from self._scan(right, (*guards, left) if left is not None else guards, tries)
            return
        if kind == CALL:
            call = syntax.call(node)
            if call is not None:
                yield from self._call(call, guards, tries, structural)
                return
        for child in named_children(node):
            yield from self._scan(child, guards, tries)

    def _call(
        self, call: Call, guards: tuple[Node, ...], tries: tuple[list[Catch], ...], structural: bool
    ) -> Iterator[Action]:
        syntax = self.syntax
        name = call.name
        if name in SWALLOWING_CALLS:
            # runCatching { ... } swallows what the block throws unless the result is rethrown.
            if not self._rethrown(call.node):
                catch = Catch(call.node, ("Throwable",), "", call.node)
                self._catch_cache[call.node.id] = False
                tries = (*tries, [catch])
        elif name in THROWING_CALLS and call.receiver is None:
            yield self._resolve(
                Action(call.node, "NotImplementedError" if name == "TODO" else ANY, "throw", structural),
                tries,
            )
        elif name in ASSERT_CALLS:
            guard = call.args[0] if call.args else None
            is_structural = structural if guard is None else self.is_structural(guard)
            yield self._resolve(Action(call.node, "IllegalArgumentException", "assert", is_structural), tries)
        elif name in ("checkServerTrusted", "checkClientTrusted") or (
            name == "checkTrusted" and call.receiver is not None
        ):
            yield self._resolve(Action(call.node, CERTIFICATE_FAILURE, "delegate", False), tries)
        elif name in STRUCTURAL_CALLS:
            yield self._resolve(Action(call.node, "CertificateExpiredException", "call", True), tries)
        elif not is_benign_call(syntax, call) and not (
            call.is_new and call.receiver is None and name.endswith(("Exception", "Error"))
        ):
            yield self._resolve(Action(call.node, ANY, "call", structural), tries)
        if call.receiver is not None:
            yield from self._scan(call.receiver, guards, tries)
        for arg in call.args:
            yield from self._scan(arg, guards, tries)
        if call.lambda_ is not None:
            yield from self._scan(call.lambda_, guards, tries)

    def _rethrown(self, node: Node) -> bool:
        parent = node.parent
        while parent is not None and parent.type in ("navigation_expression", "call_expression"):
            outer = self.syntax.call(parent) if parent.type == "call_expression" else None
            if outer is not None and outer.name == "getOrThrow":
                return True
            parent = parent.parent
        return False

    def is_structural(self, condition: Node) -> bool:
        """Whether a condition only tests the chain's presence or size (or the auth type)."""
        for node in self.syntax.iter_subtree(condition):
            if node.named_child_count:
                continue
            value = text(node)
            if node.type in ("identifier", "type_identifier"):
                if value in self.params or value in STRUCTURAL_NAMES:
                    continue
                return False
            if node.type in ("this", "super", "this_expression", "super_expression"):
                return False
        return True


# --- pin comparisons ----------------------------------------------------------------------------------

def is_pin_comparison(syntax: Syntax, condition: Node) -> bool:
    """A condition comparing something pin-like (a pin set, a hash, a fingerprint, a public key)."""
    pin_like = False
    compares = False
    for node in syntax.iter_subtree(condition):
        if node.type == "identifier":
            name = text(node)
            if is_pin_name(name):
                pin_like = True
            if name in COMPARISON_CALLS:
                compares = True
        elif node.type in ("binary_expression", "in_expression", "equality_expression") and syntax.operator(
            node
        ) in COMPARISON_OPERATORS:
            compares = True
    return pin_like and compares


def continuation(syntax: Syntax, node: Node, top: Node) -> list[Node]:
    """The statements that run after ``node`` in its enclosing blocks, up to ``top``."""
    result: list[Node] = []
    current = node
    while current is not None and current.id != top.id:
        parent = current.parent
        if parent is None:
            break
        kind = syntax.kind(parent)
        if kind in (BLOCK, LAMBDA) or parent.type in ("switch_block_statement_group",):
            statements = syntax.statements(parent)
            ids = [statement.id for statement in statements]
            anchor = current
            while anchor.id not in ids and anchor.parent is not None and anchor.parent.id != parent.id:
                anchor = anchor.parent
            if anchor.id in ids:
                result.extend(statements[ids.index(anchor.id) + 1 :])
        if kind == NESTED:
            break
        # After a loop body the loop ends (or repeats): the statements after the loop follow.
        current = parent
    return result


def terminates(syntax: Syntax, node: Node | None) -> bool:
    """Whether a branch always ends with ``return`` or ``throw``."""
    if node is None:
        return False
    kind = syntax.kind(node)
    if kind in (RETURN, THROW):
        return True
    if kind in (BLOCK, LAMBDA):
        statements = syntax.statements(node)
        return bool(statements) and terminates(syntax, statements[-1])
    if kind == IF:
        _c, then, otherwise = syntax.if_parts(node)
        return terminates(syntax, then) and terminates(syntax, otherwise)
    return False


def branch_statements(syntax: Syntax, node: Node | None) -> list[Node]:
    if node is None:
        return []
    if syntax.kind(node) in (BLOCK, LAMBDA):
        return syntax.statements(node)
    return [node]


def mismatch_paths(syntax: Syntax, body: Node) -> Iterator[tuple[Node, list[Node]]]:
    """For each pin comparison in ``body``: the ``if`` and the statements run when the pin does not match."""
    for node in syntax.iter_subtree(body):
        if syntax.kind(node) != IF:
            continue
        condition, then, otherwise = syntax.if_parts(node)
        if condition is None or not is_pin_comparison(syntax, condition):
            continue
        branch = then if is_negated(syntax, condition) else otherwise
        path = branch_statements(syntax, branch)
        if not terminates(syntax, branch):
            path = path + continuation(syntax, node, body)
        yield node, path
