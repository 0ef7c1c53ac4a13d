"""OkHttp ``CertificatePinner`` pins written in code (PinSet facts).

``CertificatePinner.Builder().add(host, pin, ...)`` is varargs and may repeat for one host, on one
builder chain or on a builder variable (``builder.add(...)`` in several statements, or inside
``apply { add(...) }``). Pins are gathered per builder and host; constants in the same file are
resolved. A pin whose value cannot be resolved is kept as ``unresolved``; a host whose number of pins
cannot be known (a spread of an unknown array, a loop variable, a parameter of the enclosing function, the
result of a call such as a remote-config read) gets no PinSet at all, so the pin count is never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pinlint.model.facts import Pin, PinSet, Span
from pinlint.parsers.code.jvm.context import PLATFORM, FileContext
from pinlint.parsers.code.jvm.syntax import CALL, DECL, LAMBDA, LOOP, Call
from pinlint.parsers.code.treesitter import Node, text

BUILDER_TYPE = "CertificatePinner.Builder"


@dataclass
class _Host:
    host: str
    first: Call
    pins: list[Pin] = field(default_factory=list)
    countable: bool = True


def analyse(ctx: FileContext) -> list[object]:
    # A pin is added only on a builder that `CertificatePinner.Builder()` made, so the source names it; a
    # file that does not has no pin, and its calls are not read.
    if not ctx.holds((b"CertificatePinner",)):
        return []
    syntax = ctx.syntax
    builders: dict[int, dict[str, _Host]] = {}
    order: list[int] = []
    adds: list[Call] = []
    for node in ctx.of_kind(CALL):
        call = syntax.call(node)
        if call is not None and call.name == "add" and len(call.args) >= 2 and ctx.sound(node):
            adds.append(call)
    # A chain nests outward (the last add is the outermost call): take the adds in source order.
    adds.sort(key=lambda item: item.name_node.start_byte)
    for call in adds:
        root = _builder_of(ctx, call)
        if root is None:
            continue
        hosts = builders.get(root)
        if hosts is None:
            hosts = builders[root] = {}
            order.append(root)
        host_text = ctx.constants.string(call.args[0]) or text(call.args[0])
        entry = hosts.get(host_text)
        if entry is None:
            entry = hosts[host_text] = _Host(host_text, call)
        if ctx.constants.string(call.args[0]) is None and _varying(ctx, call.args[0]):
            entry.countable = False  # one add per loop pass: many hosts, pins unknown per host
        _collect_pins(ctx, call, entry)
    facts: list[object] = []
    for root in order:
        for entry in builders[root].values():
            if not entry.countable:
                continue
            first = entry.first
            facts.append(
                PinSet(
                    origin="okhttp",
                    platform=PLATFORM,
                    hosts=(entry.host,),
                    pins=tuple(entry.pins),
                    span=ctx.line_span(first.name_node, first.node),
                    include_subdomains=entry.host.startswith("**."),
                    variant=ctx.variant,
                    label="OkHttp CertificatePinner",
                )
            )
    return facts


def _is_builder_constructor(ctx: FileContext, node: Node | None) -> bool:
    syntax = ctx.syntax
    node = syntax.unwrap(node)
    if node is None:
        return False
    call = syntax.call(node)
    if call is None or call.name != "Builder":
        return False
    return syntax.dotted(call.receiver).endswith("CertificatePinner")


def _builder_of(ctx: FileContext, call: Call) -> int | None:
    """An identity for the builder an ``add`` call is made on, or None when it is not a pinner builder."""
    syntax = ctx.syntax
    receiver = syntax.unwrap(call.receiver)
    if receiver is None:
        return _scoped_builder(ctx, call.node)
    while True:
        if _is_builder_constructor(ctx, receiver):
            assert receiver is not None
            return int(receiver.id)
        inner = syntax.call(receiver) if receiver is not None else None
        if inner is not None and inner.name in ("add", "apply", "also"):
            receiver = syntax.unwrap(inner.receiver)
            continue
        name = syntax.identifier(receiver)
        if name is None:
            return None
        return _builder_variable(ctx, name, call.node)


def _scoped_builder(ctx: FileContext, node: Node) -> int | None:
    """``CertificatePinner.Builder().apply { add(...) }`` and ``with(builder) { add(...) }``."""
    syntax = ctx.syntax
    parent = node.parent
    while parent is not None:
        if syntax.kind(parent) == LAMBDA:
            owner = parent.parent
            while owner is not None and owner.type in (
                "annotated_lambda",
                "value_argument",
                "value_arguments",
            ):
                owner = owner.parent
            call = syntax.call(owner) if owner is not None else None
            if call is not None and call.name in ("apply", "with", "run"):
                subject = call.args[0] if call.name == "with" and call.args else call.receiver
                if _is_builder_constructor(ctx, subject):
                    assert subject is not None
                    return int(syntax.unwrap(subject).id)  # type: ignore[union-attr]
                name = syntax.identifier(subject)
                if name is not None:
                    return _builder_variable(ctx, name, node)
            return None
        parent = parent.parent
    return None


def _builder_variable(ctx: FileContext, name: str, use: Node) -> int | None:
    """The declaration (or parameter) that makes ``name`` a pinner builder, seen from ``use``."""
    syntax = ctx.syntax
    candidates: list[Node] = []
    for node in ctx.index.of(syntax.types_of(DECL) | {"parameter", "formal_parameter"}):
        if syntax.kind(node) == DECL:
            for declared, value, declared_type in syntax.declarations(node):
                if declared != name:
                    continue
                if declared_type.replace("okhttp3.", "").rstrip("?").endswith(BUILDER_TYPE) or _builds(
                    ctx, value
                ):
                    candidates.append(node)
        elif node.type in ("parameter", "formal_parameter") and BUILDER_TYPE in text(node):
            names = [child for child in node.named_children if child.type == "identifier"]
            if names and text(names[0] if ctx.language == "kotlin" else names[-1]) == name:
                candidates.append(node)
    if not candidates:
        return None
    # Prefer the declaration in the innermost scope that encloses the use.
    enclosing = {ancestor.id for ancestor in _ancestors(use)}
    local = [node for node in candidates if node.parent is not None and node.parent.id in enclosing]
    chosen = local[-1] if local else candidates[0]
    return int(chosen.id)


def _builds(ctx: FileContext, value: Node | None) -> bool:
    syntax = ctx.syntax
    node = syntax.unwrap(value)
    while node is not None:
        if _is_builder_constructor(ctx, node):
            return True
        call = syntax.call(node)
        if call is None or call.name not in ("add", "apply", "also"):
            return False
        node = syntax.unwrap(call.receiver)
    return False


def _ancestors(node: Node) -> list[Node]:
    result = []
    parent = node.parent
    while parent is not None:
        result.append(parent)
        parent = parent.parent
    return result


def _collect_pins(ctx: FileContext, call: Call, entry: _Host) -> None:
    syntax = ctx.syntax
    constants = ctx.constants
    for index, arg in enumerate(call.args[1:], start=1):
        if index in call.spread or (ctx.language == "java" and len(call.args) == 2 and _array_like(ctx, arg)):
            values = constants.strings(arg)
            if values is None:
                entry.countable = False
                continue
            entry.pins.extend(_pin(value, ctx.span(arg)) for value in values)
            continue
        value = constants.string(arg)
        if value is not None:
            name = constants.reference_name(arg) if syntax.identifier(arg) or syntax.dotted(arg) else None
            declaration = constants.declaration(name) if name else None
            origin = (
                declaration if declaration is not None and constants.string(declaration) == value else arg
            )
            entry.pins.append(_pin(value, ctx.span(origin)))
            continue
        if _varying(ctx, arg) or _supplied(ctx, arg):
            entry.countable = False
            continue
        entry.pins.append(Pin(value=text(arg), algorithm="sha256", span=ctx.span(arg), unresolved=True))


def _pin(value: str, span: Span) -> Pin:
    cleaned = value.strip()
    lowered = cleaned.lower()
    for prefix in ("sha256/", "sha1/"):
        if lowered.startswith(prefix):
            return Pin(value=cleaned[len(prefix) :].strip(), algorithm=prefix[:-1], span=span, decoder="okio")
    return Pin(value=cleaned, algorithm="sha256", span=span, decoder="okio")


def _array_like(ctx: FileContext, arg: Node) -> bool:
    """A Java argument that passes an array to the varargs parameter."""
    syntax = ctx.syntax
    node = syntax.unwrap(arg)
    if node is None:
        return False
    if node.type in ("array_creation_expression", "array_initializer"):
        return True
    name = syntax.identifier(node)
    if name is None:
        return False
    for decl in ctx.of_kind(DECL):
        for declared, _value, declared_type in syntax.declarations(decl):
            if declared == name and ("[]" in declared_type or "List" in declared_type or "Set" in declared_type):
                return True
    return False


def _varying(ctx: FileContext, arg: Node) -> bool:
    """An argument built from a loop variable or a lambda parameter (``pin``, ``"sha256/$hash"``,
    ``"sha256/" + it``): it stands for many pins."""
    syntax = ctx.syntax
    names = _names_in(ctx, arg)
    if not names:
        return False
    if "it" in names:
        return True
    for ancestor in _ancestors(arg):
        kind = syntax.kind(ancestor)
        if kind == LOOP and names & set(syntax.loop_variables(ancestor)):
            return True
        if kind == LAMBDA:
            lam = syntax.lambda_(ancestor)
            if lam is not None and names & set(lam.params):
                return True
    return False


def _supplied(ctx: FileContext, arg: Node) -> bool:
    """A pin handed in from outside: a parameter of the enclosing function, or the result of a call (remote
    config, a list read at run time). How many pins the callers supply is unknown."""
    syntax = ctx.syntax
    node = syntax.unwrap(arg)
    if node is None:
        return False
    if syntax.kind(node) == CALL:
        return True
    names = _names_in(ctx, arg)
    for ancestor in _ancestors(arg):
        if ancestor.type not in ("function_declaration", "method_declaration", "constructor_declaration",
                                 "secondary_constructor", "class_declaration"):
            continue
        for parameter in ctx.index.inside(ancestor, ("parameter", "formal_parameter", "class_parameter")):
            identifiers = [child for child in parameter.named_children
                           if child.type in ("identifier", "simple_identifier")]
            if identifiers and text(identifiers[0 if ctx.language == "kotlin" else -1]) in names:
                return True
    return False


def _names_in(ctx: FileContext, arg: Node) -> set[str]:
    """Every plain name an argument reads, including ``$name``/``${name}`` in Kotlin templates."""
    syntax = ctx.syntax
    names: set[str] = set()
    for node in ctx.index.inside(arg, {"identifier", "simple_identifier", *syntax.string_types}):
        if node.type in ("identifier", "simple_identifier"):
            names.add(text(node))
        elif node.type in syntax.string_types:
            for part in syntax.string_parts(node) or ():
                if part.reference is not None:
                    names.add(part.reference)
    return names
