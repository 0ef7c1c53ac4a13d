"""The Swift view of a syntax tree (tree-sitter-swift)."""

from __future__ import annotations

from collections.abc import Iterator

from pinlint.parsers.code import literals
from pinlint.parsers.code.apple.syntax import Argument, Branches, Call, Syntax
from pinlint.parsers.code.treesitter import Node, text, walk

_STRING_TYPES = frozenset({"line_string_literal", "multi_line_string_literal", "raw_string_literal"})
_TEXT_PARTS = frozenset({"line_str_text", "multi_line_str_text", "raw_str_part", "raw_str_end_part"})
#: Swift escape sequences pinlint decodes; any other (``\u{41}``) is kept as written.
_ESCAPES = literals.Escapes({"n": "\n", "t": "\t", "r": "\r", '"': '"', "'": "'", "\\": "\\", "0": "\0"})
_INTERPOLATIONS = frozenset({"interpolated_expression", "raw_str_interpolation"})


def _interpolated(node: Node) -> Node:
    """The expression inside ``\\(...)``."""
    value = node.child_by_field_name("value")
    return value if value is not None else node


_LITERAL = literals.LiteralForm(
    text=_TEXT_PARTS, escape=frozenset({"str_escaped_char"}), hole=_INTERPOLATIONS, escapes=_ESCAPES,
    expression=_interpolated, named_only=False,
)


def _named_children(node: Node) -> list[Node]:
    return [child for child in node.children if child.is_named]


def _field_children(node: Node, name: str) -> list[Node]:
    return [child for index, child in enumerate(node.children) if node.field_name_for_child(index) == name]


class SwiftSyntax(Syntax):
    language = "swift"
    grammar = "swift"
    function_types = frozenset(
        {
            "function_declaration",
            "init_declaration",
            "deinit_declaration",
            "computed_property",
            "subscript_declaration",
        }
    )
    closure_types = frozenset({"lambda_literal"})
    block_types = frozenset({"statements"})
    exit_types = frozenset({"control_transfer_statement"})

    # --- values -------------------------------------------------------------------------------------

    def _raw_text(self, value: str) -> str:
        stripped = value.strip("#")
        if stripped.startswith('"""') and stripped.endswith('"""') and len(stripped) >= 6:
            return stripped[3:-3]
        if stripped.startswith('"') and stripped.endswith('"') and len(stripped) >= 2:
            return stripped[1:-1]
        return stripped

    def string_prefix(self, node: Node) -> tuple[str, bool] | None:
        if node.type not in _STRING_TYPES:
            return None
        if node.type == "raw_string_literal":
            if any(child.type == "raw_str_interpolation" for child in node.children):
                before = "".join(text(child) for child in node.children if child.type == "raw_str_part")
                return self._raw_text(before + '"'), True
            return self._raw_text(text(node)), False
        value, interpolated = literals.prefix(literals.parts(node, _LITERAL))
        if not interpolated and node.type == "multi_line_string_literal":
            value = value.strip("\n")
        return value, interpolated

    def string_pieces(self, node: Node) -> list[tuple[str, bool]] | None:
        if node.type not in _STRING_TYPES or node.type == "raw_string_literal":
            return None
        return literals.as_written(literals.parts(node, _LITERAL))

    def string_value(self, node: Node | None) -> str | None:
        if node is None:
            return None
        node = self._unwrap(node)
        found = self.string_prefix(node)
        if found is None or found[1]:
            return None
        return found[0]

    def string_literals(self, root: Node) -> Iterator[Node]:
        yield from self.of_type(root, *_STRING_TYPES)

    def _unwrap(self, node: Node) -> Node:
        while True:
            if (
                node.type in ("as_expression", "parenthesized_expression", "tuple_expression")
                and node.named_child_count
            ):
                if node.type == "tuple_expression" and node.named_child_count != 1:
                    return node
                if node.type == "as_expression":
                    inner = node.child_by_field_name("expr")
                    if inner is None:
                        return node
                    node = inner
                    continue
                node = _named_children(node)[0]
                continue
            if node.type == "postfix_expression" and node.named_child_count:
                node = _named_children(node)[0]
                continue
            return node

    def bool_value(self, node: Node | None) -> bool | None:
        if node is None:
            return None
        node = self._unwrap(node)
        if node.type == "boolean_literal":
            return text(node) == "true"
        if node.type == "simple_identifier":
            return {"kCFBooleanTrue": True, "kCFBooleanFalse": False}.get(text(node))
        call = self.call(node)
        if call is not None and call.name in ("NSNumber", "Bool") and len(call.arguments) == 1:
            return self.bool_value(call.arguments[0].value)
        return None

    def name_of(self, node: Node | None) -> str:
        if node is None:
            return ""
        node = self._unwrap(node)
        kind = node.type
        if kind in ("simple_identifier", "type_identifier"):
            return text(node)
        if kind == "navigation_expression":
            suffixes = _field_children(node, "suffix")
            if suffixes:
                last = suffixes[-1]
                inner = last.child_by_field_name("suffix")
                return text(inner) if inner is not None else ""
            return ""
        if kind == "prefix_expression":
            return self.name_of(node.child_by_field_name("target"))
        if kind == "user_type":
            names = [child for child in node.children if child.type == "type_identifier"]
            return text(names[-1]) if names else ""
        if kind == "call_expression":
            call = self.call(node)
            return call.name if call is not None else ""
        if kind == "directly_assignable_expression" and node.named_child_count:
            return self.name_of(_named_children(node)[0])
        return ""

    def dict_entries(self, node: Node | None) -> list[tuple[Node, Node]] | None:
        if node is None:
            return None
        node = self._unwrap(node)
        if node.type != "dictionary_literal":
            return None
        entries: list[tuple[Node, Node]] = []
        key: Node | None = None
        for index, child in enumerate(node.children):
            field = node.field_name_for_child(index)
            if field == "key":
                key = child
            elif field == "value" and key is not None:
                entries.append((key, child))
                key = None
        return entries

    def array_elements(self, node: Node | None) -> list[Node] | None:
        if node is None:
            return None
        node = self._unwrap(node)
        if node.type != "array_literal":
            return None
        return _field_children(node, "element")

    # --- structure ----------------------------------------------------------------------------------

    def read_call(self, node: Node) -> Call | None:
        if node.type != "call_expression" or node.named_child_count < 2:
            return None
        callee = node.named_children[0]
        suffix = node.named_children[-1]
        if suffix.type != "call_suffix":
            return None
        if callee.type == "prefix_expression" and text(callee.child_by_field_name("operation")) == "!":
            callee = callee.child_by_field_name("target") or callee
        receiver: Node | None = None
        if callee.type == "navigation_expression":
            receiver = callee.child_by_field_name("target")
        name = self.name_of(callee)
        if not name:
            return None
        arguments: list[Argument] = []
        closures: list[Node] = []
        for part in suffix.named_children:
            if part.type == "value_arguments":
                for argument in part.named_children:
                    if argument.type != "value_argument":
                        continue
                    label_node = argument.child_by_field_name("name")
                    value = argument.child_by_field_name("value")
                    if value is None:
                        continue
                    label = (
                        self.name_of(label_node.named_children[0])
                        if label_node is not None and label_node.named_child_count
                        else None
                    )
                    arguments.append(Argument(label, value))
                    if value.type == "lambda_literal":
                        closures.append(value)
            elif part.type == "lambda_literal":
                closures.append(part)
                arguments.append(Argument(None, part))
        labels = "".join(
            f"{argument.label or '_'}:" for argument in arguments if argument.value.type != "lambda_literal"
        )
        return Call(node, name, f"{name}({labels})", tuple(arguments), receiver, tuple(closures))

    def assignment(self, node: Node) -> tuple[Node, Node] | None:
        if node.type != "assignment" or text(node.child_by_field_name("operator")) != "=":
            return None
        target = node.child_by_field_name("target")
        value = node.child_by_field_name("result")
        if target is None or value is None:
            return None
        if target.type == "directly_assignable_expression" and target.named_child_count:
            target = target.named_children[0]
        return target, value

    def bindings(self, node: Node) -> list[tuple[str, Node | None, Node]]:
        kind = node.type
        found: list[tuple[str, Node | None, Node]] = []
        if kind == "property_declaration":
            pending: Node | None = None
            for index, child in enumerate(node.children):
                field = node.field_name_for_child(index)
                if field == "name":
                    bound = child.child_by_field_name("bound_identifier")
                    if bound is not None:
                        pending = bound
                elif field == "value" and pending is not None:
                    found.append((text(pending), child, pending))
                    pending = None
            if pending is not None:
                found.append((text(pending), None, pending))
        elif kind in ("if_statement", "guard_statement"):
            pending = None
            for index, child in enumerate(node.children):
                field = node.field_name_for_child(index)
                if field == "bound_identifier":
                    pending = child
                elif (
                    field == "condition"
                    and pending is not None
                    and child.is_named
                    and child.type != "value_binding_pattern"
                ):
                    found.append((text(pending), child, pending))
                    pending = None
        elif kind in ("parameter", "lambda_parameter"):
            name = node.child_by_field_name("name")
            if name is not None and name.type == "simple_identifier":
                found.append((text(name), None, name))
        return found

    def branches(self, node: Node) -> Branches | None:
        kind = node.type
        if kind in ("if_statement", "guard_statement"):
            conditions: list[Node] = []
            success: list[Node] = []
            failure: list[Node] = []
            seen_else = False
            for index, child in enumerate(node.children):
                field = node.field_name_for_child(index)
                if field == "condition" and child.is_named and child.type != "value_binding_pattern":
                    conditions.append(child)
                elif child.type == "else":
                    seen_else = True
                elif child.type in ("statements", "if_statement"):
                    (failure if seen_else else success).append(child)
            if kind == "guard_statement":
                return Branches(tuple(conditions), (), tuple(failure or success), guard=True)
            return Branches(tuple(conditions), tuple(success), tuple(failure))
        if kind in ("for_statement", "while_statement"):
            where = [child for child in node.named_children if child.type == "where_clause"]
            body = [child for child in node.named_children if child.type == "statements"]
            if kind == "while_statement":
                conditions = _field_children(node, "condition")
            else:
                conditions = [
                    part for clause in where for part in clause.named_children if part.type != "where_keyword"
                ]
            if not conditions or not body:
                return None
            return Branches(tuple(conditions), tuple(body), ())
        if kind == "switch_statement":
            return _switch_branches(node)
        if kind == "ternary_expression":
            condition = node.child_by_field_name("condition")
            yes = node.child_by_field_name("if_true")
            no = node.child_by_field_name("if_false")
            if condition is None or yes is None or no is None:
                return None
            return Branches((condition,), (yes,), (no,))
        return None

    def is_not(self, node: Node) -> bool:
        if node.type == "prefix_expression":
            return text(node.child_by_field_name("operation")) == "!"
        if node.type == "call_expression" and node.named_child_count:
            callee = node.named_children[0]
            return callee.type == "prefix_expression" and text(callee.child_by_field_name("operation")) == "!"
        return False

    def comparison(self, node: Node) -> tuple[str, Node, Node] | None:
        if node.type not in ("equality_expression", "infix_expression"):
            return None
        operator = text(node.child_by_field_name("op"))
        lhs = node.child_by_field_name("lhs")
        rhs = node.child_by_field_name("rhs")
        if operator not in ("==", "!=", "===", "!==") or lhs is None or rhs is None:
            return None
        return operator, lhs, rhs

    def returned(self, node: Node) -> Node | None:
        if (
            node.type != "control_transfer_statement"
            or not node.children
            or node.children[0].type != "return"
        ):
            return None
        return node.child_by_field_name("result")

    def is_exit(self, node: Node) -> bool:
        return (
            node.type == "control_transfer_statement"
            and bool(node.children)
            and node.children[0].type in ("return", "throw")
        )

    def closure_parameters(self, node: Node) -> list[str]:
        names: list[str] = []
        for child in walk(node):
            if child.type == "lambda_parameter":
                name = child.child_by_field_name("name")
                if name is not None:
                    names.append(text(name))
            elif child.type == "statements":
                break
        return names

    def function_name(self, node: Node) -> str:
        name = text(node.child_by_field_name("name")) if node.type == "function_declaration" else node.type
        labels: list[str] = []
        for child in node.named_children:
            if child.type == "parameter":
                external = child.child_by_field_name("external_name")
                internal = child.child_by_field_name("name")
                labels.append(text(external if external is not None else internal))
        return f"{name}({''.join(label + ':' for label in labels)})"

    def debug_lines(self, root: Node) -> list[tuple[int, int]]:
        ranges: list[tuple[int, int]] = []
        # each open #if: (condition is DEBUG, condition is !DEBUG, start row of the current branch)
        stack: list[tuple[bool, bool, int]] = []
        for node in self.of_type(root, "directive"):
            words = text(node).split()
            if not words:
                continue
            head, rest = words[0], "".join(words[1:])
            row = node.start_point[0]
            if head == "#if":
                stack.append((rest == "DEBUG", rest == "!DEBUG", row))
            elif head in ("#else", "#elseif") and stack:
                debug, not_debug, start = stack.pop()
                if debug:
                    ranges.append((start, row))
                stack.append((head == "#else" and not_debug, False, row))
            elif head == "#endif" and stack:
                debug, _, start = stack.pop()
                if debug:
                    ranges.append((start, row))
        return ranges


#: enum cases and literals a ``switch`` over a decision's result matches on success / on failure
_SUCCESS_CASES = frozenset(
    {"success", "ok", "valid", "trusted", "passed", "pass", "match", "matched", "matches", "proceed",
     "unspecified", "allow", "allowed", "accept", "accepted", "true"}
)
_FAILURE_CASES = frozenset(
    {"failure", "fail", "failed", "invalid", "deny", "denied", "reject", "rejected", "mismatch", "error",
     "untrusted", "recoverabletrustfailure", "fataltrustfailure", "otherError", "false", "none"}
)


def _case_name(pattern: Node) -> str:
    """``success`` for ``.success``, ``.success(let value)``, ``Result.success`` or ``true``."""
    written = text(pattern).strip()
    head = written.split("(", 1)[0].strip()
    return head.rsplit(".", 1)[-1].strip().lower()


def _switch_branches(node: Node) -> Branches | None:
    """``switch result { case .success: ... case .failure: ... }``: success and failure cases."""
    subject = node.child_by_field_name("expr")
    if subject is None:
        return None
    success: list[Node] = []
    failure: list[Node] = []
    defaults: list[Node] = []
    failures = {name.lower() for name in _FAILURE_CASES}
    for entry in node.named_children:
        if entry.type != "switch_entry":
            continue
        body = [child for child in entry.named_children if child.type == "statements"]
        names = [_case_name(child) for child in entry.named_children if child.type == "switch_pattern"]
        if not names:
            defaults.extend(body)
        elif all(name in _SUCCESS_CASES for name in names):
            success.extend(body)
        elif all(name in failures for name in names):
            failure.extend(body)
    if success:
        failure.extend(defaults)
    elif failure:
        success.extend(defaults)
    if not success or not failure:
        return None
    return Branches((subject,), tuple(success), tuple(failure))
