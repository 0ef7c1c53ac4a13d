"""One view over the Kotlin and Java syntax trees.

The analyses (trust managers, verifiers, pinning, TLS settings, URLs) ask the same questions of both
languages: what is this call's receiver and name, what are a function's parameters, which statements
does a block hold, is this a ``throw``. Each language answers them from its own grammar here, so the
analyses are written once. Node kinds are mapped onto a small canonical set (see ``Syntax.kind``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from pinlint.parsers.code import literals
from pinlint.parsers.code.literals import StringPart
from pinlint.parsers.code.treesitter import Node, text

# Canonical node kinds used by the analyses.
BLOCK = "block"
THROW = "throw"
RETURN = "return"
IF = "if"
WHEN = "when"
TRY = "try"
LOOP = "loop"
CALL = "call"
LAMBDA = "lambda"
DECL = "decl"
ASSIGN = "assign"
NESTED = "nested"  # a function, class or object declared inside: its code is not this code
ELVIS = "elvis"
OTHER = "other"

COMMENTS = frozenset({"line_comment", "block_comment", "comment"})


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class Function:
    """A function or method declaration with a body (abstract declarations are not Functions)."""

    node: Node
    name: str
    name_node: Node
    params: tuple[Param, ...]
    #: The block body, or None for a Kotlin expression body.
    block: Node | None
    #: The Kotlin expression body (``= expr``), else None.
    expression: Node | None


@dataclass(frozen=True, slots=True)
class Call:
    """A call, a constructor call (``new X()`` or Kotlin ``X()``), or a Kotlin SAM-constructor call."""

    node: Node
    name: str
    name_node: Node
    receiver: Node | None
    args: tuple[Node, ...]
    #: Arguments written with a Kotlin spread operator (``*pins``).
    spread: frozenset[int]
    #: A trailing (Kotlin) lambda.
    lambda_: Node | None
    #: Java anonymous class body (``new HostnameVerifier() { ... }``).
    class_body: Node | None
    is_new: bool


@dataclass(frozen=True, slots=True)
class Lambda:
    node: Node
    params: tuple[str, ...]
    #: The statements of a block body (Kotlin lambdas always have one).
    statements: tuple[Node, ...]
    #: The single expression of a Java expression lambda.
    expression: Node | None


@dataclass(frozen=True, slots=True)
class Catch:
    node: Node
    types: tuple[str, ...]
    name: str
    body: Node


def named_children(node: Node) -> list[Node]:
    return [child for child in node.named_children if child.type not in COMMENTS]


def last_identifier(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


class Syntax:
    """The questions both languages answer; see KotlinSyntax and JavaSyntax."""

    language = ""
    string_types: frozenset[str] = frozenset()
    function_types: frozenset[str] = frozenset()
    call_types: frozenset[str] = frozenset()
    lambda_types: frozenset[str] = frozenset()
    annotation_types: frozenset[str] = frozenset()
    kinds: ClassVar[dict[str, str]] = {}

    def __init__(self, memo: bool = False) -> None:
        self._types: dict[str, frozenset[str]] = {}
        #: calls already read, by node id: only in a per-file instance (``reading``), whose nodes stay alive
        self._calls: dict[int, Call | None] | None = {} if memo else None

    def reading(self) -> Syntax:
        """A view for one file's analyses, which reads each call once (the analyses ask about the same calls)."""
        return type(self)(memo=True)

    def call(self, node: Node) -> Call | None:
        """The call ``node`` is, or None."""
        memo = self._calls
        if memo is None:
            return self.read_call(node)
        key = node.id
        if key not in memo:
            memo[key] = self.read_call(node)
        return memo[key]

    def kind(self, node: Node) -> str:
        return self.kinds.get(node.type, OTHER)

    def types_of(self, kind: str) -> frozenset[str]:
        """The node types of one canonical kind (not ``ELVIS``, which depends on the operator)."""
        found = self._types.get(kind)
        if found is None:
            found = self._types[kind] = frozenset(
                node_type for node_type, mapped in self.kinds.items() if mapped == kind)
        return found

    # -- overridden per language -------------------------------------------------------------------
    def function(self, node: Node) -> Function | None:
        raise NotImplementedError

    def read_call(self, node: Node) -> Call | None:
        raise NotImplementedError

    def lambda_(self, node: Node) -> Lambda | None:
        raise NotImplementedError

    def statements(self, node: Node) -> list[Node]:
        """The statements of a block-like node (or the node itself when it is a single statement)."""
        raise NotImplementedError

    def if_parts(self, node: Node) -> tuple[Node | None, Node | None, Node | None]:
        raise NotImplementedError

    def when_branches(self, node: Node) -> tuple[list[tuple[list[Node], Node | None]], bool]:
        """``([(conditions, body)], has_else)``."""
        raise NotImplementedError

    def try_parts(self, node: Node) -> tuple[Node | None, list[Catch], Node | None]:
        raise NotImplementedError

    def return_value(self, node: Node) -> Node | None:
        raise NotImplementedError

    def return_label(self, node: Node) -> str:
        return ""

    def thrown(self, node: Node) -> Node | None:
        children = named_children(node)
        return children[0] if children else None

    def declarations(self, node: Node) -> list[tuple[str, Node | None, str]]:
        """``(name, value, declared type)`` for each variable a declaration introduces."""
        raise NotImplementedError

    def assignment(self, node: Node) -> tuple[Node | None, Node | None, str]:
        """``(target, value, operator)``."""
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        operator = node.child_by_field_name("operator")
        return left, right, text(operator) or "="

    def elvis_parts(self, node: Node) -> tuple[Node | None, Node | None]:
        return node.child_by_field_name("left"), node.child_by_field_name("right")

    def is_elvis(self, node: Node) -> bool:
        return False

    def loop_variables(self, node: Node) -> list[str]:
        raise NotImplementedError

    def string_parts(self, node: Node) -> list[StringPart] | None:
        """The pieces of a string literal, or None when ``node`` is not one."""
        raise NotImplementedError

    def is_true(self, node: Node) -> bool:
        return node.type in ("true", "identifier") and text(node) == "true"

    def is_false(self, node: Node) -> bool:
        return node.type in ("false", "identifier") and text(node) == "false"

    def is_null(self, node: Node) -> bool:
        return text(node) == "null" and node.type in ("null_literal", "identifier")

    def identifier(self, node: Node | None) -> str | None:
        """The name of a bare identifier (unwrapping parentheses and Kotlin ``!!``)."""
        node = self.unwrap(node)
        if node is not None and node.type == "identifier":
            return text(node)
        return None

    def unwrap(self, node: Node | None) -> Node | None:
        """Strip parentheses, casts and Kotlin ``!!`` / Java expression statements."""
        while node is not None:
            if node.type in ("parenthesized_expression", "expression_statement"):
                children = named_children(node)
                node = children[0] if children else None
            elif node.type == "unary_expression" and self.operator(node) == "!!":
                node = node.child_by_field_name("argument")
            elif node.type in ("as_expression",):
                node = node.child_by_field_name("left")
            elif node.type == "cast_expression":
                node = node.child_by_field_name("value")
            else:
                return node
        return None

    def operator(self, node: Node) -> str:
        field = node.child_by_field_name("operator")
        if field is not None:
            return text(field)
        for child in node.children:
            if not child.is_named:
                return text(child)
        return ""

    def dotted(self, node: Node | None) -> str:
        """``a.b.C`` for identifier chains and field accesses; empty for anything else."""
        node = self.unwrap(node)
        if node is None:
            return ""
        if node.type in ("identifier", "type_identifier", "simple_identifier", "this"):
            return text(node)
        parts = self.member_parts(node)
        if parts is None:
            return ""
        receiver, name = parts
        head = self.dotted(receiver)
        return f"{head}.{name}" if head else ""

    def member_parts(self, node: Node) -> tuple[Node, str] | None:
        """``(receiver, member name)`` of a property/field access, else None."""
        raise NotImplementedError

    def is_safe_call(self, call: Call) -> bool:
        return False

    def annotation_ancestor(self, node: Node) -> bool:
        parent = node.parent
        while parent is not None:
            if parent.type in self.annotation_types:
                return True
            if parent.type in self.function_types or parent.type in ("class_body", "block"):
                return False
            parent = parent.parent
        return False

    def iter_subtree(self, node: Node, stop_nested: bool = True) -> Iterator[Node]:
        """Named nodes under ``node`` (itself included), not entering nested functions or classes."""
        stack = [node]
        while stack:
            current = stack.pop()
            yield current
            for child in reversed(current.named_children):
                if stop_nested and self.kind(child) == NESTED:
                    continue
                stack.append(child)


class KotlinSyntax(Syntax):
    language = "kotlin"
    string_types = frozenset({"string_literal", "multiline_string_literal"})
    function_types = frozenset({"function_declaration"})
    call_types = frozenset({"call_expression"})
    lambda_types = frozenset({"lambda_literal"})
    annotation_types = frozenset({"annotation", "file_annotation"})
    kinds: ClassVar[dict[str, str]] = {
        "block": BLOCK,
        "function_body": BLOCK,
        "control_structure_body": BLOCK,
        "throw_expression": THROW,
        "return_expression": RETURN,
        "if_expression": IF,
        "when_expression": WHEN,
        "try_expression": TRY,
        "for_statement": LOOP,
        "while_statement": LOOP,
        "do_while_statement": LOOP,
        "call_expression": CALL,
        "lambda_literal": LAMBDA,
        "annotated_lambda": LAMBDA,
        "property_declaration": DECL,
        "assignment": ASSIGN,
        "function_declaration": NESTED,
        "class_declaration": NESTED,
        "object_declaration": NESTED,
        "object_literal": NESTED,
        "anonymous_function": NESTED,
        "companion_object": NESTED,
    }

    def kind(self, node: Node) -> str:
        if node.type == "binary_expression" and self.is_elvis(node):
            return ELVIS
        return self.kinds.get(node.type, OTHER)

    def is_elvis(self, node: Node) -> bool:
        return node.type == "binary_expression" and self.operator(node) == "?:"

    def function(self, node: Node) -> Function | None:
        if node.type != "function_declaration":
            return None
        name_node = node.child_by_field_name("name")
        body = None
        params: list[Param] = []
        for child in node.named_children:
            if child.type == "function_value_parameters":
                for parameter in child.named_children:
                    if parameter.type != "parameter":
                        continue
                    parts = named_children(parameter)
                    names = [part for part in parts if part.type == "identifier"]
                    types = [part for part in parts if part.type != "identifier"]
                    params.append(Param(text(names[0]) if names else "", text(types[0]) if types else ""))
            elif child.type == "function_body":
                body = child
        if name_node is None or body is None:
            return None
        inner = named_children(body)
        if inner and inner[0].type == "block":
            return Function(node, text(name_node), name_node, tuple(params), inner[0], None)
        return Function(node, text(name_node), name_node, tuple(params), None, inner[0] if inner else None)

    def read_call(self, node: Node) -> Call | None:
        if node.type != "call_expression":
            return None
        children = named_children(node)
        if not children:
            return None
        callee = children[0]
        args: list[Node] = []
        spread: set[int] = set()
        lambda_node = None
        for child in children[1:]:
            if child.type == "value_arguments":
                for argument in named_children(child):
                    if argument.type != "value_argument":
                        continue
                    parts = named_children(argument)
                    if not parts:
                        continue
                    value = parts[-1]
                    if value.type == "spread_expression":
                        spread.add(len(args))
                        spread_parts = named_children(value)
                        value = spread_parts[0] if spread_parts else value
                    args.append(value)
            elif child.type == "annotated_lambda":
                lambda_node = next(
                    (part for part in child.named_children if part.type == "lambda_literal"), None
                )
            elif child.type == "lambda_literal":
                lambda_node = child
        callee = self.unwrap(callee) or callee
        if callee.type == "call_expression" and lambda_node is not None and not args:
            # `f(a) { ... }` nests as call(call(f, (a)), lambda): one call with a trailing lambda.
            inner = self.call(callee)
            if inner is None or inner.lambda_ is not None:
                return None
            return Call(
                node,
                inner.name,
                inner.name_node,
                inner.receiver,
                inner.args,
                inner.spread,
                lambda_node,
                None,
                inner.is_new,
            )
        if callee.type == "identifier":
            name = text(callee)
            return Call(
                node,
                name,
                callee,
                None,
                tuple(args),
                frozenset(spread),
                lambda_node,
                None,
                name[:1].isupper(),
            )
        if callee.type == "navigation_expression":
            member = self.member_parts(callee)
            if member is None:
                return None
            receiver, name = member
            name_node = named_children(callee)[-1]
            return Call(
                node,
                name,
                name_node,
                receiver,
                tuple(args),
                frozenset(spread),
                lambda_node,
                None,
                name[:1].isupper(),
            )
        return None

    def member_parts(self, node: Node) -> tuple[Node, str] | None:
        if node.type != "navigation_expression":
            return None
        children = named_children(node)
        if len(children) < 2 or children[-1].type != "identifier":
            return None
        return children[0], text(children[-1])

    def is_safe_call(self, call: Call) -> bool:
        callee = named_children(call.node)[0]
        return any(text(child) == "?." for child in callee.children if not child.is_named)

    def lambda_(self, node: Node) -> Lambda | None:
        if node.type == "annotated_lambda":
            node = next((part for part in node.named_children if part.type == "lambda_literal"), None)
        if node is None or node.type != "lambda_literal":
            return None
        params: list[str] = []
        statements: list[Node] = []
        for child in named_children(node):
            if child.type == "lambda_parameters":
                for declaration in child.named_children:
                    params.extend(
                        text(part) for part in declaration.named_children if part.type == "identifier"
                    )
            else:
                statements.append(child)
        return Lambda(node, tuple(params), tuple(statements), None)

    def statements(self, node: Node) -> list[Node]:
        if node.type in ("block", "function_body", "control_structure_body"):
            result: list[Node] = []
            for child in named_children(node):
                if child.type in ("block", "control_structure_body") and node.type != "block":
                    result.extend(self.statements(child))
                else:
                    result.append(child)
            return result
        if node.type == "lambda_literal":
            lam = self.lambda_(node)
            return list(lam.statements) if lam else []
        return [node]

    def if_parts(self, node: Node) -> tuple[Node | None, Node | None, Node | None]:
        condition = node.child_by_field_name("condition")
        branches: list[Node | None] = []
        saw_else = False
        for child in node.children:
            if not child.is_named:
                if text(child) == "else":
                    saw_else = True
                    if not branches:
                        branches.append(None)
                continue
            if (condition is not None and child.id == condition.id) or child.type in COMMENTS:
                continue
            branches.append(child)
        then = branches[0] if branches else None
        otherwise = branches[1] if len(branches) > 1 and saw_else else None
        return condition, then, otherwise

    def when_branches(self, node: Node) -> tuple[list[tuple[list[Node], Node | None]], bool]:
        result: list[tuple[list[Node], Node | None]] = []
        has_else = False
        for entry in node.named_children:
            if entry.type != "when_entry":
                continue
            conditions = [
                entry.children[i]
                for i in range(entry.child_count)
                if entry.field_name_for_child(i) == "condition"
            ]
            if any(not child.is_named and text(child) == "else" for child in entry.children):
                has_else = True
            condition_ids = {condition.id for condition in conditions}
            bodies = [child for child in named_children(entry) if child.id not in condition_ids]
            result.append((conditions, bodies[-1] if bodies else None))
        return result, has_else

    def try_parts(self, node: Node) -> tuple[Node | None, list[Catch], Node | None]:
        body = None
        catches: list[Catch] = []
        final = None
        for child in named_children(node):
            if child.type == "block" and body is None:
                body = child
            elif child.type == "catch_block":
                parts = named_children(child)
                name = next((text(part) for part in parts if part.type == "identifier"), "")
                types = tuple(
                    last_identifier(text(part).rstrip("?"))
                    for part in parts
                    if part.type in ("user_type", "nullable_type")
                )
                block = next((part for part in parts if part.type == "block"), None)
                if block is not None:
                    catches.append(Catch(child, types, name, block))
            elif child.type == "finally_block":
                final = next((part for part in child.named_children if part.type == "block"), None)
        return body, catches, final

    def return_value(self, node: Node) -> Node | None:
        label = node.child_by_field_name("label")
        for child in named_children(node):
            if label is not None and child.id == label.id:
                continue
            return child
        return None

    def return_label(self, node: Node) -> str:
        return text(node.child_by_field_name("label"))

    def declarations(self, node: Node) -> list[tuple[str, Node | None, str]]:
        if node.type != "property_declaration":
            return []
        value = None
        seen_equals = False
        names: list[tuple[str, str]] = []
        for child in node.children:
            if not child.is_named:
                if text(child) == "=":
                    seen_equals = True
                continue
            if child.type == "variable_declaration":
                parts = named_children(child)
                ident = next((text(part) for part in parts if part.type == "identifier"), "")
                declared = next((text(part) for part in parts if part.type != "identifier"), "")
                names.append((ident, declared))
            elif child.type == "multi_variable_declaration":
                for declaration in child.named_children:
                    parts = named_children(declaration)
                    names.append((text(parts[0]) if parts else "", ""))
            elif seen_equals and value is None and child.type not in COMMENTS:
                value = child
            elif child.type == "property_delegate":
                value = None
        return [(name, value if len(names) == 1 else None, declared) for name, declared in names]

    def loop_variables(self, node: Node) -> list[str]:
        names: list[str] = []
        for child in node.named_children:
            if child.type == "variable_declaration":
                names.extend(text(part) for part in child.named_children if part.type == "identifier")
            elif child.type == "multi_variable_declaration":
                for declaration in child.named_children:
                    names.extend(
                        text(part) for part in declaration.named_children if part.type == "identifier"
                    )
        return names

    def string_parts(self, node: Node) -> list[StringPart] | None:
        if node.type not in self.string_types:
            return None
        raw = literals.parts(node, _KOTLIN_LITERAL)
        # In this grammar a `$name` template is two content pieces, "$" and "name"; an escaped `\$` is text.
        escaped = [child.type in _KOTLIN_LITERAL.escape for child in node.named_children
                   if child.type in _KOTLIN_LITERAL.text | _KOTLIN_LITERAL.escape | _KOTLIN_LITERAL.hole]
        parts: list[StringPart] = []
        index = 0
        while index < len(raw):
            piece = raw[index]
            following = raw[index + 1] if index + 1 < len(raw) else None
            if (
                piece.expression is None
                and not escaped[index]
                and piece.text == "$"
                and following is not None
                and following.expression is None
                and (following.text[:1].isalpha() or following.text[:1] == "_")
            ):
                name = following.text
                cut = 0
                while cut < len(name) and (name[cut].isalnum() or name[cut] == "_"):
                    cut += 1
                parts.append(StringPart("", None, name[:cut]))
                if name[cut:]:
                    parts.append(StringPart(name[cut:]))
                index += 2
                continue
            parts.append(piece)
            index += 1
        return parts


class JavaSyntax(Syntax):
    language = "java"
    string_types = frozenset({"string_literal"})
    function_types = frozenset({"method_declaration", "constructor_declaration"})
    call_types = frozenset({"method_invocation", "object_creation_expression"})
    lambda_types = frozenset({"lambda_expression"})
    annotation_types = frozenset({"annotation", "marker_annotation"})
    kinds: ClassVar[dict[str, str]] = {
        "block": BLOCK,
        "constructor_body": BLOCK,
        "throw_statement": THROW,
        "return_statement": RETURN,
        "if_statement": IF,
        "ternary_expression": IF,
        "switch_expression": WHEN,
        "try_statement": TRY,
        "try_with_resources_statement": TRY,
        "for_statement": LOOP,
        "enhanced_for_statement": LOOP,
        "while_statement": LOOP,
        "do_statement": LOOP,
        "method_invocation": CALL,
        "object_creation_expression": CALL,
        "lambda_expression": LAMBDA,
        "local_variable_declaration": DECL,
        "field_declaration": DECL,
        "assignment_expression": ASSIGN,
        "method_declaration": NESTED,
        "class_declaration": NESTED,
        "class_body": NESTED,
        "interface_declaration": NESTED,
        "enum_declaration": NESTED,
        "record_declaration": NESTED,
        "constructor_declaration": NESTED,
    }

    def function(self, node: Node) -> Function | None:
        if node.type not in self.function_types:
            return None
        name_node = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if name_node is None or body is None:
            return None
        params: list[Param] = []
        parameters = node.child_by_field_name("parameters")
        if parameters is not None:
            for parameter in parameters.named_children:
                if parameter.type in ("formal_parameter", "spread_parameter"):
                    name = parameter.child_by_field_name("name")
                    declared = parameter.child_by_field_name("type")
                    if name is None:
                        declarator = next(
                            (part for part in parameter.named_children if part.type == "variable_declarator"),
                            None,
                        )
                        name = declarator.child_by_field_name("name") if declarator is not None else None
                    params.append(Param(text(name), text(declared)))
        return Function(node, text(name_node), name_node, tuple(params), body, None)

    def read_call(self, node: Node) -> Call | None:
        if node.type == "method_invocation":
            name_node = node.child_by_field_name("name")
            if name_node is None:
                return None
            arguments = node.child_by_field_name("arguments")
            args = tuple(named_children(arguments)) if arguments is not None else ()
            return Call(
                node,
                text(name_node),
                name_node,
                node.child_by_field_name("object"),
                args,
                frozenset(),
                None,
                None,
                False,
            )
        if node.type == "object_creation_expression":
            type_node = node.child_by_field_name("type")
            if type_node is None:
                return None
            while type_node.type in ("generic_type", "annotated_type"):
                inner = named_children(type_node)
                if not inner:
                    return None
                type_node = inner[0] if type_node.type == "generic_type" else inner[-1]
            receiver = None
            name_node = type_node
            if type_node.type == "scoped_type_identifier":
                parts = named_children(type_node)
                receiver, name_node = parts[0], parts[-1]
            arguments = node.child_by_field_name("arguments")
            args = tuple(named_children(arguments)) if arguments is not None else ()
            body = next((part for part in node.named_children if part.type == "class_body"), None)
            return Call(node, text(name_node), name_node, receiver, args, frozenset(), None, body, True)
        return None

    def member_parts(self, node: Node) -> tuple[Node, str] | None:
        if node.type == "field_access":
            receiver = node.child_by_field_name("object")
            field = node.child_by_field_name("field")
            if receiver is None or field is None:
                return None
            return receiver, text(field)
        if node.type in ("scoped_identifier", "scoped_type_identifier"):
            parts = named_children(node)
            if len(parts) < 2:
                return None
            return parts[0], text(parts[-1])
        return None

    def lambda_(self, node: Node) -> Lambda | None:
        if node.type != "lambda_expression":
            return None
        params: list[str] = []
        parameters = node.child_by_field_name("parameters")
        if parameters is not None:
            if parameters.type == "identifier":
                params.append(text(parameters))
            else:
                for parameter in parameters.named_children:
                    if parameter.type == "identifier":
                        params.append(text(parameter))
                    else:
                        name = parameter.child_by_field_name("name")
                        params.append(text(name))
        body = node.child_by_field_name("body")
        if body is None:
            return None
        if body.type == "block":
            return Lambda(node, tuple(params), tuple(self.statements(body)), None)
        return Lambda(node, tuple(params), (), body)

    def statements(self, node: Node) -> list[Node]:
        if node.type in ("block", "constructor_body", "switch_block_statement_group"):
            return [
                self.unwrap_statement(child) for child in named_children(node) if child.type != "switch_label"
            ]
        return [self.unwrap_statement(node)]

    def unwrap_statement(self, node: Node) -> Node:
        if node.type == "expression_statement":
            children = named_children(node)
            if children:
                return children[0]
        return node

    def if_parts(self, node: Node) -> tuple[Node | None, Node | None, Node | None]:
        if node.type == "ternary_expression":
            return (
                node.child_by_field_name("condition"),
                node.child_by_field_name("consequence"),
                node.child_by_field_name("alternative"),
            )
        condition = self.unwrap(node.child_by_field_name("condition"))
        return condition, node.child_by_field_name("consequence"), node.child_by_field_name("alternative")

    def when_branches(self, node: Node) -> tuple[list[tuple[list[Node], Node | None]], bool]:
        result: list[tuple[list[Node], Node | None]] = []
        has_else = False
        body = node.child_by_field_name("body")
        if body is None:
            return result, False
        for group in named_children(body):
            labels = [part for part in group.named_children if part.type == "switch_label"]
            conditions = [inner for label in labels for inner in named_children(label)]
            if any(not named_children(label) and text(label).startswith("default") for label in labels):
                has_else = True
            if group.type == "switch_rule":
                rest = [part for part in named_children(group) if part.type != "switch_label"]
                result.append((conditions, rest[-1] if rest else None))
            else:
                result.append((conditions, group))
        return result, has_else

    def try_parts(self, node: Node) -> tuple[Node | None, list[Catch], Node | None]:
        body = node.child_by_field_name("body")
        catches: list[Catch] = []
        final = None
        for child in node.named_children:
            if child.type == "catch_clause":
                parameter = next(
                    (part for part in child.named_children if part.type == "catch_formal_parameter"), None
                )
                types: tuple[str, ...] = ()
                name = ""
                if parameter is not None:
                    catch_type = next(
                        (part for part in parameter.named_children if part.type == "catch_type"), None
                    )
                    if catch_type is not None:
                        types = tuple(last_identifier(text(part)) for part in catch_type.named_children)
                    name = text(parameter.child_by_field_name("name"))
                block = child.child_by_field_name("body")
                if block is not None:
                    catches.append(Catch(child, types, name, block))
            elif child.type == "finally_clause":
                final = next((part for part in child.named_children if part.type == "block"), None)
        return body, catches, final

    def return_value(self, node: Node) -> Node | None:
        children = named_children(node)
        return children[0] if children else None

    def declarations(self, node: Node) -> list[tuple[str, Node | None, str]]:
        if node.type not in ("local_variable_declaration", "field_declaration", "constant_declaration"):
            return []
        declared = text(node.child_by_field_name("type"))
        result: list[tuple[str, Node | None, str]] = []
        for child in node.named_children:
            if child.type == "variable_declarator":
                name = child.child_by_field_name("name")
                value = child.child_by_field_name("value")
                result.append((text(name), value, declared))
        return result

    def loop_variables(self, node: Node) -> list[str]:
        if node.type == "enhanced_for_statement":
            name = node.child_by_field_name("name")
            return [text(name)] if name is not None else []
        return []

    def string_parts(self, node: Node) -> list[StringPart] | None:
        if node.type != "string_literal":
            return None
        return literals.parts(node, _JAVA_LITERAL)


#: Kotlin and Java escape sequences: an unknown ``\x`` reads as ``x``; ``\uXXXX`` is decoded.
_ESCAPES = literals.Escapes(
    {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "0": "\0", "\\": "\\", "'": "'", '"': '"', "$": "$", "f": "\f",
     "s": " "},
    unknown_drops_backslash=True,
    unicode4=True,
)


def _interpolated(node: Node) -> Node:
    """The expression inside ``${...}`` (Kotlin) or ``\\{...}`` (a Java string template)."""
    inner = named_children(node)
    return inner[0] if inner else node


_KOTLIN_LITERAL = literals.LiteralForm(
    text=frozenset({"string_content"}), escape=frozenset({"escape_sequence"}), hole=frozenset({"interpolation"}),
    escapes=_ESCAPES, expression=_interpolated,
)
_JAVA_LITERAL = literals.LiteralForm(
    text=frozenset({"string_fragment", "multiline_string_fragment"}), escape=frozenset({"escape_sequence"}),
    hole=frozenset({"string_interpolation"}), escapes=_ESCAPES, expression=_interpolated,
)


KOTLIN = KotlinSyntax()
JAVA = JavaSyntax()


def for_language(language: str) -> Syntax:
    return KOTLIN if language == "kotlin" else JAVA
