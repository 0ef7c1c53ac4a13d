"""Authentication-challenge handlers: does the code accept the server's trust without a decision?

A URLSession, WKWebView or NSURLConnection challenge handler accepts the server when it answers with a
credential built from the server trust (``URLCredential(trust:)``, ``credentialForTrust:``) and
``.useCredential``. That is only safe when a decision gates it: a system evaluation
(``SecTrustEvaluateWithError``, legacy ``SecTrustEvaluate``, ``SecTrustEvaluateAsyncWithError``), a
TrustKit validator, a pin comparison, or a validator the app calls with the trust.

One walk of the tree finds every answer and the scope (outermost function) it lies in; each scope that
answers is lowered into the shared statement form (``lowering``) and its accepting paths enumerated by
``codeutil.accepting_paths``, like every other language's trust callbacks. This module reads the paths:

- an accept reached only where a decision succeeded (inside its success branch, or after a ``guard`` or an
  ``if`` that leaves on failure) is safe, unless that decision is only a subject-name comparison;
- an accept inside the branch of a failed evaluation (PLATFORM_FAILED) or pin comparison (PIN_MISMATCH);
- an accept no decision gates ("without evaluating", or "evaluates and ignores the result": PLATFORM_IGNORED).

A pin comparison whose mismatch path answers ``.performDefaultHandling`` (the system CA check only) or
``.useCredential`` accepts after a PIN_MISMATCH, including the fall-through after a matching branch that
returns. Each accept becomes a ``TrustCallback`` path; the trust checks decide what it breaks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from pinlint.model.facts import (
    AUTH_CHALLENGE,
    PIN_MISMATCH,
    PLATFORM_FAILED,
    PLATFORM_IGNORED,
    PLATFORM_PASSED,
    SUBJECT_NAME,
)
from pinlint.parsers.code import codeutil as cu
from pinlint.parsers.code.apple.emit import Emitter
from pinlint.parsers.code.apple.lowering import AppleLowering
from pinlint.parsers.code.apple.syntax import Call, Syntax
from pinlint.parsers.code.apple.vocabulary import (
    ACCEPT,
    BOOLEAN_CONTEXTS,
    COMPARISONS,
    DEFAULT,
    EVALUATIONS,
    EXTRACTORS,
    FAILURE_WORDS,
    HOST_WORDS,
    NULLS,
    PREDICATE_PREFIXES,
    REJECT,
    REJECT_CALLS,
    SERVER_TRUST_METHOD,
    TRUSTKIT,
)
from pinlint.parsers.code.treesitter import Node, ancestors, text, walk
from pinlint.vocab import names

#: each way an accept runs, by shape: the guards on its path and what it does in words
_SHAPES: dict[str, tuple[frozenset[str], str]] = {
    "no-evaluation": (frozenset(), "the challenge handler answers .useCredential with the server trust without "
                      "evaluating it (no SecTrustEvaluateWithError, validator or pin check decides)"),
    "evaluation-ignored": (frozenset({PLATFORM_IGNORED}), "the challenge handler evaluates the server trust but "
                           "answers .useCredential whatever the result"),
    "evaluation-failure-accepted": (frozenset({PLATFORM_FAILED}), "the challenge handler answers .useCredential "
                                    "with the server trust on the path where its evaluation failed"),
    "pin-mismatch-accepted": (frozenset({PIN_MISMATCH}), "the challenge handler answers .useCredential when the "
                              "pin does not match"),
    "name-check-accepted": (frozenset({SUBJECT_NAME}), "the challenge handler answers .useCredential without "
                            "evaluating the server trust, because of the certificate's subject or issuer name, "
                            "which anyone can write into a self-signed certificate"),
}
#: how bad each way of accepting is, the worst first (one verdict per accept)
_RANK = ("pin-mismatch-accepted", "evaluation-failure-accepted", "evaluation-ignored", "no-evaluation",
         "name-check-accepted")


@dataclass(frozen=True, slots=True)
class Atom:
    """A decision inside a condition: ``kind`` is ``eval``, ``pin``, ``custom`` or ``method``."""

    node: Node
    kind: str
    negative: bool


@dataclass
class Scope:
    """One function (or the whole file): the names that hold trusts, evaluation and pin results.

    ``members`` are the scope's named nodes in source order, collected in the file's one walk."""

    node: Node
    members: list[Node]
    trust: set[str] = field(default_factory=set)
    evaluated: set[str] = field(default_factory=set)
    pinned: set[str] = field(default_factory=set)
    credentials: set[str] = field(default_factory=set)
    has_evaluation: bool = False
    #: values stored through an out-parameter (``*credential = value``), with the assignment
    stores: list[tuple[Node, Node]] = field(default_factory=list)


#: node types that may answer a challenge (a call, a message, a return)
_ANSWER_TYPES = frozenset(
    {"call_expression", "message_expression", "control_transfer_statement", "return_statement"})
_CONTINUE_WITHOUT = frozenset(
    {"continueWithoutCredentialForAuthenticationChallenge:", "continueWithoutCredential(for:)"})


def _within(node: Node, function: Node) -> bool:
    """Whether ``node``, met after ``function`` in source order, lies inside it."""
    if node.start_byte != function.end_byte:
        return bool(node.start_byte < function.end_byte)
    return any(parent.id == function.id for parent in ancestors(node))  # an empty node at its very end


class HandlerAnalysis:
    def __init__(self, syntax: Syntax, root: Node, emitter: Emitter) -> None:
        self.syntax = syntax
        self.root = root
        self.emitter = emitter
        self._identifier_sets: dict[int, frozenset[str]] = {}
        self._scopes: dict[int, Scope] = {}
        #: the scope node (outermost function, or the root) of every named node
        self._owner: dict[int, Node] = {}
        self._members: dict[int, list[Node]] = {}
        #: challenge answers (``accept``/``default``/``reject``), ``return true`` and continue-without calls
        self.sites: list[tuple[Node, str]] = []
        self._index()

    # --- the one walk -------------------------------------------------------------------------------

    def _index(self) -> None:
        """From the file's one walk: every named node by scope (outermost function, or the file), and the
        answer sites."""
        syntax, root = self.syntax, self.root
        everything: list[Node] = []
        self._members[root.id] = everything
        candidates: list[Node] = []
        function: Node | None = None
        for node in syntax.nodes(root):
            if not node.is_named:
                continue
            if function is not None and not _within(node, function):
                function = None
            if function is None and node.type in syntax.function_types:
                function = node
                self._members[node.id] = []
            everything.append(node)
            if function is not None:
                self._members[function.id].append(node)
            self._owner[node.id] = function or root
            if node.type in _ANSWER_TYPES:
                candidates.append(node)
        for node in candidates:
            self._site(node)

    def _site(self, node: Node) -> None:
        answer = self._answer(node)
        if answer is not None:
            self.sites.append((node, answer))
            return
        value = self.syntax.returned(node)
        if value is not None and self.syntax.bool_value(value) is True:
            self.sites.append((node, "true"))
            return
        call = self.syntax.call(node)
        if call is not None and call.selector in _CONTINUE_WITHOUT:
            self.sites.append((node, "continue"))

    # --- names --------------------------------------------------------------------------------------

    def names(self, node: Node) -> frozenset[str]:
        found = self._identifier_sets.get(node.id)
        if found is None:
            found = frozenset(self.syntax.identifiers(node))
            self._identifier_sets[node.id] = found
        return found

    def scope_of(self, node: Node) -> Scope:
        owner: Node = self._owner.get(node.id) or self.root
        if owner.id == node.id:  # a function node belongs to the scope around it
            owner = self.root
        scope = self._scopes.get(owner.id)
        if scope is None:
            scope = self._build_scope(owner)
            self._scopes[owner.id] = scope
        return scope

    def _build_scope(self, node: Node) -> Scope:
        scope = Scope(node, self._members.get(node.id, []))
        syntax = self.syntax
        bindings: list[tuple[str, Node | None, Node]] = []
        flags: list[tuple[str, Node]] = []
        for child in scope.members:
            bindings.extend(syntax.bindings(child))
            assigned = syntax.assignment(child)
            if assigned is not None:
                name = syntax.name_of(assigned[0])
                if name:
                    bindings.append((name, assigned[1], child))
                if assigned[0].type == "pointer_expression":
                    scope.stores.append((child, assigned[1]))
                if syntax.bool_value(assigned[1]) is not None:
                    flags.append((name, child))
            call = self.syntax.call(child)
            if call is not None and call.name in EVALUATIONS:
                scope.has_evaluation = True
                for argument in call.arguments:
                    value = argument.value
                    if value.type in ("prefix_expression", "pointer_expression"):
                        scope.evaluated |= self.names(value)
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
                names = self.names(value)
                if "serverTrust" in names or names & scope.trust:
                    scope.trust.add(name)
                    if self._makes_credential(value):
                        scope.credentials.add(name)
                atoms = list(self.atoms_in(value, scope))
                if any(
                    atom.kind == "eval" or (atom.kind == "custom" and self._predicate(atom.node))
                    for atom in atoms
                ):
                    scope.evaluated.add(name)
                elif any(atom.kind == "pin" for atom in atoms):
                    scope.pinned.add(name)
            self._flags_set_in_branches(flags, scope)
        scope.trust -= {"challenge", "self"}
        return scope

    def _flags_set_in_branches(self, flags: list[tuple[str, Node]], scope: Scope) -> None:
        """``ok = true`` inside the branch of a decision makes ``ok`` carry that decision."""
        for name, child in flags:
            for parent in ancestors(child):
                if parent.id == scope.node.id:
                    break
                branches = self.syntax.branches(parent)
                if branches is None:
                    continue
                kinds = {
                    atom.kind
                    for condition in branches.conditions
                    for atom in self.atoms_in(condition, scope)
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
                lowered.endswith(word.lower()) or lowered.endswith(word.lower() + "s") for word in HOST_WORDS
            ):
                return True
        return False

    def _pinnish(self, names: frozenset[str]) -> bool:
        return any("pin" in name.lower() and "mode" not in name.lower() for name in names)

    def atoms_in(self, condition: Node, scope: Scope) -> Iterator[Atom]:
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
            if name == SERVER_TRUST_METHOD:
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
            names = self.names(lhs) | self.names(rhs)
            if SERVER_TRUST_METHOD in names:
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
        call = self.syntax.call(node)
        if call is None:
            return None
        trustkit = call.selector in TRUSTKIT and self._mentions_trust(call, scope, True)
        if call.name in EVALUATIONS or trustkit:
            return "eval"
        if call.name in EXTRACTORS or call.selector in ("URLCredential(trust:)",):
            return None
        names = self.names(call.node)
        if call.name in COMPARISONS or call.selector.startswith(tuple(name + ":" for name in COMPARISONS)):
            if SERVER_TRUST_METHOD in names:
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
        return text(node).strip("() ") in NULLS

    def _closure_parameter(self, node: Node, name: str) -> bool:
        """``if (proceed)`` inside ``^(BOOL proceed) {...}``: a decision handed in by whoever calls the closure."""
        if node.parent is None or node.parent.type not in BOOLEAN_CONTEXTS:
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
            names |= self.names(argument.value)
        if call.receiver is not None:
            names |= self.names(call.receiver)
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
                names = self.names(lhs) | self.names(rhs)
                if any(word.lower() in name.lower() for name in names for word in FAILURE_WORDS):
                    negative = not negative
            if node.id == condition.id:
                break
            previous = node
            node = node.parent
        return negative

    # --- answers ------------------------------------------------------------------------------------

    def _answer(self, node: Node) -> str | None:
        """``accept``, ``default`` or ``reject`` when ``node`` answers a challenge, else None."""
        syntax = self.syntax
        call = self.syntax.call(node)
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
        stored: Node | None = None
        for site, value in self.scope_of(node).stores:
            if site.start_byte < node.start_byte:
                stored = value
        return stored

    def _trust_credential(self, node: Node | None, scope: Scope) -> bool:
        if node is None:
            return False
        return self._makes_credential(node) or bool(self.names(node) & scope.credentials)

    def name_check(self, node: Node, scope: Scope) -> str:
        """Words for a condition that compares a certificate's subject or issuer name, directly or through a
        local value (``let summary = SecCertificateCopySubjectSummary(cert)``); else ''."""
        words = names.certificate_name_check(text(node))
        if words:
            return words
        used = self.names(node)
        for candidate in scope.members:
            if "declaration" not in candidate.type:
                continue
            declared = set(islice(self.syntax.identifiers(candidate), 3))  # the type and the declared name
            if declared & used:
                words = names.certificate_name_check(text(candidate) + " ==")
                if words:
                    return words
        return ""

    def trust_credential(self, node: Node, scope: Scope) -> bool:
        """Whether the answer at ``node`` hands over a credential built from the server trust."""
        return self._trust_credential(self._credential_of(node), scope)

    # --- the verdicts -------------------------------------------------------------------------------

    def run(self) -> None:
        lowerings: dict[int, AppleLowering] = {}
        reached: dict[int, list[cu.Path]] = {}
        targets: list[tuple[Node, str, Scope, AppleLowering]] = []
        for node, kind in self.sites:
            if kind not in ("accept", "default", "true"):
                continue
            scope = self.scope_of(node)
            if kind == "accept" and not self.trust_credential(node, scope):
                continue
            lowering = lowerings.get(scope.node.id)
            if lowering is None:
                lowering = lowerings[scope.node.id] = AppleLowering(self, scope)
                for path in self._paths(lowering):
                    if path.node is not None:
                        reached.setdefault(path.node.id, []).append(path)
            targets.append((node, kind, scope, lowering))
        later: list[tuple[Node, str]] = []
        for node, kind, scope, lowering in targets:
            paths = reached.get(node.id)
            if kind == "accept":
                shape = self._accept_verdict(node, scope, lowering, paths)
                if shape is not None:
                    guards, evidence = _SHAPES[shape]
                    self.emitter.trust(AUTH_CHALLENGE, shape, evidence, node, "urlsession", guards=guards)
                elif paths and self._only_after_pin_mismatch(paths):
                    later.append((node, "accept"))
            elif paths and (any(self._failed_pin_around(node, lowering, path) for path in paths) or (
                    kind == "default" and self._only_after_pin_mismatch(paths))):
                later.append((node, kind))
        for node, kind in later:
            self._pin_mismatch(node, kind)
        self._continue_without_credential()

    def _paths(self, lowering: AppleLowering) -> list[cu.Path]:
        try:
            return cu.accepting_paths(lowering.body(), (), handed_verdict=False)
        except RecursionError:  # nested past what the analysis follows: its accepts read as ungated
            return []

    def _accept_verdict(self, site: Node, scope: Scope, lowering: AppleLowering,
                        paths: list[cu.Path] | None) -> str | None:
        """The worst way the accept at ``site`` runs (None: only where a decision succeeded). An accept no
        path reaches (the analysis lost track) reads as ungated, so a finding is never lost."""
        shapes = [self._path_shape(site, scope, lowering, path) for path in paths or [cu.Path(frozenset())]]
        found = [shape for shape in shapes if shape is not None]
        return min(found, key=_RANK.index) if found else None

    def _path_shape(self, site: Node, scope: Scope, lowering: AppleLowering, path: cu.Path) -> str | None:
        failed: list[tuple[Node, cu.Atom]] = []
        passed: list[cu.Atom] = []
        for item, value in path.literals:
            if not lowering.decision(item):
                continue
            if value:
                passed.append(item)
                continue
            construct = lowering.enclosing(item, site)
            if construct is not None:
                failed.append((construct, item))
        if failed:
            _construct, innermost = max(failed, key=lambda pair: pair[0].start_byte)
            return "pin-mismatch-accepted" if innermost.kind == cu.CERT else "evaluation-failure-accepted"
        if passed:
            if not scope.has_evaluation and all(item in lowering.name_checks for item in passed):
                return "name-check-accepted"
            return None
        return "evaluation-ignored" if scope.has_evaluation else "no-evaluation"

    def _failed_pin_around(self, site: Node, lowering: AppleLowering, path: cu.Path) -> bool:
        """Whether ``site`` lies in the mismatch branch of a pin comparison on ``path``."""
        return any(
            item.kind == cu.CERT and not value and lowering.enclosing(item, site) is not None
            for item, value in path.literals
        )

    def _only_after_pin_mismatch(self, paths: list[cu.Path]) -> bool:
        """Whether an answer runs only after a pin comparison did not match: the comparison failed on a path
        that reaches it and matched on none (the fall-through after a matching branch that leaves)."""
        failed: set[cu.Atom] = set()
        matched: set[cu.Atom] = set()
        for path in paths:
            for item, value in path.literals:
                if item.kind == cu.CERT:
                    (matched if value else failed).add(item)
        return bool(failed - matched)

    def _pin_mismatch(self, node: Node, answer: str) -> None:
        if answer == "true":
            self.emitter.trust(
                AUTH_CHALLENGE,
                "pin-mismatch-return-true",
                "the pin check returns true when the pin does not match",
                node,
                "urlsession",
                guards=frozenset({PIN_MISMATCH}),
            )
            return
        what = ".performDefaultHandling (the system CA check only)" if answer == "default" else ".useCredential"
        self.emitter.trust(
            AUTH_CHALLENGE,
            f"pin-mismatch-{answer}",
            f"when the pin does not match, the challenge handler answers {what}, so the connection goes "
            f"ahead unpinned",
            node,
            "urlsession",
            # the default handling still runs the system's CA check
            guards=frozenset({PIN_MISMATCH, PLATFORM_PASSED} if answer == "default" else {PIN_MISMATCH}),
        )

    def _continue_without_credential(self) -> None:
        for node, kind in self.sites:
            if kind != "continue":
                continue
            scope = self.scope_of(node)
            if not self._under_server_trust_check(node, scope):
                continue
            self.emitter.trust(
                AUTH_CHALLENGE,
                "continueWithoutCredential",
                "continueWithoutCredentialForAuthenticationChallenge: on a server-trust challenge "
                "leaves the trust decision to the loading system (implementation dependent)",
                node,
                "nsurlconnection",
                confidence="low",
            )

    def _under_server_trust_check(self, site: Node, scope: Scope) -> bool:
        """Whether ``site`` runs where the authentication method was tested to be server trust."""
        start, end = site.start_byte, site.end_byte
        for parent in ancestors(site):
            if parent.id == scope.node.id:
                break
            branches = self.syntax.branches(parent)
            if branches is None:
                continue
            if any(part.start_byte <= start and end <= part.end_byte for part in branches.success):
                in_success = True
            elif any(part.start_byte <= start and end <= part.end_byte for part in branches.failure):
                in_success = False
            else:
                continue
            for condition in branches.conditions:
                for atom in self.atoms_in(condition, scope):
                    if atom.kind == "method" and in_success != atom.negative:
                        return True
        return False
