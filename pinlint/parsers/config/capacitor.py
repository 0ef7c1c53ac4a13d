"""Capacitor configuration (``capacitor.config.json``).

``server.cleartext: true`` lets the Android app send cleartext traffic (it sets the manifest's
``usesCleartextTraffic``); ``android.allowMixedContent: true`` lets the WebView load ``http://`` content
into an ``https://`` page; ``server.url`` with ``http://`` loads the whole app from an unencrypted
server (a live-reload setting that should not be committed). ``capacitor.config.ts`` is code and is
not read here.
"""

from __future__ import annotations

from collections.abc import Mapping

from pinlint.model.facts import CleartextPolicy, ParseError, Span
from pinlint.parsers import SourceFile
from pinlint.parsers.config import ats, jsonpos
from pinlint.vocab.urls import endpoint_from_literal

NAME = "capacitor"

TRIGGERS = (b"cleartext", b"allowMixedContent", b"http://")


def accepts(name: str, head: bytes) -> bool:
    return name == "capacitor.config.json"


def parse(source: SourceFile) -> list[object]:
    try:
        document = jsonpos.loads(source.text())
    except jsonpos.JsonSyntaxError as error:
        return [ParseError(Span(source.display, error.line, error.col), f"malformed JSON: {error.reason}")]
    config = document.value
    if not isinstance(config, Mapping):
        return []
    locator = ats.Locator(source.display, document.positions)
    facts: list[object] = []
    server = config.get("server")
    if isinstance(server, Mapping):
        if ats.as_bool(server.get("cleartext")) is True:
            facts.append(CleartextPolicy(
                origin="capacitor", platform="android", scope="app", permitted=True,
                span=locator.span(("server", "cleartext")), setting="Capacitor server.cleartext = true",
            ))
        url = server.get("url")
        if isinstance(url, str):
            endpoint = endpoint_from_literal(url, locator.span(("server", "url")), language="json")
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
