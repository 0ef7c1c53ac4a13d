"""Dart / Flutter sources: certificate callbacks, fingerprint pinning and cleartext URL literals.

Facts produced:

- ``TrustCallback`` for ``badCertificateCallback`` functions that can accept a certificate without
  inspecting it: on ``HttpClient``, in an ``HttpOverrides.createHttpClient`` override, or inside Dio's
  ``onHttpClientCreate`` / ``createHttpClient``. The callback runs only for certificates that already
  failed validation, so anything but a certificate check is fail-open. A host-only exception for
  ``localhost`` or the emulator alias is a dev convenience and is not reported; other host-only tests are
  reported with medium confidence. Dio's documented pinning recipe (an ``IOHttpClientAdapter`` whose
  ``validateCertificate`` compares the certificate, with roots disabled) is recognised and not reported.
- ``PinSet`` (origin ``flutter-pinning``) for ``http_certificate_pinning`` / ``ssl_pinning_plugin``
  fingerprint lists (``HttpCertificatePinning.check``, ``SslPinningPlugin.check``,
  ``CertificatePinningInterceptor``, ``SecureHttpClient.build``). The values are hex certificate
  fingerprints, not base64 SPKI pins: a SHA-256 list becomes a certificate-kind set counted by distinct
  fingerprint; a SHA-1 list carries ``sha1`` pins so the weak-digest rule sees them.
- ``Endpoint`` for ``http://`` / ``ws://`` string literals (imports excluded); ``'http://$host'`` and
  ``'http://' + host`` are cleartext URLs to whatever host the expression names, unless only compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from pinlint.model.facts import (
    PIN_MATCH,
    PIN_MISMATCH,
    PIN_VALIDATOR,
    SERVER_TRUST,
    SUBJECT_NAME,
    AcceptingPath,
    ParseError,
    Pin,
    PinSet,
    Span,
    TrustCallback,
)
from pinlint.parsers import SourceFile
from pinlint.parsers.code import codeutil as cu
from pinlint.parsers.code import literals
from pinlint.parsers.code import treesitter as ts
from pinlint.parsers.code.treesitter import Node
from pinlint.vocab.urls import joined_host_endpoint, pieces_from_holes

NAME = "lang_dart"
LANGUAGE = "dart"
PLATFORM = "flutter"

TRIGGERS = (
    b"badCertificateCallback",
    b"allowedSHAFingerprints",
    b"SslPinningPlugin",
    b"SecureHttpClient",
    b"CertificatePinningInterceptor",
    b"http://",
    b"ws://",
)
#: Triggers inside comments do not count: the grammar never finds anything there.
TRIGGER_COMMENTS = "c"

_QUOTES = frozenset({"'", '"', "'''", '"""', "r'", 'r"', "r'''", 'r"""'})
_PIN_CALLS = frozenset({"HttpCertificatePinning.check", "SslPinningPlugin.check"})
_DEBUG_TRUE = frozenset({"kDebugMode", "kProfileMode"})
_DEBUG_FALSE = frozenset({"kReleaseMode"})
_GROWING_METHODS = frozenset({"add", "addAll", "insert", "insertAll"})
_STATEMENTS = frozenset(
    {
        "block",
        "if_statement",
        "return_statement",
        "expression_statement",
        "local_variable_declaration",
        "try_statement",
        "for_statement",
        "while_statement",
        "do_statement",
        "switch_statement",
        "local_function_declaration",
        "labeled_statement",
        "assert_statement",
        "yield_statement",
        "break_statement",
        "continue_statement",
        "rethrow_statement",
    }
)


def accepts(name: str, head: bytes) -> bool:
    return name.endswith(".dart")


def parse(source: SourceFile) -> list[object]:
    try:
        root = ts.parse(source.data, LANGUAGE)
    except Exception as error:  # a grammar that cannot load is a parse problem, not a crash
        return [ParseError(Span(source.display), f"cannot parse Dart: {error}")]
    facts = list(_Facts(source, root).collect())
    return facts


def string_value(node: Node) -> str:
    """The static text of a Dart ``string_literal`` (adjacent parts joined, interpolations as HOLE;
    escape sequences are kept as written)."""
    return literals.joined(_string_parts(node))


def _string_parts(node: Node) -> list[literals.StringPart]:
    """The text between each pair of quotes of a ``string_literal`` (``'a' "b"`` is one literal) and its
    ``$name`` / ``${expr}`` substitutions; a raw ``r'...'`` part has none."""
    data: bytes = node.text or b""
    base = node.start_byte
    parts: list[literals.StringPart] = []
    open_end: int | None = None
    raw = False

    def written(start: int, end: int) -> literals.StringPart:
        return literals.StringPart(data[start - base : end - base].decode("utf-8", "replace"))

    for child in node.children:
        kind = child.type
        if kind in _QUOTES and not child.is_named:
            if open_end is None:
                open_end = child.end_byte
                raw = kind.startswith("r")
            else:
                parts.append(written(open_end, child.start_byte))
                open_end = None
        elif open_end is not None and kind == "template_substitution" and not raw:
            parts.append(written(open_end, child.start_byte))
            parts.append(literals.StringPart("", child))
            open_end = child.end_byte
    return parts


#: Flutter's build-mode constants: true only in debug (or profile) builds, never in a release build.
_DEBUG_FLAGS = frozenset({"kDebugMode", "kProfileMode", "!kReleaseMode"})
_RELEASE_FLAGS = frozenset({"kReleaseMode", "!kDebugMode"})


def _debug_variant(node: Node) -> str | None:
    """'debug' in the branch of ``if (kDebugMode)`` / ``kDebugMode ? a : b`` (or the ``else`` of
    ``kReleaseMode``) that a release build never runs."""
    child = node
    for ancestor in ts.ancestors(node):
        if ancestor.type in ("if_statement", "conditional_expression"):
            condition = next(iter(ancestor.named_children), None)
            written = ts.text(condition).replace(" ", "").strip("()") if condition is not None else ""
            if condition is not None and condition.id != child.id:
                if written in _DEBUG_FLAGS and ancestor.child_by_field_name("consequence") == child:
                    return "debug"
                if written in _RELEASE_FLAGS and ancestor.child_by_field_name("alternative") == child:
                    return "debug"
        child = ancestor
    return None


def _joined_pieces(node: Node, value: str) -> list[tuple[str, bool]] | None:
    """``'http://$host'``, ``'http://${cfg.host}/api'``, ``'http://' + host``: literal text and expressions."""
    if cu.HOLE in value:
        expressions = [ts.text(child).lstrip("$").removeprefix("{").removesuffix("}")
                       for child in node.children if child.type == "template_substitution"]
        return pieces_from_holes(value, cu.HOLE, expressions)
    parent = node.parent
    if parent is not None and parent.type == "additive_expression" and parent.named_children[:1] == [node]:
        operands = [child for child in parent.named_children if child.type != "additive_operator"]
        if len(operands) >= 2:
            return [(value, False), (ts.text(operands[1]), True)]
    return None


#: Methods that compare text: a URL passed to them is matched against, never fetched.
_COMPARING_METHODS = frozenset({"startsWith", "endsWith", "contains", "replaceAll", "replaceFirst", "indexOf",
                                "compareTo", "hasMatch", "matchAsPrefix"})


def _compared(node: Node) -> bool:
    """``url.startsWith('http://$host')``, ``url == 'http://$host'``."""
    child = node
    for ancestor in ts.ancestors(node):
        if ancestor.type == "equality_expression":
            return True
        if ancestor.type == "selector" and child.type == "argument_part":
            method = ancestor.prev_named_sibling
            return method is not None and ts.text(method).lstrip("?.") in _COMPARING_METHODS
        if ancestor.type not in ("argument", "arguments", "argument_part", "additive_expression",
                                 "parenthesized_expression"):
            return False
        child = ancestor
    return False


def _identifiers(node: Node) -> set[str]:
    return {ts.text(n) for n in ts.walk(node) if n.type in ("identifier", "identifier_dollar_escaped")}


def _strings(node: Node) -> tuple[str, ...]:
    return tuple(string_value(n) for n in ts.walk(node) if n.type == "string_literal")


class _Facts:
    def __init__(self, source: SourceFile, root: Node) -> None:
        self.source = source
        self.root = root
        self.path = source.display
        self.functions: dict[str, Node] = {}
        self.constants: dict[str, Node] = {}
        #: Names of lists grown in place (``pins.add(x)``), whose literal is not their content.
        self.mutated: set[str] = set()
        #: classes whose installation is being judged (an install inside its own class must not loop)
        self._judging: set[tuple[int, int]] = set()

    def collect(self) -> Iterator[object]:
        self._index()
        pinning_validator = self._has_certificate_validator()
        for node in ts.walk(self.root):
            kind = node.type
            if kind == "string_literal":
                endpoint = self._endpoint(node)
                if endpoint is not None:
                    yield endpoint
            elif kind == "identifier" and ts.text(node) == "badCertificateCallback":
                handler = self._callback(node, pinning_validator)
                if handler is not None:
                    yield handler
            elif kind == "arguments":
                pin_set = self._pinning(node)
                if pin_set is not None:
                    yield pin_set

    # --- indexing -----------------------------------------------------------------------------------

    def _index(self) -> None:
        for node in ts.walk(self.root):
            if node.type == "identifier":
                selector = node.next_named_sibling
                inner = selector.named_children[0] if selector is not None and selector.named_children else None
                if (
                    selector is not None
                    and selector.type == "selector"
                    and inner is not None
                    and inner.type == "unconditional_assignable_selector"
                    and ts.text(inner).lstrip(".?").strip() in _GROWING_METHODS
                ):
                    self.mutated.add(ts.text(node))
            if node.type in ("function_signature", "method_signature"):
                signature = (
                    node
                    if node.type == "function_signature"
                    else next((c for c in node.named_children if c.type == "function_signature"), None)
                )
                body = node.next_named_sibling
                if signature is not None and body is not None and body.type == "function_body":
                    name = ts.text(signature.child_by_field_name("name"))
                    if name:
                        self.functions.setdefault(name, signature)
            elif node.type in (
                "static_final_declaration",
                "initialized_variable_definition",
                "initialized_identifier",
            ):
                named = [c for c in node.named_children]
                if len(named) >= 2 and named[0].type == "identifier":
                    self.constants.setdefault(ts.text(named[0]), named[-1])
                name_node = node.child_by_field_name("name")
                value = node.child_by_field_name("value")
                if name_node is not None and value is not None:
                    self.constants.setdefault(ts.text(name_node), value)

    # --- URLs ---------------------------------------------------------------------------------------

    def _endpoint(self, node: Node) -> object | None:
        parent = node.parent
        if parent is not None and parent.type in ("uri", "configurable_uri", "part_of_directive"):
            return None
        if not cu.sound(node) or any(a.type == "annotation" for a in ts.ancestors(node)):
            return None
        value = string_value(node)
        found = cu.url_endpoint(value, ts.span(self.path, node), LANGUAGE, PLATFORM)
        variant = _debug_variant(node)
        if found is None and not _compared(node):
            pieces = _joined_pieces(node, value)
            if pieces is not None:
                return joined_host_endpoint(pieces, ts.span(self.path, node), LANGUAGE, PLATFORM, variant)
        return replace(found, variant=variant) if found is not None and variant else found

    # --- badCertificateCallback ---------------------------------------------------------------------

    def _assigned_value(self, name_node: Node) -> list[Node] | None:
        """The value nodes assigned to the property named by ``name_node`` (assignment or cascade)."""
        parent = name_node.parent
        if parent is None:
            return None
        if parent.type == "cascade_selector":
            section = parent.parent
            if section is None:
                return None
            children = section.children
            for index, child in enumerate(children):
                if child.type == "=" and index > 0 and children[index - 1] == parent:
                    return [c for c in children[index + 1 :] if c.is_named and "comment" not in c.type]
            return None
        if parent.type == "unconditional_assignable_selector":
            assignable = parent.parent
            if assignable is None or assignable.type != "assignable_expression":
                return None
            if assignable.named_children[-1] != parent:
                return None
            assignment = assignable.parent
            if assignment is None or assignment.type != "assignment_expression":
                return None
            operator = assignment.child_by_field_name("operator")
            if operator is None or ts.text(operator) != "=":
                return None
            return [c for c in assignment.children_by_field_name("right") if "comment" not in c.type]
        if parent.type == "assignable_expression":
            assignment = parent.parent
            if assignment is not None and assignment.type == "assignment_expression":
                return [c for c in assignment.children_by_field_name("right") if "comment" not in c.type]
        if parent.type == "label":
            named = parent.parent
            if named is not None and named.type == "named_argument":
                return [c for c in named.named_children if c != parent and "comment" not in c.type]
        return None

    def _function_of(self, values: list[Node]) -> tuple[list[str], Node] | None:
        """(parameter names, body) of the callback value: a function literal or a named function."""
        if any(value.has_error for value in values):
            return None
        while len(values) == 1 and values[0].type == "parenthesized_expression":
            values = [c for c in values[0].named_children if "comment" not in c.type]
        if len(values) == 1 and values[0].type == "function_expression":
            function = values[0]
            params = function.child_by_field_name("parameters")
            body = function.child_by_field_name("body")
            if body is None:
                return None
            return _param_names(params), body
        if len(values) == 1 and values[0].type == "identifier":
            signature = self.functions.get(ts.text(values[0]))
            if signature is None:
                return None
            params = next((c for c in signature.named_children if c.type == "formal_parameter_list"), None)
            owner = (
                signature
                if signature.parent is None or signature.parent.type != "method_signature"
                else (signature.parent)
            )
            body = owner.next_named_sibling
            if body is None or body.has_error:
                return None
            return _param_names(params), body
        return None

    def _callback(self, name_node: Node, pinning_validator: bool) -> TrustCallback | None:
        if not cu.sound(name_node):
            return None
        values = self._assigned_value(name_node)
        if not values:
            return None
        function = self._function_of(values)
        if function is None:
            return None
        params, body = function
        cert = set(params[:1])
        hosts = set(params[1:3])
        lowering = _Lowering(cert, hosts)
        statements = lowering.body(body)
        found = cu.accepting_paths(statements, [(1, "")])
        if not found:
            return None
        variant = self._debug_context(name_node)
        where = self._where(name_node)
        site = ts.span(self.path, name_node)
        paths = []
        for path in found:
            # a callback written in place is reported at the return that accepts, like a method's return
            accepting = cu.return_site(path.node, values[0]) if len(values) == 1 else None
            guards = path.guards | {PIN_VALIDATOR} if pinning_validator else path.guards
            paths.append(AcceptingPath(
                guards, ts.span(self.path, accepting) if accepting is not None else site,
                "badCertificateCallback", _evidence(where, path), variant=variant))
        return TrustCallback("dart-httpclient", LANGUAGE, SERVER_TRUST, site, tuple(paths), PLATFORM)

    def _where(self, node: Node) -> str:
        for ancestor in ts.ancestors(node):
            if ancestor.type == "class_definition":
                superclass = ancestor.child_by_field_name("superclass")
                if superclass is not None and "HttpOverrides" in ts.text(superclass):
                    return " in an HttpOverrides subclass (applies to every HttpClient once installed)"
            if ancestor.type == "assignment_expression":
                left = ts.text(ancestor.child_by_field_name("left"))
                if left.endswith(("onHttpClientCreate", "createHttpClient")):
                    return " in Dio's HTTP client factory"
            if ancestor.type == "named_argument" and ts.text(ancestor).startswith("createHttpClient"):
                return " in Dio's HTTP client factory"
            if ancestor.type == "cascade_section" and ts.text(ancestor).lstrip("?.").startswith(
                ("onHttpClientCreate", "createHttpClient")
            ):
                return " in Dio's HTTP client factory"
        return ""

    def _debug_context(self, node: Node) -> str | None:
        child = node
        for ancestor in ts.ancestors(node):
            if ancestor.type == "if_statement" and ancestor.child_by_field_name("consequence") == child:
                condition = _if_condition(ancestor)
                if condition is not None and _is_debug_flag(condition):
                    return "debug"
            if ancestor.type == "class_definition":
                return self._installed_only_in_debug(ancestor)
            child = ancestor
        return None

    def _installed_only_in_debug(self, class_node: Node) -> str | None:
        """'debug' when an HttpOverrides subclass is installed in this file only under a debug flag."""
        key = (class_node.start_byte, class_node.end_byte)
        if key in self._judging:
            return None
        self._judging.add(key)
        try:
            return self._judge_installs(class_node)
        finally:
            self._judging.discard(key)

    def _judge_installs(self, class_node: Node) -> str | None:
        name = ts.text(class_node.child_by_field_name("name"))
        installs = []
        for node in ts.walk(self.root):
            if (
                node.type == "assignment_expression"
                and ts.text(node.child_by_field_name("left")).replace(" ", "") == "HttpOverrides.global"
            ):
                rights = node.children_by_field_name("right")
                if rights and ts.text(rights[0]) == name:
                    installs.append(node)
        if installs and all(self._debug_context(node) == "debug" for node in installs):
            return "debug"
        return None

    def _has_certificate_validator(self) -> bool:
        """Whether a Dio ``validateCertificate`` callback accepts only after inspecting the certificate."""
        for node in ts.walk(self.root):
            if node.type != "identifier" or ts.text(node) != "validateCertificate":
                continue
            values = self._assigned_value(node)
            if not values:
                continue
            function = self._function_of(values)
            if function is None:
                continue
            params, body = function
            statements = _Lowering(set(params[:1]), set(params[1:3])).body(body)
            paths = cu.accepting_paths(statements, ())
            if paths and all(path.guards & {PIN_MATCH, SUBJECT_NAME} for path in paths):
                return True
        return False

    # --- fingerprint pinning ------------------------------------------------------------------------

    def _pinning(self, arguments: Node) -> PinSet | None:
        callee = _callee(arguments)
        if not callee:
            return None
        short = callee.rsplit(".", 2)[-2:]
        name = ".".join(short)
        named = _named_arguments(arguments)
        positional = [c for c in arguments.named_children if c.type == "argument"]
        if name in _PIN_CALLS:
            fingerprints = named.get("allowedSHAFingerprints")
        elif short[-1] == "CertificatePinningInterceptor" or name == "SecureHttpClient.build":
            fingerprints = named.get("allowedSHAFingerprints") or (
                positional[0].named_children if positional else None
            )
        else:
            return None
        if not fingerprints or not cu.sound(arguments):
            return None
        values = self._list_values(fingerprints)
        if values is None:
            return None
        sha = "".join(ts.text(n) for n in named.get("sha", [])).replace(" ", "")
        algorithm = "sha1" if sha.endswith("SHA1") else "sha256"
        hosts: tuple[str, ...] = ()
        url_nodes = named.get("serverURL") or []
        if len(url_nodes) == 1 and url_nodes[0].type == "string_literal":
            endpoint = cu.url_endpoint(
                string_value(url_nodes[0]), ts.span(self.path, url_nodes[0]), LANGUAGE, PLATFORM
            )
            if endpoint is not None:
                hosts = (endpoint.host,)
        span = ts.span(
            self.path,
            arguments.parent.parent
            if arguments.parent is not None and arguments.parent.parent is not None
            else arguments,
        )
        label = f"{name.split('.')[0]} fingerprint list"
        distinct: dict[str, tuple[str, Span]] = {}
        for text, value_span in values:
            distinct.setdefault(_normalise_fingerprint(text), (text, value_span))
        if algorithm == "sha1":
            pins = tuple(
                Pin(value=text, algorithm="sha1", span=value_span) for text, value_span in distinct.values()
            )
            return PinSet(
                origin="flutter-pinning",
                platform=PLATFORM,
                hosts=hosts,
                pins=pins,
                span=span,
                kind="certificate",
                certificates=tuple(distinct),
                label=label,
            )
        return PinSet(
            origin="flutter-pinning",
            platform=PLATFORM,
            hosts=hosts,
            pins=(),
            span=span,
            kind="certificate",
            certificates=tuple(distinct),
            label=label,
        )

    def _list_values(self, nodes: list[Node], depth: int = 0) -> list[tuple[str, Span]] | None:
        """The string elements of a list literal (or a same-file constant naming one); None if unknown."""
        if len(nodes) != 1 or depth > 3:
            return None
        node = nodes[0]
        if node.type == "identifier":
            name = ts.text(node)
            target = self.constants.get(name)
            if target is None or name in self.mutated:
                return None  # filled at run time: the pins cannot be counted
            return self._list_values([target], depth + 1)
        if node.type != "list_literal":
            return None
        values: list[tuple[str, Span]] = []
        for child in node.named_children:
            if child.type in ("type_arguments", "const_builtin", "comment", "documentation_comment"):
                continue
            if child.type != "string_literal":
                return None
            value = string_value(child)
            if cu.HOLE in value:
                return None
            values.append((value.strip(), ts.span(self.path, child)))
        return values


def _normalise_fingerprint(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def _param_names(params: Node | None) -> list[str]:
    if params is None:
        return []
    names: list[str] = []
    for param in ts.walk_named(params, "formal_parameter"):
        name = param.child_by_field_name("name")
        if name is None:
            identifiers = [c for c in param.named_children if c.type == "identifier"]
            name = identifiers[-1] if identifiers else None
        names.append(ts.text(name))
    return names


def _callee(arguments: Node) -> str:
    """``A.b`` for ``A.b(...)``, ``A`` for ``A(...)``/``new A(...)``, from the nodes before the arguments."""
    holder = arguments.parent
    if (
        (holder is not None
        and holder.type == "new_expression")
        or (holder is not None
        and holder.type in ("const_object_expression",))
    ):
        return "".join(
            ts.text(c) for c in holder.named_children if c.type in ("type_identifier", "identifier")
        )
    if holder is None or holder.type != "argument_part":
        return ""
    selector = holder.parent
    if selector is None or selector.type != "selector" or selector.parent is None:
        return ""
    names: list[str] = []
    sibling = selector.prev_named_sibling
    while sibling is not None:
        if sibling.type == "identifier":
            names.append(ts.text(sibling))
            break
        if sibling.type == "selector":
            inner = sibling.named_children[0] if sibling.named_children else None
            if inner is not None and inner.type == "unconditional_assignable_selector":
                names.append(ts.text(inner).lstrip("."))
                sibling = sibling.prev_named_sibling
                continue
        break
    return ".".join(reversed(names))


def _named_arguments(arguments: Node) -> dict[str, list[Node]]:
    result: dict[str, list[Node]] = {}
    for child in arguments.named_children:
        if child.type != "named_argument":
            continue
        label = next((c for c in child.named_children if c.type == "label"), None)
        if label is None:
            continue
        result[ts.text(label).rstrip(":").strip()] = [
            c for c in child.named_children if c != label and "comment" not in c.type
        ]
    return result


def _if_condition(node: Node) -> list[Node] | None:
    """The condition of an ``if``: the nodes between its parentheses (the grammar does not wrap a call
    chain such as ``host.startsWith('x')`` in one node)."""
    condition: list[Node] = []
    inside = False
    for child in node.children:
        if not inside:
            inside = child.type == "("
            continue
        if child.type == ")":
            return condition or None
        if child.is_named and "comment" not in child.type:
            condition.append(child)
    return None


def _is_debug_flag(nodes: list[Node]) -> bool:
    """``kDebugMode``, ``!kReleaseMode``, or a conjunction with one of them (``kDebugMode && !kIsWeb``)."""
    if len(nodes) == 1 and nodes[0].type == "logical_and_expression":
        groups: list[list[Node]] = [[]]
        for child in nodes[0].children:
            if child.type == "logical_and_operator":
                groups.append([])
            elif child.is_named and "comment" not in child.type:
                groups[-1].append(child)
        return any(_is_debug_flag(group) for group in groups if group)
    text = "".join(ts.text(node) for node in nodes).replace(" ", "")
    return text in _DEBUG_TRUE or text in {"!" + flag for flag in _DEBUG_FALSE}


class _Lowering(cu.StatementLowering):
    """Dart statements and expressions of a callback, lowered to the shared path language."""

    throws = frozenset({"rethrow_statement"})
    declarations = frozenset({"local_variable_declaration"})
    skipped = frozenset({"local_function_declaration", "assert_statement", "break_statement", "continue_statement"})

    def __init__(self, cert: set[str], hosts: set[str]) -> None:
        self.cert = set(cert)
        self.hosts = set(hosts)

    def body(self, node: Node) -> list[object]:
        children = [c for c in node.children if c.type != "comment"]
        if children and children[0].type == "=>":
            expression = [c for c in children[1:] if c.is_named]
            return [cu.Return(self.expression(expression))]
        block = next(
            (c for c in node.named_children if c.type == "block"), node if node.type == "block" else None
        )
        return self.statements(block.named_children if block is not None else [])

    def value(self, nodes: list[Node]) -> cu.Formula:
        return self.expression(nodes)

    def condition(self, node: Node) -> list[Node] | None:
        return _if_condition(node)

    def condition_value(self, condition: list[Node]) -> cu.Formula:
        return self.expression(condition)

    def assignment(self, node: Node) -> list[object]:
        left = node.child_by_field_name("left")
        rights = node.children_by_field_name("right")
        if left is None or left.named_child_count != 1 or left.named_children[0].type != "identifier":
            return []
        name = ts.text(left)
        self._taint(name, rights)
        return [cu.Assign(name, self.expression(rights))]

    def declaration(self, node: Node) -> list[object]:
        result: list[object] = []
        for definition in ts.walk_named(node, "initialized_variable_definition", "initialized_identifier"):
            name_node = definition.child_by_field_name("name")
            values = definition.children_by_field_name("value")
            if name_node is None:
                named = definition.named_children
                name_node = named[0] if named and named[0].type == "identifier" else None
                values = named[1:]
            if name_node is not None and values:
                self._taint(ts.text(name_node), values)
                result.append(cu.Assign(ts.text(name_node), self.expression(values)))
        return result

    def catch_bodies(self, node: Node, body: Node | None) -> list[Node | None]:
        return [c for c in node.named_children if c.type == "block" and c != body]

    def nested(self, node: Node) -> bool:
        return node.type in _STATEMENTS

    def _taint(self, name: str, values: list[Node]) -> None:
        identifiers: set[str] = set()
        for value in values:
            identifiers |= _identifiers(value)
        if identifiers & self.cert:
            self.cert.add(name)
        elif identifiers & self.hosts:
            self.hosts.add(name)

    def expression(self, nodes: list[Node]) -> cu.Formula:
        nodes = [n for n in nodes if n.type != "comment"]
        if len(nodes) != 1:
            return self.leaf(nodes)
        node = nodes[0]
        kind = node.type
        if kind == "true":
            return cu.TRUE
        if kind == "false":
            return cu.FALSE
        if kind == "parenthesized_expression":
            return self.expression(node.named_children)
        if kind == "identifier":
            name = ts.text(node)
            if name in _DEBUG_TRUE:
                return cu.atom(cu.Atom(cu.DEBUG, name))
            if name in _DEBUG_FALSE:
                return cu.negate(cu.atom(cu.Atom(cu.DEBUG, "kDebugMode")))
            return ("var", name, self.leaf(nodes))
        if (
            kind == "unary_expression"
            and node.children
            and node.children[0].type == "prefix_operator"
            and (ts.text(node.children[0]) == "!")
        ):
            return cu.negate(self.expression([c for c in node.children[1:] if c.is_named]))
        if kind == "equality_expression":
            return self.equality(node)
        if kind in ("logical_or_expression", "logical_and_expression"):
            operator = "logical_or_operator" if kind == "logical_or_expression" else "logical_and_operator"
            groups: list[list[Node]] = [[]]
            for child in node.children:
                if child.type == operator:
                    groups.append([])
                elif child.is_named and child.type != "comment":
                    groups[-1].append(child)
            formula = self.expression(groups[0])
            tag = "or" if kind == "logical_or_expression" else "and"
            for group in groups[1:]:
                formula = (tag, formula, self.expression(group))
            return formula
        if kind == "conditional_expression":
            consequence = node.child_by_field_name("consequence")
            alternative = node.child_by_field_name("alternative")
            condition: list[Node] = []
            for child in node.children:
                if child.type == "?":
                    break
                if child.is_named:
                    condition.append(child)
            if consequence is None or alternative is None:
                return self.leaf(nodes)
            test = self.expression(condition)
            return (
                "or",
                ("and", test, self.expression([consequence])),
                ("and", cu.negate(test), self.expression([alternative])),
            )
        return self.leaf(nodes)

    def equality(self, node: Node) -> cu.Formula:
        """``a == b`` as one atom and ``a != b`` as its negation, keyed alike, so both spellings of a test
        are one test (``sha != pin`` is a failed pin comparison); ``test == false`` is the negated test."""
        operator = next((c for c in node.children if c.type == "equality_operator"), None)
        if operator is None:
            return self.leaf([node])
        sides = [c for c in node.children if c.is_named and c.type != "comment" and c != operator]
        left = [c for c in sides if c.end_byte <= operator.start_byte]
        right = [c for c in sides if c.start_byte >= operator.end_byte]
        negated = ts.text(operator) == "!="
        for constant, other in ((right, left), (left, right)):
            if len(constant) == 1 and constant[0].type in ("true", "false") and other:
                test = self.expression(other)
                return test if (constant[0].type == "true") != negated else cu.negate(test)
        if not left or not right:
            return self.leaf([node])
        test = self.leaf([node], f"{_source(node, left)} == {_source(node, right)}")
        return cu.negate(test) if negated else test

    def leaf(self, nodes: list[Node], key: str | None = None) -> cu.Formula:
        identifiers: set[str] = set()
        literals: list[str] = []
        null_check = False
        for node in nodes:
            identifiers |= _identifiers(node)
            literals.extend(_strings(node))
            if node.type == "equality_expression" and any(c.type == "null_literal" for c in node.children):
                null_check = True
        key = key or " ".join(ts.text(n) for n in nodes)
        return cu.leaf(key, identifiers, cert=self.cert, hosts=self.hosts, debug=bool(identifiers & _DEBUG_TRUE),
                       null_check=null_check, literals=lambda: literals)


def _source(outer: Node, nodes: list[Node]) -> str:
    """The source text that ``nodes`` (consecutive children of ``outer``) span."""
    data: bytes = outer.text or b""
    start, end = nodes[0].start_byte - outer.start_byte, nodes[-1].end_byte - outer.start_byte
    return data[start:end].decode("utf-8", errors="replace")


def _evidence(where: str, path: cu.Path) -> str:
    """What one accepting path of a ``badCertificateCallback`` does, in words."""
    if PIN_MISMATCH in path.guards and not path.guards & {PIN_MATCH, SUBJECT_NAME}:
        return f"badCertificateCallback{where} compares the certificate but still returns true when it does not match"
    if path.forgeable:
        return f"badCertificateCallback{where} accepts a certificate that failed validation {path.forgeable}"
    detail = f" {path.condition}" if path.condition else ""
    return f"badCertificateCallback{where} returns true{detail}: certificates that failed validation are accepted"
