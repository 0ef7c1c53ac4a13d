"""``http://`` and ``ws://`` URL literals in Kotlin and Java (Endpoint facts).

Only real string literals count (comments never do). A literal is an endpoint when it is a URL with
a host written out: ``"http://api.example.com/v1"`` or a Kotlin template that starts with one
(``"http://api.example.com/$path"``). A bare scheme joined to a host expression (``"http://" + host``,
``"ws://" + host + ":8080"``) is a cleartext URL to that host too. Literals that are compared against
(``url.startsWith("http://...")``), that name an XML namespace or sit in an annotation are not endpoints.
"""

from __future__ import annotations

import dataclasses

from pinlint.model.facts import Endpoint
from pinlint.parsers.code import literals
from pinlint.parsers.code.jvm.context import PLATFORM, FileContext
from pinlint.parsers.code.jvm.syntax import IF, Call
from pinlint.parsers.code.treesitter import Node, text
from pinlint.vocab.jvm import COMPARISON_CALLS, NAMESPACE_CALLS, is_namespace_path
from pinlint.vocab.names import words
from pinlint.vocab.urls import endpoint_from_literal, host_complete, joined_host_endpoint

#: Words in the name of a constant (or of the enum that lists it) holding an identifier URI: an XML
#: namespace (``NSURI``), a WebFinger/link relation type (``rel``), a header value such as a referrer.
NAMESPACE_WORDS = frozenset(
    {"namespace", "xmlns", "ns", "nsuri", "schema", "dtd", "doctype", "rel", "relation", "referer", "referrer"}
)
ANNOTATION_TYPES = ("annotation", "marker_annotation")
#: Calls that use their first argument as a key to look up, not as an address to fetch.
KEY_CALLS = frozenset({"get", "put", "containsKey", "getOrDefault", "getOrElse", "getOrPut", "remove"})



def analyse(ctx: FileContext) -> list[object]:
    syntax = ctx.syntax
    facts: list[object] = []
    previews = _preview_holders(ctx)
    for node in ctx.index.of(syntax.string_types):
        raw: bytes = node.text or b""
        if b"://" not in raw:
            continue
        joined = _scheme_joined(ctx, node)
        if joined is not None:
            facts.append(joined)
            continue
        value = _literal_url(ctx, node)
        if not ctx.sound(node) or syntax.annotation_ancestor(node):
            continue
        if value is None:
            template = _template_joined(ctx, node, previews)
            if template is not None:
                facts.append(template)
            continue
        if _not_an_endpoint(ctx, node) or _in_preview(previews, node) or _identifier_constant(ctx, node):
            continue
        endpoint = endpoint_from_literal(value, ctx.span(node), ctx.language, PLATFORM)
        if endpoint is None or endpoint.scheme not in ("http", "ws") or is_namespace_path(value):
            continue
        variant = ctx.variant or ("debug" if _in_debug_branch(ctx, node) else None)
        facts.append(dataclasses.replace(endpoint, variant=variant) if variant else endpoint)
    return facts


def _scheme_joined(ctx: FileContext, node: Node) -> Endpoint | None:
    """``"http://" + host``: the literal is only a scheme and the left operand of a concatenation."""
    parent = node.parent
    value = ctx.constants.string(node)
    if parent is None or value is None or value.lower() not in ("http://", "ws://"):
        return None
    if parent.type not in ("additive_expression", "binary_expression") or parent.named_children[:1] != [node]:
        return None
    if not ctx.sound(node) or _not_an_endpoint(ctx, node):
        return None
    right = parent.named_children[-1]
    host = ctx.constants.string(right)
    if host is not None:
        found = endpoint_from_literal(value + host, ctx.span(node), ctx.language, PLATFORM)
        return None if found is None or found.local else found
    shown = " ".join(text(right).split())[:60]
    variant = ctx.variant or ("debug" if _in_debug_branch(ctx, node) else None)
    return Endpoint(url=f"{value}{{{shown}}}", scheme=value[:-3].lower(), host=f"the host '{shown}'",
                    span=ctx.span(node), language=ctx.language, platform=PLATFORM, variant=variant)


def _template_joined(ctx: FileContext, node: Node, previews: list[tuple[int, int]]) -> Endpoint | None:
    """``"http://$host"``, ``"ws://${cfg.host}:8080"``: a Kotlin template whose host is an expression."""
    parts = ctx.syntax.string_parts(node)
    if not parts or _not_an_endpoint(ctx, node) or _in_preview(previews, node):
        return None
    written = literals.as_written(parts)
    variant = ctx.variant or ("debug" if _in_debug_branch(ctx, node) else None)
    return joined_host_endpoint(written, ctx.span(node), ctx.language, PLATFORM, variant)


#: Conditions true only in debug builds.
DEBUG_CONDITIONS = frozenset({"BuildConfig.DEBUG", "DEBUG", "BuildConfig.DEBUG == true"})


def _in_debug_branch(ctx: FileContext, node: Node) -> bool:
    """Inside the branch of ``if (BuildConfig.DEBUG)`` that runs only in debug builds."""
    syntax = ctx.syntax
    child = node
    ancestor = node.parent
    while ancestor is not None:
        if syntax.kind(ancestor) == IF:
            condition, then, otherwise = syntax.if_parts(ancestor)
            written = text(condition).strip("() ") if condition is not None else ""
            if written in DEBUG_CONDITIONS and then is not None and _contains(then, child):
                return True
            if written in ("!BuildConfig.DEBUG", "!DEBUG") and otherwise is not None and _contains(otherwise, child):
                return True
        if ancestor.type == "when_entry" and ancestor.parent is not None and not any(
            part.type == "when_subject" for part in ancestor.parent.children
        ):
            condition = ancestor.child_by_field_name("condition")
            if condition is not None and text(condition) in DEBUG_CONDITIONS and condition.id != child.id:
                return True
        child = ancestor
        ancestor = ancestor.parent
    return False


def _contains(outer: Node, inner: Node) -> bool:
    return bool(outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte)


def _literal_url(ctx: FileContext, node: Node) -> str | None:
    """The URL text of a literal that is (or starts with) an http/ws URL with a complete host."""
    parts = ctx.syntax.string_parts(node)
    if parts is None:
        return None
    value, interpolated = literals.prefix(parts)
    complete = not interpolated
    lowered = value.lower()
    if not lowered.startswith(("http://", "ws://")):
        return None
    if complete:
        return value
    # A template: the host must end inside the literal text, before the first interpolation.
    return value if host_complete(value) else None


def _xmlns_call(ctx: FileContext, call: Call) -> bool:
    """``setAttribute("xmlns:oc", "http://...")``: a namespace declaration."""
    for arg in call.args:
        value = ctx.constants.string(arg)
        if value is not None and value.startswith("xmlns"):
            return True
    return False


def _not_an_endpoint(ctx: FileContext, node: Node) -> bool:
    syntax = ctx.syntax
    parent = node.parent
    while parent is not None and parent.type in (
        "value_argument",
        "value_arguments",
        "argument_list",
        "parenthesized_expression",
    ):
        parent = parent.parent
    if parent is None:
        return False
    call = syntax.call(parent) if parent.type in syntax.call_types else None
    if (
        call is not None
        and node.start_byte >= call.name_node.end_byte
        and (call.name in NAMESPACE_CALLS or call.name in COMPARISON_CALLS or _xmlns_call(ctx, call))
    ):
        return True
    if parent.type in ("binary_expression", "equality_expression", "in_expression") and syntax.operator(
        parent
    ) in ("==", "!=", "===", "!==", "in", "!in"):
        return True
    if parent.type == "when_entry":  # `"http://..." -> ...` compares; the entry's body is a value
        return any(parent.field_name_for_child(index) == "condition" and child.id == node.id
                   for index, child in enumerate(parent.children))
    if parent.type == "switch_label":
        return True
    # A namespace constant: `const val XMLNS_ANDROID = "http://..."`.
    for name, value, _type in syntax.declarations(_declaration_of(parent)):
        if value is not None and value.id == node.id and NAMESPACE_WORDS & set(words(name)):
            return True
    # An enum of identifier URIs: `enum class WebFingerRel(val uri: String) { INSTANCE("http://...") }`.
    if parent.type in ("enum_entry", "enum_constant"):
        owner = parent.parent
        while owner is not None and owner.type not in ("class_declaration", "enum_declaration"):
            owner = owner.parent
        name_node = owner.child_by_field_name("name") if owner is not None else None
        if name_node is None and owner is not None:
            name_node = next((child for child in owner.named_children if child.type == "identifier"), None)
        if name_node is not None and NAMESPACE_WORDS & set(words(text(name_node))):
            return True
    return False


def _key_use(ctx: FileContext, node: Node) -> bool:
    """``node`` is compared against or used as a lookup key (``x == URI``, ``map[URI]``, ``URI to v``)."""
    syntax = ctx.syntax
    if _not_an_endpoint(ctx, node):
        return True
    parent = node.parent
    while parent is not None and parent.type in ("value_argument", "parenthesized_expression"):
        parent = parent.parent
    if parent is None:
        return False
    if parent.type == "infix_expression" and node.start_byte == parent.start_byte:
        operator = parent.named_children[1] if len(parent.named_children) == 3 else None
        return operator is not None and text(operator) == "to"
    if parent.type in ("index_expression", "indexing_suffix", "array_access") and node.start_byte > parent.start_byte:
        return True
    if parent.type in ("value_arguments", "argument_list") and parent.named_children:
        first = parent.named_children[0]
        owner = parent.parent
        call = syntax.call(owner) if owner is not None and owner.type in syntax.call_types else None
        return call is not None and call.name in KEY_CALLS and first.start_byte <= node.start_byte < first.end_byte
    return False


def _identifier_constant(ctx: FileContext, node: Node) -> bool:
    """A constant whose every use in this file is a comparison or a lookup key: it names something
    (a spec, a protocol extension, a relation type) rather than an address the app connects to."""
    syntax = ctx.syntax
    parent = node.parent
    if parent is None:
        return False
    declared = [
        name
        for name, value, _type in syntax.declarations(_declaration_of(parent))
        if value is not None and value.id == node.id
    ]
    if len(declared) != 1:
        return False
    name = declared[0]
    spelled = name.encode()
    if ctx.source.count(spelled) < 2:
        return False  # the declaration is the only place the name is written: no use
    width = len(spelled)
    uses = [
        candidate
        for candidate in ctx.index.of(("identifier", "simple_identifier"))
        if candidate.end_byte - candidate.start_byte == width and text(candidate) == name
        and not (parent.start_byte <= candidate.start_byte < parent.end_byte)
    ]
    return bool(uses) and all(_key_use(ctx, use) for use in uses)


def _in_preview(previews: list[tuple[int, int]], node: Node) -> bool:
    """Inside a function annotated as a UI preview (``@Preview``, ``@PreviewLightDark``, ``@ThemePreviews``):
    preview code runs only in the IDE, never in the app. ``previews``: ``_preview_holders`` of the file."""
    start, end = node.start_byte, node.end_byte
    # in a tree, a range that strictly holds a node's range is one of its ancestors
    return any(low <= start and end <= high and (low, high) != (start, end) for low, high in previews)


def _preview_holders(ctx: FileContext) -> list[tuple[int, int]]:
    """The byte ranges of the nodes that carry a preview annotation, as a named child or inside a named
    ``modifiers`` child (the declaration, and its ``modifiers``); found once per file, from the index."""
    holders: list[tuple[int, int]] = []
    for annotation in ctx.index.of(ANNOTATION_TYPES):
        names = [text(part) for part in ctx.index.inside(annotation, ("identifier", "type_identifier"))]
        if not names or "Preview" not in names[0 if ctx.language == "kotlin" else -1]:
            continue
        holder = annotation.parent
        while holder is not None:
            holders.append((holder.start_byte, holder.end_byte))
            holder = holder.parent if holder.type == "modifiers" else None
    return holders


def _declaration_of(node: Node) -> Node:
    if node.type == "variable_declarator" and node.parent is not None:
        return node.parent
    return node
