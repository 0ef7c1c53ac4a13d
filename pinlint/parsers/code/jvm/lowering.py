"""Kotlin and Java callback bodies lowered into the shared statement and condition form.

The trust-callback analysis (``pinlint.parsers.code.codeutil``: ``accepting_paths``, ``always_accepts``)
is the same for every language; this module reads the JVM grammars into its ``If``, ``Return``,
``Assign``, ``Try`` and ``Throw`` statements. The two languages differ in shape (Kotlin's ``if``, ``when``
and ``try`` are expressions whose last line is their value, and a lambda answers with its last line or a
``return@label``), not in meaning, so one lowering serves both through ``pinlint.parsers.code.jvm.syntax``.

What is language knowledge rather than grammar sits in tables (``pinlint.parsers.code.jvm.tables``):
which names are certificate material (pins, hashes, fingerprints), which calls compare, which calls ask
the platform, always throw or never reject, which flags are debug builds. A condition that cannot be
split further is read by ``codeutil.leaf``, so "a pin comparison" means here what it means for Dart and
C#: a test over the certificate's material.

A hostname verifier or trust strategy answers true or false (``JvmLowering``); a trust manager accepts by
returning and rejects by throwing (``TrustManagerLowering``, which models exceptions by type).
"""

from __future__ import annotations

from collections.abc import Callable

from pinlint.parsers.code import codeutil as cu
from pinlint.parsers.code.jvm import tables
from pinlint.parsers.code.jvm.syntax import (
    ASSIGN,
    BLOCK,
    CALL,
    DECL,
    ELVIS,
    IF,
    LAMBDA,
    LOOP,
    NESTED,
    RETURN,
    THROW,
    TRY,
    WHEN,
    Call,
    Syntax,
    named_children,
)
from pinlint.parsers.code.jvm.tables import (
    COMPARISON_CALLS,
    COMPARISON_OPERATORS,
    DEBUG_FLAGS,
    PIN_WORDS,
    THROWING_CALLS,
)
from pinlint.parsers.code.treesitter import Node, text
from pinlint.vocab import names
from pinlint.vocab.names import words

_NAME_TYPES = frozenset({"identifier", "simple_identifier", "type_identifier"})


def is_pin_name(name: str) -> bool:
    """Whether an identifier names certificate material (a pin set, a hash, a fingerprint, a public key)."""
    return any(word in PIN_WORDS for word in words(name)) or "publickey" in name.lower()


def is_negated(syntax: Syntax, condition: Node) -> bool:
    """Whether a comparison is written as a mismatch test (``!pins.contains(h)``, ``h !in pins``, ``!=``)."""
    node = syntax.unwrap(condition)
    if node is None:
        return False
    if node.type == "unary_expression" and syntax.operator(node) == "!":
        return True
    # The Kotlin grammar reads `!pins.contains(h)` as `(!pins).contains(h)`: the `!` sits on the
    # leftmost receiver of the chain.
    leftmost = node
    while leftmost.type in ("call_expression", "navigation_expression", "index_expression") and (
            leftmost.named_child_count):
        leftmost = leftmost.named_children[0]
        if leftmost.type == "unary_expression" and syntax.operator(leftmost) == "!":
            return True
    if node.type in ("in_expression", "binary_expression") and syntax.operator(node) in ("!in", "!=", "!=="):
        return True
    if node.type == "binary_expression" and syntax.operator(node) == "==":
        right = node.child_by_field_name("right")
        return right is not None and syntax.is_false(right)
    call = syntax.call(node)
    return call is not None and call.name in ("not", "none")


#: How the branches of a control structure are lowered: as statements, or as the callback's answer.
_Lower = Callable[[Node], list[object]]

# --- lowering -----------------------------------------------------------------------------------------


class JvmLowering(cu.StatementLowering):
    """Lowers one Kotlin or Java callback body.

    ``hosts`` names the host parameter (and what is derived from it); ``labels`` is set for a Kotlin lambda:
    the ``return@label`` labels that answer for it (a bare ``return`` leaves the enclosing function instead).
    """

    throws = frozenset({"throw_statement", "throw_expression"})
    declarations = frozenset({"local_variable_declaration", "property_declaration"})
    skipped = frozenset({"line_comment", "block_comment", "comment", "break_statement", "continue_statement"})

    def __init__(self, syntax: Syntax, hosts: set[str], labels: frozenset[str] | None = None) -> None:
        self.syntax = syntax
        self.hosts = {name for name in hosts if name and name != "_"}
        self.labels = labels
        #: the statement whose condition is being read (the site a failed pin comparison is reported at)
        self._site: Node | None = None

    # -- entry points --------------------------------------------------------------------------------

    def function(self, block: Node | None, expression: Node | None) -> list[object]:
        """A method or function body (a block, or a Kotlin ``= expression``)."""
        if expression is not None:
            return self.answer(expression, expression)
        return self.statements(self.syntax.statements(block)) if block is not None else []

    def lambda_(self, node: Node) -> list[object]:
        """A lambda: Kotlin answers with its last line (or ``return@label``), Java with its expression or
        its ``return`` statements."""
        syntax = self.syntax
        lam = syntax.lambda_(node)
        if lam is None:
            return []
        if lam.expression is not None:
            return self.answer(lam.expression, lam.expression)
        if syntax.language == "java":
            body = node.child_by_field_name("body")
            return self.statements(syntax.statements(body)) if body is not None else []
        if not lam.statements:
            return []
        *head, last = lam.statements
        return [*self.statements(list(head)), *self.answer(last, last)]

    # -- statements ----------------------------------------------------------------------------------

    def statement(self, node: Node) -> list[object]:
        kind = self.syntax.kind(node)
        if kind == BLOCK or node.type == "switch_block_statement_group":
            return self.statements(self.syntax.statements(node))
        mine = self._statement(node, kind)
        if mine is not None:
            return mine
        lowered = super().statement(node)
        if node.type in self.throws:
            return lowered
        exits = self._hidden_exits(node)
        if not exits:
            return lowered
        # `val s = session ?: return false`: an exit inside an expression may be taken
        return [cu.If(cu.atom(cu.Atom(cu.UNKNOWN, text(node)[:80])), tuple(exits)), *lowered]

    def _hidden_exits(self, node: Node) -> list[object]:
        """The returns and throws inside a statement the lowering reads as one effect (lambdas aside)."""
        syntax = self.syntax
        exits: list[object] = []
        stack = list(reversed(named_children(node)))
        while stack:
            inner = stack.pop()
            kind = syntax.kind(inner)
            if kind in (RETURN, THROW):
                exits.extend(self.statement(inner))
                continue
            if kind in (LAMBDA, NESTED):
                continue
            if kind == CALL:
                exits.extend(self.effect(inner))
            stack.extend(reversed(inner.named_children))
        return exits

    def _statement(self, node: Node, kind: str) -> list[object] | None:
        """The statements whose shape differs between the grammars (Kotlin's are expressions)."""
        if kind == RETURN:
            return self._return(node)
        if kind == IF:
            return [self._if(node, self.statement)]
        if kind == WHEN:
            return self._when(node, self.statement)
        if kind == TRY:
            return [self._try(node, self.statement)]
        if kind == ASSIGN:
            return self.assignment(node)
        if kind == CALL:
            return self.effect(node)
        if kind == LOOP:
            return [cu.If(cu.atom(cu.Atom(cu.UNKNOWN, text(node)[:80])), tuple(self._loop_body(node)))]
        return None

    def special(self, node: Node) -> list[object] | None:
        return self._statement(node, self.syntax.kind(node))

    def effect(self, node: Node) -> list[object]:
        call = self.syntax.call(node)
        if call is not None and call.receiver is None and call.name in THROWING_CALLS:
            return [cu.Throw()]
        return []

    def nested(self, node: Node) -> bool:
        return self.syntax.kind(node) == BLOCK

    def assignment(self, node: Node) -> list[object]:
        target, value, operator = self.syntax.assignment(node)
        name = self.syntax.identifier(target)
        if name is None:
            return []
        if operator == "=" and value is not None:
            return [cu.Assign(name, self.expression(value))]
        return [cu.Assign(name, self.leaf(node))]

    def declaration(self, node: Node) -> list[object]:
        result: list[object] = []
        for name, value, _declared in self.syntax.declarations(node):
            if name:
                result.append(cu.Assign(name, self.expression(value) if value is not None else self.leaf(node)))
        return result

    def _return(self, node: Node) -> list[object]:
        syntax = self.syntax
        if self.labels is not None and syntax.return_label(node) not in self.labels:
            return [cu.Throw()]  # leaves the enclosing function: the lambda gives no answer on this path
        value = syntax.return_value(node)
        if value is None:
            return [cu.Return(None, node)]
        return self.answer(value, node)

    def _loop_body(self, node: Node) -> list[object]:
        bodies = [child for child in named_children(node) if self.syntax.kind(child) == BLOCK]
        return self.statements(bodies)

    # -- values in answer position -------------------------------------------------------------------

    def answer(self, node: Node, site: Node) -> list[object]:
        """The statements of an expression whose value is the callback's answer (``return X``, the last line
        of a lambda, an expression body); each answer returns at ``site``."""
        syntax = self.syntax
        inner = syntax.unwrap(node) or node
        kind = syntax.kind(inner)

        def branch(part: Node) -> list[object]:
            return self.answer(part, site)

        if kind == IF and syntax.if_parts(inner)[2] is not None:
            return [self._if(inner, branch)]
        if kind == WHEN:
            return self._when(inner, branch)
        if kind == TRY:
            return [self._try(inner, branch)]
        if kind in (BLOCK, LAMBDA):
            statements = syntax.statements(inner)
            if not statements:
                return [cu.Return(None, site)]
            *head, last = statements
            return [*self.statements(list(head)), *self.answer(last, site)]
        if kind in (RETURN, THROW):
            return self.statement(inner)
        return [cu.Return(self.expression(inner), site)]

    # -- control structures, as statements or as answers ---------------------------------------------

    def _if(self, node: Node, lower: _Lower) -> cu.If:
        condition, then, otherwise = self.syntax.if_parts(node)
        outer, self._site = self._site, node
        try:
            test = self.expression(condition) if condition is not None else cu.atom(cu.Atom(cu.UNKNOWN, "?"))
        finally:
            self._site = outer
        return cu.If(
            test,
            tuple(lower(then)) if then is not None else (),
            tuple(lower(otherwise)) if otherwise is not None else (),
        )

    def _when(self, node: Node, lower: _Lower) -> list[object]:
        syntax = self.syntax
        branches, _has_else = syntax.when_branches(node)
        subject = next((child for child in node.named_children if child.type == "when_subject"), None)
        subject_value = named_children(subject)[-1] if subject is not None and named_children(subject) else None
        tail: tuple[object, ...] = ()
        chain: list[tuple[cu.Formula, tuple[object, ...]]] = []
        outer, self._site = self._site, node
        try:
            for conditions, body in branches:
                statements = tuple(lower(body)) if body is not None else ()
                if not conditions:
                    tail = statements
                    continue
                test: cu.Formula | None = None
                for condition in conditions:
                    part = self.expression(condition) if subject_value is None else self.leaf(
                        condition, subject_value)
                    test = part if test is None else ("or", test, part)
                assert test is not None
                chain.append((test, statements))
        finally:
            self._site = outer
        for test, statements in reversed(chain):
            tail = (cu.If(test, statements, tail),)
        return list(tail)

    def _try(self, node: Node, lower: _Lower) -> cu.Try:
        body, catches, _final = self.syntax.try_parts(node)
        return cu.Try(
            tuple(lower(body)) if body is not None else (),
            tuple(tuple(lower(catch.body)) for catch in catches),
        )

    # -- conditions ----------------------------------------------------------------------------------

    def value(self, nodes: list[Node]) -> cu.Formula:
        return self.expression(nodes[0])

    def expression(self, node: Node | None) -> cu.Formula:
        """The formula of a boolean expression."""
        syntax = self.syntax
        node = syntax.unwrap(node)
        if node is None:
            return cu.atom(cu.Atom(cu.UNKNOWN, "?"))
        if syntax.is_true(node):
            return cu.TRUE
        if syntax.is_false(node):
            return cu.FALSE
        if node.type == "unary_expression" and syntax.operator(node) == "!" and node.named_children:
            return cu.negate(self.expression(named_children(node)[-1]))
        if node.type == "binary_expression":
            operator = syntax.operator(node)
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if operator in ("&&", "||") and left is not None and right is not None:
                return ("and" if operator == "&&" else "or", self.expression(left), self.expression(right))
        kind = syntax.kind(node)
        if kind == IF:
            condition, then, otherwise = syntax.if_parts(node)
            if condition is not None and then is not None and otherwise is not None:
                test = self.expression(condition)
                return (
                    "or",
                    ("and", test, self._block_value(then)),
                    ("and", cu.negate(test), self._block_value(otherwise)),
                )
        name = syntax.identifier(node)
        if name is not None:
            return ("var", name, self.leaf(node))
        if is_negated(syntax, node):
            return cu.negate(self.leaf(node))
        return self.leaf(node)

    def _block_value(self, node: Node) -> cu.Formula:
        """The value of a branch of an ``if`` expression: its last line."""
        syntax = self.syntax
        statements = syntax.statements(node) if syntax.kind(node) in (BLOCK, LAMBDA) else [node]
        if not statements:
            return cu.atom(cu.Atom(cu.UNKNOWN, text(node)[:80]))
        last = statements[-1]
        if syntax.kind(last) == RETURN:
            value = syntax.return_value(last)
            return self.expression(value) if value is not None else cu.atom(cu.Atom(cu.UNKNOWN, "return"))
        return self.expression(last)

    def leaf(self, node: Node, extra: Node | None = None) -> cu.Formula:
        """A condition the lowering cannot split, read by ``codeutil.leaf``."""
        syntax = self.syntax
        parts = [node] if extra is None else [extra, node]
        key = "==".join(text(part) for part in parts)
        identifiers: set[str] = set()
        compares = extra is not None
        for part in parts:
            for inner in syntax.iter_subtree(part):
                if inner.type in _NAME_TYPES:
                    name = text(inner)
                    identifiers.add(name)
                    compares = compares or name in COMPARISON_CALLS
                elif inner.type in ("binary_expression", "in_expression", "equality_expression"):
                    compares = compares or syntax.operator(inner) in COMPARISON_OPERATORS
        pins = {name for name in identifiers if is_pin_name(name)} if compares else set()
        return cu.leaf(key, identifiers, cert=pins, hosts=self.hosts, debug=key in DEBUG_FLAGS, site=self._site)




class TrustManagerLowering(JvmLowering):
    """Lowers a ``checkServerTrusted`` body: it accepts a chain by returning normally and rejects it by
    throwing, so the lowering models exceptions by type.

    A call to a platform trust manager throws ``CertificateException`` when the platform rejects the chain
    (``CertificateExpiredException`` when it is only expired): the error scenarios of the analysis. A call
    to an app's own helper may throw (a ``CHECK``: precision first, it counts as a possible rejection); a
    call the tables know to be harmless never does. Handlers catch by type (``TypedTry``); ``runCatching``
    catches everything. A test of the chain's shape (``chain.isEmpty()``, ``checkValidity()``) is a ``SHAPE``
    atom. With ``returns_accept`` false a ``return`` is read as carrying on, so every check the body holds
    counts; with it true a ``return`` accepts there (the view the pin-mismatch question needs).
    """

    def __init__(self, syntax: Syntax, params: set[str], chain: str, returns_accept: bool) -> None:
        super().__init__(syntax, set())
        self.params = params
        self.certificate = {chain} - {"", "_"}
        self.returns_accept = returns_accept

    def body(self, block: Node | None, expression: Node | None) -> list[object]:
        """The body, then the normal return that accepts."""
        if expression is not None:
            lowered = self.actions(expression)
        elif block is not None:
            lowered = self.statements(self.syntax.statements(block))
        else:
            lowered = []
        return [*lowered, cu.Return(cu.TRUE)]

    # -- statements ----------------------------------------------------------------------------------

    def statement(self, node: Node) -> list[object]:
        syntax = self.syntax
        kind = syntax.kind(node)
        if kind == BLOCK or node.type == "switch_block_statement_group":
            return self.statements(syntax.statements(node))
        if kind == DECL:
            result: list[object] = []
            for name, value, _declared in syntax.declarations(node):
                if value is not None:
                    result.extend(self.actions(value))
                    if self._names(value) & self.certificate:
                        self.certificate.add(name)
                if name:
                    result.append(cu.Assign(name, self.condition_of(value) if value is not None else self.leaf(node)))
            return result
        if kind == ASSIGN:
            target, value, _operator = syntax.assignment(node)
            result = self.actions(value) if value is not None else []
            assigned = syntax.identifier(target)
            if assigned is not None:
                result.append(cu.Assign(assigned, self.leaf(node)))
            return result
        return self.actions(node)

    def actions(self, node: Node | None) -> list[object]:
        """What evaluating ``node`` does to the decision, in evaluation order."""
        syntax = self.syntax
        if node is None:
            return []
        kind = syntax.kind(node)
        if kind == NESTED or node.type in self.skipped:
            return []
        if kind in (BLOCK,) or node.type == "switch_block_statement_group":
            return self.statements(syntax.statements(node))
        if kind == LAMBDA:  # scope functions and forEach run their lambda in place
            lam = syntax.lambda_(node)
            if lam is not None:
                return self.statements(list(lam.statements)) if lam.expression is None else self.actions(
                    lam.expression)
            body = node.child_by_field_name("body")
            return self.actions(body)
        if kind == RETURN:
            value = syntax.return_value(node)
            before = self.actions(value) if value is not None else []
            return [*before, cu.Return(cu.TRUE, node)] if self.returns_accept else before
        if kind == THROW:
            thrown = syntax.thrown(node)
            call = syntax.call(syntax.unwrap(thrown)) if thrown is not None else None
            types = tables.lineage(call.name) if call is not None and call.name[:1].isupper() else tables.UNNAMED
            return [*self.actions(thrown), cu.Throw(types, node)]
        if kind == IF:
            condition, then, otherwise = syntax.if_parts(node)
            before = self.actions(condition)
            branch = self._decision(node, condition, self.actions(then), self.actions(otherwise))
            return [*before, *branch]
        if kind == WHEN:
            return self._when_actions(node)
        if kind == TRY:
            return [self._typed_try(node)]
        if kind == LOOP:  # read as run once: the checks in its body count
            return [action for child in named_children(node) for action in self.actions(child)]
        if kind == ELVIS:
            left, right = syntax.elvis_parts(node)
            before = self.actions(left)
            if right is None:
                return before
            return [*before, *self._decision(node, left, self.actions(right), [])]
        if kind in (ASSIGN, DECL):
            return self.statement(node)
        if kind == CALL:
            call = syntax.call(node)
            if call is not None:
                return self._call(call)
        return [action for child in named_children(node) for action in self.actions(child)]

    def _decision(
        self, node: Node, condition: Node | None, then: list[object], otherwise: list[object]
    ) -> list[object]:
        """An ``if`` (or elvis): it matters when a branch does something, or when it compares the certificate
        (a pin mismatch that only logs is what a finding points at)."""
        outer, self._site = self._site, node
        try:
            test = self.condition_of(condition) if condition is not None else cu.atom(cu.Atom(cu.UNKNOWN, "?"))
        finally:
            self._site = outer
        if not then and not otherwise and not _compares_certificate(test):
            return []
        return [cu.If(test, tuple(then), tuple(otherwise))]

    def _when_actions(self, node: Node) -> list[object]:
        syntax = self.syntax
        branches, _has_else = syntax.when_branches(node)
        subject = next((child for child in node.named_children if child.type == "when_subject"), None)
        before = self.actions(subject)
        tail: list[object] = []
        chain: list[tuple[Node, list[object]]] = []
        for conditions, body in branches:
            lowered = self.actions(body)
            if not conditions:
                tail = lowered
                continue
            for condition in conditions:
                before.extend(self.actions(condition))
            chain.append((conditions[0], lowered))
        for condition, lowered in reversed(chain):
            tail = self._decision(node, condition, lowered, tail)
        return [*before, *tail]

    def _typed_try(self, node: Node) -> cu.TypedTry:
        body, catches, final = self.syntax.try_parts(node)
        ending = self.actions(final)
        return cu.TypedTry(
            (*self.actions(body), *ending),
            tuple((*self.actions(catch.body), *ending) for catch in catches),
            tuple(frozenset(catch.types) for catch in catches),
            tuple(catch.node for catch in catches),
        )

    def _call(self, call: Call) -> list[object]:
        """A call: its receiver and arguments first, then what the call itself may do."""
        syntax = self.syntax
        name = call.name
        before = [*self.actions(call.receiver), *(action for arg in call.args for action in self.actions(arg))]
        inner = self.actions(call.lambda_)
        if name in tables.SWALLOWING_CALLS and not self._rethrown(call.node):
            # runCatching { ... } swallows what the block throws unless the result is rethrown
            return [*before, cu.TypedTry(tuple(inner), ((),), (frozenset({"Throwable"}),), (call.node,))]
        own: list[object] = []
        if name in THROWING_CALLS and call.receiver is None:
            own = [cu.Throw(tables.lineage("NotImplementedError") if name == "TODO" else tables.UNNAMED, call.node)]
        elif name in tables.ASSERT_CALLS:
            guard = call.args[0] if call.args else None
            throw = cu.Throw(tables.lineage("IllegalArgumentException"), call.node)
            own = self._decision(call.node, guard, [], [throw]) if guard is not None else [throw]
        elif name in tables.DELEGATE_CALLS or (name in tables.RECEIVER_DELEGATE_CALLS and call.receiver is not None):
            own = [self._platform(call.node)]
        elif name in tables.STRUCTURAL_CALLS and call.receiver is not None:  # a certificate's own check
            shape = cu.atom(cu.Atom(cu.SHAPE, text(call.node)))
            own = [cu.If(shape, (), (cu.Throw(tables.lineage(tables.EXPIRED_FAILURE), call.node),))]
        elif not tables.is_benign_call(syntax, call) and not (
            call.is_new and call.receiver is None and name.endswith(("Exception", "Error"))
        ):
            check = cu.atom(cu.Atom(cu.CHECK, f"{text(call.node)}@{call.node.start_byte}"))
            own = [cu.If(check, (cu.Throw(tables.UNNAMED | tables.CATCH_ALL_CERTIFICATE, call.node),))]
        return [*before, *inner, *own]

    def _platform(self, node: Node) -> cu.If:
        """A platform trust manager's evaluation: it passes for a valid chain, throws in the error scenarios
        (``PLATFORM_REJECTS``: a forged chain, ``PLATFORM_EXPIRED``: an expired one)."""
        key = f"platform@{node.start_byte}"
        passes = cu.atom(cu.Atom(cu.ERRORS, key, test=lambda mask: mask == 0))
        expired = cu.atom(cu.Atom(cu.ERRORS, key + ":expired", test=lambda mask: mask == PLATFORM_EXPIRED))
        failure = cu.If(expired, (cu.Throw(tables.lineage(tables.EXPIRED_FAILURE), node),),
                        (cu.Throw(tables.lineage(tables.CERTIFICATE_FAILURE), node),))
        return cu.If(passes, (), (failure,))

    def _rethrown(self, node: Node) -> bool:
        parent = node.parent
        while parent is not None and parent.type in ("navigation_expression", "call_expression"):
            outer = self.syntax.call(parent) if parent.type == "call_expression" else None
            if outer is not None and outer.name == "getOrThrow":
                return True
            parent = parent.parent
        return False

    # -- conditions ----------------------------------------------------------------------------------

    def condition_of(self, node: Node) -> cu.Formula:
        """A condition or an assigned value: split, each leaf read as a shape test or by ``codeutil.leaf``."""
        return self.expression(node)

    def leaf(self, node: Node, extra: Node | None = None) -> cu.Formula:
        if extra is None and self.is_structural(node):
            return cu.atom(cu.Atom(cu.SHAPE, text(node), site=self._site))
        key = text(node) if extra is None else f"{text(extra)}=={text(node)}"
        identifiers = self._names(node) | (self._names(extra) if extra is not None else set())
        compares = extra is not None or self._compares(node)
        cert = {name for name in identifiers if is_pin_name(name)} if compares else set()
        if names.certificate_name_check(key):
            cert |= identifiers & self.certificate
        return cu.leaf(key, identifiers, cert=cert, hosts=set(), debug=key in DEBUG_FLAGS, site=self._site)

    def _names(self, node: Node) -> set[str]:
        return {text(inner) for inner in self.syntax.iter_subtree(node) if inner.type in _NAME_TYPES}

    def _compares(self, node: Node) -> bool:
        syntax = self.syntax
        for inner in syntax.iter_subtree(node):
            if inner.type in _NAME_TYPES and text(inner) in COMPARISON_CALLS:
                return True
            if inner.type in ("binary_expression", "in_expression", "equality_expression") and (
                    syntax.operator(inner) in COMPARISON_OPERATORS):
                return True
        return False

    def is_structural(self, condition: Node) -> bool:
        """Whether a condition only tests the chain's presence or size (or the auth type)."""
        for node in self.syntax.iter_subtree(condition):
            if node.named_child_count:
                continue
            value = text(node)
            if node.type in ("identifier", "type_identifier"):
                if value in self.params or value in tables.STRUCTURAL_NAMES:
                    continue
                return False
            if node.type in ("this", "super", "this_expression", "super_expression"):
                return False
        return True


def _compares_certificate(formula: cu.Formula) -> bool:
    """Whether a condition holds a comparison of the certificate (a ``CERT`` atom)."""
    tag = formula[0]
    if tag == "atom":
        item = formula[1]
        return isinstance(item, cu.Atom) and item.kind == cu.CERT
    if tag == "const":
        return False
    parts = formula[1:3] if tag in ("and", "or") else (formula[1],) if tag == "not" else (formula[2],)
    return any(isinstance(part, tuple) and _compares_certificate(part) for part in parts)


#: The error scenarios of a trust manager: the platform rejects a forged chain, or an expired one.
PLATFORM_REJECTS = 1
PLATFORM_EXPIRED = 2
TRUST_MANAGER_SCENARIOS = ((PLATFORM_REJECTS, "a forged chain"), (PLATFORM_EXPIRED, "an expired chain"))
