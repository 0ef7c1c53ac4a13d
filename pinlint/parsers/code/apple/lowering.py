"""Swift and Objective-C challenge handlers lowered into the shared statement form (``codeutil``).

One lowering serves both grammars: the shapes of each (blocks, conditionals, returns, calls, closures) come
from its ``Syntax``; which call answers a challenge and which condition decides trust (an evaluation, a pin
comparison, an app validator) come from the tables and readings in ``handlers``. So:

- a challenge answer is an ``Answer``: ``.useCredential`` with a credential built from the server trust
  accepts, ``.performDefaultHandling`` accepts with the system's evaluation deciding (a ``PLATFORM`` atom), a
  cancel or a rejection ends the path; ``return true`` is a ``Return``;
- ``guard cond else { ... }`` is ``codeutil.guard``; ``try`` of a decision throws when it fails;
  ``do``/``catch`` is a ``Try``;
- an evaluation or validator is a ``PLATFORM`` atom; a pin comparison is read through ``codeutil.leaf``, as in
  every other language; any other condition (the authentication method, a host) is an ``UNKNOWN`` atom;
- closures, blocks, loop bodies and ``switch`` cases run under a condition the analysis cannot see.

Each decision atom remembers the conditionals it was read from, so the verdict can tell an accept inside the
branch of a failed test from one that runs after the test fell through.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from pinlint.parsers.code import codeutil as cu
from pinlint.parsers.code.apple.vocabulary import REJECT_CALLS
from pinlint.parsers.code.treesitter import Node, text

if TYPE_CHECKING:
    from pinlint.parsers.code.apple.handlers import HandlerAnalysis, Scope

#: conditionals ``Syntax.branches`` reads
_BRANCHING = frozenset(
    {"if_statement", "guard_statement", "for_statement", "while_statement", "switch_statement",
     "ternary_expression", "conditional_expression"})
#: loops and multi-way statements whose bodies run under a condition the analysis cannot see
_OPAQUE = frozenset(
    {"for_statement", "for_in_statement", "while_statement", "repeat_while_statement", "switch_statement",
     "switch_entry", "case_statement", "for_range_loop"})
_AND = frozenset({"conjunction_expression", "&&"})
_OR = frozenset({"disjunction_expression", "||"})
#: the system's default handling of a challenge: accepts what the platform's evaluation accepts
DEFAULT_HANDLING = cu.Atom(cu.PLATFORM, "<default handling>")


class AppleLowering(cu.StatementLowering):
    """The statements of one scope (a function, or the file outside functions) of a Swift or Objective-C file."""

    def __init__(self, analysis: HandlerAnalysis, scope: Scope) -> None:
        self.analysis = analysis
        self.syntax = analysis.syntax
        self.scope = scope
        self.sites = {node.id: kind for node, kind in analysis.sites}
        #: the conditionals each decision atom was read from
        self.constructs: dict[cu.Atom, list[Node]] = {}
        #: decision atoms that compare a certificate's subject or issuer name
        self.name_checks: set[cu.Atom] = set()

    def body(self) -> list[object]:
        return self.inner(self.scope.node)

    # --- statements ---------------------------------------------------------------------------------

    def statement(self, node: Node) -> list[object]:
        syntax, analysis = self.syntax, self.analysis
        kind = node.type
        if kind in syntax.block_types or kind == "function_body":
            return self.statements([child for child in node.named_children if child.type != "comment"])
        if kind in syntax.closure_types or kind in syntax.function_types:
            if node.id != self.scope.node.id and self.scope.node.id == analysis.root.id \
                    and kind in syntax.function_types:
                return []  # a function of its own: another scope
            return self._unseen(node, self.inner(node))
        site = self.sites.get(node.id)
        if site in ("accept", "default", "reject"):
            return [*self.inner(node), cu.Answer(self._answer_value(node, site), node)]
        if site == "true":
            return [cu.Return(cu.TRUE, node)]
        if syntax.is_exit(node):
            first = node.children[0].type if node.children else ""
            return [*self.inner(node), cu.Throw() if first == "throw" else cu.Return(None, node)]
        if self._rejects(node):
            return [cu.Return(None, node)]
        if kind == "do_statement" and syntax.language == "swift":
            return self._do_catch(node)
        if kind == "try_expression":
            decided = [atom for atom in analysis.atoms_in(node, self.scope) if atom.kind != "method"]
            if decided:
                return [cu.guard(self.decide(node, node), [cu.Throw()]), *self.inner(node)]
            return self.inner(node)
        branches = syntax.branches(node) if kind in _BRANCHING else None
        if branches is not None:
            condition = self.conditions(branches.conditions, node)
            if branches.guard:
                return [cu.guard(condition, self.alternatives(branches.failure, node))]
            return [cu.If(condition, tuple(self.alternatives(branches.success, node)),
                          tuple(self.alternatives(branches.failure, node)))]
        if kind in _OPAQUE:
            return self._unseen(node, self.inner(node))
        return self.inner(node)

    def inner(self, node: Node) -> list[object]:
        """The statements inside ``node``: its parts that answer, leave or branch, found without recursion
        through plain expressions."""
        found: list[object] = []
        stack = list(reversed(node.named_children))
        while stack:
            child = stack.pop()
            if child.type == "comment":
                continue
            if self._structural(child):
                found.extend(self.statement(child))
            else:
                stack.extend(reversed(child.named_children))
        return found

    def _structural(self, node: Node) -> bool:
        syntax = self.syntax
        kind = node.type
        return (
            kind in syntax.block_types
            or kind in syntax.closure_types
            or kind in syntax.function_types
            or kind in _BRANCHING
            or kind in _OPAQUE
            or kind in ("function_body", "do_statement", "try_expression")
            or node.id in self.sites
            or syntax.is_exit(node)
            or self._rejects(node)
        )

    def _rejects(self, node: Node) -> bool:
        call = self.syntax.call(node) if node.type in ("call_expression", "message_expression") else None
        return call is not None and (call.selector in REJECT_CALLS or call.name in REJECT_CALLS)

    def alternatives(self, parts: tuple[Node, ...], construct: Node) -> list[object]:
        """One of ``parts`` runs (the cases of a ``switch`` that share an outcome); a single part just runs."""
        if len(parts) <= 1:
            return self.statements(list(parts))
        return [cu.If(self._hidden(parts[0]), tuple(self.statement(parts[0])),
                      tuple(self.alternatives(parts[1:], construct)))]

    def _do_catch(self, node: Node) -> list[object]:
        body: list[object] = []
        handlers: list[tuple[object, ...]] = []
        for child in node.named_children:
            if child.type in self.syntax.block_types:
                body.extend(self.statement(child))
            elif child.type == "catch_block":
                handlers.append(tuple(self.inner(child)))
        return [cu.Try(tuple(body), tuple(handlers))]

    def _unseen(self, node: Node, statements: list[object]) -> list[object]:
        """``statements`` run under a condition the analysis cannot see (a closure, a loop body)."""
        return [cu.If(self._hidden(node), tuple(statements))] if statements else []

    def _hidden(self, node: Node) -> cu.Formula:
        return cu.atom(cu.Atom(cu.UNKNOWN, f"<{node.type}@{node.start_byte}-{node.end_byte}>"))

    def _answer_value(self, node: Node, site: str) -> cu.Formula:
        if site == "default":
            return cu.atom(DEFAULT_HANDLING)
        if site == "accept" and self.analysis.trust_credential(node, self.scope):
            return cu.TRUE
        return cu.FALSE  # a rejection, or a credential that is not the server's trust (a password)

    # --- conditions ---------------------------------------------------------------------------------

    def conditions(self, nodes: tuple[Node, ...], construct: Node) -> cu.Formula:
        formula: cu.Formula | None = None
        for node in nodes:
            part = self.decide(node, construct)
            formula = part if formula is None else ("and", formula, part)
        return formula if formula is not None else self._hidden(construct)

    def decide(self, node: Node, construct: Node) -> cu.Formula:
        """A condition as a formula: ``!``, ``&&``, ``||`` and parentheses split it; each remaining part is
        its decisions (the analysis's reading, with its sense of negation), or an unknown atom."""
        syntax = self.syntax
        kind = node.type
        named = [child for child in node.named_children if child.type != "comment"]
        if kind in ("parenthesized_expression", "tuple_expression") and len(named) == 1:
            return self.decide(named[0], construct)
        operator = ""
        if kind in ("conjunction_expression", "disjunction_expression"):
            operator = kind
        elif kind == "binary_expression":
            operator = text(node.child_by_field_name("operator"))
        if operator in _AND or operator in _OR:
            left = node.child_by_field_name("lhs") or node.child_by_field_name("left")
            right = node.child_by_field_name("rhs") or node.child_by_field_name("right")
            if left is not None and right is not None:
                tag = "and" if operator in _AND else "or"
                return (tag, self.decide(left, construct), self.decide(right, construct))
        if kind in ("prefix_expression", "unary_expression") and syntax.is_not(node):
            operand = node.child_by_field_name("target") or node.child_by_field_name("argument")
            if operand is not None:
                return cu.negate(self.decide(operand, construct))
        formula: cu.Formula | None = None
        for decision in self.analysis.atoms_in(node, self.scope):
            if decision.kind == "method":
                continue
            part = cu.atom(self._decision_atom(decision.node, decision.kind, construct))
            part = cu.negate(part) if decision.negative else part
            formula = part if formula is None else ("and", formula, part)
        return formula if formula is not None else self._hidden(node)

    def _decision_atom(self, node: Node, kind: str, construct: Node) -> cu.Atom:
        written = text(node)
        if kind == "pin":
            identifiers = set(self.analysis.names(node)) or {written}
            formula = cu.leaf(written, identifiers, cert=identifiers, hosts=set(), debug=False)
            item = formula[1]
            assert isinstance(item, cu.Atom)
        else:
            item = cu.Atom(cu.PLATFORM, written)
        # each occurrence is its own test: the same call after ``SecTrustSetExceptions`` may answer otherwise
        item = replace(item, key=f"{item.key}@{node.start_byte}")
        words = self.analysis.name_check(node, self.scope)
        if words:
            if item.kind == cu.CERT and not item.forgeable:
                item = replace(item, forgeable=words)
            self.name_checks.add(item)
        self.constructs.setdefault(item, []).append(construct)
        return item

    # --- reading paths ------------------------------------------------------------------------------

    def decision(self, item: cu.Atom) -> bool:
        return item.kind in (cu.PLATFORM, cu.CERT) and item != DEFAULT_HANDLING

    def enclosing(self, item: cu.Atom, site: Node) -> Node | None:
        """The innermost conditional ``item`` was read from that holds ``site`` in a branch, or None."""
        best: Node | None = None
        for construct in self.constructs.get(item, ()):
            if construct.start_byte <= site.start_byte and site.end_byte <= construct.end_byte and (
                    best is None or construct.start_byte >= best.start_byte):
                best = construct
        return best

