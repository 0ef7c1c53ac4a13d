"""JavaScript and TypeScript sources (Node, React Native, JSX/TSX): TLS switches, RN pinning, cleartext URLs.

Facts produced:

- ``TrustCallback`` (a server-trust option that accepts unguarded) for ``rejectUnauthorized: false`` and
  ``strictSSL: false`` in object literals (``https.Agent``, ``tls.connect``, request/axios options), the same
  properties assigned ``false``, ``process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'`` (string or number, dot or
  bracket access, or the key in an ``env`` object), and ``disableAllSecurity: true`` (react-native-ssl-
  pinning).
- ``PinSet`` per domain for react-native-ssl-public-key-pinning ``initializeSslPinning({...})`` (origin
  ``rn-public-key-pinning``, pins = ``publicKeyHashes``), and for react-native-ssl-pinning
  ``fetch(url, { sslPinning: { certs: [...] } })`` (origin ``rn-ssl-pinning``: certificate pinning counted
  by distinct certificate name, or public-key pins when ``pkPinning: true``).
- ``TrustCallback`` (role HOSTNAME) for a ``checkServerIdentity`` option: its function is lowered to the shared
  path language (``codeutil``) and every path that returns no error (Node treats ``undefined`` as "the name
  matches") is listed with its guards: Node's own check passed, a fingerprint compared, a host compared (a
  prefix or undotted suffix is forgeable), a development flag.
- ``TlsFloor`` for Node TLS options below 1.2: ``minVersion``/``maxVersion: 'TLSv1'``/``'TLSv1.1'`` and
  ``secureProtocol: 'TLSv1_method'`` (and the 1.1 / SSL method names).
- ``Endpoint`` for ``http://`` / ``ws://`` string and template literals (imports excluded; JSX text is
  prose, not a literal); a template or ``+`` joining the scheme to a host expression is a cleartext URL to
  that host unless it is only compared.

Minified or bundled files (``*.min.js``, ``*.bundle.js``, or files whose lines average hundreds of
characters) are build output: they are skipped, which keeps a scan of a web build fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from pinlint.model.facts import (
    HOST_FORGEABLE,
    HOSTNAME,
    PIN_MATCH,
    PIN_MISMATCH,
    SERVER_TRUST,
    SUBJECT_NAME,
    AcceptingPath,
    Endpoint,
    NotAnalysed,
    ParseError,
    Pin,
    PinSet,
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
from pinlint.vocab.tls import SSL3, TLS10, TLS11, TLS12, TLS13, TlsVersion
from pinlint.vocab.urls import joined_host_endpoint, pieces_from_holes

NAME = "lang_javascript"
PLATFORM = "javascript"

TRIGGERS = (
    b"rejectUnauthorized",
    b"strictSSL",
    b"NODE_TLS_REJECT_UNAUTHORIZED",
    b"publicKeyHashes",
    b"sslPinning",
    b"disableAllSecurity",
    b"trusty",
    b"checkServerIdentity",
    b"minVersion",
    b"maxVersion",
    b"secureProtocol",
    b"http://",
    b"ws://",
)

_EXTENSIONS = {
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
}
_MINIFIED_SUFFIXES = (".min.js", ".bundle.js", ".min.mjs", ".min.cjs", ".chunk.js")
#: Runtime helpers a bundler writes at the top of its output (webpack, ncc, Parcel): the file is bundled
#: code even when it is not minified.
_BUNDLE_MARKERS = (b"__webpack_require__", b"webpackBootstrap", b"__nccwpck_require__", b"parcelRequire")
#: How far into a file the bundle markers are looked for.
BUNDLE_HEAD = 4096
_DISABLING = {"rejectUnauthorized": False, "strictSSL": False, "disableAllSecurity": True, "trusty": True}
_ENV_NAME = "NODE_TLS_REJECT_UNAUTHORIZED"
#: Node TLS option values (minVersion, maxVersion) and forcing methods (secureProtocol) -> the version they
#: name (CLR204 decides which are too old).
_NODE_TLS_VERSIONS: dict[str, TlsVersion] = {"TLSv1": TLS10, "TLSv1.1": TLS11, "SSLv3": SSL3,
                                             "TLSv1.2": TLS12, "TLSv1.3": TLS13}
_NODE_TLS_METHODS: dict[str, TlsVersion] = {
    "TLSv1_method": TLS10,
    "TLSv1_client_method": TLS10,
    "TLSv1_1_method": TLS11,
    "TLSv1_1_client_method": TLS11,
    "TLSv1_2_method": TLS12,
    "TLSv1_2_client_method": TLS12,
    "SSLv3_method": SSL3,
    "SSLv3_client_method": SSL3,
}
#: Node's https calls: given an ``http://`` URL they throw, so the literal sends nothing in cleartext.
_HTTPS_CALLS = frozenset({"https.get", "https.request"})
#: Node's http calls: every request they make is cleartext.
_HTTP_CALLS = frozenset({"http.get", "http.request"})
_FUNCTIONS = ("arrow_function", "function_expression", "function", "function_declaration", "generator_function")


def _language(name: str) -> str | None:
    if name.endswith(".d.ts"):
        return None
    dot = name.rfind(".")
    return _EXTENSIONS.get(name[dot:]) if dot >= 0 else None


def accepts(name: str, head: bytes) -> bool:
    return _language(name) is not None


#: Completes "N files ..." in the scan's notice about minified files not analysed.
NOT_ANALYSED = ("minified or bundled, not analysed by the precommit profile "
                "(--profile audit reads them, within the grammar's time limit)")


def looks_bundled(data: bytes) -> bool:
    """Whether ``data`` starts with a bundler's runtime (``__webpack_require__`` and the like)."""
    head = data[:BUNDLE_HEAD]
    return any(marker in head for marker in _BUNDLE_MARKERS)


def parse(source: SourceFile) -> list[object]:
    """Facts of one JS/TS file. Minified or bundled code (by name, long average lines, or a bundler's
    runtime at the top) is read only when the scan is thorough (the audit profile), where a bundle may be
    all the vendor ships; otherwise it is listed as not analysed."""
    language = _language(source.path.name) or "javascript"
    minified = (source.path.name.endswith(_MINIFIED_SUFFIXES) or cu.looks_minified(source.data)
                or looks_bundled(source.data))
    if minified and not source.thorough:
        return [NotAnalysed(Span(source.display), NOT_ANALYSED)]
    try:
        root = ts.parse(source.data, language)
    except Exception as error:
        return [ParseError(Span(source.display), f"cannot parse {language}: {error}")]
    facts = list(_Facts(source.display, root).collect())
    return facts


#: JS escape sequences pinlint decodes; any other (``\n``, ``\u0041``) is kept as written.
_ESCAPES = literals.Escapes({"/": "/", "\\": "\\", "'": "'", '"': '"', "`": "`"})

#: The pieces of a quoted string and of a template literal (whose substitutions are holes).
_LITERAL_FORMS = {
    "string": literals.LiteralForm(
        text=frozenset({"string_fragment"}), escape=frozenset({"escape_sequence"}), escapes=_ESCAPES),
    "template_string": literals.LiteralForm(
        text=frozenset({"string_fragment"}), escape=frozenset({"escape_sequence"}),
        hole=frozenset({"template_substitution"}), escapes=_ESCAPES),
}


def string_value(node: Node) -> str | None:
    """Static text of a ``string`` or ``template_string`` node (substitutions as HOLE)."""
    form = _LITERAL_FORMS.get(node.type)
    return literals.joined(literals.parts(node, form)) if form is not None else None


def _key_name(pair: Node) -> str:
    key = pair.child_by_field_name("key")
    if key is None:
        return ""
    if key.type == "string":
        return string_value(key) or ""
    return ts.text(key)


def _unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type in (
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
    ):
        node = node.named_children[0] if node.named_children else None
    return node


def _is_bool(node: Node | None, value: bool) -> bool:
    node = _unwrap(node)
    if node is None:
        return False
    if node.type == ("true" if value else "false"):
        return True
    # minifier spellings: !0 is true, !1 is false
    return node.type == "unary_expression" and ts.text(node).replace(" ", "") == ("!0" if value else "!1")


def _is_zero(node: Node | None) -> bool:
    node = _unwrap(node)
    if node is None:
        return False
    if node.type == "number":
        return ts.text(node) in ("0", "0.0")
    if node.type in ("string", "template_string"):
        return (string_value(node) or "").strip() == "0"
    return bool(node.type == "false")


def _parameter_names(function: Node) -> list[str]:
    """The names of a function's parameters, in order (a destructured one counts as unnamed)."""
    single = function.child_by_field_name("parameter")
    if single is not None:
        return [ts.text(single)]
    parameters = function.child_by_field_name("parameters")
    found: list[str] = []
    for parameter in parameters.named_children if parameters is not None else []:
        target = parameter.child_by_field_name("pattern") or parameter
        if target.type == "assignment_pattern":
            target = target.child_by_field_name("left") or target
        if parameter.type != "comment":
            found.append(ts.text(target) if target.type == "identifier" else "")
    return found


#: Fields of Node's peer-certificate object that hold names (``cert.subject.CN``, ``cert.subjectaltname``).
_CERT_NAME_FIELDS = frozenset({"subject", "issuer", "subjectaltname", "CN", "O", "OU"})
#: Fields that identify the key or the certificate's bytes (a pin comparison).
_CERT_KEY_FIELDS = frozenset({"fingerprint", "fingerprint256", "fingerprint512", "pubkey", "raw", "modulus",
                              "exponent", "serialNumber"})
_NULLISH = frozenset({"undefined", "null"})


def _nullish(node: Node | None) -> bool:
    """``undefined``, ``null`` or ``void 0``: what Node reads as "the name matches"."""
    node = _unwrap(node)
    if node is None:
        return False
    if node.type in _NULLISH or (node.type == "identifier" and ts.text(node) == "undefined"):
        return True
    return node.type == "unary_expression" and ts.text(node.child_by_field_name("operator")) == "void"


def _runs_node_check(node: Node) -> bool:
    """A call of Node's own host check (``tls.checkServerIdentity(host, cert)``)."""
    return node.type == "call_expression" and ts.text(node.child_by_field_name("function")).endswith(
        "checkServerIdentity")


def _returned_names(body: Node) -> set[str]:
    """Variables the function returns (``return err``): they hold its answer, an Error or nothing."""
    found: set[str] = set()
    stack = [body]
    while stack:
        node = stack.pop()
        if node is not body and node.type in _FUNCTIONS:
            continue
        if node.type == "return_statement":
            values = [_unwrap(c) for c in node.named_children if c.type != "comment"]
            while values and values[0] is not None and values[0].type == "ternary_expression":
                ternary = values.pop(0)
                assert ternary is not None
                values += [_unwrap(ternary.child_by_field_name(f)) for f in ("consequence", "alternative")]
            found.update(ts.text(v) for v in values if v is not None and v.type == "identifier")
        stack.extend(node.named_children)
    return found


class _IdentityLowering(cu.StatementLowering):
    """A ``checkServerIdentity`` function, lowered to the shared path language.

    Node reads a returned Error as "the certificate does not fit the host" and anything nullish (or the end of
    the function) as "it does", so a path accepts when it returns nothing; a returned value the lowering
    cannot read is taken for an Error (the benefit of the doubt). Node calls the function only for a chain
    that verified, so the certificate's names are host names a CA vouched for: a test of them is a host
    check, and a test of its key or fingerprint a pin comparison. The error scenario is Node's own host check
    (``tls.checkServerIdentity``) failing.
    """

    throws = frozenset({"throw_statement"})
    declarations = frozenset({"lexical_declaration", "variable_declaration"})
    skipped = frozenset({"function_declaration", "generator_function_declaration", "class_declaration",
                         "break_statement", "continue_statement", "empty_statement", "debugger_statement"})

    def __init__(self, params: list[str], body: Node) -> None:
        self.hosts = set(params[:1]) - {""}
        self.cert = set(params[1:2]) - {""}
        self.answers = _returned_names(body)

    def body(self, body: Node) -> list[object]:
        if body.type != "statement_block":
            return [cu.Return(self.value([body]), body)]
        return [*self.statements(body.named_children), cu.Return(cu.TRUE)]

    def statement(self, node: Node) -> list[object]:
        if node.type == "return_statement" and not any(c.type != "comment" for c in node.named_children):
            return [cu.Return(cu.TRUE, node)]  # `return;` returns undefined
        if node.type == "try_statement":
            return self.attempt(node)
        return super().statement(node)

    def attempt(self, node: Node) -> list[object]:
        """``try { ... } catch { ... }``: the block runs to its end when what it tests holds (a check that
        throws on failure, read like a condition over the block), else the handler runs."""
        body = node.child_by_field_name("body")
        handler = node.child_by_field_name("handler")
        handled = handler.child_by_field_name("body") if handler is not None else None
        if body is None or handled is None:
            return self.statement(body) if body is not None else []
        return [cu.If(self.leaf(body, f"try {ts.text(body)}"), tuple(self.statement(body)),
                      tuple(self.statement(handled)))]

    def value(self, nodes: list[Node]) -> cu.Formula:
        """A returned value accepts when it is no Error."""
        return cu.negate(self.error(nodes[0]))

    def condition_value(self, condition: Node) -> cu.Formula:
        return self.truth(condition)

    def special(self, node: Node) -> list[object] | None:
        if node.type in ("statement_block", "else_clause"):
            return self.statements(node.named_children)
        return None

    def nested(self, node: Node) -> bool:
        return node.type.endswith("_statement") or node.type in (
            "statement_block", "else_clause", "switch_body", "switch_case", "switch_default")

    def assignment(self, node: Node) -> list[object]:
        left = _unwrap(node.child_by_field_name("left"))
        right = node.child_by_field_name("right")
        if left is None or left.type != "identifier" or right is None:
            return []
        return [self.bind(ts.text(left), right)]

    def declaration(self, node: Node) -> list[object]:
        result: list[object] = []
        for declarator in ts.walk_named(node, "variable_declarator"):
            name = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if name is not None and name.type == "identifier":
                result.append(self.bind(ts.text(name), value) if value is not None else
                              cu.Assign(ts.text(name), cu.FALSE))
        return result

    def bind(self, name: str, value: Node) -> cu.Assign:
        """``name = value``: an answer variable holds an Error or nothing, any other a condition."""
        identifiers, properties = _names_of(value)
        if identifiers & self.cert and not _names_only(properties):
            self.cert.add(name)
        elif identifiers & (self.hosts | self.cert):
            self.hosts.add(name)
        return cu.Assign(name, self.error(value) if name in self.answers else self.truth(value))

    def error(self, node: Node) -> cu.Formula:
        """Whether a value given as the answer is an Error (unreadable values are taken for one)."""
        node = _unwrap(node) or node
        if _nullish(node):
            return cu.FALSE
        if _runs_node_check(node):
            return self.node_check(node)
        if node.type == "identifier":
            return ("var", ts.text(node), cu.TRUE)
        branches = _ternary(node)
        if branches is not None:
            condition, consequence, alternative = branches
            test = self.truth(condition)
            return ("or", ("and", test, self.error(consequence)), ("and", cu.negate(test), self.error(alternative)))
        return cu.TRUE

    def node_check(self, node: Node) -> cu.Formula:
        """Node's own host check: an Error exactly when the scenario says the name does not match."""
        return cu.atom(cu.Atom(cu.ERRORS, "tls.checkServerIdentity", test=lambda mask: mask != 0, node=node))

    def truth(self, node: Node) -> cu.Formula:
        """A condition (JavaScript truthiness) as a formula."""
        node = _unwrap(node) or node
        kind = node.type
        debug = _debug_condition(ts.text(node))
        if debug is not None:
            # every development-build test is the same condition, whichever flag spells it
            flag = cu.leaf("development build", set(), cert=set(), hosts=set(), debug=True, node=node)
            return flag if debug else cu.negate(flag)
        if kind == "true":
            return cu.TRUE
        if kind == "false" or _nullish(node):
            return cu.FALSE
        if kind in ("new_expression", "object", "array"):
            return cu.TRUE
        if kind == "unary_expression" and ts.text(node.child_by_field_name("operator")) == "!":
            argument = node.child_by_field_name("argument")
            return cu.negate(self.truth(argument)) if argument is not None else self.leaf(node)
        if kind == "binary_expression":
            operator = ts.text(node.child_by_field_name("operator"))
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if operator in ("&&", "||") and left is not None and right is not None:
                return ("and" if operator == "&&" else "or", self.truth(left), self.truth(right))
            if operator in ("!==", "!=") and left is not None and right is not None:
                equal = f"{ts.text(left)} {operator[1:].replace('=', '==', 1)} {ts.text(right)}"
                return cu.negate(self.leaf(node, equal))
        branches = _ternary(node)
        if branches is not None:
            condition, consequence, alternative = branches
            test = self.truth(condition)
            return ("or", ("and", test, self.truth(consequence)), ("and", cu.negate(test), self.truth(alternative)))
        if _runs_node_check(node):
            return self.node_check(node)
        if kind == "identifier":
            return ("var", ts.text(node), self.leaf(node))
        return self.leaf(node)

    def leaf(self, node: Node, key: str | None = None) -> cu.Formula:
        text = key or ts.text(node)
        identifiers, properties = _names_of(node)
        literals = [v for n in ts.walk(node) if (v := string_value(n)) is not None]
        # a bare reference or a test against null only says that something is there
        if node.type in ("identifier", "member_expression") or (node.type == "binary_expression" and any(
                _nullish(side) for side in (node.child_by_field_name("left"), node.child_by_field_name("right")))):
            return cu.leaf(text, identifiers, cert=self.cert, hosts=set(), debug=False, null_check=True, node=node)
        # a test of the certificate's names is a host check (the chain verified: a CA vouched for them)
        if identifiers & self.cert and _names_only(properties):
            return cu.leaf(text, identifiers, cert=set(), hosts=self.hosts | self.cert, debug=False, node=node,
                           literals=lambda: literals)
        return cu.leaf(text, identifiers, cert=self.cert, hosts=self.hosts, debug=False, node=node,
                       literals=lambda: literals)


def _names_only(properties: set[str]) -> bool:
    """Whether the certificate fields an expression reads are its names only (no key, no fingerprint)."""
    return bool(properties & _CERT_NAME_FIELDS) and not properties & _CERT_KEY_FIELDS


def _ternary(node: Node) -> tuple[Node, Node, Node] | None:
    """(condition, consequence, alternative) of ``a ? b : c``, else None."""
    if node.type != "ternary_expression":
        return None
    condition, consequence, alternative = (node.child_by_field_name(f) for f in
                                           ("condition", "consequence", "alternative"))
    if condition is None or consequence is None or alternative is None:
        return None
    return condition, consequence, alternative


def _names_of(node: Node) -> tuple[set[str], set[str]]:
    """The identifiers and the property names an expression mentions."""
    identifiers: set[str] = set()
    properties: set[str] = set()
    for item in ts.walk(node):
        if item.type in ("identifier", "shorthand_property_identifier"):
            identifiers.add(ts.text(item))
        elif item.type == "property_identifier":
            properties.add(ts.text(item))
    return identifiers, properties


def _identity_evidence(path: cu.Path) -> str:
    """What one accepting path of a ``checkServerIdentity`` function does, in words."""
    if PIN_MISMATCH in path.guards and not path.guards & {PIN_MATCH, SUBJECT_NAME}:
        return ("checkServerIdentity compares the certificate but returns no error when it does not match, so "
                "the connection goes ahead with an unpinned certificate")
    if path.condition:
        return (f"checkServerIdentity returns no error {path.condition}, so a certificate for any host name is "
                "accepted")
    return "checkServerIdentity never returns an error, so a certificate for any host name is accepted"


def _parameter_default(use: Node, name: str) -> Node | None:
    """The literal default of parameter ``name`` of the innermost function around ``use`` that declares it
    (``verify = false``, ``{ verifyCerts = false } = {}``), else None."""
    for ancestor in ts.ancestors(use):
        if ancestor.type not in _FUNCTIONS:
            continue
        parameters = ancestor.child_by_field_name("parameters") or ancestor.child_by_field_name("parameter")
        if parameters is None:
            continue
        for node in ts.walk(parameters):
            if node.type in ("assignment_pattern", "object_assignment_pattern"):
                left = node.child_by_field_name("left")
                right = node.child_by_field_name("right")
                if left is not None and right is not None and ts.text(left) == name:
                    return right
    return None


#: Methods that compare text: a URL passed to them is matched against, never fetched.
_COMPARING_METHODS = frozenset({"startsWith", "endsWith", "includes", "indexOf", "replace", "replaceAll", "match",
                                "test", "localeCompare", "lastIndexOf"})


def _compared(node: Node) -> bool:
    """```url.startsWith(`http://${host}`)```, ```url === `http://${host}` ```: matched, never fetched."""
    parent = node.parent
    if parent is not None and parent.type == "binary_expression":
        return ts.text(parent.child_by_field_name("operator")) in ("==", "===", "!=", "!==")
    if parent is None or parent.type != "arguments" or parent.parent is None:
        return False
    function = parent.parent.child_by_field_name("function")
    if function is None or function.type != "member_expression":
        return False
    return ts.text(function.child_by_field_name("property")) in _COMPARING_METHODS


#: Conditions true only in development builds (React Native's ``__DEV__`` and the usual flags).
_DEBUG_FLAGS = frozenset({"__DEV__", "isDev", "IS_DEV", "DEBUG"})


def _debug_condition(condition: str) -> bool | None:
    """True for a condition that holds only in development builds, False for its negation, else None."""
    written = condition.replace(" ", "").strip("()")
    negated = written.startswith("!") and not written.startswith("!=")
    if negated:
        written = written[1:].strip("()")
    if written in _DEBUG_FLAGS or (
        "NODE_ENV" in written
        and any(test in written for test in ("!=='production'", "==='development'", '!=="production"',
                                             '==="development"'))
    ):
        return not negated
    return None


def _debug_variant(node: Node) -> str | None:
    """'debug' in the development-only branch of ``if (__DEV__)``, ``__DEV__ ? a : b`` (or of their
    negations' ``else``), and of a non-production ``NODE_ENV`` test."""
    child = node
    for ancestor in ts.ancestors(node):
        if ancestor.type in ("if_statement", "ternary_expression"):
            debug = _debug_condition(ts.text(ancestor.child_by_field_name("condition")))
            branch = "consequence" if debug else "alternative"
            if debug is not None and ancestor.child_by_field_name(branch) == child:
                return "debug"
        child = ancestor
    return None


class _Facts:
    def __init__(self, path: str, root: Node) -> None:
        self.path = path
        self.root = root
        self.constants: dict[str, Node] = {}

    def collect(self) -> Iterator[object]:
        for node in ts.walk_named(self.root, "variable_declarator"):
            name = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if name is not None and value is not None and name.type == "identifier":
                self.constants.setdefault(ts.text(name), value)
        for node in ts.walk(self.root):
            kind = node.type
            if kind in ("string", "template_string"):
                endpoint = self._endpoint(node)
                if endpoint is not None:
                    yield endpoint
            elif kind == "pair":
                yield from self._pair(node)
            elif kind == "assignment_expression" or (
                # `x ??= '0'` and `x ||= '0'` set the value whenever it is not already set
                kind == "augmented_assignment_expression"
                and ts.text(node.child_by_field_name("operator")) in ("??=", "||=")
            ):
                handler = self._assignment(node)
                if handler is not None:
                    yield handler
            elif kind == "call_expression":
                yield from self._call(node)

    # --- URLs ---------------------------------------------------------------------------------------

    def _endpoint(self, node: Node) -> Endpoint | None:
        parent = node.parent
        if parent is not None and parent.type in (
            "import_statement",
            "export_statement",
            "import_require_clause",
        ):
            return None
        if parent is not None and parent.type == "pair" and parent.child_by_field_name("key") == node:
            return None
        if parent is not None and parent.type == "arguments":
            call = parent.parent
            callee = ts.text(call.child_by_field_name("function")) if call is not None else ""
            if callee in ("require", "import"):
                return None
            if callee in _HTTPS_CALLS and parent.named_children and parent.named_children[0] == node:
                return None  # Node's https module refuses an http:// URL (ERR_INVALID_PROTOCOL): nothing is sent
        if not cu.sound(node):
            return None
        if parent is not None and parent.type == "binary_expression" and parent.child_by_field_name("left") == node:
            return self._scheme_joined(node, parent)
        value = string_value(node)
        if value is None:
            return None
        endpoint = cu.url_endpoint(value, ts.span(self.path, node), "javascript", PLATFORM)
        if endpoint is None and cu.HOLE in value and not _compared(node):
            expressions = [ts.text(child).removeprefix("${").removesuffix("}")
                           for child in node.named_children if child.type == "template_substitution"]
            return joined_host_endpoint(pieces_from_holes(value, cu.HOLE, expressions),
                                        ts.span(self.path, node), "javascript", PLATFORM, _debug_variant(node))
        if endpoint is None:
            return None
        variant = _debug_variant(node)
        return replace(endpoint, variant=variant) if variant else endpoint

    def _scheme_joined(self, node: Node, joined: Node) -> Endpoint | None:
        """``"http://" + host`` / ``"ws://" + host + ":8080"``: a cleartext URL to whatever host the expression
        names (a literal host is judged as such; loopback stays silent)."""
        scheme = (string_value(node) or "").lower()
        right = joined.child_by_field_name("right")
        operator = ts.text(joined.child_by_field_name("operator"))
        if scheme not in ("http://", "ws://") or right is None or operator != "+":
            return None
        resolved = self._resolve(right)
        host = string_value(resolved) if resolved is not None else None
        if host is not None and cu.HOLE not in host:
            return cu.url_endpoint(scheme + host, ts.span(self.path, node), "javascript", PLATFORM)
        shown = " ".join(ts.text(right).split())[:60]
        return Endpoint(url=f"{scheme}{{{shown}}}", scheme=scheme[:-3], host=f"the host '{shown}'",
                        span=ts.span(self.path, node), language="javascript", platform=PLATFORM,
                        variant=_debug_variant(node))

    def _cleartext_request(self, call: Node, function: str, args: list[Node | None]) -> Endpoint | None:
        """``http.request({ hostname, port: 80 })`` / ``http.get(options)``: Node's http module sends the
        request in cleartext to the options' host."""
        if function not in _HTTP_CALLS or not args:
            return None
        options = self._resolve(args[0])
        if options is None or options.type in ("string", "template_string"):
            return None  # a URL string is judged as a literal
        host_node = None
        if options.type == "object":
            host_node = self._property(options, "hostname") or self._property(options, "host")
            if host_node is None and not any(member.type == "shorthand_property_identifier" and ts.text(member) in (
                    "hostname", "host") for member in options.named_children):
                return None
        host_value = self._resolve(host_node) if host_node is not None else None
        host = string_value(host_value) if host_value is not None else None
        if host is not None and cu.HOLE not in host:
            endpoint = cu.url_endpoint("http://" + host + "/", ts.span(self.path, call), "javascript", PLATFORM)
            return None if endpoint is None else replace(endpoint, url=f"{function}(http://{host})")
        shown = " ".join(ts.text(host_node if host_node is not None else args[0]).split())[:60]
        return Endpoint(url=f"{function}(http://{{{shown}}})", scheme="http", host=f"the host '{shown}'",
                        span=ts.span(self.path, call), language="javascript", platform=PLATFORM,
                        variant=_debug_variant(call))

    # --- TLS switches -------------------------------------------------------------------------------

    def _pair(self, pair: Node) -> Iterator[object]:
        name = _key_name(pair)
        value = pair.child_by_field_name("value")
        if not cu.sound(pair):
            return
        if name in _DISABLING and _is_bool(value, _DISABLING[name]):
            yield self._handler(pair, name, f"{name}: {str(_DISABLING[name]).lower()}")
        elif name in _DISABLING and (why := self._defaults_to(value, _DISABLING[name])) is not None:
            yield self._handler(pair, name, f"{name}: {ts.text(value)} ({why})")
        elif name == _ENV_NAME and _is_zero(value):
            yield self._handler(pair, _ENV_NAME, f"{_ENV_NAME}='0' in an environment object")
        elif name in ("minVersion", "maxVersion", "secureProtocol"):
            floor = self._tls_floor(pair, name, value)
            if floor is not None:
                yield floor
        elif name == "checkServerIdentity":
            callback = self._identity_check(pair, self._function(value))
            if callback is not None:
                yield callback

    def _identity_check(self, pair: Node, function: Node | None) -> TrustCallback | None:
        """A ``checkServerIdentity`` function: every path on which it returns no error, with its guards."""
        body = function.child_by_field_name("body") if function is not None and not function.has_error else None
        if function is None or body is None:
            return None
        statements = _IdentityLowering(_parameter_names(function), body).body(body)
        variant = _debug_variant(pair)
        paths = []
        for path in cu.accepting_paths(statements, [(1, "")], host_decides=True):
            if HOST_FORGEABLE in path.guards and path.test is not None:
                paths.append(AcceptingPath(
                    path.guards, ts.span(self.path, path.test), "checkServerIdentity-forgeable",
                    f"checkServerIdentity accepts the certificate {path.forgeable}, instead of Node's host check "
                    "(tls.checkServerIdentity)", variant=variant))
            else:
                paths.append(AcceptingPath(path.guards, ts.span(self.path, pair), "checkServerIdentity",
                                           _identity_evidence(path), variant=variant))
        if not paths:
            return None
        return TrustCallback("node-tls", "javascript", HOSTNAME, ts.span(self.path, pair), tuple(paths), PLATFORM)

    def _tls_floor(self, pair: Node, name: str, value: Node | None) -> TlsFloor | None:
        node = _unwrap(value)
        text = string_value(node) if node is not None else None
        if text is None:
            return None
        version = (_NODE_TLS_METHODS if name == "secureProtocol" else _NODE_TLS_VERSIONS).get(text.strip())
        if version is None:
            return None
        return TlsFloor(
            origin="node-tls",
            platform=PLATFORM,
            min_version=version,
            span=ts.span(self.path, pair),
            setting=f"{name}: '{text.strip()}'",
            variant=_debug_variant(pair),
        )

    def _function(self, value: Node | None) -> Node | None:
        """The function literal given as ``value``, directly or through a local constant."""
        node = _unwrap(value)
        if node is not None and node.type == "identifier":
            node = _unwrap(self.constants.get(ts.text(node)))
        return node if node is not None and node.type in _FUNCTIONS else None

    def _assignment(self, node: Node) -> TrustCallback | None:
        left = _unwrap(node.child_by_field_name("left"))
        right = node.child_by_field_name("right")
        if left is None or not cu.sound(node):
            return None
        if left.type == "member_expression":
            prop = ts.text(left.child_by_field_name("property"))
        elif left.type == "subscript_expression":
            index = left.child_by_field_name("index")
            prop = (string_value(index) or "") if index is not None else ""
        else:
            return None
        if prop == _ENV_NAME and _is_zero(right):
            return self._handler(
                node,
                _ENV_NAME,
                f"process.env.{_ENV_NAME} = '0' turns off certificate checks "
                "for every TLS connection of the process",
            )
        if prop in _DISABLING and _is_bool(right, _DISABLING[prop]):
            return self._handler(node, prop, f"{prop} = {str(_DISABLING[prop]).lower()}")
        return None

    def _defaults_to(self, value: Node | None, wanted: bool, depth: int = 0) -> str | None:
        """Why ``value`` is ``wanted`` by default: a local constant, or a parameter whose default is a literal
        (``trusty: !verifyCerts`` with ``{ verifyCerts = false }``); None when that cannot be known."""
        node = _unwrap(value)
        if node is None or depth > 4:
            return None
        if node.type == "unary_expression" and ts.text(node.child_by_field_name("operator")) == "!":
            return self._defaults_to(node.child_by_field_name("argument"), not wanted, depth + 1)
        if node.type != "identifier":
            return None
        name = ts.text(node)
        target = _parameter_default(node, name)
        if target is not None and _is_bool(target, wanted):
            return f"{name} defaults to {ts.text(target)}"
        constant = self.constants.get(name)
        if constant is not None and _unwrap(constant) is not None and _is_bool(constant, wanted):
            return f"{name} is {ts.text(constant)}"
        return None

    def _handler(self, node: Node, shape: str, setting: str) -> TrustCallback:
        if shape == "disableAllSecurity":
            evidence = "disableAllSecurity: true (react-native-ssl-pinning) accepts any certificate"
        elif shape == "trusty":
            evidence = (f"{setting}: react-native-blob-util / rn-fetch-blob then accepts any certificate, "
                        "self-signed or for another host")
        elif shape == _ENV_NAME:
            evidence = setting
        else:
            evidence = f"{setting} accepts any certificate"
        return accepting(
            origin="node-tls",
            language="javascript",
            role=SERVER_TRUST,
            shape=shape,
            evidence=evidence,
            span=ts.span(self.path, node),
            platform=PLATFORM,
            variant=_debug_variant(node),
        )

    # --- React Native pinning -----------------------------------------------------------------------

    def _call(self, call: Node) -> Iterator[object]:
        function = ts.text(call.child_by_field_name("function"))
        arguments = call.child_by_field_name("arguments")
        if arguments is None or not cu.sound(call):
            return
        args = [_unwrap(a) for a in arguments.named_children if a.type != "comment"]
        request = self._cleartext_request(call, function, args)
        if request is not None:
            yield request
        short = function.rsplit(".", 1)[-1]
        if short == "initializeSslPinning" and args:
            yield from self._public_key_pinning(self._resolve(args[0]))
        elif len(args) >= 2:
            options = self._resolve(args[1])
            if options is not None and options.type == "object":
                pinning = self._property(options, "sslPinning")
                if pinning is not None:
                    pin_set = self._ssl_pinning(call, args[0], options, self._resolve(pinning))
                    if pin_set is not None:
                        yield pin_set

    def _resolve(self, node: Node | None, depth: int = 0) -> Node | None:
        node = _unwrap(node)
        if node is not None and node.type == "identifier" and depth < 4:
            target = self.constants.get(ts.text(node))
            return self._resolve(target, depth + 1) if target is not None else node
        return node

    def _property(self, obj: Node, name: str) -> Node | None:
        for pair in obj.named_children:
            if pair.type == "pair" and _key_name(pair) == name:
                return pair.child_by_field_name("value")
        return None

    def _strings(self, array: Node | None) -> list[tuple[str, Span, bool]] | None:
        """(value, span, unresolved) for each element of an array literal; None when it is not one."""
        array = self._resolve(array)
        if array is None or array.type != "array":
            return None
        values: list[tuple[str, Span, bool]] = []
        for element in array.named_children:
            if element.type == "comment":
                continue
            if element.type == "spread_element":
                return None  # `...remotePins`: how many pins it adds is unknown
            resolved = self._resolve(element)
            text = string_value(resolved) if resolved is not None else None
            span = ts.span(self.path, element)
            if text is None or cu.HOLE in text:
                values.append((ts.text(element), span, True))
            else:
                values.append((text.strip(), span, False))
        return values

    def _public_key_pinning(self, config: Node | None) -> Iterator[PinSet]:
        if config is None or config.type != "object":
            return
        for pair in config.named_children:
            if pair.type != "pair":
                continue
            domain = _key_name(pair)
            options = self._resolve(pair.child_by_field_name("value"))
            if not domain or options is None or options.type != "object":
                continue
            hashes = self._strings(self._property(options, "publicKeyHashes"))
            if hashes is None:
                continue
            include = _is_bool(self._property(options, "includeSubdomains"), True)
            pins = tuple(
                Pin(value=value, algorithm="sha256", span=span, unresolved=unresolved)
                for value, span, unresolved in hashes
            )
            yield PinSet(
                origin="rn-public-key-pinning",
                platform=PLATFORM,
                hosts=(domain.lower(),),
                pins=pins,
                span=ts.span(self.path, pair),
                include_subdomains=include,
                label="initializeSslPinning",
            )

    def _ssl_pinning(
        self, call: Node, url: Node | None, options: Node, pinning: Node | None
    ) -> PinSet | None:
        if pinning is None or pinning.type != "object":
            return None
        certs = self._strings(self._property(pinning, "certs"))
        if certs is None:
            return None
        hosts: tuple[str, ...] = ()
        resolved = self._resolve(url)
        text = string_value(resolved) if resolved is not None else None
        if text is not None:
            endpoint = cu.url_endpoint(text, ts.span(self.path, call), "javascript", PLATFORM)
            if endpoint is not None:
                hosts = (endpoint.host,)
        span = ts.span(self.path, call)
        if _is_bool(self._property(options, "pkPinning"), True):
            pins = tuple(
                Pin(
                    value=value[len("sha256/") :] if value.lower().startswith("sha256/") else value,
                    algorithm="sha256",
                    span=value_span,
                    unresolved=unresolved,
                )
                for value, value_span, unresolved in certs
            )
            return PinSet(
                origin="rn-ssl-pinning",
                platform=PLATFORM,
                hosts=hosts,
                pins=pins,
                span=span,
                label="react-native-ssl-pinning public-key pins",
            )
        names = tuple(dict.fromkeys(value for value, _span, _unresolved in certs))
        return PinSet(
            origin="rn-ssl-pinning",
            platform=PLATFORM,
            hosts=hosts,
            pins=(),
            span=span,
            kind="certificate",
            certificates=names,
            label="react-native-ssl-pinning certificate list",
        )
