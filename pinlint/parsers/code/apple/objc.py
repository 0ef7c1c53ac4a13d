"""The Objective-C view of a syntax tree (tree-sitter-objc; plain C headers parse with it too)."""

from __future__ import annotations

from collections.abc import Iterator

from pinlint.parsers.code import literals
from pinlint.parsers.code.apple.syntax import Argument, Branches, Call, Syntax
from pinlint.parsers.code.treesitter import Node, text

_TRUE = frozenset({"YES", "true", "TRUE", "kCFBooleanTrue"})
_FALSE = frozenset({"NO", "false", "FALSE", "kCFBooleanFalse"})
_WRAPPERS = frozenset({"parenthesized_expression", "cast_expression", "at_expression"})
#: An Objective-C string's text with its escape sequences kept as the source spells them (``@"a\nb"`` reads
#: ``a\nb``): values are matched and quoted as written.
_LITERAL = literals.LiteralForm(
    text=frozenset({"string_content"}), escape=frozenset({"escape_sequence"}), escapes=literals.RAW,
    named_only=False,
)


class ObjcSyntax(Syntax):
    language = "objective-c"
    grammar = "objc"
    function_types = frozenset({"method_definition", "function_definition"})
    closure_types = frozenset({"block_literal"})
    block_types = frozenset({"compound_statement"})
    exit_types = frozenset({"return_statement"})

    # --- values -------------------------------------------------------------------------------------

    def _unwrap(self, node: Node) -> Node:
        while node.type in _WRAPPERS and node.named_child_count:
            if node.type == "cast_expression":
                value = node.child_by_field_name("value")
                if value is None:
                    return node
                node = value
            else:
                node = node.named_children[-1]
        return node

    def _literal_text(self, node: Node) -> str:
        return literals.joined(literals.parts(node, _LITERAL))

    def string_prefix(self, node: Node) -> tuple[str, bool] | None:
        if node.type == "string_literal":
            return self._literal_text(node), False
        if node.type == "concatenated_string":
            pieces = [
                self._literal_text(child) for child in node.named_children if child.type == "string_literal"
            ]
            if len(pieces) != node.named_child_count:
                return None
            return "".join(pieces), False
        return None

    def string_value(self, node: Node | None) -> str | None:
        if node is None:
            return None
        node = self._unwrap(node)
        found = self.string_prefix(node)
        return found[0] if found is not None else None

    def string_literals(self, root: Node) -> Iterator[Node]:
        for node in self.of_type(root, "concatenated_string", "string_literal"):
            if node.type == "concatenated_string" or (
                node.type == "string_literal"
                and (
                    node.parent is None
                    or node.parent.type not in ("concatenated_string", "preproc_include", "system_lib_string")
                )
            ):
                yield node

    def bool_value(self, node: Node | None) -> bool | None:
        if node is None:
            return None
        node = self._unwrap(node)
        word = text(node)
        if node.type in ("identifier", "true", "false"):
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
            return None
        call = self.call(node)
        if call is not None and call.selector in ("numberWithBool:", "initWithBool:") and call.arguments:
            return self.bool_value(call.arguments[0].value)
        return None

    def name_of(self, node: Node | None) -> str:
        if node is None:
            return ""
        node = self._unwrap(node)
        kind = node.type
        if kind in ("identifier", "field_identifier", "type_identifier"):
            return text(node)
        if kind == "field_expression":
            return text(node.child_by_field_name("field"))
        if kind in ("call_expression", "message_expression"):
            call = self.call(node)
            return call.name if call is not None else ""
        return ""

    def dict_entries(self, node: Node | None) -> list[tuple[Node, Node]] | None:
        if node is None:
            return None
        node = self._unwrap(node)
        if node.type != "dictionary_literal":
            return None
        entries: list[tuple[Node, Node]] = []
        for pair in node.named_children:
            if pair.type == "dictionary_pair" and pair.named_child_count >= 2:
                entries.append((pair.named_children[0], pair.named_children[1]))
        return entries

    def array_elements(self, node: Node | None) -> list[Node] | None:
        if node is None:
            return None
        node = self._unwrap(node)
        if node.type == "array_literal":
            return [child for child in node.named_children if child.type != "comment"]
        call = self.call(node)
        if (
            call is not None
            and call.receiver is not None
            and self.name_of(call.receiver) in ("NSSet", "NSArray")
        ):
            if call.selector in ("setWithObject:", "arrayWithObject:"):
                return [call.arguments[0].value] if call.arguments else []
            if call.selector in ("setWithObjects:", "arrayWithObjects:"):
                return [
                    argument.value
                    for argument in call.arguments
                    if text(argument.value) not in ("nil", "NULL")
                ]
            if call.selector in ("setWithArray:", "arrayWithArray:") and call.arguments:
                return self.array_elements(call.arguments[0].value)
        return None

    # --- structure ----------------------------------------------------------------------------------

    def read_call(self, node: Node) -> Call | None:
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            argument_list = node.child_by_field_name("arguments")
            name = self.name_of(function) if function is not None and function.type == "identifier" else ""
            if not name or argument_list is None:
                return None
            values = [child for child in argument_list.named_children if child.type != "comment"]
            closures = tuple(value for value in values if value.type == "block_literal")
            return Call(node, name, name, tuple(Argument(None, value) for value in values), None, closures)
        if node.type != "message_expression":
            return None
        receiver = node.child_by_field_name("receiver")
        parts: list[str] = []
        arguments: list[Argument] = []
        current: str | None = None
        for index, child in enumerate(node.children):
            field = node.field_name_for_child(index)
            if field == "receiver":
                continue
            if field == "method":
                current = text(child)
                parts.append(current)
            elif child.is_named and child.type != "comment" and current is not None:
                arguments.append(Argument(current, child))
        if not parts:
            return None
        selector = "".join(part + ":" for part in parts) if arguments else parts[0]
        closures = tuple(argument.value for argument in arguments if argument.value.type == "block_literal")
        return Call(node, parts[0], selector, tuple(arguments), receiver, closures)

    def assignment(self, node: Node) -> tuple[Node, Node] | None:
        if node.type != "assignment_expression" or text(node.child_by_field_name("operator")) != "=":
            return None
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            return None
        return left, right

    def _declarator_name(self, node: Node | None) -> Node | None:
        while node is not None and node.type != "identifier":
            node = node.child_by_field_name("declarator")
        return node

    def bindings(self, node: Node) -> list[tuple[str, Node | None, Node]]:
        found: list[tuple[str, Node | None, Node]] = []
        if node.type == "declaration":
            for child in node.named_children:
                if child.type == "init_declarator":
                    name = self._declarator_name(child.child_by_field_name("declarator"))
                    if name is not None:
                        found.append((text(name), child.child_by_field_name("value"), name))
                elif child.type in ("identifier", "pointer_declarator"):
                    name = self._declarator_name(child) if child.type != "identifier" else child
                    if name is not None:
                        found.append((text(name), None, name))
        elif node.type == "parameter_declaration":
            name = self._declarator_name(node.child_by_field_name("declarator"))
            if name is not None:
                found.append((text(name), None, name))
        elif node.type == "method_parameter":
            names = [child for child in node.named_children if child.type == "identifier"]
            if names:
                found.append((text(names[-1]), None, names[-1]))
        return found

    def branches(self, node: Node) -> Branches | None:
        if node.type == "if_statement":
            condition = node.child_by_field_name("condition")
            consequence = node.child_by_field_name("consequence")
            alternative = node.child_by_field_name("alternative")
            if condition is None or consequence is None:
                return None
            failure: tuple[Node, ...] = ()
            if alternative is not None:
                failure = tuple(child for child in alternative.named_children if child.type != "comment")
            return Branches((condition,), (consequence,), failure)
        if node.type == "conditional_expression":
            condition = node.child_by_field_name("condition")
            yes = node.child_by_field_name("consequence")
            no = node.child_by_field_name("alternative")
            if condition is None or yes is None or no is None:
                return None
            return Branches((condition,), (yes,), (no,))
        return None

    def is_not(self, node: Node) -> bool:
        return node.type == "unary_expression" and text(node.child_by_field_name("operator")) == "!"

    def comparison(self, node: Node) -> tuple[str, Node, Node] | None:
        if node.type != "binary_expression":
            return None
        operator = text(node.child_by_field_name("operator"))
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if operator not in ("==", "!=") or left is None or right is None:
            return None
        return operator, left, right

    def returned(self, node: Node) -> Node | None:
        if node.type != "return_statement":
            return None
        values = [child for child in node.named_children if child.type != "comment"]
        return values[0] if values else None

    def is_exit(self, node: Node) -> bool:
        return bool(node.type == "return_statement")

    def closure_parameters(self, node: Node) -> list[str]:
        names: list[str] = []
        for child in node.named_children:
            if child.type == "parameter_list":
                for parameter in child.named_children:
                    names.extend(name for name, _, _ in self.bindings(parameter))
        return names

    def function_name(self, node: Node) -> str:
        if node.type == "method_definition":
            parts: list[str] = []
            has_parameters = False
            for child in node.children:
                if child.type == "identifier":
                    parts.append(child.text.decode("utf-8", "replace"))
                elif child.type == "method_parameter":
                    has_parameters = True
                elif child.type == "compound_statement":
                    break
            return "".join(part + ":" for part in parts) if has_parameters else "".join(parts)
        declarator = node.child_by_field_name("declarator")
        while declarator is not None and declarator.type != "identifier":
            declarator = declarator.child_by_field_name("declarator")
        return text(declarator)

    def debug_lines(self, root: Node) -> list[tuple[int, int]]:
        ranges: list[tuple[int, int]] = []
        for node in self.of_type(root, "preproc_ifdef", "preproc_if"):
            is_ifndef = bool(node.children) and node.children[0].type == "#ifndef"
            condition = node.child_by_field_name("name") or node.child_by_field_name("condition")
            word = text(condition).replace(" ", "")
            alternative = node.child_by_field_name("alternative")
            end = alternative.start_point[0] if alternative is not None else node.end_point[0]
            if word == "DEBUG" and not is_ifndef:
                ranges.append((node.start_point[0], end))
            elif (
                (word == "!DEBUG" or (word == "DEBUG" and is_ifndef))
                and alternative is not None
                and alternative.type == "preproc_else"
            ):
                ranges.append((alternative.start_point[0], node.end_point[0]))
        return ranges
