"""C# sources (.NET, MAUI, Xamarin): certificate validation callbacks, forced old protocols, cleartext URLs.

Facts produced:

- ``TrustCallback`` for validation callbacks assigned to ``ServerCertificateCustomValidationCallback``
  (``HttpClientHandler``), ``ServerCertificateValidationCallback`` (``ServicePointManager``,
  ``HttpWebRequest``), ``RemoteCertificateValidationCallback`` (``SslOptions``,
  ``SslClientAuthenticationOptions``) or passed to ``new SslStream(stream, leaveOpen, callback)``: lambdas,
  anonymous delegates and method groups declared in the same file. The callback is evaluated for each
  ``SslPolicyErrors`` case: each path that returns true, with the guards on it (chain errors or a missing
  certificate: PLATFORM_FAILED; only ``RemoteCertificateNameMismatch``: PLATFORM_NAME_MISMATCH; a failed
  certificate comparison: PIN_MISMATCH). ``DangerousAcceptAnyServerCertificateValidator`` accepts unguarded
  wherever it is used. Code under ``#if DEBUG`` or an ``IsDevelopment()`` / ``Debugger.IsAttached`` test is marked
  as the debug variant.
- ``TlsFloor`` for ``SslProtocols.Tls``/``Tls11``/``Ssl2``/``Ssl3`` and the ``SecurityProtocolType``
  equivalents when they are assigned or passed (not when compared or masked out).
- ``Endpoint`` for ``http://`` / ``ws://`` string literals (attribute arguments and namespace URIs
  excluded); ``$"http://{host}"`` and ``"http://" + host`` are cleartext URLs to whatever host the
  expression names, unless only compared.
"""

from __future__ import annotations

from collections.abc import Iterator

from pinlint.model.facts import (
    PIN_MATCH,
    PIN_MISMATCH,
    PLATFORM_NAME_MISMATCH,
    SERVER_TRUST,
    SUBJECT_NAME,
    AcceptingPath,
    ParseError,
    Span,
    TlsFloor,
    TrustCallback,
    accepting,
)
from pinlint.parsers import SourceFile
from pinlint.parsers.code import codeutil as cu
from pinlint.parsers.code import literals
from pinlint.parsers.code import treesitter as ts
from pinlint.parsers.code.treesitter import Node
from pinlint.vocab.tls import SSL2, SSL3, TLS10, TLS11, TLS12, TLS13, TlsVersion
from pinlint.vocab.urls import joined_host_endpoint, pieces_from_holes

NAME = "lang_csharp"
LANGUAGE = "csharp"
PLATFORM = "dotnet"

TRIGGERS = (
    b"CertificateValidationCallback",
    b"CertificateCustomValidationCallback",
    b"DangerousAcceptAny",
    b"SslStream",
    b"SslProtocols",
    b"SecurityProtocolType",
    b"http://",
    b"ws://",
)
#: Triggers inside comments do not count: the grammar never finds anything there.
TRIGGER_COMMENTS = "c"

CALLBACK_PROPERTIES = frozenset(
    {
        "ServerCertificateCustomValidationCallback",
        "ServerCertificateValidationCallback",
        "RemoteCertificateValidationCallback",
    }
)

#: SslPolicyErrors flags.
POLICY_ERRORS = {
    "None": 0,
    "RemoteCertificateNotAvailable": 1,
    "RemoteCertificateNameMismatch": 2,
    "RemoteCertificateChainErrors": 4,
}
#: Error situations in which accepting means trusting any certificate, and the name-only one.
TRUST_SCENARIOS = ((4, "chain errors"), (6, "chain and name errors"), (1, "no certificate"))
HOSTNAME_SCENARIOS = (2,)

#: Protocol enum members -> the version they name (CLR204 decides which are too old).
PROTOCOLS: dict[str, dict[str, TlsVersion]] = {
    "SslProtocols": {
        "Ssl2": SSL2,
        "Ssl3": SSL3,
        "Tls": TLS10,
        "Tls11": TLS11,
        "Default": TLS10,
        "Tls12": TLS12,
        "Tls13": TLS13,
    },
    "SecurityProtocolType": {"Ssl3": SSL3, "Tls": TLS10, "Tls11": TLS11, "Tls12": TLS12,
                             "Tls13": TLS13},
}

_DEBUG_WORDS = ("IsDevelopment", "Debugger.IsAttached", "IsDebug", "DEBUG")
_FUNCTIONS = ("method_declaration", "local_function_statement")


def accepts(name: str, head: bytes) -> bool:
    return name.endswith((".cs", ".csx"))


def parse(source: SourceFile) -> list[object]:
    try:
        root = ts.parse(source.data, LANGUAGE)
    except Exception as error:
        return [ParseError(Span(source.display), f"cannot parse C#: {error}")]
    facts = [fact for fact in _Facts(source, root).collect() if not _dead(fact, root)]
    return facts


#: C# escape sequences pinlint decodes; any other (``\r``, ``\u0041``) is kept as written.
_ESCAPES = literals.Escapes({"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t", "/": "/"})

#: The pieces of each kind of C# string literal (a verbatim ``@"..."`` literal is read whole).
_LITERAL_FORMS = {
    "string_literal": literals.LiteralForm(
        text=frozenset({"string_literal_content"}), escape=frozenset({"escape_sequence"}), escapes=_ESCAPES),
    "raw_string_literal": literals.LiteralForm(text=frozenset({"raw_string_content"})),
    "interpolated_string_expression": literals.LiteralForm(
        text=frozenset({"string_content", "interpolated_verbatim_string_text", "interpolated_string_text",
                        "raw_string_content"}),
        escape=frozenset({"escape_sequence"}), hole=frozenset({"interpolation"}), escapes=_ESCAPES),
}


def string_value(node: Node) -> str | None:
    """Static text of a C# string literal node (interpolations as HOLE), or None for other nodes."""
    kind = node.type
    if kind == "verbatim_string_literal":
        raw = ts.text(node)
        return raw[2:-1].replace('""', '"') if raw.startswith('@"') and raw.endswith('"') else None
    form = _LITERAL_FORMS.get(kind)
    return literals.joined(literals.parts(node, form)) if form is not None else None


def _joined_pieces(node: Node, value: str) -> list[tuple[str, bool]] | None:
    """``$"http://{host}/api"``, ``"http://" + host``: literal text and expressions."""
    if cu.HOLE in value:
        expressions = [" ".join(ts.text(part) for part in child.named_children if part.type != "interpolation_brace")
                       for child in node.named_children if child.type == "interpolation"]
        return pieces_from_holes(value, cu.HOLE, expressions)
    parent = node.parent
    if (parent is not None and parent.type == "binary_expression" and parent.child_by_field_name("left") == node
            and ts.text(parent.child_by_field_name("operator")) == "+"):
        right = parent.child_by_field_name("right")
        return [(value, False), (ts.text(right), True)] if right is not None else None
    return None


#: Methods that compare text: a URL passed to them is matched against, never fetched.
_COMPARING_METHODS = frozenset({"StartsWith", "EndsWith", "Contains", "Equals", "IndexOf", "Replace", "Compare",
                                "IsMatch", "LastIndexOf"})


def _url_compared(node: Node) -> bool:
    """``url.StartsWith($"http://{host}")``, ``url == "http://" + host``: matched, never fetched."""
    child, parent = node, node.parent
    while parent is not None and (
        parent.type in ("argument", "argument_list", "parenthesized_expression")
        or (parent.type == "binary_expression" and ts.text(parent.child_by_field_name("operator")) == "+")
    ):
        child, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type == "binary_expression":
        return ts.text(parent.child_by_field_name("operator")) in ("==", "!=")
    if parent.type == "invocation_expression" and child.type == "argument_list":
        function = parent.child_by_field_name("function")
        name = function.child_by_field_name("name") if function is not None else None
        return name is not None and ts.text(name) in _COMPARING_METHODS
    return False


def _identifiers(node: Node) -> set[str]:
    return {ts.text(n) for n in ts.walk(node) if n.type == "identifier"}


class _Facts:
    def __init__(self, source: SourceFile, root: Node) -> None:
        self.path = source.display
        self.root = root
        self.methods: dict[str, Node] = {}

    def collect(self) -> Iterator[object]:
        for node in ts.walk(self.root):
            if node.type in _FUNCTIONS:
                name = ts.text(node.child_by_field_name("name"))
                if name:
                    self.methods.setdefault(name, node)
        tls_seen: set[int] = set()
        for node in ts.walk(self.root):
            kind = node.type
            if kind in (
                "string_literal",
                "verbatim_string_literal",
                "raw_string_literal",
                "interpolated_string_expression",
            ):
                endpoint = self._endpoint(node)
                if endpoint is not None:
                    yield endpoint
            elif kind == "assignment_expression":
                handler = self._assignment(node)
                if handler is not None:
                    yield handler
            elif kind == "object_creation_expression":
                handler = self._ssl_stream(node)
                if handler is not None:
                    yield handler
            elif kind == "member_access_expression":
                fact = self._member(node, tls_seen)
                if fact is not None:
                    yield fact

    # --- URLs ---------------------------------------------------------------------------------------

    def _endpoint(self, node: Node) -> object | None:
        if node.parent is not None and node.parent.type == "interpolated_string_expression":
            return None
        if not cu.sound(node) or any(
            a.type in ("attribute", "attribute_list") for a in ts.ancestors(node)
        ):
            return None
        value = string_value(node)
        if value is None:
            return None
        endpoint = cu.url_endpoint(value, ts.span(self.path, node), LANGUAGE, PLATFORM)
        if endpoint is None:
            pieces = None if _url_compared(node) else _joined_pieces(node, value)
            if pieces is None:
                return None
            return joined_host_endpoint(pieces, ts.span(self.path, node), LANGUAGE, PLATFORM, _debug_variant(node))
        variant = _debug_variant(node)
        if variant:
            from dataclasses import replace

            endpoint = replace(endpoint, variant=variant)
        return endpoint

    # --- callbacks ----------------------------------------------------------------------------------

    def _assignment(self, node: Node) -> TrustCallback | None:
        left = node.child_by_field_name("left")
        operator = ts.text(node.child_by_field_name("operator"))
        if left is None or operator not in ("=", "+=", "??="):
            return None
        if left.type == "member_access_expression":
            name_node = left.child_by_field_name("name")
        elif left.type == "identifier":
            name_node = left
        else:
            return None
        prop = ts.text(name_node)
        if prop not in CALLBACK_PROPERTIES or not cu.sound(node):
            return None
        value = node.child_by_field_name("right")
        if value is None:
            return None
        return self._judge(
            value, prop, ts.span(self.path, name_node if name_node is not None else node), node
        )

    def _ssl_stream(self, node: Node) -> TrustCallback | None:
        type_name = ts.text(node.child_by_field_name("type")).rsplit(".", 1)[-1]
        if type_name != "SslStream" or not cu.sound(node):
            return None
        arguments = node.child_by_field_name("arguments")
        if arguments is None:
            return None
        args = [c for c in arguments.named_children if c.type == "argument"]
        callback: Node | None = None
        for index, argument in enumerate(args):
            name = argument.child_by_field_name("name")
            if name is not None:
                if ts.text(name) == "userCertificateValidationCallback":
                    callback = argument.named_children[-1]
            elif index == 2:
                callback = argument.named_children[-1] if argument.named_children else None
        if callback is None:
            return None
        return self._judge(callback, "SslStream", ts.span(self.path, callback), node)

    def _member(self, node: Node, tls_seen: set[int]) -> object | None:
        owner = ts.text(node.child_by_field_name("expression")).rsplit(".", 1)[-1]
        name = ts.text(node.child_by_field_name("name"))
        if not cu.sound(node):
            return None
        if name == "DangerousAcceptAnyServerCertificateValidator":
            if _compared(node):
                return None
            return accepting(
                "dotnet-httpclient",
                LANGUAGE,
                SERVER_TRUST,
                "DangerousAcceptAnyServerCertificateValidator",
                "HttpClientHandler.DangerousAcceptAnyServerCertificateValidator accepts every certificate",
                ts.span(self.path, node),
                platform=PLATFORM,
                variant=_debug_variant(node),
            )
        versions = PROTOCOLS.get(owner)
        if versions is None or name not in versions or _compared(node) or _masked_out(node):
            return None
        holder = _statement_of(node)
        key = holder.id if holder is not None else node.id
        if key in tls_seen:
            return None
        tls_seen.add(key)
        scope = holder if holder is not None else node
        found: list[tuple[TlsVersion, str]] = []
        for member in ts.walk_named(scope, "member_access_expression"):
            member_owner = ts.text(member.child_by_field_name("expression")).rsplit(".", 1)[-1]
            member_name = ts.text(member.child_by_field_name("name"))
            table = PROTOCOLS.get(member_owner, {})
            if member_name in table and not _compared(member) and not _masked_out(member):
                found.append((table[member_name], f"{member_owner}.{member_name}"))
        lowest, setting = min(
            found or [(versions[name], f"{owner}.{name}")], key=lambda v: v[0].rank
        )
        return TlsFloor(
            origin="dotnet-code",
            platform=PLATFORM,
            min_version=lowest,
            span=ts.span(self.path, node),
            setting=setting,
            variant=_debug_variant(node),
        )

    def _function(self, value: Node, depth: int = 0) -> tuple[list[str], list[object]] | None:
        """(parameter names, lowered body) for a callback value, or None when it cannot be seen."""
        kind = value.type
        if depth > 3 or value.has_error:
            return None
        if kind in ("lambda_expression", "anonymous_method_expression"):
            params = value.child_by_field_name("parameters")
            if params is None:
                params = next((c for c in value.named_children if c.type == "parameter_list"), None)
            names = _param_names(params)
            body = value.child_by_field_name("body")
            if body is None:
                body = next((c for c in value.named_children if c.type == "block"), None)
            if body is None:
                return None
            return names, _Lowering(names).body(body)
        if kind == "object_creation_expression":
            arguments = value.child_by_field_name("arguments")
            args = (
                [c for c in arguments.named_children if c.type == "argument"] if arguments is not None else []
            )
            if len(args) == 1 and args[0].named_children:
                return self._function(args[0].named_children[-1], depth + 1)
            return None
        if kind == "parenthesized_expression" and value.named_children:
            return self._function(value.named_children[0], depth + 1)
        if kind in ("identifier", "member_access_expression"):
            name = ts.text(value).rsplit(".", 1)[-1]
            method = self.methods.get(name)
            if method is None or method.has_error:
                return None
            names = _param_names(method.child_by_field_name("parameters"))
            body = method.child_by_field_name("body")
            if body is None:
                body = next(
                    (c for c in method.named_children if c.type in ("block", "arrow_expression_clause")), None
                )
            if body is None:
                return None
            return names, _Lowering(names).body(body)
        return None

    def _judge(self, value: Node, prop: str, span: Span, site: Node) -> TrustCallback | None:
        if value.type == "member_access_expression" and ts.text(value.child_by_field_name("name")) == (
            "DangerousAcceptAnyServerCertificateValidator"
        ):
            return None  # reported by _member
        function = self._function(value)
        if function is None:
            return None
        _names, statements = function
        found = cu.accepting_paths(statements, TRUST_SCENARIOS, HOSTNAME_SCENARIOS)
        if not found:
            return None
        variant = _debug_variant(site)
        paths = []
        for path in found:
            # a callback written in place is reported at the return that accepts, like a method's return
            accepting = cu.return_site(path.node, value)
            paths.append(AcceptingPath(
                path.guards, ts.span(self.path, accepting) if accepting is not None else span, prop,
                _evidence(prop, path), variant=variant))
        return TrustCallback("dotnet-validation-callback", LANGUAGE, SERVER_TRUST, span, tuple(paths), PLATFORM)


def _evidence(prop: str, path: cu.Path) -> str:
    """What one accepting path of a validation callback does, in words."""
    detail = f" {path.condition}" if path.condition else ""
    if PIN_MISMATCH in path.guards and not path.guards & {PIN_MATCH, SUBJECT_NAME}:
        return f"{prop} callback compares the certificate but returns true when it does not match"
    if path.forgeable:
        return f"{prop} callback accepts a certificate that failed validation {path.forgeable}"
    if PLATFORM_NAME_MISMATCH in path.guards:
        return (f"{prop} callback returns true for SslPolicyErrors.RemoteCertificateNameMismatch{detail}: "
                "a certificate for another host is accepted")
    return f"{prop} callback returns true for certificate chain errors{detail}: any certificate is accepted"


def _dead(fact: object, root: Node) -> bool:
    """Whether a fact comes from an ``#if false`` region (never compiled)."""
    span = getattr(fact, "span", None)
    if span is None:
        return False
    for region in ts.walk_named(root, "preproc_if"):
        if ts.text(region.child_by_field_name("condition")).strip() != "false":
            continue
        start, end = region.start_point[0] + 1, region.end_point[0] + 1
        alternative = region.child_by_field_name("alternative")
        if alternative is not None:
            end = alternative.start_point[0] + 1
        if start <= span.line < end:
            return True
    return False


def _param_names(params: Node | None) -> list[str]:
    if params is None:
        return []
    if params.type in ("implicit_parameter", "identifier"):
        return [ts.text(params)]
    names = []
    for param in params.named_children:
        if param.type == "parameter":
            names.append(ts.text(param.child_by_field_name("name")))
        elif param.type in ("implicit_parameter", "identifier"):
            names.append(ts.text(param))
    return names


def _compared(node: Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is None:
        return False
    if parent.type == "binary_expression":
        operator = ts.text(parent.child_by_field_name("operator"))
        return operator in ("==", "!=", "&")
    if parent.type in ("constant_pattern", "is_pattern_expression", "case_switch_label", "argument"):
        if parent.type == "argument":
            call = parent.parent.parent if parent.parent is not None else None
            return (
                call is not None
                and call.type == "invocation_expression"
                and ts.text(call.child_by_field_name("function")).endswith("HasFlag")
            )
        return True
    return False


def _masked_out(node: Node) -> bool:
    for ancestor in ts.ancestors(node):
        if ancestor.type == "prefix_unary_expression" and ts.text(ancestor).startswith("~"):
            return True
        if ancestor.type == "assignment_expression":
            return ts.text(ancestor.child_by_field_name("operator")) in ("&=", "^=")
        if ancestor.type in ("expression_statement", "variable_declarator", "argument"):
            return False
    return False


def _statement_of(node: Node) -> Node | None:
    for ancestor in ts.ancestors(node):
        if ancestor.type in (
            "expression_statement",
            "local_declaration_statement",
            "field_declaration",
            "property_declaration",
            "assignment_expression",
            "argument",
        ):
            return ancestor
    return None


def _debug_variant(node: Node) -> str | None:
    child = node
    for ancestor in ts.ancestors(node):
        if ancestor.type in ("preproc_else", "preproc_elif"):
            return None
        if ancestor.type == "preproc_if":
            condition = ts.text(ancestor.child_by_field_name("condition")).replace(" ", "")
            if condition in ("DEBUG", "_DEBUG") or condition.startswith(("DEBUG&&", "DEBUG||")):
                return "debug"
            return None
        if ancestor.type == "if_statement" and ancestor.child_by_field_name("consequence") == child:
            condition = ts.text(ancestor.child_by_field_name("condition"))
            if any(word in condition for word in _DEBUG_WORDS) and not condition.lstrip().startswith("!"):
                return "debug"
        child = ancestor
    return None


def _eval(node: Node, errors: set[str], mask: int) -> int | None:
    """Integer value of an SslPolicyErrors expression for the scenario ``mask``; None if not computable."""
    kind = node.type
    if kind == "identifier":
        return mask if ts.text(node) in errors else None
    if kind == "member_access_expression":
        owner = ts.text(node.child_by_field_name("expression")).rsplit(".", 1)[-1]
        if owner == "SslPolicyErrors":
            return POLICY_ERRORS.get(ts.text(node.child_by_field_name("name")))
        return None
    if kind == "integer_literal":
        try:
            return int(ts.text(node), 0)
        except ValueError:
            return None
    if kind in ("parenthesized_expression", "constant_pattern", "cast_expression", "checked_expression"):
        inner = [
            c
            for c in node.named_children
            if c.type not in ("predefined_type", "identifier") or kind != "cast_expression"
        ]
        if kind == "cast_expression":
            value = node.child_by_field_name("value")
            return _eval(value, errors, mask) if value is not None else None
        return _eval(inner[-1], errors, mask) if inner else None
    if kind == "prefix_unary_expression":
        operand = node.named_children[-1] if node.named_children else None
        value = _eval(operand, errors, mask) if operand is not None else None
        if value is None:
            return None
        if ts.text(node).startswith("~"):
            return ~value & 7
        if ts.text(node).startswith("!"):
            return 0 if value else 1
        return None
    if kind == "binary_expression":
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        operator = ts.text(node.child_by_field_name("operator"))
        if left is None or right is None:
            return None
        a = _eval(left, errors, mask)
        b = _eval(right, errors, mask)
        if a is None or b is None:
            return None
        results = {
            "&": a & b,
            "|": a | b,
            "^": a ^ b,
            "==": int(a == b),
            "!=": int(a != b),
            "&&": int(bool(a and b)),
            "||": int(bool(a or b)),
            ">": int(a > b),
            "<": int(a < b),
            ">=": int(a >= b),
            "<=": int(a <= b),
        }
        return results.get(operator)
    if kind == "is_pattern_expression":
        subject = node.child_by_field_name("expression")
        pattern = node.child_by_field_name("pattern")
        if subject is None or pattern is None:
            return None
        negated = pattern.type == "negated_pattern"
        if negated:
            pattern = pattern.named_children[-1] if pattern.named_children else pattern
        a = _eval(subject, errors, mask)
        b = _eval(pattern, errors, mask)
        if a is None or b is None:
            return None
        return int((a == b) != negated)
    if kind == "invocation_expression":
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or arguments is None or function.type != "member_access_expression":
            return None
        if ts.text(function.child_by_field_name("name")) != "HasFlag":
            return None
        target = function.child_by_field_name("expression")
        args = [c for c in arguments.named_children if c.type == "argument"]
        if target is None or len(args) != 1 or not args[0].named_children:
            return None
        a = _eval(target, errors, mask)
        b = _eval(args[0].named_children[-1], errors, mask)
        if a is None or b is None:
            return None
        return int(a & b == b)
    return None


class _Lowering(cu.StatementLowering):
    """C# statements and expressions of a validation callback, lowered to the shared path language."""

    def __init__(self, params: list[str]) -> None:
        padded = [*params, "", "", "", ""]
        self.sender = {padded[0]} - {"", "_"}
        self.cert = {padded[1], padded[2]} - {"", "_"}
        self.errors = {padded[3]} - {"", "_"}

    throws = frozenset({"throw_statement"})
    declarations = frozenset({"local_declaration_statement"})
    skipped = frozenset({"local_function_statement", "break_statement", "continue_statement", "empty_statement"})

    def body(self, node: Node) -> list[object]:
        if node.type == "arrow_expression_clause":
            inner = node.named_children[-1] if node.named_children else None
            return [cu.Return(self.expression(inner))] if inner is not None else []
        if node.type != "block":
            return [cu.Return(self.expression(node))]
        return self.statements(node.named_children)

    def value(self, nodes: list[Node]) -> cu.Formula:
        return self.expression(nodes[0])

    def assignment(self, node: Node) -> list[object]:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        operator = ts.text(node.child_by_field_name("operator"))
        if left is None or left.type != "identifier" or right is None:
            return []
        name = ts.text(left)
        self._taint(name, right)
        if operator == "=":
            return [cu.Assign(name, self.expression(right))]
        return [cu.Assign(name, self.leaf(node))]

    def declaration(self, node: Node) -> list[object]:
        result: list[object] = []
        for declarator in ts.walk_named(node, "variable_declarator"):
            name_node = declarator.child_by_field_name("name")
            named = [c for c in declarator.named_children if c != name_node]
            value = named[-1] if named else None
            if name_node is not None and value is not None:
                self._taint(ts.text(name_node), value)
                result.append(cu.Assign(ts.text(name_node), self.expression(value)))
        return result

    def catch_bodies(self, node: Node, body: Node | None) -> list[Node | None]:
        return [clause.child_by_field_name("body") for clause in node.named_children if clause.type == "catch_clause"]

    def special(self, node: Node) -> list[object] | None:
        kind = node.type
        if kind == "switch_statement":
            return self.switch(node)
        if kind in ("preproc_if", "preproc_elif"):
            return [self.preprocessor(node)]
        if kind == "preproc_else":
            return self.statements(node.named_children)
        return None

    def nested(self, node: Node) -> bool:
        return bool(node.type.endswith("_statement") or node.type == "block")

    def preprocessor(self, node: Node) -> cu.If:
        """``#if DEBUG ... #else ... #endif`` inside a callback: one build takes each branch."""
        condition = node.child_by_field_name("condition")
        alternative = node.child_by_field_name("alternative")
        text = ts.text(condition).replace(" ", "")
        debug = text in ("DEBUG", "_DEBUG") or text.startswith(("DEBUG&&", "DEBUG||"))
        test = cu.atom(cu.Atom(cu.DEBUG if debug else cu.UNKNOWN, f"#if {text}"))
        body = [c for c in node.named_children if c not in (condition, alternative)]
        orelse = tuple(self.statement(alternative)) if alternative is not None else ()
        return cu.If(test, tuple(self.statements(body)), orelse)

    def switch(self, node: Node) -> list[object]:
        value = node.child_by_field_name("value")
        body = node.child_by_field_name("body")
        if value is None or body is None:
            return []
        chain: list[object] = []
        default: tuple[object, ...] = ()
        sections = [s for s in body.named_children if s.type == "switch_section"]
        branches: list[tuple[cu.Formula, tuple[object, ...]]] = []
        for section in sections:
            labels = [
                c
                for c in section.named_children
                if c.type
                in (
                    "constant_pattern",
                    "case_switch_label",
                    "declaration_pattern",
                    "recursive_pattern",
                    "or_pattern",
                    "relational_pattern",
                    "negated_pattern",
                    "when_clause",
                    "discard",
                )
            ]
            statements = tuple(self.statements([c for c in section.named_children if c not in labels]))
            if not labels:
                default = statements
                continue
            condition: cu.Formula | None = None
            for label in labels:
                test = self.case(value, label)
                condition = test if condition is None else ("or", condition, test)
            assert condition is not None
            branches.append((condition, statements))
        tail: tuple[object, ...] = default
        for condition, statements in reversed(branches):
            tail = (cu.If(condition, statements, tail),)
        chain.extend(tail)
        return chain

    def case(self, value: Node, label: Node) -> cu.Formula:
        errors = self.errors
        if _identifiers(value) <= errors and label.type == "constant_pattern":

            def test(mask: int, value: Node = value, label: Node = label) -> bool | None:
                a = _eval(value, errors, mask)
                b = _eval(label, errors, mask)
                return None if a is None or b is None else a == b

            return cu.atom(cu.Atom(cu.ERRORS, f"{ts.text(value)}=={ts.text(label)}", test=test))
        return self.leaf(label, extra=value)

    def _taint(self, name: str, value: Node) -> None:
        identifiers = _identifiers(value)
        if identifiers & self.cert:
            self.cert.add(name)
        elif identifiers & self.sender:
            self.sender.add(name)
        elif identifiers & self.errors and identifiers - self.errors <= {"SslPolicyErrors", *POLICY_ERRORS}:
            pass

    def expression(self, node: Node) -> cu.Formula:
        kind = node.type
        if kind == "boolean_literal":
            return cu.TRUE if ts.text(node) == "true" else cu.FALSE
        if kind == "parenthesized_expression" and node.named_children:
            return self.expression(node.named_children[0])
        if kind == "prefix_unary_expression" and ts.text(node).startswith("!") and node.named_children:
            return cu.negate(self.expression(node.named_children[-1]))
        if kind == "binary_expression":
            operator = ts.text(node.child_by_field_name("operator"))
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if operator in ("&&", "||") and left is not None and right is not None:
                return ("and" if operator == "&&" else "or", self.expression(left), self.expression(right))
            if operator in ("==", "!=") and left is not None and right is not None:
                return self.equality(node, left, right, negated=operator == "!=")
        if kind == "conditional_expression":
            condition = node.child_by_field_name("condition")
            consequence = node.child_by_field_name("consequence")
            alternative = node.child_by_field_name("alternative")
            if condition is not None and consequence is not None and alternative is not None:
                test = self.expression(condition)
                return (
                    "or",
                    ("and", test, self.expression(consequence)),
                    ("and", cu.negate(test), self.expression(alternative)),
                )
        if kind == "identifier":
            return ("var", ts.text(node), self.leaf(node))
        if kind == "is_pattern_expression":
            regrouped = self._misparsed_pattern(node)
            if regrouped is not None:
                return regrouped
            negation = self._negated_constant(node)
            if negation is not None:
                return negation
        return self.leaf(node)

    def equality(self, node: Node, left: Node, right: Node, *, negated: bool) -> cu.Formula:
        """``a == b`` as one atom and ``a != b`` as its negation, keyed alike, so both spellings of a test
        are one test (``hash != Pin`` is a failed pin comparison); ``test == false`` is the negated test. A
        test of the policy errors stays one atom, evaluated per error scenario."""
        if _identifiers(node) & self.errors:
            return self.leaf(node)
        for constant, other in ((right, left), (left, right)):
            if constant.type == "boolean_literal":
                test = self.expression(other)
                return test if (ts.text(constant) == "true") != negated else cu.negate(test)
        formula = self.leaf(node, key=f"{ts.text(left)} == {ts.text(right)}")
        return cu.negate(formula) if negated else formula

    def _negated_constant(self, node: Node) -> cu.Formula | None:
        """``cert.Thumbprint is not "AB..."``: the negation of ``cert.Thumbprint is "AB..."``."""
        subject = node.child_by_field_name("expression")
        pattern = node.child_by_field_name("pattern")
        if subject is None or pattern is None or pattern.type != "negated_pattern":
            return None
        if _identifiers(subject) & self.errors:
            return None
        constant = pattern.named_children[-1] if pattern.named_children else None
        if constant is None or constant.type != "constant_pattern" or not constant.named_children:
            return None
        return self._is_test(subject, True, constant.named_children[0])

    def _misparsed_pattern(self, node: Node) -> cu.Formula | None:
        """``x is not null && y`` as C# reads it: ``(x is not null) && y``.

        The grammar reads the rest of the condition into the pattern (``x is not (null && y)``); regroup
        it so that the ``is`` test applies to the first operand only.
        """
        subject = node.child_by_field_name("expression")
        pattern = node.child_by_field_name("pattern")
        if subject is None or pattern is None:
            return None
        negated = pattern.type == "negated_pattern"
        if negated:
            pattern = pattern.named_children[-1] if pattern.named_children else None
        if pattern is None or pattern.type != "constant_pattern" or len(pattern.named_children) != 1:
            return None
        inner = pattern.named_children[0]
        if inner.type != "binary_expression" or ts.text(inner.child_by_field_name("operator")) not in ("&&", "||"):
            return None
        return self._regroup(inner, subject, negated)

    def _regroup(self, node: Node, subject: Node, negated: bool) -> cu.Formula:
        operator = ts.text(node.child_by_field_name("operator")) if node.type == "binary_expression" else ""
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if operator in ("&&", "||") and left is not None and right is not None:
            tag = "and" if operator == "&&" else "or"
            return (tag, self._regroup(left, subject, negated), self.expression(right))
        return self._is_test(subject, negated, node)

    def _is_test(self, subject: Node, negated: bool, constant: Node) -> cu.Formula:
        """``subject is [not] constant`` as one atom."""
        key = f"{ts.text(subject)} is {'not ' if negated else ''}{ts.text(constant)}"
        errors = self.errors
        if _identifiers(subject) & errors:

            def test(mask: int) -> bool | None:
                a = _eval(subject, errors, mask)
                b = _eval(constant, errors, mask)
                return None if a is None or b is None else (a == b) != negated

            return cu.atom(cu.Atom(cu.ERRORS, key, test=test))
        if _identifiers(subject) & self.cert:
            # keyed without the ``not`` so that ``x is C`` and ``x is not C`` are one test
            formula = cu.atom(cu.Atom(cu.CERT, f"{ts.text(subject)} is {ts.text(constant)}",
                                      null_check=constant.type == "null_literal"))
        else:
            formula = self.leaf(subject, extra=constant)
        return cu.negate(formula) if negated else formula

    def leaf(self, node: Node, extra: Node | None = None, key: str | None = None) -> cu.Formula:
        identifiers = _identifiers(node) | (_identifiers(extra) if extra is not None else set())
        key = key or ts.text(node) + (f"@{ts.text(extra)}" if extra is not None else "")
        errors = self.errors
        if identifiers & errors and identifiers - errors <= {"SslPolicyErrors", "HasFlag", *POLICY_ERRORS}:

            def test(mask: int, node: Node = node) -> bool | None:
                value = _eval(node, errors, mask)
                return None if value is None else bool(value)

            return cu.atom(cu.Atom(cu.ERRORS, key, test=test))
        null_check = (
            (node.type == "binary_expression" and any(c.type == "null_literal" for c in node.named_children))
            or (node.type == "is_pattern_expression" and ("null" in ts.text(node.child_by_field_name("pattern"))))
        )
        text = ts.text(node)
        return cu.leaf(key, identifiers, cert=self.cert, hosts=self.sender,
                       debug=any(word in text for word in _DEBUG_WORDS), null_check=null_check,
                       literals=lambda: [v for v in (string_value(n) for n in ts.walk(node)) if v is not None])
