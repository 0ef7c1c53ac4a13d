"""Network security config parser: structure, spans, trimming, load-time problems."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pinlint.discover.android import config_context_files
from pinlint.model.android import NetworkSecurityConfigFile
from pinlint.model.facts import ParseError
from pinlint.parsers import SourceFile
from pinlint.parsers.config.android_nsc import accepts, digest_algorithm, parse, parse_expiration

PIN_A = "A3v+PN0VLB6Ca2H1QL8LLKq28k0YHSjuFAxmGjDFEYE="
PIN_B = "dGiyahaOkeH1NVyRC0zrEaSe2pqc76osSaU6cL5A/YA="


def parse_text(text: str, name: str = "network_security_config.xml") -> NetworkSecurityConfigFile:
    facts = parse(SourceFile(Path("/project") / name, name, text.encode()))
    assert len(facts) == 1 and isinstance(facts[0], NetworkSecurityConfigFile), facts
    return facts[0]


def reasons(config: NetworkSecurityConfigFile) -> list[tuple[str, int]]:
    return [(problem.reason, problem.span.line) for problem in config.problems]


def test_accepts_by_root_sniff_or_config_like_name() -> None:
    assert accepts("security.xml", b'<?xml version="1.0"?>\n<network-security-config>')
    assert accepts("network_security_config.xml", b"")
    assert accepts("network_security_config_debug.xml", b"\x00\x01")
    assert not accepts("strings.xml", b"<resources/>")
    assert not accepts("NOTES.md", b"<network-security-config>")


def test_root_must_be_network_security_config() -> None:
    text = '<resources><!-- see network-security-config --><string name="a">b</string></resources>'
    assert parse(SourceFile(Path("/p/values.xml"), "values.xml", text.encode())) == []


def test_tree_spans_and_trimmed_values() -> None:
    config = parse_text(f"""<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <base-config cleartextTrafficPermitted="false"/>
    <domain-config
        cleartextTrafficPermitted="true">
        <domain includeSubdomains="true">  API.Example.COM
        </domain>
        <pin-set
            expiration="2027-01-31">
            <pin digest="SHA-256">
                {PIN_A}
            </pin>
            <pin digest="SHA-256">{PIN_B}</pin>
        </pin-set>
    </domain-config>
</network-security-config>
""")
    assert config.base is not None and config.base.cleartext is False
    (scope,) = config.domain_configs
    assert scope.span.line == 4
    assert scope.cleartext is True and scope.cleartext_span is not None and scope.cleartext_span.line == 5
    (domain,) = scope.domains
    assert domain.name == "api.example.com" and domain.include_subdomains and domain.span.line == 6
    pin_set = scope.pin_set
    assert pin_set is not None
    assert pin_set.span.line == 8
    assert pin_set.expiration == date(2027, 1, 31)
    assert pin_set.expiration_span is not None and pin_set.expiration_span.line == 9
    assert [pin.value for pin in pin_set.pins] == [PIN_A, PIN_B]
    assert [pin.span.line for pin in pin_set.pins] == [10, 13]
    assert all(pin.is_valid for pin in pin_set.pins)
    assert config.problems == ()


def test_duplicate_domains_case_insensitive_anywhere() -> None:
    config = parse_text("""<network-security-config>
    <domain-config>
        <domain includeSubdomains="true">example.com</domain>
        <domain-config>
            <domain>EXAMPLE.com</domain>
        </domain-config>
    </domain-config>
    <domain-config><domain>other.example</domain></domain-config>
    <domain-config><domain> Other.Example </domain></domain-config>
</network-security-config>""")
    found = reasons(config)
    assert ("domain 'example.com' is already specified (line 3)", 5) in found
    assert ("domain 'other.example' is already specified (line 8)", 9) in found
    assert len(found) == 2


def test_structural_load_time_errors() -> None:
    config = parse_text("""<network-security-config>
    <base-config>
        <domain>a.example</domain>
        <pin-set><pin digest="SHA-256">x</pin></pin-set>
        <domain-config><domain>b.example</domain></domain-config>
    </base-config>
    <base-config/>
    <domain-config cleartextTrafficPermitted="false"/>
    <domain-config>
        <domain>c.example</domain>
        <trust-anchors/>
        <trust-anchors/>
        <pin-set/>
        <pin-set/>
    </domain-config>
    <debug-overrides><pin-set/></debug-overrides>
    <debug-overrides/>
</network-security-config>""")
    found = reasons(config)
    assert ("<domain> is not allowed in <base-config>", 3) in found
    assert ("<pin-set> is not allowed in <base-config>", 4) in found
    assert ("a nested <domain-config> is not allowed in <base-config>", 5) in found
    assert ("only one <base-config> is allowed", 7) in found
    assert ("<domain-config> has no <domain>", 8) in found
    assert ("only one <trust-anchors> is allowed in <domain-config>", 12) in found
    assert ("only one <pin-set> is allowed in <domain-config>", 14) in found
    assert ("<pin-set> is not allowed in <debug-overrides>", 16) in found
    assert ("only one <debug-overrides> is allowed", 17) in found
    assert len(found) == 9
    debug_flags = {problem.span.line: problem.in_debug_overrides for problem in config.problems}
    assert debug_flags[16] is True and debug_flags[4] is False


@pytest.mark.parametrize(("src", "valid"), [
    ("system", True), ("user", True), ("wfa", True), ("@raw/my_ca", True), ("@com.example:raw/ca", True),
    ("raw/my_ca", False), ("@drawable/my_ca", False), ("System", False), ("", False),
])
def test_certificate_sources(src: str, valid: bool) -> None:
    config = parse_text(f"""<network-security-config>
    <base-config>
        <trust-anchors>
            <certificates
                src="{src}"/>
        </trust-anchors>
    </base-config>
</network-security-config>""")
    assert config.base is not None and config.base.trust_anchors is not None
    if valid:
        assert config.problems == ()
        (entry,) = config.base.trust_anchors.certificates
        assert entry.src == src and entry.span.line == 4 and entry.src_span.line == 5
    else:
        problems = reasons(config)
        assert [(line, "unknown certificates src" in reason) for reason, line in problems] == [(5, True)]


def test_missing_src_and_override_pins() -> None:
    config = parse_text("""<network-security-config>
    <base-config>
        <trust-anchors>
            <certificates overridePins="true"/>
            <certificates src="user" overridePins="True"/>
            <certificates src="system" overridePins="yes"/>
        </trust-anchors>
    </base-config>
</network-security-config>""")
    assert reasons(config) == [("<certificates> has no src attribute", 4)]
    assert config.base is not None and config.base.trust_anchors is not None
    user, system = config.base.trust_anchors.certificates
    assert user.override_pins is True and user.override_span is not None and user.override_span.line == 5
    assert system.override_pins is None  # not a boolean aapt accepts: the platform default applies


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-01-15", date(2026, 1, 15)),
    ("2026-1-5", date(2026, 1, 5)),
    ("2026-01-15T10:00", date(2026, 1, 15)),  # SimpleDateFormat.parse ignores trailing text
    (" 2026-01-15 ", date(2026, 1, 15)),
    ("2026-02-30", None),
    ("2026-13-01", None),
    ("31/12/2026", None),
    ("", None),
    ("0000-01-01", None),
])
def test_expiration_parsing(text: str, expected: date | None) -> None:
    assert parse_expiration(text) == expected


def test_malformed_expiration_is_a_problem_on_its_attribute() -> None:
    config = parse_text(f"""<network-security-config>
    <domain-config>
        <domain>a.example</domain>
        <pin-set
            expiration="2026/01/01">
            <pin digest="SHA-256">{PIN_A}</pin>
        </pin-set>
    </domain-config>
</network-security-config>""")
    assert [line for _reason, line in reasons(config)] == [5]
    assert config.domain_configs[0].pin_set is not None
    assert config.domain_configs[0].pin_set.expiration is None


@pytest.mark.parametrize(("digest", "is_sha256"), [
    ("SHA-256", True), ("sha-256", True), ("Sha-256", True),
    ("SHA256", False), ("SHA-1", False), ("MD5", False), (None, False),
])
def test_digest_only_exact_sha_256(digest: str | None, is_sha256: bool) -> None:
    from pinlint.model.facts import Pin, Span

    pin = Pin(PIN_A, digest_algorithm(digest), Span("x"))
    assert pin.is_sha256 is is_sha256


def test_pin_text_ignores_comments_and_reports_empty_pins() -> None:
    config = parse_text(f"""<network-security-config>
    <domain-config>
        <domain>a.example</domain>
        <pin-set>
            <pin digest="SHA-256"><!-- backup -->{PIN_A}</pin>
            <pin digest="SHA-256">   </pin>
        </pin-set>
    </domain-config>
</network-security-config>""")
    pin_set = config.domain_configs[0].pin_set
    assert pin_set is not None and [pin.value for pin in pin_set.pins] == [PIN_A]
    assert reasons(config) == [("<pin> has no digest value", 6)]


def test_unknown_and_commented_elements_are_ignored() -> None:
    config = parse_text(f"""<network-security-config>
    <!-- <base-config cleartextTrafficPermitted="true"/> -->
    <certificateTransparency enabled="true"/>
    <domain-config>
        <domain>a.example</domain>
        <futureElement><pin-set/></futureElement>
        <!-- <domain>a.example</domain> -->
        <pin-set><pin digest="SHA-256">{PIN_A}</pin><extra/></pin-set>
        <debug-overrides><trust-anchors><certificates src="user"/></trust-anchors></debug-overrides>
    </domain-config>
</network-security-config>""")
    assert config.problems == ()
    assert config.base is None and config.debug_overrides is None
    assert config.domain_configs[0].trust_anchors is None


def test_trustkit_config() -> None:
    config = parse_text(f"""<network-security-config>
    <domain-config>
        <domain>a.example</domain>
        <pin-set><pin digest="SHA-256">{PIN_A}</pin></pin-set>
        <trustkit-config
            enforcePinning="TRUE" disableDefaultReportUri="true">
            <report-uri> https://reports.example/log </report-uri>
        </trustkit-config>
        <domain-config>
            <domain>b.example</domain>
            <trustkit-config/>
        </domain-config>
    </domain-config>
</network-security-config>""")
    outer = config.domain_configs[0]
    assert outer.trustkit is not None
    assert outer.trustkit.enforce_pinning is True
    assert outer.trustkit.enforce_span is not None and outer.trustkit.enforce_span.line == 6
    assert outer.trustkit.disable_default_report_uri
    assert outer.trustkit.report_uris == ("https://reports.example/log",)
    inner = outer.children[0]
    assert inner.trustkit is not None and inner.trustkit.enforce_pinning is None
    assert inner.trustkit.enforce_span is None and inner.trustkit.span.line == 11


def test_malformed_file_is_a_parse_error() -> None:
    facts = parse(SourceFile(Path("/p/network_security_config.xml"), "n.xml", b"<network-security-config>"))
    assert len(facts) == 1 and isinstance(facts[0], ParseError) and not facts[0].unsafe


def test_context_files_of_a_staged_config(tmp_path: Path) -> None:
    module = tmp_path / "app"
    (module / "src" / "main" / "res" / "xml").mkdir(parents=True)
    (module / "src" / "debug").mkdir(parents=True)
    (module / "build.gradle.kts").write_text("android {}")
    (module / "src" / "main" / "AndroidManifest.xml").write_text("<manifest/>")
    (module / "src" / "debug" / "AndroidManifest.xml").write_text("<manifest/>")
    config = module / "src" / "main" / "res" / "xml" / "network_security_config.xml"
    config.write_text("<network-security-config/>")
    companion = config.with_name("network_security_config_debug.xml")
    companion.write_text("<network-security-config/>")
    found = {path.relative_to(tmp_path).as_posix() for path in config_context_files(config)}
    assert found == {
        "app/build.gradle.kts", "app/src/main/AndroidManifest.xml", "app/src/debug/AndroidManifest.xml",
        "app/src/main/res/xml/network_security_config_debug.xml",
    }
