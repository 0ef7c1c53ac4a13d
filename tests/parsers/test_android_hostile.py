"""Hostile Android inputs: every one becomes CFG901/CFG902, with no traceback and nothing read or expanded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinlint.config.policy import Policy
from pinlint.model.android import NetworkSecurityConfigFile
from pinlint.model.facts import ParseError
from pinlint.parsers import SourceFile
from pinlint.parsers.config import android_manifest, android_nsc, gradle
from pinlint.pipeline import ScanOptions, ScanResult, scan
from tests.conftest import FIXTURE_TODAY

CONFIG = "app/src/main/res/xml/network_security_config.xml"
SECRET = "secret-value-that-must-never-be-read-4711"


def scan_tree(root: Path, policy: Policy | None = None) -> ScanResult:
    return scan(ScanOptions(targets=[root], today=FIXTURE_TODAY, policy=policy or Policy(), relative_to=root))


def place(root: Path, name: str, data: bytes) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def only_finding(result: ScanResult) -> tuple[str, str]:
    assert not result.errors, result.errors
    assert len(result.findings) == 1, [(f.rule_id, f.message) for f in result.findings]
    finding = result.findings[0]
    return finding.rule_id, finding.message


def billion_laughs() -> bytes:
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE network-security-config [", '<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        lines.append(f'<!ENTITY lol{level} "' + f"&lol{level - 1};" * 10 + '">')
    lines += ["]>", "<network-security-config><domain-config><domain>&lol9;</domain></domain-config>",
              "</network-security-config>"]
    return "\n".join(lines).encode()


def test_entity_bomb_is_refused(tmp_path: Path) -> None:
    place(tmp_path, CONFIG, billion_laughs())
    rule, message = only_finding(scan_tree(tmp_path))
    assert rule == "CFG902" and "entit" in message.lower()


def test_declared_but_unused_entities_are_refused(tmp_path: Path) -> None:
    data = b'<!DOCTYPE n [<!ENTITY host "a.example">]>\n<network-security-config/>'
    place(tmp_path, CONFIG, data)
    assert only_finding(scan_tree(tmp_path))[0] == "CFG902"


@pytest.mark.parametrize("reference", ["file", "relative"])
def test_external_entity_to_a_local_file_is_never_read(tmp_path: Path, reference: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(SECRET)
    project = tmp_path / "project"
    target = secret.as_uri() if reference == "file" else "../../../../../../outside/secret.txt"
    place(project, CONFIG, (
        f'<?xml version="1.0"?>\n<!DOCTYPE network-security-config [\n<!ENTITY x SYSTEM "{target}">\n]>\n'
        "<network-security-config><domain-config><domain>&x;</domain></domain-config></network-security-config>"
    ).encode())
    result = scan_tree(project)
    assert only_finding(result)[0] == "CFG902"
    everything = repr(result.facts.facts) + json.dumps([f.message for f in result.findings])
    assert SECRET not in everything


def test_external_dtd_is_not_fetched(tmp_path: Path) -> None:
    place(tmp_path, "app/src/main/AndroidManifest.xml",
          b'<!DOCTYPE manifest SYSTEM "http://192.0.2.1/evil.dtd">\n<manifest/>')
    rule, message = only_finding(scan_tree(tmp_path))
    assert rule == "CFG902" and "external DTD" in message


def test_undefined_entity_is_unsafe(tmp_path: Path) -> None:
    place(tmp_path, CONFIG, b"<network-security-config><domain-config><domain>&x;</domain>"
                            b"</domain-config></network-security-config>")
    assert only_finding(scan_tree(tmp_path))[0] == "CFG902"


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"   \n\t\n", "empty"),
    (b"\x00\x01\x02\x03binary\x00" * 50, "binary"),
    (b"\x03\x00\x08\x00" + bytes(range(256)) * 4, "binary"),  # a compiled (AXML) resource
    (b"<network-security-config><domain-config>", "malformed"),
    (b"\xff\xfe<\x00n\x00", "malformed"),
])
def test_unreadable_config_is_cfg901(tmp_path: Path, data: bytes, reason: str) -> None:
    place(tmp_path, CONFIG, data)
    rule, message = only_finding(scan_tree(tmp_path))
    assert rule == "CFG901" and reason in message


def test_deep_nesting_is_handled(tmp_path: Path) -> None:
    depth = 5000
    inner = "<domain-config><domain>d{}.example</domain>"
    body = "".join(inner.format(level) for level in range(depth)) + "</domain-config>" * depth
    place(tmp_path, CONFIG, f"<network-security-config>{body}</network-security-config>".encode())
    rule, _message = only_finding(scan_tree(tmp_path))
    assert rule == "CFG901"


def test_moderate_nesting_is_parsed(tmp_path: Path) -> None:
    depth = 200
    inner = "<domain-config><domain>d{}.example</domain>"
    body = "".join(inner.format(level) for level in range(depth)) + "</domain-config>" * depth
    place(tmp_path, CONFIG, f"<network-security-config>{body}</network-security-config>".encode())
    result = scan_tree(tmp_path)
    assert not result.errors and result.findings == []
    (config,) = result.facts.of(NetworkSecurityConfigFile)
    assert len(list(config.domain_configs[0].walk())) == depth


def test_huge_file_is_skipped_with_a_finding(tmp_path: Path) -> None:
    padding = b"<!-- " + b"x" * 2048 + b" -->\n"
    place(tmp_path, CONFIG, b"<network-security-config>\n" + padding * 400 + b"</network-security-config>")
    rule, message = only_finding(scan_tree(tmp_path, Policy(max_file_size=100_000)))
    assert rule == "CFG901" and "limit" in message


def test_hostile_gradle_and_manifest_never_raise(tmp_path: Path) -> None:
    place(tmp_path, "app/build.gradle", b"android {" * 20000 + b'"\\' + b"\x00\xff" * 100)
    place(tmp_path, "app/src/main/AndroidManifest.xml", b"\x00" * 100)
    result = scan_tree(tmp_path)
    assert not result.errors
    assert [finding.rule_id for finding in result.findings] == ["CFG901"]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_parsers_never_raise_on_bytes(data: bytes) -> None:
    for module, name in ((android_nsc, "network_security_config.xml"),
                         (android_manifest, "AndroidManifest.xml"), (gradle, "build.gradle")):
        facts = module.parse(SourceFile(Path("/p") / name, name, data))
        assert isinstance(facts, list)


XML_PIECES = st.sampled_from([
    "<network-security-config>", "</network-security-config>", "<domain-config>", "</domain-config>",
    "<domain>", "</domain>", "a.example", "<pin-set expiration='2026-01-01'>", "</pin-set>",
    "<pin digest='SHA-256'>", "</pin>", "<base-config/>", "<debug-overrides>", "</debug-overrides>",
    "<trust-anchors>", "</trust-anchors>", "<certificates src='user'/>", "<!-- c -->", "&amp;", " ",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(XML_PIECES, max_size=40))
def test_nsc_parser_never_raises_on_fragments(pieces: list[str]) -> None:
    data = ("<network-security-config>" + "".join(pieces) + "</network-security-config>").encode()
    facts = android_nsc.parse(SourceFile(Path("/p/n.xml"), "n.xml", data))
    assert all(isinstance(fact, (ParseError, NetworkSecurityConfigFile)) for fact in facts)
