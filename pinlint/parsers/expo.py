"""Expo app configuration (``app.json``, ``app.config.json``).

``expo.ios.infoPlist`` (or ``ios.infoPlist`` when the file has no ``expo`` wrapper) is a free-form
dictionary merged into the generated Info.plist at prebuild: it goes through the same ATS and TrustKit
interpretation as an Info.plist, with the JSON line of each key. The ``expo-build-properties`` plugin's
``android.usesCleartextTraffic`` sets the Android manifest flag. ``app.config.js``/``.ts`` are code
and are not read here.
"""

from __future__ import annotations

from collections.abc import Mapping

from pinlint.model import CleartextPolicy, ParseError, Span
from pinlint.parsers import SourceFile, ats, jsonpos

NAME = "expo"

FILE_NAMES = frozenset({"app.json", "app.config.json"})
TRIGGERS = (b"infoPlist", b"usesCleartextTraffic")


def accepts(name: str, head: bytes) -> bool:
    return name in FILE_NAMES


def _config_root(value: object) -> tuple[Mapping[str, object], jsonpos.PathKey] | None:
    if not isinstance(value, Mapping):
        return None
    expo = value.get("expo")
    if isinstance(expo, Mapping):
        return expo, ("expo",)
    return value, ()


def parse(source: SourceFile) -> list[object]:
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
