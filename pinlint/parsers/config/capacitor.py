"""Capacitor configuration (``capacitor.config.json``, ``capacitor.config.ts`` / ``.js``).

``server.cleartext: true`` lets the Android app send cleartext traffic (it sets the manifest's
``usesCleartextTraffic``); ``android.allowMixedContent: true`` lets the WebView load ``http://`` content
into an ``https://`` page; ``server.url`` with ``http://`` loads the whole app from an unencrypted
server (a live-reload setting that should not be committed); ``server.androidScheme: 'http'`` serves the
app's own pages from ``http://localhost``, so its WebView origin is not a secure context;
``server.allowNavigation`` entries written as ``http://`` URLs open those hosts in cleartext.

Current Capacitor apps write ``capacitor.config.ts`` (or ``.js``): code, never run. Its literal values are
read as Expo's ``app.config.js`` is (the object literal that holds ``appId``, ``webDir``, ``server`` or
``android``); computed values are unknown and never judged.
"""

from __future__ import annotations

from collections.abc import Mapping

from pinlint.model.facts import CleartextPolicy, ParseError, Span
from pinlint.parsers import SourceFile
from pinlint.parsers.config import ats, jsonpos
from pinlint.vocab.urls import endpoint_from_literal

NAME = "capacitor"

TRIGGERS = (b"cleartext", b"allowMixedContent", b"http://", b"androidScheme")

JSON_NAME = "capacitor.config.json"
CODE_NAMES = {
    "capacitor.config.ts": "typescript", "capacitor.config.js": "javascript",
    "capacitor.config.mjs": "javascript", "capacitor.config.cjs": "javascript",
}
#: Top-level keys that mark the object literal holding a Capacitor config.
_CONFIG_KEYS = frozenset({"appId", "appName", "webDir", "server", "android", "ios", "plugins"})


def accepts(name: str, head: bytes) -> bool:
    return name == JSON_NAME or name in CODE_NAMES


def parse(source: SourceFile) -> list[object]:
    language = CODE_NAMES.get(source.path.name)
    if language is not None:
        return _parse_code(source, language)
    try:
        document = jsonpos.loads(source.text())
    except jsonpos.JsonSyntaxError as error:
        return [ParseError(Span(source.display, error.line, error.col), f"malformed JSON: {error.reason}")]
    config = document.value
    if not isinstance(config, Mapping):
        return []
    return interpret(config, ats.Locator(source.display, document.positions), "json")


def _parse_code(source: SourceFile, language: str) -> list[object]:
    from pinlint.parsers.code import treesitter as ts
    from pinlint.parsers.config.expo import _key, _literal

    try:
        root = ts.parse(source.data, language)
    except Exception as error:  # a grammar failure must not stop the scan
        return [ParseError(Span(source.display), f"cannot parse {language}: {error}")]
    for node in ts.walk_named(root, "object"):
        if ts.has_error_ancestor(node):
            continue
        keys = {_key(member) for member in node.named_children if member.type == "pair"}
        if not keys & _CONFIG_KEYS or not keys & {"appId", "webDir", "server", "android"}:
            continue
        positions: dict[jsonpos.PathKey, tuple[int, int]] = {}
        config = _literal(node, (), positions)
        if isinstance(config, Mapping):
            return interpret(config, ats.Locator(source.display, positions), language)
    return []


def interpret(config: Mapping[str, object], locator: ats.Locator, language: str) -> list[object]:
    """Facts from a Capacitor config's literal values (computed ones are ``ats.Computed``: not judged)."""
    facts: list[object] = []
    server = config.get("server")
    if isinstance(server, Mapping):
        if ats.as_bool(server.get("cleartext")) is True:
            facts.append(CleartextPolicy(
                origin="capacitor", platform="android", scope="app", permitted=True,
                span=locator.span(("server", "cleartext")), setting="Capacitor server.cleartext = true",
            ))
        # in a .ts/.js config the JavaScript front end reports URL literals already
        url = server.get("url") if language == "json" else None
        if isinstance(url, str):
            endpoint = endpoint_from_literal(url, locator.span(("server", "url")), language=language)
            if endpoint is not None:
                facts.append(endpoint)
        scheme = server.get("androidScheme")
        if isinstance(scheme, str) and scheme.strip().lower() == "http":
            facts.append(CleartextPolicy(
                origin="capacitor", platform="android", scope="webview", permitted=True,
                span=locator.span(("server", "androidScheme")), hosts=("localhost",), local_only=True,
                setting="Capacitor server.androidScheme = 'http' (the app's pages are served from "
                        "http://localhost, not a secure context, so they may load http:// content)",
            ))
        navigation = server.get("allowNavigation") if language == "json" else None
        if isinstance(navigation, list):
            for index, entry in enumerate(navigation):
                if isinstance(entry, str) and entry.strip().lower().startswith(("http://", "ws://")):
                    endpoint = endpoint_from_literal(entry.replace("*.", ""), locator.span(
                        ("server", "allowNavigation", index)), language=language)
                    if endpoint is not None:
                        facts.append(endpoint)
    android = config.get("android")
    if isinstance(android, Mapping) and ats.as_bool(android.get("allowMixedContent")) is True:
        facts.append(CleartextPolicy(
            origin="capacitor", platform="android", scope="webview", permitted=True,
            span=locator.span(("android", "allowMixedContent")),
            setting="Capacitor android.allowMixedContent = true",
        ))
    return facts
