"""JSON sources of iOS/Android transport settings: the position reader, Expo and Capacitor.

JSON has no comments, so these files cannot carry fixture markers: the expected lines are computed here
from the text itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pinlint.model.facts import CleartextPolicy, Endpoint, ParseError, PinSet, TlsFloor
from pinlint.parsers import SourceFile
from pinlint.parsers.config import capacitor, expo, jsonpos

PIN_A = "0KIv8FE99p0iYCfZsYeIqpTF2V8BFNkhipCJ3fD8+Fw="


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    hits = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def source(name: str, text: str) -> SourceFile:
    return SourceFile(Path(name), name, text.encode())


SAMPLE = """{
  "a": 1,
  "b": {"c": [true, {"d": "x\\"y"}], "e": null},
  "f": [
    -1.5e3,
    "g"
  ]
}
"""


def test_values_match_the_json_module() -> None:
    assert jsonpos.loads(SAMPLE).value == json.loads(SAMPLE)


def test_positions_of_keys_and_items() -> None:
    positions = jsonpos.loads(SAMPLE).positions
    assert positions[("a",)] == (2, 3)
    assert positions[("b", "c")] == (3, 9)
    assert positions[("b", "c", 1, "d")] == (3, SAMPLE.splitlines()[2].index("\"d\"") + 1)
    assert positions[("f", 1)] == (6, 5)


def test_crlf_and_comments_and_trailing_commas() -> None:
    text = '{\r\n  // comment\r\n  "a": [1, 2,],\r\n  /* block\r\n */ "b": true,\r\n}\r\n'
    document = jsonpos.loads(text)
    assert document.value == {"a": [1, 2], "b": True}
    assert document.positions[("a",)] == (3, 3)
    assert document.positions[("b",)] == (5, 5)


@pytest.mark.parametrize("text, line", [
    ('{\n  "a": 1\n  "b": 2\n}', 3),
    ('{\n  "a": tru\n}', 2),
    ('{"a": "unterminated}', 1),
    ("[1] 2", 1),
    ("", 1),
])
def test_syntax_errors_have_lines(text: str, line: int) -> None:
    with pytest.raises(jsonpos.JsonSyntaxError) as raised:
        jsonpos.loads(text)
    assert raised.value.line == line


def test_deep_nesting_is_refused_not_recursed() -> None:
    with pytest.raises(jsonpos.JsonSyntaxError):
        jsonpos.loads("[" * 5000 + "]" * 5000)


APP_JSON = """{
  "expo": {
    "name": "Care",
    "ios": {
      "infoPlist": {
        "NSAppTransportSecurity": {
          "NSAllowsArbitraryLoads": true,
          "NSExceptionDomains": {
            "legacy.example.com": {
              "NSExceptionAllowsInsecureHTTPLoads": true,
              "NSExceptionMinimumTLSVersion": "TLSv1.0"
            },
            "localhost": {"NSExceptionAllowsInsecureHTTPLoads": true}
          },
          "NSPinnedDomains": {
            "api.example.com": {
              "NSPinnedCAIdentities": [{"SPKI-SHA256-BASE64": "PIN_A"}]
            }
          }
        }
      }
    },
    "plugins": [
      "expo-router",
      ["expo-build-properties", {"android": {"usesCleartextTraffic": true}}]
    ]
  }
}
""".replace("PIN_A", PIN_A)


def test_expo_info_plist_settings_with_json_lines() -> None:
    facts = expo.parse(source("app.json", APP_JSON))
    policies = {(fact.platform, fact.scope, fact.hosts): fact for fact in facts
                if isinstance(fact, CleartextPolicy)}
    assert policies[("ios", "app", ())].span.line == line_of(APP_JSON, "NSAllowsArbitraryLoads")
    assert policies[("ios", "domain", ("legacy.example.com",))].span.line == line_of(
        APP_JSON, "NSExceptionAllowsInsecureHTTPLoads")
    local = policies[("ios", "domain", ("localhost",))]
    assert local.local_only and local.span.line == line_of(APP_JSON, '"localhost"')
    assert policies[("android", "app", ())].span.line == line_of(APP_JSON, "usesCleartextTraffic")
    (floor,) = [fact for fact in facts if isinstance(fact, TlsFloor)]
    assert floor.span.line == line_of(APP_JSON, "NSExceptionMinimumTLSVersion")
    (pin_set,) = [fact for fact in facts if isinstance(fact, PinSet)]
    assert pin_set.kind == "ca" and pin_set.span.line == line_of(APP_JSON, "NSPinnedCAIdentities")
    assert pin_set.span.col == APP_JSON.splitlines()[pin_set.span.line - 1].index('"') + 1


def test_expo_config_without_the_expo_wrapper() -> None:
    text = '{\n  "ios": {\n    "infoPlist": {\n      "NSAppTransportSecurity": {\n' \
           '        "NSAllowsArbitraryLoadsInWebContent": true\n      }\n    }\n  }\n}\n'
    facts = expo.parse(source("app.config.json", text))
    found = [(fact.scope, fact.span.line) for fact in facts if isinstance(fact, CleartextPolicy)]
    assert found == [("webview", 5)]


def test_expo_safe_settings_and_malformed_json() -> None:
    safe = '{"expo": {"ios": {"infoPlist": {"NSAppTransportSecurity": {"NSAllowsArbitraryLoads": false}}}}}'
    assert expo.parse(source("app.json", safe)) == []
    broken = expo.parse(source("app.json", '{\n  "expo": {\n    "ios": {"infoPlist": }\n  }\n}'))
    assert len(broken) == 1 and isinstance(broken[0], ParseError) and broken[0].span.line == 3


def test_expo_accepts_only_its_files() -> None:
    assert expo.accepts("app.json", b"{") and expo.accepts("app.config.json", b"{")
    assert not expo.accepts("package.json", b"{")


CAPACITOR = """{
  "appId": "com.example.care",
  "server": {
    "url": "http://care.example.com:8100",
    "cleartext": true
  },
  "android": {
    "allowMixedContent": true
  }
}
"""


def test_capacitor_settings_with_json_lines() -> None:
    facts = capacitor.parse(source("capacitor.config.json", CAPACITOR))
    policies = {fact.scope: fact for fact in facts if isinstance(fact, CleartextPolicy)}
    assert policies["app"].span.line == line_of(CAPACITOR, "cleartext")
    assert policies["webview"].span.line == line_of(CAPACITOR, "allowMixedContent")
    (endpoint,) = [fact for fact in facts if isinstance(fact, Endpoint)]
    assert endpoint.host == "care.example.com" and endpoint.span.line == line_of(CAPACITOR, '"url"')


def test_capacitor_safe_config() -> None:
    text = ('{"server": {"cleartext": false, "url": "https://care.example.com"},'
            ' "android": {"allowMixedContent": false}}')
    facts = capacitor.parse(source("capacitor.config.json", text))
    assert [fact for fact in facts if isinstance(fact, CleartextPolicy)] == []
    assert all(fact.scheme == "https" for fact in facts if isinstance(fact, Endpoint))
