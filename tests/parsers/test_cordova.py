"""Cordova config.xml: the ATS settings cordova-ios derives, with element and attribute lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pinlint.model.facts import CipherPolicy, CleartextPolicy, ParseError, TlsFloor
from pinlint.parsers import SourceFile
from pinlint.parsers.config import cordova

WIDGET = '<?xml version="1.0" encoding="utf-8"?>\n<widget id="com.example.care" xmlns="http://www.w3.org/ns/widgets">\n'


def parse(body: str) -> list[object]:
    text = WIDGET + body + "</widget>\n"
    return cordova.parse(SourceFile(Path("config.xml"), "config.xml", text.encode()))


def of(facts: list[object], kind: type[Any]) -> list[Any]:
    return [fact for fact in facts if isinstance(fact, kind)]


def test_star_origin_is_arbitrary_loads_at_the_attribute() -> None:
    facts = parse('    <access origin="*" />\n')
    (policy,) = of(facts, CleartextPolicy)
    assert policy.scope == "app" and policy.origin == "cordova"
    assert (policy.span.line, policy.span.col) == (3, 13)
    assert policy.setting == '<access origin="*">'


def test_allow_navigation_star_is_arbitrary_loads_too() -> None:
    (policy,) = of(parse('  <allow-navigation href="*" />\n'), CleartextPolicy)
    assert policy.scope == "app"


def test_star_host_url_is_arbitrary_loads() -> None:
    (policy,) = of(parse('  <allow-intent href="http://*/*" />\n  <allow-navigation href="https://*/*" />\n'),
                   CleartextPolicy)
    assert policy.scope == "app" and policy.span.line == 4


def test_star_neutralised_by_narrow_attributes() -> None:
    local = parse('    <access origin="*" allows-local-networking="true" />\n')
    assert of(local, CleartextPolicy) == []
    web = parse('    <access origin="*"\n        allows-arbitrary-loads-in-web-content="true" />\n')
    (policy,) = of(web, CleartextPolicy)
    assert policy.scope == "webview" and policy.span.line == 4
    not_true = parse('    <access origin="*" allows-local-networking="false" />\n')
    assert [policy.scope for policy in of(not_true, CleartextPolicy)] == ["app"]


def test_http_origins_are_insecure_loads_for_their_host() -> None:
    facts = parse(
        '    <access origin="http://legacy.example.com/api" />\n'
        '    <allow-navigation href="http://*.kiosk.example.org/*" />\n'
        '    <access origin="https://api.example.com" />\n'
        '    <allow-intent href="http://*/*" />\n'
        '    <access origin="cdvfile://*" />\n'
        '    <access origin="http://127.0.0.1:8080" />\n'
    )
    policies = sorted(of(facts, CleartextPolicy), key=lambda policy: policy.span.line)
    assert [(policy.hosts, policy.span.line, policy.local_only) for policy in policies] == [
        (("legacy.example.com",), 3, False), (("kiosk.example.org",), 4, False), (("127.0.0.1",), 8, True),
    ]


def test_tls_and_forward_secrecy_attributes() -> None:
    facts = parse(
        '    <access origin="https://a.example.com" minimum-tls-version="TLSv1.1"\n'
        '            requires-forward-secrecy="false" />\n'
        '    <access origin="https://b.example.com" minimum-tls-version="TLSv1.2"\n'
        '            requires-forward-secrecy="true" />\n'
    )
    (floor,) = of(facts, TlsFloor)
    assert floor.version_text == "TLSv1.1" and floor.span.line == 3
    (cipher,) = of(facts, CipherPolicy)
    assert cipher.hosts == ("a.example.com",) and cipher.span.line == 4


def test_android_platform_entries_do_not_reach_ios() -> None:
    facts = parse('  <platform name="android">\n    <access origin="http://a.example.com" />\n  </platform>\n'
                  '  <platform name="ios">\n    <access origin="http://i.example.com" />\n  </platform>\n')
    assert [policy.hosts for policy in of(facts, CleartextPolicy)] == [("i.example.com",)]


def test_edit_config_fragment_neutralises_star_and_is_interpreted() -> None:
    facts = parse(
        '  <access origin="*" />\n'
        '  <edit-config file="*-Info.plist" mode="merge" target="NSAppTransportSecurity">\n'
        '    <dict>\n'
        '      <key>NSAllowsArbitraryLoadsForMedia</key>\n'
        '      <true/>\n'
        '      <key>NSExceptionDomains</key>\n'
        '      <dict>\n'
        '        <key>pacs.example.net</key>\n'
        '        <dict>\n'
        '          <key>NSExceptionRequiresForwardSecrecy</key>\n'
        '          <false/>\n'
        '        </dict>\n'
        '      </dict>\n'
        '    </dict>\n'
        '  </edit-config>\n'
    )
    (policy,) = of(facts, CleartextPolicy)
    assert policy.scope == "media" and policy.span.line == 6
    (cipher,) = of(facts, CipherPolicy)
    assert cipher.span.line == 12 and cipher.setting.startswith("NSExceptionRequiresForwardSecrecy")


def test_config_file_fragment_and_overwrite_mode() -> None:
    merged = parse(
        '  <access origin="http://a.example.com" />\n'
        '  <config-file parent="NSAppTransportSecurity" target="*-Info.plist">\n'
        '    <dict><key>NSAllowsArbitraryLoads</key><true/></dict>\n'
        '  </config-file>\n'
    )
    assert sorted(policy.scope for policy in of(merged, CleartextPolicy)) == ["app", "domain"]
    overwritten = parse(
        '  <access origin="http://a.example.com" />\n'
        '  <edit-config file="App-Info.plist" mode="overwrite" target="NSAppTransportSecurity">\n'
        '    <dict><key>NSAllowsArbitraryLoads</key><false/></dict>\n'
        '  </edit-config>\n'
    )
    assert of(overwritten, CleartextPolicy) == []


def test_fragments_for_other_files_are_ignored() -> None:
    facts = parse(
        '  <config-file parent="NSAppTransportSecurity" target="res/xml/config.xml">\n'
        '    <dict><key>NSAllowsArbitraryLoads</key><true/></dict>\n'
        '  </config-file>\n'
    )
    assert facts == []


def test_hostile_config_xml_is_refused() -> None:
    text = ('<?xml version="1.0"?>\n<!DOCTYPE widget [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n'
            '<widget><access origin="&b;" /></widget>\n')
    facts = cordova.parse(SourceFile(Path("config.xml"), "config.xml", text.encode()))
    assert len(facts) == 1 and isinstance(facts[0], ParseError) and facts[0].unsafe


def test_accepts_only_cordova_config_xml() -> None:
    assert cordova.accepts("config.xml", b'<?xml version="1.0"?><widget id="x">')
    assert not cordova.accepts("config.xml", b"<configuration/>")
    assert not cordova.accepts("AndroidManifest.xml", b"<widget")
