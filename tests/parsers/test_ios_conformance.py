"""iOS configuration semantics found by the conformance sweep: Expo ``app.config.js``/``.ts`` literals and
TrustKit's refusal of ``TSKIncludeSubdomains`` on a public suffix."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from pinlint.model.facts import CleartextPolicy, ConfigProblem, PinSet
from pinlint.parsers import SourceFile
from pinlint.parsers.config import expo, plist
from pinlint.parsers.config.public_suffix import is_public_suffix

PIN_A = "A3v+PN0VLB6Ca2H1QL8LLKq28k0YHSjuFAxmGjDFEYE="
PIN_B = "dGiyahaOkeH1NVyRC0zrEaSe2pqc76osSaU6cL5A/YA="


def parse_code(name: str, text: str) -> list[object]:
    return expo.parse(SourceFile(Path(name), name, text.encode()))


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("name", ["app.config.js", "app.config.ts", "app.config.mjs", "app.config.cjs"])
def test_dynamic_expo_configs_are_accepted(name: str) -> None:
    assert expo.accepts(name, b"")
    assert not expo.accepts("config.js", b"")


def test_literal_info_plist_in_app_config_js_is_read_with_key_lines() -> None:
    text = """module.exports = ({ config }) => ({
  ...config,
  ios: {
    infoPlist: {
      NSAppTransportSecurity: {
        "NSAllowsArbitraryLoads": true,
        NSExceptionDomains: {
          "old.example.com": { NSExceptionMinimumTLSVersion: `TLSv1.0` },
        },
      },
    },
  },
});
"""
    facts = parse_code("app.config.js", text)
    cleartext = [fact for fact in facts if isinstance(fact, CleartextPolicy)]
    assert [(fact.scope, fact.span.line) for fact in cleartext] == [("app", line_of(text, "NSAllowsArbitrary"))]
    assert cleartext[0].origin == "expo"


def test_computed_values_are_never_judged_but_a_present_narrow_key_still_counts() -> None:
    text = """const web = process.env.WEB === "1";
export default {
  expo: {
    ios: {
      infoPlist: {
        NSAppTransportSecurity: {
          NSAllowsArbitraryLoads: true,
          NSAllowsArbitraryLoadsInWebContent: web,
          NSExceptionDomains: { "a.example.com": web ? {} : { NSExceptionAllowsInsecureHTTPLoads: true } },
          NSPinnedDomains: {
            "b.example.com": pinned,
            "c.example.com": { NSPinnedCAIdentities: [...sharedPins, { "SPKI-SHA256-BASE64": "PIN_A" }] },
          },
        },
        TSKConfiguration: { TSKPinnedDomains: { "d.example.com": { TSKPublicKeyHashes: hashes } } },
      },
    },
  },
};
""".replace("PIN_A", PIN_A)
    facts = parse_code("app.config.ts", text)
    assert not [fact for fact in facts if isinstance(fact, (CleartextPolicy, ConfigProblem))]
    pin_sets = [fact for fact in facts if isinstance(fact, PinSet)]
    assert [(pin_set.hosts, len(pin_set.valid_distinct_pins)) for pin_set in pin_sets] == [(("c.example.com",), 2)]


def test_info_plist_outside_ios_or_inside_a_broken_region_is_ignored() -> None:
    text = """export default {
  android: { infoPlist: { NSAppTransportSecurity: { NSAllowsArbitraryLoads: true } } },
  infoPlist: { NSAppTransportSecurity: { NSAllowsArbitraryLoads: true } },
};
"""
    assert parse_code("app.config.js", text) == []


@pytest.mark.parametrize(("name", "expected"), [
    ("com", True), ("co.uk", True), ("appspot.com", True), ("CO.UK.", True),
    ("example.co.uk", False), ("example.com", False), ("api.appspot.com", False), ("", False),
])
def test_public_suffixes(name: str, expected: bool) -> None:
    assert is_public_suffix(name) is expected


def test_trustkit_include_subdomains_on_a_public_suffix_is_invalid() -> None:
    config = {"TSKConfiguration": {"TSKPinnedDomains": {
        "co.uk": {"TSKIncludeSubdomains": True, "TSKPublicKeyHashes": [PIN_A, PIN_B]},
        "com": {"TSKIncludeSubdomains": False, "TSKPublicKeyHashes": [PIN_A, PIN_B]},
        "example.co.uk": {"TSKIncludeSubdomains": True, "TSKPublicKeyHashes": [PIN_A, PIN_B]},
    }}}
    data = plistlib.dumps(config)
    facts = plist.parse(SourceFile(Path("Info.plist"), "Info.plist", data))
    problems = [fact for fact in facts if isinstance(fact, ConfigProblem)]
    assert len(problems) == 1 and "'co.uk'" in problems[0].reason
    assert problems[0].span.line == line_of(data.decode(), "TSKIncludeSubdomains")
