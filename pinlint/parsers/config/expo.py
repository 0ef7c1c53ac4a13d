"""Expo app configuration (``app.json``, ``app.config.json``, ``app.config.js``/``.ts``).

``expo.ios.infoPlist`` (or ``ios.infoPlist`` when the file has no ``expo`` wrapper) is a free-form
dictionary merged into the generated Info.plist at prebuild: it goes through the same ATS and TrustKit
interpretation as an Info.plist, with the JSON line of each key. The ``expo-build-properties`` plugin's
``android.usesCleartextTraffic`` sets the Android manifest flag.

``app.config.js``/``.ts`` are code, never run: every object literal written as ``ios: { infoPlist: {...} }``
is read for its literal values. Anything computed (a variable, a call, a spread) is unknown: it is kept
as build-time text (``${...}``), so it is never judged as a value, yet a key written with an unknown value
is still present (which matters for the ATS keys whose mere presence changes the rules).
"""

from __future__ import annotations

from collections.abc import Mapping

from pinlint.model.facts import CleartextPolicy, ParseError, Span
from pinlint.parsers import SourceFile
from pinlint.parsers.code import treesitter as ts
from pinlint.parsers.config import ats, jsonpos

NAME = "expo"

FILE_NAMES = frozenset({"app.json", "app.config.json"})
#: Dynamic configurations and the grammar each is read with.
CODE_NAMES = {
    "app.config.js": "javascript", "app.config.mjs": "javascript", "app.config.cjs": "javascript",
    "app.config.ts": "typescript",
}
TRIGGERS = (b"infoPlist", b"usesCleartextTraffic")

#: Wrappers around a literal that do not change its value (TypeScript casts, parentheses).
_TRANSPARENT = frozenset({
    "parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression", "type_assertion",
})


def accepts(name: str, head: bytes) -> bool:
    return name in FILE_NAMES or name in CODE_NAMES


def _config_root(value: object) -> tuple[Mapping[str, object], jsonpos.PathKey] | None:
    if not isinstance(value, Mapping):
        return None
    expo = value.get("expo")
    if isinstance(expo, Mapping):
        return expo, ("expo",)
    return value, ()


def parse(source: SourceFile) -> list[object]:
    language = CODE_NAMES.get(source.path.name)
    if language is not None:
        return _parse_code(source, language)
    try:
        document = jsonpos.loads(source.text())
    except jsonpos.JsonSyntaxError as error:
        return [ParseError(Span(source.display, error.line, error.col), f"malformed JSON: {error.reason}")]
    found = _config_root(document.value)
    if found is None:
        return []
    config, prefix = found
    facts: list[object] = []
    ios = config.get("ios")
    if isinstance(ios, Mapping) and isinstance(ios.get("infoPlist"), Mapping):
        locator = ats.Locator(source.display, document.positions, prefix=(*prefix, "ios", "infoPlist"))
        facts.extend(ats.interpret(ios["infoPlist"], locator, origin="expo"))
    facts.extend(_build_properties(config.get("plugins"), (*prefix, "plugins"), document, source.display))
    return facts


def _build_properties(plugins: object, path: jsonpos.PathKey, document: jsonpos.JsonDocument,
                      display: str) -> list[object]:
    """``["expo-build-properties", {"android": {"usesCleartextTraffic": true}}]`` in ``plugins``."""
    if not isinstance(plugins, list):
        return []
    facts: list[object] = []
    for index, plugin in enumerate(plugins):
        if not (isinstance(plugin, list) and len(plugin) >= 2 and plugin[0] == "expo-build-properties"):
            continue
        options = plugin[1]
        android = options.get("android") if isinstance(options, Mapping) else None
        if not isinstance(android, Mapping) or ats.as_bool(android.get("usesCleartextTraffic")) is not True:
            continue
        locator = ats.Locator(display, document.positions, prefix=(*path, index, 1, "android"))
        facts.append(CleartextPolicy(
            origin="expo-build-properties", platform="android", scope="app", permitted=True,
            span=locator.span(("usesCleartextTraffic",)),
            setting="expo-build-properties android.usesCleartextTraffic = true",
        ))
    return facts


# --- app.config.js / app.config.ts ------------------------------------------------------------------


def _parse_code(source: SourceFile, language: str) -> list[object]:
    try:
        root = ts.parse(source.data, language)
    except Exception as error:  # a grammar failure must not stop the scan
        return [ParseError(Span(source.display), f"cannot parse {language}: {error}")]
    facts: list[object] = []
    for pair in ts.walk_named(root, "pair"):
        if _key(pair) != "infoPlist" or ts.has_error_ancestor(pair):
            continue
        value = _unwrap(pair.child_by_field_name("value"))
        holder = pair.parent
        owner = holder.parent if holder is not None else None
        if value is None or value.type != "object" or owner is None or owner.type != "pair" or _key(owner) != "ios":
            continue
        positions: dict[jsonpos.PathKey, tuple[int, int]] = {}
        plist = _literal(value, (), positions)
        locator = ats.Locator(source.display, positions)
        facts.extend(ats.interpret(plist, locator, origin="expo"))
    return facts


def _unwrap(node: ts.Node | None) -> ts.Node | None:
    while node is not None and node.type in _TRANSPARENT:
        node = node.named_children[0] if node.named_children else None
    return node


def _key(pair: ts.Node) -> str | None:
    """The property name of a ``pair`` (identifier, string or number key); None when computed."""
    from pinlint.parsers.code.lang_javascript import string_value

    key = pair.child_by_field_name("key")
    if key is None:
        return None
    if key.type == "string":
        return string_value(key)
    if key.type in ("property_identifier", "number", "private_property_identifier"):
        return ts.text(key)
    return None


def _unknown(node: ts.Node) -> ats.Computed:
    return ats.Computed("${" + " ".join(ts.text(node).split())[:80] + "}")


def _literal(node: ts.Node, path: jsonpos.PathKey, positions: dict[jsonpos.PathKey, tuple[int, int]]) -> object:
    """The value of a literal expression; computed parts become build-time text (``${...}``)."""
    from pinlint.parsers.code.lang_javascript import string_value

    node = _unwrap(node)
    if node is None:
        return ats.Computed("${}")
    kind = node.type
    if kind == "object":
        result: dict[str, object] = {}
        for member in node.named_children:
            if member.type == "pair":
                name = _key(member)
                value = member.child_by_field_name("value")
                if name is None or value is None:
                    continue
                member_path = (*path, name)
                positions[member_path] = ts.point(member)
                result[name] = _literal(value, member_path, positions)
            elif member.type == "shorthand_property_identifier":
                name = ts.text(member)
                member_path = (*path, name)
                positions[member_path] = ts.point(member)
                result[name] = _unknown(member)
        return result
    if kind == "array":
        items: list[object] = []
        for item in node.named_children:
            if item.type == "comment":
                continue
            item_path = (*path, len(items))
            positions[item_path] = ts.point(item)
            items.append(_literal(item, item_path, positions))
        return items
    if kind in ("true", "false"):
        return kind == "true"
    if kind == "number":
        text = ts.text(node).replace("_", "")
        try:
            return int(text, 0) if text.isdigit() or text.lower().startswith(("0x", "0o", "0b")) else float(text)
        except ValueError:
            return _unknown(node)
    if kind in ("string", "template_string"):
        written = string_value(node)
        if written is not None and "\x00" not in written:
            return written
    return _unknown(node)
