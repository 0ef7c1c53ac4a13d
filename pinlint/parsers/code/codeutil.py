"""Helpers shared by the source front ends (Dart, C#, JavaScript/TypeScript, Python, Kotlin and Java, Swift
and Objective-C).

Two jobs:

- **URL literals with interpolation**: a literal whose host is built at run time (``'http://$host/x'``) is
  not an endpoint; one whose host is complete before the first interpolation (``f"http://api.x.com/{p}"``)
  is. ``url_endpoint`` applies that rule on top of ``pinlint.vocab.urls.endpoint_from_literal``.
- **Trust-callback path analysis**: the languages' certificate callbacks (Dart ``badCertificateCallback``,
  .NET validation callbacks, JVM hostname verifiers, Apple challenge handlers) are lowered by each front end
  into a tiny statement language (``If``, ``Return``, ``Answer``, ``Assign``, ``Try``, ``Throw``), whose
  conditions are boolean formulas over *atoms*. Each atom says what it depends on: a constant, the TLS error
  flags (evaluated per error scenario), the platform's evaluation run by the code itself, the certificate or
  chain (a pin or certificate check), the host, a debug-build flag, or something unknown.
  ``accepting_paths`` enumerates the paths that accept in each error scenario and describes each by the
  guards that hold on it (``pinlint.model.facts``: a pin comparison that failed, a forgeable name, a debug
  flag...); ``always_accepts`` tells whether a callback answers true on every path. The trust checks decide
  from those guards which rule, if any, a path breaks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pinlint.model.facts import (
    DEBUG_FLAG,
    HOST_COMPARED,
    HOST_FORGEABLE,
    HOST_LOCAL,
    OTHER_CONDITION,
    PIN_MATCH,
    PIN_MISMATCH,
    PLATFORM_FAILED,
    PLATFORM_NAME_MISMATCH,
    PLATFORM_PASSED,
    STRUCTURAL_ONLY,
    SUBJECT_NAME,
    Endpoint,
    Span,
)
from pinlint.parsers.code.literals import HOLE as HOLE
from pinlint.parsers.code.literals import text_before_hole
from pinlint.vocab import names
from pinlint.vocab.urls import endpoint_from_literal, host_complete, is_local_host

#: Extra identifier hosts seen in .NET and web code (XML namespaces, SOAP defaults), never endpoints.
EXTRA_IDENTIFIER_HOSTS = frozenset(
    {
        "tempuri.org",
        "www.tempuri.org",
        "schemas.datacontract.org",
        "ns.adobe.com",
        "www.w3.org",
        "w3.org",
        "xmlns.jcp.org",
        "java.sun.com",
        "schema.org",
        "wso2.org",  # identity claim URIs (http://wso2.org/claims/...)
        "www.example.com/schema",
    }
)

#: Files larger than this whose average line is longer than ``MINIFIED_LINE_LENGTH`` are treated as
#: minified or bundled output and skipped: they are build products, not source, and slow to analyse.
MINIFIED_MIN_SIZE = 20_000
MINIFIED_LINE_LENGTH = 400


#: The RFC 2606 / 6761 top-level name that never resolves (``.invalid``): never a real endpoint. The
#: ``.test`` and ``.example`` names are stand-ins for a real server in code as much as ``example.com`` is,
#: and the JVM and Apple front ends report them, so they are endpoints here too.
_RESERVED_SUFFIXES = (".invalid",)

def is_reserved_host(host: str) -> bool:
    """Names under the reserved ``.invalid`` top-level domain: placeholders that never resolve."""
    name = host.lower().rstrip(".")
    return name.endswith(_RESERVED_SUFFIXES) or name in {suffix[1:] for suffix in _RESERVED_SUFFIXES}


def looks_minified(data: bytes) -> bool:
    """Whether ``data`` looks like minified or bundled code (few, very long lines)."""
    if len(data) < MINIFIED_MIN_SIZE:
        return False
    lines = data.count(b"\n") + 1
    return len(data) / lines > MINIFIED_LINE_LENGTH


_SOUND_CONTAINERS = (
    "_body",
    "block",
    "statement",
    "declaration",
    "definition",
    "declarator",
    "pair",
    "program",
)


def sound(node: Any) -> bool:
    """Whether a tree-sitter node lies in a part of the file the grammar understood.

    Outside ERROR regions every node is sound. Inside one (a file with a syntax error often becomes a
    single ERROR root), a node is sound when it sits in a complete, error-free statement, body or
    declaration below the ERROR node, so the rest of a file with one typo is still analysed.
    """
    from pinlint.parsers.code.treesitter import ancestors

    chain: list[Any] = []
    for parent in ancestors(node):
        if parent.type == "ERROR":
            return any(item.type.endswith(_SOUND_CONTAINERS) and not item.has_error for item in chain)
        chain.append(parent)
    return True


def url_endpoint(value: str, span: Span, language: str, platform: str) -> Endpoint | None:
    """An Endpoint for the static text of a string literal, or None.

    ``value`` may contain ``HOLE`` where the source interpolates an expression. Only the text before the
    first hole is used, and only when the URL's authority (host and port) is complete before it.
    """
    if HOLE in value:
        value = text_before_hole(value)
        if not host_complete(value):
            return None
    endpoint = endpoint_from_literal(value, span, language=language, platform=platform)
    if endpoint is None:
        return None
    try:
        host = (urlsplit(endpoint.url).hostname or "").lower()
    except ValueError:
        return None
    if host in EXTRA_IDENTIFIER_HOSTS or is_reserved_host(host):
        return None
    return endpoint


# --- trust-callback analysis -------------------------------------------------------------------------

CONST = "const"
ERRORS = "errors"
CERT = "cert"
HOST = "host"
DEBUG = "debug"
UNKNOWN = "unknown"
#: A test of the chain's shape (present, how long, in date), never of who issued it.
SHAPE = "shape"
#: A call that may reject (an app's own helper whose body the analysis does not see): true when it threw.
CHECK = "check"
#: The path went through a handler that caught an exception (``Atom.site`` is the ``Caught``).
CAUGHT = "caught"
#: The platform's own trust evaluation, called by the code itself (Apple's ``SecTrustEvaluateWithError``, a
#: TrustKit validator): true when it passed. Callbacks handed the platform's verdict use ``ERRORS`` atoms.
PLATFORM = "platform"


@dataclass(frozen=True)
class Atom:
    """A boolean condition the analysis cannot split further.

    ``key`` identifies the atom (its source text) so that the same test on two paths is recognised;
    ``value`` is set for constants; ``test`` evaluates an error-flag atom for a scenario mask;
    ``literals`` are string literals in a host atom; ``null_check`` marks ``cert == null`` style tests,
    which do not check the certificate's identity.
    """

    kind: str
    key: str
    value: bool | None = None
    test: Callable[[int], bool | None] | None = field(default=None, compare=False, hash=False)
    literals: tuple[str, ...] = ()
    null_check: bool = False
    #: Set (to words for the message) when the test rests on a forgeable name: a certificate's subject or
    #: issuer string, or a host matched by prefix or by a suffix without a dot (``pinlint.vocab.names``).
    forgeable: str = field(default="", compare=False, hash=False)
    #: The source expression of the test, when the front end gives it (a finding may point at it).
    node: Any = field(default=None, compare=False, hash=False)
    #: The source statement the test decides (an ``if``), when the lowering records it: a finding about a
    #: failed certificate comparison points there.
    site: Any = field(default=None, compare=False, hash=False)


# Boolean formulas: ("const", bool) | ("atom", Atom) | ("not", f) | ("and", f, g) | ("or", f, g)
# | ("var", name, fallback)
Formula = tuple[object, ...]

TRUE: Formula = ("const", True)
FALSE: Formula = ("const", False)


def atom(item: Atom) -> Formula:
    return ("atom", item)


def negate(formula: Formula) -> Formula:
    return ("not", formula)


# Statements: If(cond, then, else), Return(formula | None), Assign(name, formula), Try(body, handlers), Throw.
@dataclass(frozen=True)
class If:
    cond: Formula
    then: tuple[object, ...]
    orelse: tuple[object, ...] = ()


@dataclass(frozen=True)
class Return:
    value: Formula | None
    #: the source statement, so a finding can point at the return that accepts
    node: Any = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class Assign:
    name: str
    value: Formula


@dataclass(frozen=True)
class Try:
    body: tuple[object, ...]
    handlers: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Throw:
    """Leaves by an exception. ``types`` is the exception's type and every supertype (empty: only an untyped
    handler catches it); ``node`` is the statement or call that throws."""

    types: frozenset[str] = frozenset()
    node: Any = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class TypedTry:
    """A ``try`` whose handlers catch by type: a ``Throw`` in ``body`` (or in what it runs) goes to the first
    handler of the innermost such ``try`` whose ``catches`` meet its ``types``, then on after the ``try``;
    an exception no handler catches ends the path (a rejection). ``sites`` are the handlers' source nodes."""

    body: tuple[object, ...]
    handlers: tuple[tuple[object, ...], ...]
    catches: tuple[frozenset[str], ...]
    sites: tuple[Any, ...] = field(default=(), compare=False, hash=False)


@dataclass(frozen=True)
class Caught:
    """On a path: the handler (``handler``, a source node) that caught what ``thrower`` threw, the guards of
    the path before its ``try`` and the guards after the handler took over."""

    handler: Any
    thrower: Any
    after: frozenset[str] = frozenset()
    before: frozenset[str] = frozenset()
    #: the ``Atom.key`` of the entry into the handler's ``try`` on the path
    entry: str = ""


#: Marks the end of a ``TypedTry`` body inside a path's statement list.
_LEAVE = object()


@dataclass(frozen=True)
class Answer:
    """A call that answers the trust decision and so ends it, as a ``return`` does: a completion handler
    given a credential, a ``proceed()``. ``value`` holds when the answer accepts: ``TRUE`` (use the
    credential), ``FALSE`` (cancel), or an atom for an answer that leaves a check to someone else (the
    platform's default handling: a ``PLATFORM`` atom). ``node`` is the call, for the finding."""

    value: Formula
    node: Any = field(default=None, compare=False, hash=False)


def guard(cond: Formula, orelse: Sequence[object]) -> If:
    """A guard statement (Swift ``guard cond else { ... }``, Kotlin ``?: return``): ``orelse`` runs when
    ``cond`` fails and must leave; the statements after the guard run when it holds."""
    return If(cond, (), tuple(orelse))


def leaf(
    key: str,
    identifiers: set[str],
    *,
    cert: set[str],
    hosts: set[str],
    debug: bool,
    null_check: bool = False,
    literals: Callable[[], Sequence[str]] = tuple,
    node: Any = None,
    site: Any = None,
) -> Formula:
    """The one reading of a condition a front end cannot split further, the same in every language.

    A test over the certificate (``cert`` names it and what was derived from it) is a certificate
    comparison, unless it only tests for null, and a forgeable one when it compares the subject or issuer
    string; then a debug-build flag (the front end's table says which names are); then a test over the host
    (``hosts``), with the string literals it compares against (``literals``, read only then); else unknown.
    ``node`` is the test's source expression and ``site`` the statement it decides, kept for findings.
    """
    if identifiers & cert:
        return atom(Atom(CERT, key, null_check=null_check, forgeable=names.certificate_name_check(key) or "",
                         node=node, site=site))
    if debug:
        return atom(Atom(DEBUG, key, node=node, site=site))
    if identifiers & hosts:
        found = tuple(literals())
        return atom(Atom(HOST, key, literals=found, forgeable=names.forgeable_host_check(key, list(found)) or "",
                         node=node, site=site))
    return atom(Atom(UNKNOWN, key, node=node, site=site))


class StatementLowering:
    """Lowers the statements of a tree-sitter callback body into the shared form (``If``, ``Return``,
    ``Assign``, ``Try``, ``Throw``). The statement shapes the grammars share are read here; a front end
    gives its node types (``throws``, ``declarations``, ``skipped``) and the hooks below for the rest."""

    #: statement types that always leave by an exception
    throws: frozenset[str] = frozenset()
    #: local declarations, lowered by ``declaration``
    declarations: frozenset[str] = frozenset()
    #: statements that never decide the callback's answer
    skipped: frozenset[str] = frozenset()

    def value(self, nodes: list[Any]) -> Formula:
        """The formula of a returned or assigned expression (given as its nodes)."""
        raise NotImplementedError

    def condition(self, node: Any) -> Any:
        """The condition of an ``if_statement``, or None."""
        return node.child_by_field_name("condition")

    def condition_value(self, condition: Any) -> Formula:
        return self.value([condition])

    def assignment(self, node: Any) -> list[object]:
        """An ``assignment_expression`` statement: ``[Assign(...)]`` for a local, else nothing."""
        return []

    def declaration(self, node: Any) -> list[object]:
        return []

    def catch_bodies(self, node: Any, body: Any) -> list[Any]:
        """The handler bodies of a ``try_statement`` whose body is ``body`` (None for a handler without one)."""
        return []

    def special(self, node: Any) -> list[object] | None:
        """A statement only this language has (``switch``, ``#if``), or None."""
        return None

    def nested(self, node: Any) -> bool:
        """Whether a child of an unknown statement is a statement run under its unknown condition."""
        return False

    def effect(self, node: Any) -> list[object]:
        """What an expression statement other than an assignment does to the decision: nothing, unless the
        language knows the call always throws (``[Throw()]``) or may reject."""
        return []

    def statements(self, nodes: list[Any]) -> list[object]:
        result: list[object] = []
        for node in nodes:
            result.extend(self.statement(node))
        return result

    def statement(self, node: Any) -> list[object]:
        kind = node.type
        if kind == "block":
            return self.statements(node.named_children)
        if kind == "return_statement":
            values = [c for c in node.named_children if c.type != "comment"]
            return [Return(self.value(values) if values else None, node)]
        if kind in self.throws:
            return [Throw()]
        if kind == "if_statement":
            condition = self.condition(node)
            consequence = node.child_by_field_name("consequence")
            alternative = node.child_by_field_name("alternative")
            return [
                If(
                    self.condition_value(condition) if condition is not None else atom(Atom(UNKNOWN, "?")),
                    tuple(self.statement(consequence)) if consequence is not None else (),
                    tuple(self.statement(alternative)) if alternative is not None else (),
                )
            ]
        if kind == "expression_statement":
            inner = node.named_children[0] if node.named_children else None
            if inner is not None and inner.type == "throw_expression":
                return [Throw()]
            if inner is not None and inner.type == "assignment_expression":
                return self.assignment(inner)
            return self.effect(inner) if inner is not None else []
        if kind in self.declarations:
            return self.declaration(node)
        if kind == "try_statement":
            body = node.child_by_field_name("body")
            handlers = tuple(tuple(self.statement(h)) if h is not None else () for h in self.catch_bodies(node, body))
            return [Try(tuple(self.statement(body)) if body is not None else (), handlers)]
        special = self.special(node)
        if special is not None:
            return special
        if kind in self.skipped:
            return []
        inner_blocks = [c for c in node.named_children if self.nested(c)]
        if not inner_blocks:
            return []
        key = (node.text or b"").decode("utf-8", errors="replace")[:80]
        return [If(atom(Atom(UNKNOWN, key)), tuple(self.statements(inner_blocks)))]


Literal = tuple[Atom, bool]
Conj = tuple[Literal, ...]

MAX_PATHS = 256
MAX_CONJUNCTS = 64


def _dnf(formula: Formula, env: dict[str, Formula], positive: bool = True) -> list[Conj] | None:
    """Disjunctive normal form of ``formula`` (or its negation); None when it grows too large."""
    tag = formula[0]
    if tag == "const":
        value = bool(formula[1]) == positive
        return [()] if value else []
    if tag == "atom":
        item = formula[1]
        assert isinstance(item, Atom)
        if item.kind == CONST and item.value is not None:
            return [()] if item.value == positive else []
        return [((item, positive),)]
    if tag == "not":
        return _dnf(_formula(formula[1]), env, not positive)
    if tag == "var":
        name = str(formula[1])
        bound = env.get(name)
        if bound is not None:
            return _dnf(bound, {k: v for k, v in env.items() if k != name}, positive)
        return _dnf(_formula(formula[2]), env, positive)
    left, right = _formula(formula[1]), _formula(formula[2])
    is_and = (tag == "and") == positive
    a = _dnf(left, env, positive)
    b = _dnf(right, env, positive)
    if a is None or b is None:
        return None
    result = [x + y for x in a for y in b] if is_and else a + b
    if len(result) > MAX_CONJUNCTS:
        return None
    return [conj for conj in result if _consistent(conj)]


def _formula(value: object) -> Formula:
    assert isinstance(value, tuple)
    return value


def _consistent(conj: Conj) -> bool:
    seen: dict[tuple[str, str], bool] = {}
    for item, polarity in conj:
        key = (item.kind, item.key)
        if seen.setdefault(key, polarity) != polarity:
            return False
    return True


@dataclass
class _Paths:
    accepting: list[Conj] = field(default_factory=list)
    #: the ``Return.node`` of each accepting path, in the same order
    sources: list[Any] = field(default_factory=list)
    count: int = 0
    truncated: bool = False
    #: some path can end without accepting: it throws, returns a value that may be false, or falls off the end
    rejects: bool = False


#: The typed ``try`` statements a path is inside, innermost last, each with what runs after it.
_Frames = tuple[tuple[TypedTry, tuple[object, ...]], ...]


def _run(stmts: Sequence[object], index: int, conds: Conj, env: dict[str, Formula], out: _Paths,
         frames: _Frames = ()) -> bool:
    """Execute ``stmts[index:]`` along one path. Returns True when the path ended (return or throw)."""
    while index < len(stmts):
        if out.count >= MAX_PATHS:
            out.truncated = True
            return True
        stmt = stmts[index]
        index += 1
        if isinstance(stmt, (Return, Answer)):
            out.count += 1
            if stmt.value is not None:
                forms = _dnf(stmt.value, env)
                if forms is None:
                    forms = [((Atom(UNKNOWN, "<complex>"), True),)]
                for conj in forms:
                    combined = conds + conj
                    if _consistent(combined):
                        out.accepting.append(combined)
                        out.sources.append(stmt.node)
                if not out.rejects:
                    refusals = _dnf(stmt.value, env, False)
                    out.rejects = refusals is None or any(_consistent(conds + conj) for conj in refusals)
            else:
                out.rejects = True
            return True
        if stmt is _LEAVE:
            frames = frames[:-1]
            continue
        if isinstance(stmt, Throw):
            for depth in range(len(frames) - 1, -1, -1):
                typed, after = frames[depth]
                for number, catches in enumerate(typed.catches):
                    if catches & stmt.types:
                        site = typed.sites[number] if number < len(typed.sites) else None
                        caught = (Atom(CAUGHT, f"<caught {id(typed)}:{number}:{id(stmt)}>",
                                       site=Caught(site, stmt.node, entry=f"<enter {id(typed)}>")), True)
                        if not _run(tuple(typed.handlers[number]) + tuple(after), 0, (*conds, caught), env, out,
                                    frames[:depth]):
                            out.rejects = True
                        return True
            out.count += 1
            out.rejects = True
            return True
        if isinstance(stmt, TypedTry):
            after_try = tuple(stmts[index:])
            entry = (Atom(CAUGHT, f"<enter {id(stmt)}>"), True)
            if not _run((*stmt.body, _LEAVE, *after_try), 0, (*conds, entry), env, out,
                        (*frames, (stmt, after_try))):
                out.rejects = True
            return True
        if isinstance(stmt, Assign):
            env = {**env, stmt.name: stmt.value}
            continue
        if isinstance(stmt, If):
            rest = stmts[index:]
            for branch, positive in ((stmt.then, True), (stmt.orelse, False)):
                forms = _dnf(stmt.cond, env, positive)
                if forms is None:
                    forms = [((Atom(UNKNOWN, "<complex>"), positive),)]
                for conj in forms:
                    combined = conds + conj
                    if not _consistent(combined):
                        continue
                    # the rest runs after the branch, so assignments made in the branch reach it
                    if not _run(tuple(branch) + tuple(rest), 0, combined, env, out, frames):
                        out.rejects = True
            return True
        if isinstance(stmt, Try):
            rest = stmts[index:]
            if not _run(tuple(stmt.body) + tuple(rest), 0, conds, env, out, frames):
                out.rejects = True
            for handler in stmt.handlers:
                failed = (Atom(UNKNOWN, "<exception>"), True)
                if not _run(tuple(handler) + tuple(rest), 0, (*conds, failed), env, out, frames):
                    out.rejects = True
            return True
        # anything else (logging, calls) does not change the decision
    return False


@dataclass(frozen=True)
class Path:
    """One accepting path of a lowered callback in one error scenario, as neutral guards
    (``pinlint.model.facts``: PIN_MISMATCH, HOST_FORGEABLE...). ``forgeable`` holds words for the forgeable
    name test on the path; ``condition`` words for a condition that does not inspect the certificate."""

    guards: frozenset[str]
    forgeable: str = ""
    condition: str = ""
    #: the return statement that accepts, when the lowering recorded it
    node: Any = field(default=None, compare=False, hash=False)
    #: the ``Atom.site`` of the certificate comparison that failed on the path (PIN_MISMATCH), when recorded
    mismatch: Any = field(default=None, compare=False, hash=False)
    #: the handlers that caught an exception on the path (``TypedTry``), in order
    caught: tuple[Caught, ...] = field(default=(), compare=False, hash=False)
    #: the guards that hold on the path after the failed comparison (``mismatch``)
    mismatch_after: frozenset[str] = field(default=frozenset(), compare=False, hash=False)
    #: the atoms decided on the path and their values, for a front end that words its evidence by which
    #: test failed where
    literals: tuple[tuple[Atom, bool], ...] = field(default=(), compare=False, hash=False)
    #: the source of the forgeable test that ``forgeable`` describes, when the lowering gave it
    test: Any = field(default=None, compare=False, hash=False)


def _evaluate(conj: Conj, scenario: int) -> Conj | None:
    """Drop atoms decided by the scenario; None when the conjunction is false in it."""
    remaining: list[Literal] = []
    for item, polarity in conj:
        if item.kind == ERRORS and item.test is not None:
            value = item.test(scenario)
            if value is None:
                remaining.append((item, polarity))
            elif value != polarity:
                return None
            continue
        remaining.append((item, polarity))
    return tuple(remaining)


def _host_of(value: str) -> str:
    """The host of a URL literal, or the literal itself."""
    if "://" in value:
        try:
            return (urlsplit(value).hostname or value).lower()
        except ValueError:
            return value
    return value.lower()


def _guards(conj: Conj, scenario: str, host_decides: bool = False) -> Path:
    """The guards of one decided conjunction; ``scenario`` is the guard the error scenario stands for.
    With ``host_decides`` (the callback's answer is whether the certificate fits the host), a host test is
    the decision itself: one that held is a comparison (forgeable or not), one that failed is only some
    other condition (the path accepts hosts the test did not name)."""
    guards = {scenario} if scenario else set()
    forgeable: list[Atom] = []
    host_words: list[Atom] = []
    hosts = others = False
    mismatch: Any = None
    mismatch_after: frozenset[str] = frozenset()
    caught: list[Caught] = []
    for position, (item, polarity) in enumerate(conj):
        if item.kind == CAUGHT:
            if isinstance(item.site, Caught):
                entered = next((index for index, (other, _p) in enumerate(conj) if other.key == item.site.entry),
                               position)
                after = _guards(conj[position + 1:], scenario).guards - {scenario}
                before = _guards(conj[:entered], scenario).guards - {scenario}
                caught.append(Caught(item.site.handler, item.site.thrower, after, before, item.site.entry))
            continue
        if item.kind == CERT and not item.null_check:
            if not polarity:
                guards.add(PIN_MISMATCH)
                if mismatch is None:
                    mismatch = item.site
                    mismatch_after = _guards(conj[position + 1:], scenario).guards - {scenario}
            elif item.forgeable:
                guards.add(SUBJECT_NAME)
                forgeable.append(item)
            else:
                guards.add(PIN_MATCH)
        elif item.kind == HOST and host_decides and not polarity:
            others = True
            guards.add(OTHER_CONDITION)
        elif item.kind == HOST:
            hosts = True
            local = polarity and bool(item.literals) and all(
                is_local_host(_host_of(value)) for value in item.literals)
            if local and item.forgeable and all(any(c.isalnum() for c in value) for value in item.literals):
                guards.update((HOST_FORGEABLE, HOST_LOCAL))
                host_words.append(item)
            elif host_decides and item.forgeable:
                guards.add(HOST_FORGEABLE)
                host_words.append(item)
            else:
                guards.add(HOST_LOCAL if local else HOST_COMPARED)
        elif item.kind == PLATFORM:
            guards.add(PLATFORM_PASSED if polarity else PLATFORM_FAILED)
        elif item.kind == DEBUG:
            if polarity:
                guards.add(DEBUG_FLAG)
        elif item.kind == SHAPE:
            guards.add(STRUCTURAL_ONLY)
        elif item.kind == CHECK:
            if not polarity:  # the helper did not throw: it may have checked something
                others = True
                guards.add(OTHER_CONDITION)
        elif item.kind in (UNKNOWN, ERRORS):
            others = True
            guards.add(OTHER_CONDITION)
    condition = ("whenever the host check passes" if hosts
                 else "under a condition that does not inspect the certificate" if others else "")
    test = forgeable[0] if forgeable else host_words[0] if host_words else None
    return Path(frozenset(guards), test.forgeable if test else "", condition, mismatch=mismatch,
                test=test.node if test else None, caught=tuple(caught), mismatch_after=mismatch_after)


def accepting_paths(
    body: Sequence[object],
    scenarios: Iterable[tuple[int, str]],
    hostname_scenarios: Iterable[int] = (),
    *,
    handed_verdict: bool = True,
    host_decides: bool = False,
) -> list[Path]:
    """Every path on which a callback lowered to statements accepts, in every error scenario, as guards.

    ``scenarios`` are (mask, words) pairs of error situations in which the platform's evaluation failed
    (PLATFORM_FAILED); ``hostname_scenarios`` are masks where it failed on the host name only
    (PLATFORM_NAME_MISMATCH); mask 0, no error, is PLATFORM_PASSED. Which rule a path breaks is for the checks.
    A callback that is not handed the platform's verdict but evaluates itself (``handed_verdict=False``, Apple's
    challenge handlers) has no scenarios: its ``PLATFORM`` atoms say where the evaluation passed or failed.
    ``host_decides`` reads the host tests of a callback whose answer is whether the certificate fits the host
    (``_guards``).
    """
    masks = [(mask, PLATFORM_FAILED) for mask, _words in scenarios]
    masks += [(mask, PLATFORM_NAME_MISMATCH) for mask in hostname_scenarios]
    if not handed_verdict:
        masks = [(0, "")]
    elif not any(mask == 0 for mask, _guard in masks):
        masks.insert(0, (0, PLATFORM_PASSED))
    paths = _Paths()
    _run(tuple(body), 0, (), {}, paths)
    found: list[Path] = []
    for conj, source in zip(paths.accepting, paths.sources, strict=True):
        for mask, scenario in masks:
            decided = _evaluate(conj, mask)
            if decided is not None:
                path = _guards(decided, scenario, host_decides)
                found.append(Path(path.guards, path.forgeable, path.condition, source, path.mismatch,
                                  caught=path.caught, mismatch_after=path.mismatch_after, literals=decided,
                                  test=path.test))
    return found


def always_accepts(body: Sequence[object]) -> bool:
    """Whether a lowered callback that answers true or false answers true on every path: no path throws,
    returns a value that may be false, or ends without an answer (and the analysis saw every path)."""
    paths = _Paths()
    if not _run(tuple(body), 0, (), {}, paths):
        paths.rejects = True
    return paths.count > 0 and not paths.rejects and not paths.truncated


def return_site(node: Any, container: Any) -> Any:
    """The return statement ``node`` that accepts, when it lies inside ``container`` (a callback written in
    place) on a later line than the container starts; else None, and the finding stays where the callback is
    installed. A method group or named function is reported where it is installed."""
    if node is None or container is None:
        return None
    if not (container.start_byte <= node.start_byte and node.end_byte <= container.end_byte):
        return None
    return node if node.start_point[0] > container.start_point[0] else None
