"""Python sources (backend and tooling code shipped with apps), read with libcst.

Facts produced:

- ``TrustCallback`` (an option that accepts unguarded) for ``verify=False`` on requests/httpx calls and
  clients, a client's ``.verify = False``, aiohttp ``ssl=False`` / ``verify_ssl=False`` (also
  ``TCPConnector(ssl=False)``), ``verify_certs=False``, ``ssl._create_unverified_context`` (called or
  installed as the default), ``verify_mode = ssl.CERT_NONE`` and ``cert_reqs=CERT_NONE`` (urllib3,
  ``ssl.wrap_socket``).
- ``TrustCallback`` of role HOSTNAME for ``check_hostname = False`` and urllib3 ``assert_hostname=False``.
- ``TrustCallback`` for a pyOpenSSL ``set_verify`` callback: its body is lowered to the shared path language
  (``codeutil``) and every path that returns a true value is listed with its guards (OpenSSL's verdict
  passed or failed, a digest compared, a subject name compared, a debug flag).
- ``TlsFloor`` for ``ssl.PROTOCOL_TLSv1``/``TLSv1_1``/``SSLv3`` contexts and ``minimum_version`` below 1.2.
- ``Endpoint`` for ``http://`` / ``ws://`` string literals; docstrings and other bare string statements
  are documentation. An f-string or ``"http://" + host`` whose host is an expression is a cleartext URL
  to that host, unless it is only compared (``url.startswith(f"http://{host}")``).

A file libcst cannot parse becomes a ``ParseError`` with the reason. libcst's native parser can crash the
process on pathologically nested code (deep brackets, but also long ``and`` chains or runs of unary
minus, which CPython reads flat or refuses cleanly), so a file whose syntax may nest deeper than
``MAX_NESTING`` levels is refused before libcst sees it. The estimate comes from Python's tokenizer: each
open bracket adds a level, and so does each operator or operator keyword until a comma, semicolon,
assignment or the end of the statement closes the chain.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pinlint.model.facts import (
    HOSTNAME,
    PIN_MATCH,
    PIN_MISMATCH,
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
from pinlint.vocab.tls import SSL2, SSL3, TLS10, TLS11, TLS12, TLS13, TlsVersion
from pinlint.vocab.urls import joined_host_endpoint, pieces_from_holes

NAME = "lang_python"
LANGUAGE = "python"
PLATFORM = "python"

TRIGGERS = (
    b"verify",
    b"ssl",
    b"CERT_NONE",
    b"check_hostname",
    b"cert_reqs",
    b"assert_hostname",
    b"http://",
    b"ws://",
    b"PROTOCOL_",
)

#: CPython refuses more than 200 nested brackets; libcst's native parser may crash long before a
#: RecursionError could be raised, so files that may nest deeper are refused up front.
MAX_NESTING = 200

_HTTP_CALLS = frozenset(
    {
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "request",
        "stream",
        "send",
        "Client",
        "AsyncClient",
        "Session",
        "client",
        "resource",
        "urlopen",
        "build_opener",
        "HTTPTransport",
        "AsyncHTTPTransport",
        "ClientSession",
        "ws_connect",
        "TCPConnector",
        "Connection",
        "WebSocketApp",
        "create_connection",
        "connect",
    }
)
_AIOHTTP_CALLS = frozenset(
    {
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "request",
        "ws_connect",
        "TCPConnector",
        "ClientSession",
        "_request",
    }
)
_NOT_TLS_ROOTS = ("jwt", "jose", "jws", "pyjwt")
#: ``ssl`` protocol constants -> the version they force (CLR204 decides which are too old).
_PROTOCOLS: dict[str, TlsVersion] = {
    "PROTOCOL_SSLv2": SSL2,
    "PROTOCOL_SSLv3": SSL3,
    "PROTOCOL_TLSv1": TLS10,
    "PROTOCOL_TLSv1_1": TLS11,
    "PROTOCOL_TLSv1_2": TLS12,
}
#: pyOpenSSL context methods (``SSL.Context(SSL.TLSv1_METHOD)``) -> the version they force.
_PYOPENSSL_METHODS: dict[str, TlsVersion] = {
    "SSLv2_METHOD": SSL2, "SSLv3_METHOD": SSL3, "TLSv1_METHOD": TLS10,
    "TLSv1_1_METHOD": TLS11, "TLSv1_2_METHOD": TLS12,
}
#: ``ssl.TLSVersion`` members -> the version they name.
_TLS_VERSIONS: dict[str, TlsVersion] = {"SSLv3": SSL3, "TLSv1": TLS10, "TLSv1_1": TLS11,
                                        "TLSv1_2": TLS12, "TLSv1_3": TLS13}
_DEBUG_NAMES = ("DEBUG", "settings.DEBUG", "app.debug", "config.DEBUG")


def accepts(name: str, head: bytes) -> bool:
    return name.endswith((".py", ".pyw"))


def parse(source: SourceFile) -> list[object]:
    span = Span(source.display)
    refused = _refuse_nesting(source)
    if refused is not None:
        return [refused]
    try:
        import libcst
        from libcst.metadata import MetadataWrapper
    except ImportError as error:  # pragma: no cover - libcst is a dependency
        return [ParseError(span, f"cannot load the Python parser: {error}")]
    try:
        module = libcst.parse_module(source.text())
        wrapper = MetadataWrapper(module)
        visitor = _visitor_class()(source.display)
        wrapper.visit(visitor)
    except libcst.ParserSyntaxError as error:
        message = str(error.message).strip().splitlines()[0] if error.message else "syntax error"
        return [
            ParseError(
                Span(source.display, max(error.raw_line, 1), max(error.raw_column + 1, 1)),
                f"Python syntax error: {message}",
            )
        ]
    except RecursionError:
        return [ParseError(span, "Python code nested too deeply to analyse")]
    facts: list[object] = visitor.facts
    return facts


#: Operators that end a chain instead of extending it (separators and assignments).
_CHAIN_BREAKS = frozenset({",", ";", "=", ":=", "+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=",
                           ">>=", "<<=", "**=", "->"})
#: Keywords that nest the expression after them.
_CHAIN_WORDS = frozenset({"and", "or", "not", "if", "else", "lambda", "await", "in", "is", "yield"})


def nesting_estimate(text: str) -> int:
    """An upper bound of how deep ``text``'s syntax tree nests, from Python's tokenizer.

    Stops as soon as the bound passes ``MAX_NESTING``. Raises ``tokenize.TokenError``, ``SyntaxError`` or
    ``ValueError`` for text Python cannot tokenize.
    """
    import io
    import tokenize

    chains = [0]  # chain length at each open bracket level
    total = deepest = 0
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        kind, string = token.type, token.string
        if kind == tokenize.OP:
            if string in ("(", "[", "{"):
                chains[-1] += 1  # a call, subscript or parenthesised operand is one more link
                chains.append(0)
                total += 2
            elif string in (")", "]", "}"):
                if len(chains) > 1:
                    total -= chains.pop() + 1
            elif string in _CHAIN_BREAKS:
                total -= chains[-1]
                chains[-1] = 0
            else:
                chains[-1] += 1
                total += 1
        elif kind == tokenize.NAME and string in _CHAIN_WORDS:
            chains[-1] += 1
            total += 1
        elif kind == tokenize.NEWLINE and len(chains) == 1:
            total -= chains[0]
            chains[0] = 0
        if total > deepest:
            deepest = total
            if deepest > MAX_NESTING:
                return deepest
    return deepest


def _refuse_nesting(source: SourceFile) -> ParseError | None:
    """A ParseError when the file may nest too deeply for libcst, or cannot even be tokenized."""
    import tokenize

    try:
        depth = nesting_estimate(source.text())
    except (tokenize.TokenError, SyntaxError, ValueError) as error:
        # libcst's tokenizer refuses the same text; say so without handing it over.
        line = error.args[1][0] if isinstance(error, tokenize.TokenError) and len(error.args) > 1 else 1
        if isinstance(error, SyntaxError):
            line = error.lineno or 1
        message = str(error.args[0] if error.args else error).strip() or "cannot tokenize"
        return ParseError(Span(source.display, max(int(line), 1)), f"Python syntax error: {message}")
    if depth > MAX_NESTING:
        return ParseError(Span(source.display), f"syntax nested more than {MAX_NESTING} levels deep; not analysed")
    return None


#: Methods that compare text: a URL passed to them is matched against, never fetched.
_COMPARING_METHODS = frozenset({"startswith", "endswith", "replace", "find", "index", "rfind", "count", "match",
                                "fullmatch", "search", "removeprefix", "removesuffix", "split"})


def _source(node: Any) -> str:
    """The source text of an expression (for messages)."""
    import libcst as cst

    return " ".join(cst.Module(body=[]).code_for_node(node).split())


def dotted(node: Any) -> str:
    """``a.b.c`` for a Name/Attribute chain, ``a.b()`` through calls; empty for anything else."""
    import libcst as cst

    parts: list[str] = []
    while True:
        if isinstance(node, cst.Name):
            parts.append(node.value)
            break
        if isinstance(node, cst.Attribute):
            parts.append(node.attr.value)
            node = node.value
            continue
        if isinstance(node, cst.Call):
            parts.append("()")
            node = node.func
            continue
        return ""
    return ".".join(reversed(parts)).replace(".()", "()")


def _is_false(node: Any) -> bool:
    import libcst as cst

    return isinstance(node, cst.Name) and node.value == "False"


def _is_cert_none(node: Any) -> bool:
    import libcst as cst

    name = dotted(node)
    if name.rsplit(".", 1)[-1] == "CERT_NONE":
        return True
    if isinstance(node, cst.SimpleString):
        try:
            value = node.evaluated_value
        except Exception:
            return False
        return isinstance(value, str) and value.strip().upper() in ("CERT_NONE", "NONE")
    return isinstance(node, cst.Integer) and node.value == "0"


_VISITOR: Any = None


def _names_in(node: Any) -> set[str]:
    import libcst as cst

    found: set[str] = set()

    class Names(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.add(name.value)

    node.visit(Names())
    return found


_NEGATIVE_TESTS = {"NotEqual": "==", "IsNot": "is", "NotIn": "in"}
_COMPARISONS: dict[str, Callable[[int, int], bool]] = {
    "Equal": operator.eq, "Is": operator.eq, "NotEqual": operator.ne, "IsNot": operator.ne,
    "LessThan": operator.lt, "GreaterThan": operator.gt, "LessThanEqual": operator.le, "GreaterThanEqual": operator.ge,
}
#: Error numbers OpenSSL may pass when its check failed (X509_V_ERR_*, all positive): a test of ``errno`` is
#: decided in that scenario when it gives one answer for each of them.
_FAILED_ERRNOS = (1, 18, 62, 1000)


def _number(node: Any, values: dict[str, int]) -> int | None:
    """The value of a test over the callback's numbers (``ok``, ``errno``, ``depth``), or None when it cannot
    be known."""
    import libcst as cst

    if isinstance(node, cst.Name):
        return values.get(node.value, {"True": 1, "False": 0, "None": 0}.get(node.value))
    if isinstance(node, cst.Integer):
        value = node.evaluated_value
        return value if isinstance(value, int) else None
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        inner = _number(node.expression, values)
        return None if inner is None else int(inner == 0)
    if isinstance(node, cst.Call) and dotted(node.func) in ("bool", "int") and len(node.args) == 1:
        inner = _number(node.args[0].value, values)
        return inner if dotted(node.func) == "int" or inner is None else int(inner != 0)
    if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        target = node.comparisons[0]
        compare = _COMPARISONS.get(type(target.operator).__name__)
        left, right = _number(node.left, values), _number(target.comparator, values)
        return None if compare is None or left is None or right is None else int(compare(left, right))
    return None


class _VerifyLowering:
    """A pyOpenSSL verify callback ``(conn, cert, errno, depth, ok)``, lowered to the shared path language.

    OpenSSL calls it for each certificate of the chain with its own verdict (``ok``) and error number; a
    truthy return accepts the certificate, falling off the end returns None and rejects. The callback is
    judged at the server's own certificate (depth 0) in two scenarios, OpenSSL's check passed (``ok`` 1,
    ``errno`` 0) or failed; tests of the certificate are read by ``codeutil.leaf``.
    """

    def __init__(self, params: list[str]) -> None:
        self.cert = {params[1]}
        self.numbers = {params[-3]: "errno", params[-2]: "depth", params[-1]: "ok"}

    def body(self, node: Any) -> list[object]:
        import libcst as cst

        if isinstance(node, cst.BaseSuite):
            return self.statements(node.body)
        return [cu.Return(self.value(node), node)]  # a lambda's expression

    def statements(self, nodes: Any) -> list[object]:
        return [lowered for node in nodes for lowered in self.statement(node)]

    def statement(self, node: Any) -> list[object]:
        import libcst as cst

        if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite, cst.IndentedBlock, cst.Else,
                             cst.With)):
            return self.statements(node.body.body if isinstance(node, (cst.Else, cst.With)) else node.body)
        if isinstance(node, cst.Return):
            return [cu.Return(self.value(node.value) if node.value is not None else None, node)]
        if isinstance(node, cst.Raise):
            return [cu.Throw()]
        if isinstance(node, cst.Assign):
            return [self.bind(target.target.value, node.value) for target in node.targets
                    if isinstance(target.target, cst.Name)]
        if isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name) and node.value is not None:
            return [self.bind(node.target.value, node.value)]
        if isinstance(node, cst.AugAssign) and isinstance(node.target, cst.Name):
            return [cu.Assign(node.target.value, self.leaf(node))]
        if isinstance(node, cst.If):
            orelse = tuple(self.statement(node.orelse)) if node.orelse is not None else ()
            return [cu.If(self.value(node.test), tuple(self.statement(node.body)), orelse)]
        if isinstance(node, cst.Try):
            # the block runs to its end when what it tests holds (a check that raises on failure)
            completed = self.statement(node.body) + (self.statement(node.orelse) if node.orelse else [])
            handlers = [lowered for handler in node.handlers for lowered in self.statement(handler.body)]
            return [cu.If(self.leaf(node.body, f"try: {_source(node.body)}"), tuple(completed), tuple(handlers))]
        if isinstance(node, (cst.For, cst.While)):
            orelse = tuple(self.statement(node.orelse)) if node.orelse is not None else ()
            loop = cu.atom(cu.Atom(cu.UNKNOWN, _source(node)[:80], node=node))
            return [cu.If(loop, tuple(self.statement(node.body)), orelse)]
        return []  # expressions, pass, nested definitions: they decide nothing

    def bind(self, name: str, value: Any) -> cu.Assign:
        if _names_in(value) & self.cert:
            self.cert.add(name)
        return cu.Assign(name, self.value(value))

    def value(self, node: Any) -> cu.Formula:
        """A condition or returned value (Python truthiness) as a formula."""
        import libcst as cst

        if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
            return cu.TRUE if node.value == "True" else cu.FALSE
        if isinstance(node, cst.Integer):
            return cu.TRUE if _number(node, {}) else cu.FALSE
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            return cu.negate(self.value(node.expression))
        if isinstance(node, cst.BooleanOperation):
            tag = "and" if isinstance(node.operator, cst.And) else "or"
            return (tag, self.value(node.left), self.value(node.right))
        if isinstance(node, cst.IfExp):
            test = self.value(node.test)
            return ("or", ("and", test, self.value(node.body)), ("and", cu.negate(test), self.value(node.orelse)))
        if isinstance(node, cst.Call) and dotted(node.func) == "bool" and len(node.args) == 1:
            return self.value(node.args[0].value)
        names = _names_in(node)
        if names & set(self.numbers) and names <= {*self.numbers, "True", "False", "None", "bool", "int"}:
            return self.numbers_test(node)
        if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
            target = node.comparisons[0]
            positive = _NEGATIVE_TESTS.get(type(target.operator).__name__)
            if positive is not None:
                return cu.negate(self.leaf(node, f"{_source(node.left)} {positive} {_source(target.comparator)}"))
        if isinstance(node, cst.Name):
            return ("var", node.value, self.leaf(node))
        return self.leaf(node)

    def numbers_test(self, node: Any) -> cu.Formula:
        """A test over ``ok``, ``errno`` and ``depth`` alone, decided per scenario (at depth 0)."""
        roles = self.numbers

        def test(mask: int) -> bool | None:
            answers = {_number(node, {name: {"ok": int(mask == 0), "errno": errno, "depth": 0}[role]
                                      for name, role in roles.items()})
                       for errno in ((0,) if mask == 0 else _FAILED_ERRNOS)}
            answer = answers.pop() if len(answers) == 1 else None
            return None if answer is None else answer != 0

        return cu.atom(cu.Atom(cu.ERRORS, _source(node), test=test, node=node))

    def leaf(self, node: Any, key: str | None = None) -> cu.Formula:
        import libcst as cst

        text = key or _source(node)
        null_check = isinstance(node, (cst.Name, cst.Attribute)) or (
            isinstance(node, cst.Comparison) and any(dotted(part) == "None" for part in (
                node.left, *(target.comparator for target in node.comparisons))))
        # the callback is given no host: a test is of the certificate, a debug flag, or something else
        return cu.leaf(text, _names_in(node), cert=self.cert, hosts=set(), debug=dotted(node) in _DEBUG_NAMES,
                       null_check=null_check, node=node)


def _verify_evidence(path: cu.Path) -> tuple[str, str]:
    """(shape, words) for one accepting path of a pyOpenSSL verify callback."""
    if PIN_MISMATCH in path.guards and not path.guards & {PIN_MATCH, SUBJECT_NAME}:
        return ("set_verify-pin-mismatch", "the pyOpenSSL verify callback compares the certificate but returns "
                "True when it does not match, so OpenSSL's own verdict is overridden")
    if path.forgeable:
        return "set_verify-name-check", (f"the pyOpenSSL verify callback ignores OpenSSL's verdict and accepts "
                                         f"{path.forgeable}")
    if path.condition:
        return "set_verify-returns-true", (f"the pyOpenSSL verify callback returns True {path.condition}, so "
                                           "OpenSSL's own verdict is overridden")
    return "set_verify-returns-true", ("the pyOpenSSL verify callback returns True for every certificate, so "
                                       "OpenSSL's own verdict is overridden")


def _visitor_class() -> Any:
    """The libcst visitor class, built on first use so that importing this module never loads libcst."""
    global _VISITOR
    if _VISITOR is not None:
        return _VISITOR
    import libcst as cst
    from libcst.metadata import PositionProvider

    class Visitor(cst.CSTVisitor):
        METADATA_DEPENDENCIES = (PositionProvider,)

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path
            self.facts: list[object] = []
            self.skip_names: set[int] = set()
            self.debug_blocks: set[int] = set()
            self.debug_depth = 0
            self.compared_strings: set[int] = set()

        # --- helpers ---------------------------------------------------------------------------------

        def span(self, node: cst.CSTNode) -> Span:
            where = self.get_metadata(PositionProvider, node)
            return Span(
                self.path, where.start.line, where.start.column + 1, where.end.line, where.end.column + 1
            )

        @property
        def variant(self) -> str | None:
            return "debug" if self.debug_depth else None

        def handler(self, node: cst.CSTNode, role: str, shape: str, evidence: str,
                    guards: frozenset[str] = frozenset()) -> None:
            """A decision site of ``role`` that accepts at ``node`` with ``guards`` (none: an option)."""
            self.facts.append(accepting("python-tls", LANGUAGE, role, shape, evidence, self.span(node),
                                        guards=guards, platform=PLATFORM, variant=self.variant))

        def floor(self, node: cst.CSTNode, version: TlsVersion, setting: str) -> None:
            self.facts.append(
                TlsFloor(
                    origin="python-ssl",
                    platform=PLATFORM,
                    min_version=version,
                    span=self.span(node),
                    setting=setting,
                    variant=self.variant,
                )
            )

        # --- debug-only blocks -----------------------------------------------------------------------

        def visit_If(self, node: cst.If) -> None:
            test = dotted(node.test)
            if test in _DEBUG_NAMES:
                self.debug_blocks.add(id(node.body))

        def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
            if id(node) in self.debug_blocks:
                self.debug_depth += 1

        def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
            if id(original_node) in self.debug_blocks:
                self.debug_depth -= 1

        # --- documentation strings are not code ------------------------------------------------------

        def visit_Expr(self, node: cst.Expr) -> bool:
            return not isinstance(node.value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))

        def visit_Import(self, node: cst.Import) -> bool:
            return False

        def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
            return False

        # --- pyOpenSSL verify callbacks -----------------------------------------------------------------

        def visit_Module(self, node: cst.Module) -> None:
            self.module = node
            self.functions: dict[str, cst.FunctionDef] = {}
            for statement in node.body:
                inner = statement.body.body if isinstance(statement, cst.ClassDef) else [statement]
                for item in inner:
                    if isinstance(item, cst.FunctionDef):
                        self.functions.setdefault(item.name.value, item)

        def verify_callback(self, call: cst.Call, callback: cst.BaseExpression) -> None:
            """``ctx.set_verify(mode, callback)``: every path on which the callback accepts a certificate that
            OpenSSL rejected (its last parameter, ``ok``, is OpenSSL's own verdict)."""
            if isinstance(callback, cst.Lambda):
                params = [param.name.value for param in callback.params.params]
                body: cst.CSTNode = callback.body
            elif isinstance(callback, (cst.Name, cst.Attribute)):
                function = self.functions.get(callback.value if isinstance(callback, cst.Name) else
                                              callback.attr.value)
                if function is None:
                    return
                params = [param.name.value for param in function.params.params if param.name.value != "self"]
                body = function.body
            else:
                return
            if len(params) < 5:
                return
            paths = []
            for path in cu.accepting_paths(_VerifyLowering(params).body(body), [(1, "")]):
                shape, evidence = _verify_evidence(path)
                paths.append(AcceptingPath(path.guards, self.span(call), shape, evidence, variant=self.variant))
            if paths:
                self.facts.append(TrustCallback("python-tls", LANGUAGE, SERVER_TRUST, self.span(call),
                                                tuple(paths), PLATFORM))

        # --- calls -----------------------------------------------------------------------------------

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in _COMPARING_METHODS:
                self.compared_strings.update(id(arg.value) for arg in node.args)
            callee = dotted(node.func)
            last = callee.rsplit(".", 1)[-1].replace("()", "")
            root = callee.split(".", 1)[0].lower()
            if last == "set_verify" and len(node.args) >= 2:
                self.verify_callback(node, node.args[1].value)
            for arg in node.args:
                keyword = arg.keyword.value if arg.keyword is not None else None
                value = arg.value
                if (
                    keyword == "verify"
                    and _is_false(value)
                    and last in _HTTP_CALLS
                    and root not in _NOT_TLS_ROOTS
                ):
                    self.handler(
                        arg,
                        SERVER_TRUST,
                        "verify=False",
                        f"{callee}(..., verify=False) skips certificate verification",
                    )
                elif keyword == "ssl" and _is_false(value) and last in _AIOHTTP_CALLS:
                    self.handler(
                        arg, SERVER_TRUST, "ssl=False", f"{callee}(..., ssl=False) skips certificate checks"
                    )
                elif keyword in ("verify_ssl", "verify_certs") and _is_false(value):
                    self.handler(
                        arg,
                        SERVER_TRUST,
                        f"{keyword}=False",
                        f"{callee}(..., {keyword}=False) skips certificate verification",
                    )
                elif keyword in ("cert_reqs", "ssl_cert_reqs") and _is_cert_none(value):
                    self.handler(
                        arg,
                        SERVER_TRUST,
                        "cert_reqs=CERT_NONE",
                        f"{callee}(..., {keyword}=CERT_NONE) accepts any certificate",
                    )
                elif keyword == "assert_hostname" and _is_false(value):
                    self.handler(
                        arg,
                        HOSTNAME,
                        "assert_hostname=False",
                        f"{callee}(..., assert_hostname=False) skips the host name check",
                    )
                elif keyword in (None, "ssl_version", "protocol"):
                    version = _PROTOCOLS.get(dotted(value).rsplit(".", 1)[-1])
                    if version is not None and (keyword is not None or last in ("SSLContext", "wrap_socket")):
                        self.floor(arg, version, dotted(value))
                    elif keyword is None and last == "Context":
                        method = _PYOPENSSL_METHODS.get(dotted(value).rsplit(".", 1)[-1])
                        if method is not None:
                            self.floor(arg, method, f"SSL.Context({dotted(value)})")

        def visit_Param(self, node: cst.Param) -> None:
            """``def connect(method=SSL.TLSv1_METHOD)``: a default that forces an old protocol."""
            if node.default is None:
                return
            written = dotted(node.default)
            method = _PYOPENSSL_METHODS.get(written.rsplit(".", 1)[-1])
            if method is None:
                method = _PROTOCOLS.get(written.rsplit(".", 1)[-1])
            if method is not None:
                self.floor(node, method, f"{node.name.value}={written} (default argument)")

        # --- references to the unverified context ----------------------------------------------------

        def visit_Attribute(self, node: cst.Attribute) -> None:
            self.skip_names.add(id(node.attr))
            if node.attr.value == "_create_unverified_context":
                self.handler(
                    node,
                    SERVER_TRUST,
                    "_create_unverified_context",
                    f"{dotted(node) or '_create_unverified_context'} creates a context that accepts "
                    "any certificate and host",
                )

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == "_create_unverified_context" and id(node) not in self.skip_names:
                self.handler(
                    node,
                    SERVER_TRUST,
                    "_create_unverified_context",
                    "_create_unverified_context creates a context that accepts any certificate and host",
                )

        # --- attribute assignments -------------------------------------------------------------------

        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                self.assigned(target.target, node.value, node)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            if node.value is not None:
                self.assigned(node.target, node.value, node)

        def assigned(self, target: cst.BaseExpression, value: cst.BaseExpression, node: cst.CSTNode) -> None:
            if not isinstance(target, cst.Attribute):
                return
            name = target.attr.value
            owner = dotted(target.value) or "object"
            if name == "verify" and _is_false(value):
                self.handler(
                    node,
                    SERVER_TRUST,
                    "verify=False",
                    f"{owner}.verify = False skips certificate verification for every request",
                )
            elif name == "verify_mode" and _is_cert_none(value):
                self.handler(
                    node, SERVER_TRUST, "CERT_NONE", f"{owner}.verify_mode = CERT_NONE accepts any certificate"
                )
            elif name == "check_hostname" and _is_false(value):
                self.handler(
                    node,
                    HOSTNAME,
                    "check_hostname=False",
                    f"{owner}.check_hostname = False accepts a certificate issued for any host",
                )
            elif name in ("minimum_version", "maximum_version"):
                version = _TLS_VERSIONS.get(dotted(value).rsplit(".", 1)[-1])
                if version is not None and name == "minimum_version":
                    self.floor(node, version, f"minimum_version = {dotted(value)}")

        # --- URL literals ----------------------------------------------------------------------------

        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            if "b" in node.prefix.lower():
                return
            try:
                value = node.evaluated_value
            except Exception:
                return
            if isinstance(value, str):
                self.endpoint(value, node)

        def visit_Comparison(self, node: cst.Comparison) -> None:
            self.compared_strings.add(id(node.left))
            self.compared_strings.update(id(target.comparator) for target in node.comparisons)

        def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
            """``"http://" + host``: a cleartext URL to whatever host the expression names."""
            if not isinstance(node.operator, cst.Add) or not isinstance(node.left, cst.SimpleString):
                return
            if id(node) in self.compared_strings or "b" in node.left.prefix.lower():
                return
            scheme = node.left.evaluated_value
            if isinstance(scheme, str) and scheme.lower() in ("http://", "ws://"):
                self.joined([(scheme, False), (_source(node.right), True)], node.left)

        def visit_FormattedString(self, node: cst.FormattedString) -> bool:
            parts: list[str] = []
            expressions: list[str] = []
            for part in node.parts:
                if isinstance(part, cst.FormattedStringText):
                    parts.append(part.value)
                else:
                    parts.append(cu.HOLE)
                    expressions.append(_source(part.expression) if isinstance(part, cst.FormattedStringExpression)
                                       else "…")
            value = "".join(parts)
            if not self.endpoint(value, node) and cu.HOLE in value and id(node) not in self.compared_strings:
                self.joined(pieces_from_holes(value, cu.HOLE, expressions), node)
            return True

        def joined(self, pieces: list[tuple[str, bool]], node: cst.CSTNode) -> None:
            found = joined_host_endpoint(pieces, self.span(node), LANGUAGE, PLATFORM, self.variant)
            if found is not None:
                self.facts.append(found)

        def endpoint(self, value: str, node: cst.CSTNode) -> bool:
            if "://" not in value:
                return False
            endpoint = cu.url_endpoint(value, self.span(node), LANGUAGE, PLATFORM)
            if endpoint is not None:
                self.facts.append(replace(endpoint, variant=self.variant) if self.variant else endpoint)
            return endpoint is not None

    _VISITOR = Visitor
    return Visitor
