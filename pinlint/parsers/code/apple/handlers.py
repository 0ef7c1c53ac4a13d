"""Authentication-challenge handlers: does the code accept the server's trust without a decision?

A URLSession, WKWebView or NSURLConnection challenge handler accepts the server when it answers with a
credential built from the server trust (``URLCredential(trust:)``, ``credentialForTrust:``) and
``.useCredential``. That is only safe when a decision gates it: a system evaluation
(``SecTrustEvaluateWithError``, legacy ``SecTrustEvaluate``, ``SecTrustEvaluateAsyncWithError``), a
TrustKit validator, a pin comparison, or a validator the app calls with the trust. This module finds every
accept site and every decision ("atom") and works out, from the conditionals between them, on which
outcome of the decision each accept runs:

- the accept runs only when the decision succeeded (inside the success branch, or after a ``guard`` or an
  ``if`` that leaves on failure): safe;
- the accept runs when an evaluation failed (PLATFORM_FAILED) or a pin comparison failed (PIN_MISMATCH);
- no decision gates it ("without evaluating", or "evaluates and ignores the result": PLATFORM_IGNORED).

A pin comparison whose mismatch path answers ``.performDefaultHandling`` (the system CA check only) or
``.useCredential`` accepts after a PIN_MISMATCH, including the fall-through after a matching branch that
returns. Each accept becomes a ``TrustCallback`` path; the trust checks decide what it breaks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pinlint.model.facts import (
    AUTH_CHALLENGE,
    PIN_MISMATCH,
    PLATFORM_FAILED,
    PLATFORM_IGNORED,
    PLATFORM_PASSED,
    SUBJECT_NAME,
)
from pinlint.parsers.code.apple.emit import Emitter
from pinlint.parsers.code.apple.syntax import Branches, Call, Syntax
from pinlint.parsers.code.treesitter import Node, ancestors, text, walk
from pinlint.vocab import names

ACCEPT = frozenset({"useCredential", "NSURLSessionAuthChallengeUseCredential"})
DEFAULT = frozenset({"performDefaultHandling", "NSURLSessionAuthChallengePerformDefaultHandling"})
REJECT = frozenset(
    {
        "cancelAuthenticationChallenge",
        "NSURLSessionAuthChallengeCancelAuthenticationChallenge",
        "rejectProtectionSpace",
        "NSURLSessionAuthChallengeRejectProtectionSpace",
    }
)
REJECT_CALLS = frozenset(
    {
        "cancelAuthenticationChallenge:",
        "cancel",
        "rejectProtectionSpaceAndContinueWithChallenge:",
        "fatalError",
        "abort",
        "completeWithError",
        "reject",
    }
)
EVALUATIONS = frozenset(
    {
        "SecTrustEvaluateWithError",
        "SecTrustEvaluate",
        "SecTrustEvaluateAsyncWithError",
        "SecTrustEvaluateAsync",
        "SecTrustEvaluateFastAsync",
    }
)
#: TrustKit validators (Objective-C selectors and Swift names)
TRUSTKIT = frozenset(
    {
        "handleChallenge:completionHandler:",
        "evaluateTrust:forHostname:",
        "handle",
        "evaluateTrust",
        "handleChallenge",
    }
)
#: functions that read data out of a trust or certificate: they decide nothing
EXTRACTORS = frozenset(
    {
        "SecTrustGetCertificateAtIndex",
        "SecTrustCopyCertificateChain",
        "SecTrustGetCertificateCount",
        "SecCertificateCopyData",
        "SecTrustCopyKey",
        "SecTrustCopyPublicKey",
        "SecKeyCopyExternalRepresentation",
        "SecCertificateCopyKey",
        "SecCertificateCopyPublicKey",
        "SecTrustCopyExceptions",
        "SecTrustSetExceptions",
        "SecTrustSetPolicies",
        "SecTrustSetAnchorCertificates",
        "SecTrustSetAnchorCertificatesOnly",
        "SecCertificateCopySubjectSummary",
        "SecPolicyCreateSSL",
        "SecPolicyCreateBasicX509",
        "CFArrayGetValueAtIndex",
        "CFBridgingRelease",
        "CFRelease",
        "Data",
        "NSData",
        "String",
        "URLCredential",
        "credentialForTrust",
        "initWithTrust",
        "dataWithBytes",
        "SecTrustCopyProperties",
        "SecTrustGetTrustResult",
        "print",
        "NSLog",
        "debugPrint",
        "SecTrustCopyResult",
        "takeRetainedValue",
        "takeUnretainedValue",
        "count",
        "first",
        "map",
        "compactMap",
        "append",
        "SecTrustSetVerifyDate",
        "SecTrustSetOCSPResponse",
        "SecTrustSetNetworkFetchAllowed",
        "SecTrustCreateWithCertificates",
    }
)
COMPARISONS = frozenset(
    {
        "contains",
        "containsObject",
        "isEqual",
        "isEqualToData",
        "isEqualToString",
        "elementsEqual",
        "isEqualTo",
        "firstIndex",
        "index",
        "indexOfObject",
        "member",
        "intersects",
        "isSubset",
        "starts",
        "hasPrefix",
    }
)
PREDICATE_PREFIXES = (
    "is",
    "should",
    "can",
    "validate",
    "verify",
    "evaluate",
    "check",
    "has",
    "trust",
    "accept",
    "allow",
    "matches",
    "pin",
)
_FAILURE_WORDS = ("fail", "deny", "invalid", "block", "recoverable", "fatal", "otherError")
_HOST_WORDS = ("host", "hostname", "authenticationMethod", "realm", "domain")
_SERVER_TRUST = "NSURLAuthenticationMethodServerTrust"
#: literals a null check compares with: such a comparison never decides trust
_NULLS = frozenset({"nil", "NULL", "Nil", "nullptr", "null"})
#: where a bare name is read as a yes/no value (not a member access or an argument)
_BOOLEAN_CONTEXTS = frozenset(
    {
        "if_statement",
        "guard_statement",
        "parenthesized_expression",
        "prefix_expression",
        "unary_expression",
        "conjunction_expression",
        "disjunction_expression",
        "binary_expression",
        "condition_clause",
    }
)


@dataclass(frozen=True, slots=True)
class Atom:
    """A decision inside a condition: ``kind`` is ``eval``, ``pin``, ``custom`` or ``method``."""

    node: Node
    kind: str
    negative: bool


@dataclass
class Scope:
    """One function (or the whole file): the names that hold trusts, evaluation and pin results."""

    node: Node
    trust: set[str] = field(default_factory=set)
    evaluated: set[str] = field(default_factory=set)
    pinned: set[str] = field(default_factory=set)
    credentials: set[str] = field(default_factory=set)
    has_evaluation: bool = False


class HandlerAnalysis:
    def __init__(self, syntax: Syntax, root: Node, emitter: Emitter) -> None:
        self.syntax = syntax
        self.root = root
        self.emitter = emitter
        self._scopes: dict[int, Scope] = {}

    # --- names --------------------------------------------------------------------------------------

    def _names(self, node: Node) -> set[str]:
        return set(self.syntax.identifiers(node))

    def scope_of(self, node: Node) -> Scope:
        outer = self.root
        for parent in ancestors(node):
            if parent.type in self.syntax.function_types:
                outer = parent
        scope = self._scopes.get(outer.id)
        if scope is None:
            scope = self._build_scope(outer)
            self._scopes[outer.id] = scope
        return scope

    def _build_scope(self, node: Node) -> Scope:
        scope = Scope(node)
        syntax = self.syntax
        bindings: list[tuple[str, Node | None, Node]] = []
        for child in walk(node):
            if not child.is_named:
                continue
            bindings.extend(syntax.bindings(child))
            assigned = syntax.assignment(child)
            if assigned is not None:
                name = syntax.name_of(assigned[0])
                if name:
                    bindings.append((name, assigned[1], child))
            call = syntax.call(child)
            if call is not None and call.name in EVALUATIONS:
                scope.has_evaluation = True
                for argument in call.arguments:
                    value = argument.value
                    if value.type in ("prefix_expression", "pointer_expression"):
                        scope.evaluated |= self._names(value)
                for closure in call.closures:
                    scope.evaluated |= set(syntax.closure_parameters(closure))
            elif call is not None and call.selector in TRUSTKIT:
                scope.has_evaluation = True
        for name, value, site in bindings:
            if value is None:
                if (
                    site.parent is not None
                    and any(word in text(site.parent) for word in ("SecTrust", "serverTrust"))
                    and site.parent.type in ("parameter", "parameter_declaration", "method_parameter")
                ):
                    scope.trust.add(name)
                continue
            if self._makes_credential(value):
                scope.credentials.add(name)
        for _ in range(3):
            for name, value, _site in bindings:
                if value is None:
                    continue
                names = self._names(value)
                if "serverTrust" in names or names & scope.trust:
                    scope.trust.add(name)
                    if self._makes_credential(value):
                        scope.credentials.add(name)
                atoms = list(self._atoms_in(value, scope))
                if any(
                    atom.kind == "eval" or (atom.kind == "custom" and self._predicate(atom.node))
                    for atom in atoms
                ):
                    scope.evaluated.add(name)
                elif any(atom.kind == "pin" for atom in atoms):
                    scope.pinned.add(name)
            self._flags_set_in_branches(node, scope)
        scope.trust -= {"challenge", "self"}
        return scope

    def _flags_set_in_branches(self, node: Node, scope: Scope) -> None:
        """``ok = true`` inside the branch of a decision makes ``ok`` carry that decision."""
        for child in walk(node):
            assigned = self.syntax.assignment(child) if child.is_named else None
            if assigned is None or self.syntax.bool_value(assigned[1]) is None:
                continue
            name = self.syntax.name_of(assigned[0])
            for parent in ancestors(child):
                if parent.id == node.id:
                    break
                branches = self.syntax.branches(parent)
                if branches is None:
                    continue
                kinds = {
                    atom.kind
                    for condition in branches.conditions
                    for atom in self._atoms_in(condition, scope)
                }
                if "pin" in kinds:
                    scope.pinned.add(name)
                elif kinds & {"eval", "custom"}:
                    scope.evaluated.add(name)

    def _makes_credential(self, node: Node) -> bool:
        for child in walk(node):
            if not child.is_named:
                continue
            call = self.syntax.call(child)
            if call is None:
                continue
            if call.selector in (
                "URLCredential(trust:)",
                "init(trust:)",
                "credentialForTrust:",
                "initWithTrust:",
            ):
                return True
        return False

    # --- atoms --------------------------------------------------------------------------------------

    def _host_related(self, node: Node) -> bool:
        for name in self.syntax.identifiers(node):
            lowered = name.lower()
            if any(
                lowered.endswith(word.lower()) or lowered.endswith(word.lower() + "s") for word in _HOST_WORDS
            ):
                return True
        return False

    def _pinnish(self, names: set[str]) -> bool:
        return any("pin" in name.lower() and "mode" not in name.lower() for name in names)

    def _atoms_in(self, condition: Node, scope: Scope) -> Iterator[Atom]:
        syntax = self.syntax
        stack = [condition]
        while stack:
            node = stack.pop()
            if node.type in syntax.closure_types:
                continue
            kind = self._atom_kind(node, scope)
            if kind is not None:
                yield Atom(node, kind, self._negative(node, condition))
                continue
            stack.extend(child for child in node.children if child.is_named)

    def _atom_kind(self, node: Node, scope: Scope) -> str | None:
        syntax = self.syntax
        if node.type in ("simple_identifier", "identifier"):
            name = text(node)
            if name == _SERVER_TRUST:
                return "method"
            if name in scope.evaluated:
                return "eval"
            if name in scope.pinned:
                return "pin"
            if self._closure_parameter(node, name):
                return "custom"
            return None
        if node.type in ("field_expression", "navigation_expression"):
            member = syntax.name_of(node)
            if member in scope.evaluated:
                return "eval"
            if member in scope.pinned:
                return "pin"
        comparison = syntax.comparison(node)
        if comparison is not None:
            _, lhs, rhs = comparison
            names = self._names(lhs) | self._names(rhs)
            if _SERVER_TRUST in names:
                return "method"
            if self._is_null(lhs) or self._is_null(rhs):
                return None
            inner = [self._atom_kind(side, scope) for side in (lhs, rhs)]
            if "eval" in inner or names & scope.evaluated:
                return "eval"
            if "pin" in inner or names & scope.pinned:
                return "pin"
            if "custom" in inner:
                return "custom"
            if names & scope.trust and not self._host_related(node):
                return "pin"
            return None
        call = syntax.call(node)
        if call is None:
            return None
        trustkit = call.selector in TRUSTKIT and self._mentions_trust(call, scope, True)
        if call.name in EVALUATIONS or trustkit:
            return "eval"
        if call.name in EXTRACTORS or call.selector in ("URLCredential(trust:)",):
            return None
        names = self._names(call.node)
        if call.name in COMPARISONS or call.selector.startswith(tuple(name + ":" for name in COMPARISONS)):
            if _SERVER_TRUST in names:
                return "method"
            if names & scope.pinned:
                return "pin"
            if names & scope.evaluated and not names & scope.trust:
                return "eval"
            if (names & scope.trust or self._pinnish(names)) and not self._host_related(node):
                return "pin"
            if names & scope.evaluated:
                return "eval"
            return None
        validator = self._predicate(node) and not self._host_related(node)
        if not self._mentions_trust(call, scope, validator):
            return None
        if "pin" in call.name.lower() or "pin" in call.selector.lower():
            return "pin"
        return "custom"

    def _is_null(self, node: Node) -> bool:
        return text(node).strip("() ") in _NULLS

    def _closure_parameter(self, node: Node, name: str) -> bool:
        """``if (proceed)`` inside ``^(BOOL proceed) {...}``: a decision handed in by whoever calls the closure."""
        if node.parent is None or node.parent.type not in _BOOLEAN_CONTEXTS:
            return False
        for parent in ancestors(node):
            if parent.type in self.syntax.closure_types:
                return name in self.syntax.closure_parameters(parent)
        return False

    def _predicate(self, node: Node) -> bool:
        """Whether a call's name reads as a yes/no decision (``isTrusted``, ``validate``), not a value."""
        call = self.syntax.call(node)
        name = (call.name if call is not None else "").lower()
        return name.startswith(PREDICATE_PREFIXES)

    def _mentions_trust(self, call: Call, scope: Scope, challenge_too: bool) -> bool:
        wanted = set(scope.trust) | {"serverTrust"}
        if challenge_too:
            wanted.add("challenge")
        names: set[str] = set()
        for argument in call.arguments:
            names |= self._names(argument.value)
        if call.receiver is not None:
            names |= self._names(call.receiver)
        return bool(names & wanted)

    def _negative(self, atom: Node, condition: Node) -> bool:
        syntax = self.syntax
        negative = False
        node: Node | None = atom
        previous: Node | None = None
        while node is not None:
            if syntax.is_not(node):
                negative = not negative
            comparison = syntax.comparison(node)
            if comparison is not None:
                operator, lhs, rhs = comparison
                if operator in ("!=", "!=="):
                    negative = not negative
                other = (
                    rhs
                    if previous is not None and previous.id == lhs.id
                    else lhs
                    if node.id != atom.id
                    else rhs
                )
                if node.id != atom.id and syntax.bool_value(other) is False:
                    negative = not negative
                names = self._names(lhs) | self._names(rhs)
                if any(word.lower() in name.lower() for name in names for word in _FAILURE_WORDS):
                    negative = not negative
            if node.id == condition.id:
                break
            previous = node
            node = node.parent
        return negative

    # --- reachability -------------------------------------------------------------------------------

    def _contains(self, parts: tuple[Node, ...], node: Node) -> bool:
        start, end = node.start_byte, node.end_byte
        return any(part.start_byte <= start and end <= part.end_byte for part in parts)

    def _exits(self, parts: tuple[Node, ...] | list[Node]) -> bool:
        """Whether a branch leaves the handler: return, throw or a rejecting answer."""
        for part in parts:
            for node in walk(part):
                if node.type in self.syntax.closure_types:
                    continue
                if node.is_named and (
                    self.syntax.is_exit(node) or self._answer(node) in ("reject", "default", "accept")
                ):
                    return True
                call = self.syntax.call(node) if node.is_named else None
                if call is not None and (call.selector in REJECT_CALLS or call.name in REJECT_CALLS):
                    return True
        return False

    def _answer(self, node: Node) -> str | None:
        """``accept``, ``default`` or ``reject`` when ``node`` answers a challenge, else None."""
        syntax = self.syntax
        call = syntax.call(node)
        first: Node | None = None
        if call is not None:
            if call.selector.startswith("useCredential:") or call.selector == "use(_:for:)":
                return "accept"
            if call.selector.startswith("performDefaultHandling"):
                return "default"
            if call.selector in REJECT_CALLS and call.selector.endswith(":"):
                return "reject"
            first = call.positional(0)
        else:
            value = syntax.returned(node)
            if value is not None and value.type == "tuple_expression" and value.named_child_count >= 2:
                first = value.named_children[0]
            elif (
                value is not None
                and syntax.name_of(value) in ACCEPT
                and self._credential_out(node) is not None
            ):
                first = value  # AFNetworking's challenge block: `*credential = ...; return Disposition;`
        if first is None:
            return None
        name = syntax.name_of(first)
        if name in ACCEPT:
            return "accept"
        if name in DEFAULT:
            return "default"
        if name in REJECT:
            return "reject"
        return None

    def _credential_of(self, node: Node) -> Node | None:
        call = self.syntax.call(node)
        if call is not None:
            if call.selector.startswith("useCredential:") or call.selector == "use(_:for:)":
                return call.positional(0)
            return call.positional(1)
        value = self.syntax.returned(node)
        if value is not None and value.type == "tuple_expression" and value.named_child_count >= 2:
            return value.named_children[1]
        if value is not None:
            return self._credential_out(node)
        return None

    def _credential_out(self, node: Node) -> Node | None:
        """The value last stored through an out-parameter (``*credential = value``) before ``node``, in
        the same function or block: what a block that returns only the disposition answers with."""
        scope = self.scope_of(node)
        stored: Node | None = None
        for child in walk(scope.node):
            if not child.is_named or child.start_byte >= node.start_byte:
                continue
            assigned = self.syntax.assignment(child)
            if assigned is not None and assigned[0].type == "pointer_expression":
                stored = assigned[1]
        return stored

    def _trust_credential(self, node: Node | None, scope: Scope) -> bool:
        if node is None:
            return False
        return self._makes_credential(node) or bool(self._names(node) & scope.credentials)

    def _path_conditionals(self, site: Node, scope: Scope) -> Iterator[tuple[Branches, bool]]:
        """Conditionals around ``site`` and whether ``site`` is in the success branch."""
        for parent in ancestors(site):
            if parent.id == scope.node.id:
                break
            branches = self.syntax.branches(parent)
            if branches is None:
                continue
            if self._contains(branches.success, site):
                yield branches, True
            elif self._contains(branches.failure, site):
                yield branches, False

    def _preceding_statements(self, site: Node, scope: Scope) -> Iterator[Node]:
        node = site
        for parent in ancestors(site):
            if parent.type in self.syntax.block_types or parent.type in (
                "function_body",
                "source_file",
                "translation_unit",
            ):
                for sibling in parent.named_children:
                    if sibling.start_byte >= node.start_byte:
                        break
                    yield sibling
            if parent.id == scope.node.id:
                break
            node = parent

    def ungated(self, site: Node, scope: Scope) -> tuple[frozenset[str], str] | None:
        """None when the accept is gated by a decision that succeeded; else (guards, shape) of its path."""
        gated = False
        gates: list[Atom] = []
        for branches, in_success in self._path_conditionals(site, scope):
            for condition in branches.conditions:
                for atom in self._atoms_in(condition, scope):
                    if atom.kind == "method":
                        continue
                    on_success = in_success != atom.negative
                    if on_success:
                        gated = True
                        gates.append(atom)
                    elif atom.kind == "pin":
                        return frozenset({PIN_MISMATCH}), "pin-mismatch-accepted"
                    else:
                        return frozenset({PLATFORM_FAILED}), "evaluation-failure-accepted"
        if gated:
            if not scope.has_evaluation and all(self._name_check(atom.node, scope) for atom in gates):
                return frozenset({SUBJECT_NAME}), "name-check-accepted"
            return None
        for statement in self._preceding_statements(site, scope):
            if self._gates(statement, scope):
                return None
        if scope.has_evaluation:
            return frozenset({PLATFORM_IGNORED}), "evaluation-ignored"
        return frozenset(), "no-evaluation"

    def _name_check(self, node: Node, scope: Scope) -> bool:
        """Whether a condition compares a certificate's subject or issuer name, directly or through a local
        value (``let summary = SecCertificateCopySubjectSummary(cert)``)."""
        if names.certificate_name_check(text(node)):
            return True
        used = set(self.syntax.identifiers(node))
        for candidate in walk(scope.node):
            if not candidate.is_named or "declaration" not in candidate.type:
                continue
            declared = set(list(self.syntax.identifiers(candidate))[:3])  # the type and the declared name
            if declared & used and names.certificate_name_check(text(candidate) + " ==") is not None:
                return True
        return False

    def _gates(self, statement: Node, scope: Scope) -> bool:
        """A preceding statement that leaves the handler unless a decision succeeded."""
        syntax = self.syntax
        for node in walk(statement):
            if node.type in syntax.closure_types:
                break
            if node.type == "try_expression" and self._has_decision(node, scope):
                return True
            branches = syntax.branches(node) if node.is_named else None
            if branches is None:
                continue
            for condition in branches.conditions:
                for atom in self._atoms_in(condition, scope):
                    if atom.kind == "method":
                        continue
                    if branches.guard:
                        if not atom.negative and self._exits(branches.failure):
                            return True
                    else:
                        failing = branches.success if atom.negative else branches.failure
                        if failing and self._exits(failing):
                            return True
            break
        return False

    def _has_decision(self, node: Node, scope: Scope) -> bool:
        return any(atom.kind != "method" for atom in self._atoms_in(node, scope))

    # --- the scan -----------------------------------------------------------------------------------

    def run(self) -> None:
        reported: set[int] = set()
        for node in walk(self.root):
            if not node.is_named or self._answer(node) != "accept":
                continue
            scope = self.scope_of(node)
            if not self._trust_credential(self._credential_of(node), scope):
                continue
            path = self.ungated(node, scope)
            if path is None:
                continue
            guards, shape = path
            reported.add(node.id)
            self.emitter.trust(AUTH_CHALLENGE, shape, self._evidence(shape), node, "urlsession", guards=guards)
        self._pin_mismatch_paths(reported)
        self._continue_without_credential()

    def _evidence(self, shape: str) -> str:
        return {
            "no-evaluation": "the challenge handler answers .useCredential with the server trust without "
            "evaluating it (no SecTrustEvaluateWithError, validator or pin check decides)",
            "evaluation-ignored": "the challenge handler evaluates the server trust but answers "
            ".useCredential whatever the result",
            "evaluation-failure-accepted": "the challenge handler answers .useCredential with the server "
            "trust on the path where its evaluation failed",
            "pin-mismatch-accepted": "the challenge handler answers .useCredential when the pin does not "
            "match",
            "name-check-accepted": "the challenge handler answers .useCredential without evaluating the server "
            "trust, because of the certificate's subject or issuer name, which anyone can write into a "
            "self-signed certificate",
        }[shape]

    def _pin_mismatch_paths(self, reported: set[int]) -> None:
        syntax = self.syntax
        for node in walk(self.root):
            branches = syntax.branches(node) if node.is_named else None
            if branches is None:
                continue
            scope = self.scope_of(node)
            atoms = [atom for condition in branches.conditions for atom in self._atoms_in(condition, scope)]
            pin_atoms = [atom for atom in atoms if atom.kind == "pin"]
            if not pin_atoms or not self.emitter.sound(node):
                continue
            negative = pin_atoms[0].negative
            if branches.guard:
                mismatch: list[Node] = list(branches.failure) if not negative else []
                match_exits = negative
            else:
                mismatch = list(branches.failure if not negative else branches.success)
                match_exits = self._exits(branches.success if not negative else branches.failure)
            direct = {part.id for part in mismatch}
            if (match_exits and not branches.guard) or (branches.guard and negative):
                mismatch.extend(self._continuation(node, scope))
            for answer_node, answer, part in self._answers(mismatch):
                if answer_node.id in reported:
                    continue
                if answer == "accept" and not self._trust_credential(self._credential_of(answer_node), scope):
                    continue
                if answer == "true" and part.id not in direct:
                    continue
                if answer in ("accept", "default"):
                    reported.add(answer_node.id)
                    what = (
                        ".performDefaultHandling (the system CA check only)"
                        if answer == "default"
                        else ".useCredential"
                    )
                    self.emitter.trust(
                        AUTH_CHALLENGE,
                        f"pin-mismatch-{answer}",
                        f"when the pin does not match, the challenge handler answers {what}, so "
                        f"the connection goes ahead unpinned",
                        answer_node,
                        "urlsession",
                        # the default handling still runs the system's CA check
                        guards=frozenset({PIN_MISMATCH, PLATFORM_PASSED} if answer == "default" else {PIN_MISMATCH}),
                    )
                elif answer == "true":
                    reported.add(answer_node.id)
                    self.emitter.trust(
                        AUTH_CHALLENGE,
                        "pin-mismatch-return-true",
                        "the pin check returns true when the pin does not match",
                        answer_node,
                        "urlsession",
                        guards=frozenset({PIN_MISMATCH}),
                    )

    def _answers(self, parts: list[Node]) -> Iterator[tuple[Node, str, Node]]:
        """Challenge answers (and ``return true``) in ``parts``, with the part each was found in."""
        for part in parts:
            for node in walk(part):
                if not node.is_named:
                    continue
                answer = self._answer(node)
                if answer is not None:
                    yield node, answer, part
                    continue
                value = self.syntax.returned(node)
                if value is not None and self.syntax.bool_value(value) is True:
                    yield node, "true", part

    def _continuation(self, conditional: Node, scope: Scope) -> list[Node]:
        """Statements that run after ``conditional`` when its branch did not leave, up to the first exit."""
        found: list[Node] = []
        node = conditional
        for parent in ancestors(conditional):
            if parent.type in self.syntax.closure_types or parent.type in self.syntax.function_types:
                break
            if parent.type in self.syntax.block_types or parent.type in ("function_body",):
                after = False
                for sibling in parent.named_children:
                    if sibling.id == node.id:
                        after = True
                        continue
                    if not after or sibling.type == "comment":
                        continue
                    found.append(sibling)
                    if (
                        self.syntax.is_exit(sibling)
                        or self._answer(self._statement_call(sibling)) is not None
                    ):
                        return found
                    if self.syntax.branches(sibling) is not None and self._all_branches_exit(sibling):
                        return found
            if parent.id == scope.node.id:
                break
            node = parent
        return found

    def _statement_call(self, statement: Node) -> Node:
        if statement.type == "expression_statement" and statement.named_child_count:
            return statement.named_children[0]
        return statement

    def _all_branches_exit(self, node: Node) -> bool:
        branches = self.syntax.branches(node)
        if branches is None or branches.guard:
            return False
        return bool(branches.failure) and self._exits(branches.success) and self._exits(branches.failure)

    def _continue_without_credential(self) -> None:
        for call in self.syntax.calls(self.root):
            if call.selector not in (
                "continueWithoutCredentialForAuthenticationChallenge:",
                "continueWithoutCredential(for:)",
            ):
                continue
            scope = self.scope_of(call.node)
            server_trust = False
            for branches, in_success in self._path_conditionals(call.node, scope):
                for condition in branches.conditions:
                    for atom in self._atoms_in(condition, scope):
                        if atom.kind == "method" and in_success != atom.negative:
                            server_trust = True
            if server_trust:
                self.emitter.trust(
                    AUTH_CHALLENGE,
                    "continueWithoutCredential",
                    "continueWithoutCredentialForAuthenticationChallenge: on a server-trust challenge "
                    "leaves the trust decision to the loading system (implementation dependent)",
                    call.node,
                    "nsurlconnection",
                    confidence="low",
                )
