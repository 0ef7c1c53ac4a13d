"""Pins meet certificates through the shared fact model: PIN102 (leaf), PIN103/104 (pinned certificate
expiry), PIN109 (public root), PIN110 (disjoint pins), PIN111 (sensitive hosts) and KEY401."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import certifi
import pytest
from click.testing import CliRunner

from pinlint.checks.context import CheckContext
from pinlint.cli.app import main
from pinlint.config.policy import Policy
from pinlint.model.facts import (
    AnchorSource,
    Certificate,
    FactStore,
    Pin,
    PinClassification,
    PinSet,
    PlatformPresence,
    Span,
    TrustAnchors,
)
from pinlint.model.findings import Finding
from pinlint.parsers import SourceFile
from pinlint.parsers.config import certificates as certificate_parser
from pinlint.resolve import certificates as certificate_resolver
from pinlint.rules import Rule, lookup
from tests.certgen import Chain, der, key_pem, make_chain, pem
from tests.conftest import FIXTURE_TODAY, scan_path
from tests.parsers.test_certificates import expected_pin

ORIGINS = [
    ("android-nsc", "android", "any", "app/src/main/res/xml/network_security_config.xml"),
    ("ns-pinned-domains", "ios", "ca", "ios/App/Info.plist"),
    ("trustkit", "ios", "any", "ios/App/AppDelegate.swift"),
    ("okhttp", "android", "any", "app/src/main/java/com/example/Api.kt"),
]


def certificate_facts(display: str, data: bytes) -> list[Certificate]:
    facts = certificate_parser.parse(SourceFile(Path(display), display, data))
    return [fact for fact in facts if isinstance(fact, Certificate)]


def pin_set(pins: list[str], origin: str = "android-nsc", platform: str = "android", kind: str = "any",
            path: str = "app/src/main/res/xml/network_security_config.xml", hosts: tuple[str, ...] = (
                "api.example.com",), **extra: object) -> PinSet:
    return PinSet(
        origin=origin, platform=platform, hosts=hosts, kind=kind, span=Span(path, 3),
        pins=tuple(Pin(value, "sha256", Span(path, 4 + index)) for index, value in enumerate(pins)),
        **extra,  # type: ignore[arg-type]
    )


def run(rule_id: str, facts: list[object], policy: Policy | None = None,
        today: date = FIXTURE_TODAY) -> list[Finding]:
    store = FactStore()
    store.extend(facts)
    certificate_resolver.resolve(store)
    rule = lookup(rule_id) or stand_in_rule(rule_id)
    ctx = CheckContext(today=today, policy=policy or Policy(), rule=rule)
    return [finding for finding in rule.load_check()(store, ctx) if finding.rule_id == rule_id]


#: Shared pinning rules whose catalogue files other parts of the project write.
SHARED_CHECKS = {
    "PIN102": "pinlint.checks.pins:leaf_only_pin",
    "PIN103": "pinlint.checks.pins:expired_pin_set",
    "PIN104": "pinlint.checks.pins:pin_set_expiring_soon",
}


def stand_in_rule(rule_id: str) -> Rule:
    return Rule(id=rule_id, slug=rule_id.lower(), title="", severity="medium", confidence="high", cwe=(),
                masvs=(), hipaa="", platforms=(), check=SHARED_CHECKS[rule_id], what_it_does="", why_bad="",
                example="", use_instead="", references=())


@pytest.fixture(scope="module")
def chain() -> Chain:
    return make_chain()


@pytest.fixture(scope="module")
def tree_certificates(chain: Chain) -> list[Certificate]:
    return certificate_facts("certs/chain.pem", pem(chain.leaf, chain.intermediate, chain.root))


@pytest.mark.parametrize(("origin", "platform", "kind", "path"), ORIGINS)
def test_leaf_pins_are_pin102_on_every_source(origin: str, platform: str, kind: str, path: str,
                                              chain: Chain, tree_certificates: list[Certificate]) -> None:
    leaf_pin = expected_pin(chain.leaf)
    facts: list[object] = [*tree_certificates, pin_set([leaf_pin], origin, platform, kind, path)]
    findings = run("PIN102", facts)
    assert [(f.span.path, f.span.line) for f in findings] == [(path, 3)]
    # One CA pin next to the leaf pin is enough: the set survives a leaf renewal.
    both = pin_set([leaf_pin, expected_pin(chain.intermediate)], origin, platform, kind, path)
    facts = [*tree_certificates, both]
    assert run("PIN102", facts) == []


def test_classification_roles_and_canonical_pins(chain: Chain, tree_certificates: list[Certificate]) -> None:
    spaced = expected_pin(chain.root)
    spaced = spaced[:10] + "\n  " + spaced[10:]
    store = FactStore()
    pins = [expected_pin(chain.leaf), expected_pin(chain.intermediate), spaced]
    store.extend([*tree_certificates, pin_set(pins)])
    certificate_resolver.resolve(store)
    roles = {item.pin: item.role for item in store.of(PinClassification)}
    assert roles == {expected_pin(chain.leaf): "leaf", expected_pin(chain.intermediate): "intermediate",
                     expected_pin(chain.root): "root"}


def test_an_unpadded_android_pin_meets_its_certificate(chain: Chain, tree_certificates: list[Certificate]) -> None:
    """Android reads a pin without its ``=`` padding; it is the same key as the bundled leaf's, so PIN102."""
    unpadded = expected_pin(chain.leaf).rstrip("=")
    path = "app/src/main/res/xml/network_security_config.xml"
    android = PinSet("android-nsc", "android", ("api.example.com",), (Pin(unpadded, "sha256", Span(path, 4),
                     decoder="android"),), Span(path, 3))
    assert [(f.span.path, f.span.line) for f in run("PIN102", [*tree_certificates, android])] == [(path, 3)]


def test_pin_not_in_tree_is_not_classified(tree_certificates: list[Certificate]) -> None:
    other = make_chain()
    assert run("PIN102", [*tree_certificates, pin_set([expected_pin(other.leaf)])]) == []


def test_alamofire_bundle_default_resolves_to_bundled_leaf(chain: Chain) -> None:
    bundled = certificate_facts("ios/App/Certificates/api.cer", der(chain.leaf))
    android_copy = certificate_facts("android/app/src/main/res/raw/api.cer", der(chain.intermediate))
    evaluator = PinSet("alamofire", "ios", ("api.example.com",), (), Span("ios/App/Network.swift", 12),
                       kind="certificate", certificates=("<bundle>",))
    leaf_findings = run("PIN102", [*bundled, *android_copy, evaluator])
    assert [(f.span.path, f.span.line) for f in leaf_findings] == [("ios/App/Network.swift", 12)]
    assert "ios/App/Certificates/api.cer" in leaf_findings[0].message
    backup = run("PIN101", [*bundled, *android_copy, evaluator])
    assert len(backup) == 1 and "1 pinned certificate" in backup[0].message
    # Two bundled certificates: a backup exists, and one is a CA.
    second = certificate_facts("ios/App/Certificates/ca.cer", der(chain.intermediate))
    assert run("PIN101", [*bundled, *second, evaluator]) == []
    assert run("PIN102", [*bundled, *second, evaluator]) == []


def test_explicit_certificate_names_resolve(chain: Chain) -> None:
    bundled = certificate_facts("ios/App/server.der", der(chain.leaf))
    evaluator = PinSet("afnetworking", "ios", ("api.example.com",), (), Span("ios/App/Client.m", 5),
                       kind="certificate", certificates=("server",))
    assert len(run("PIN102", [*bundled, evaluator])) == 1
    unknown = PinSet("afnetworking", "ios", ("api.example.com",), (), Span("ios/App/Client.m", 5),
                     kind="certificate", certificates=("server", "missing.cer"))
    assert run("PIN102", [*bundled, unknown]) == []


def anchors(*sources: str, hosts: tuple[str, ...] = ("api.example.com",)) -> TrustAnchors:
    path = "app/src/main/res/xml/network_security_config.xml"
    return TrustAnchors(
        "android-nsc", "android", "domain",
        tuple(AnchorSource(src, False, Span(path, 9 + index)) for index, src in enumerate(sources)),
        Span(path, 8), hosts=hosts,
    )


def test_android_anchor_limited_to_bundled_leaf_is_pin102(chain: Chain) -> None:
    leaf = certificate_facts("app/src/main/res/raw/server_cert.pem", pem(chain.leaf))
    findings = run("PIN102", [*leaf, anchors("@raw/server_cert")])
    assert [(f.span.line, f.rule_id) for f in findings] == [(9, "PIN102")]
    # With system CAs also trusted it is not certificate pinning.
    assert run("PIN102", [*leaf, anchors("@raw/server_cert", "system")]) == []
    ca = certificate_facts("app/src/main/res/raw/company_ca.der", der(chain.root))
    assert run("PIN102", [*ca, anchors("@raw/company_ca")]) == []
    # No PIN101 for a single anchor: trust anchors are not a pin list.
    assert run("PIN101", [*leaf, anchors("@raw/server_cert")]) == []


def test_pinned_certificate_expiry_is_pin103_and_pin104() -> None:
    expired = make_chain(leaf_not_after=datetime(2025, 12, 1, tzinfo=timezone.utc))
    soon = make_chain(leaf_not_after=datetime(2026, 2, 1, tzinfo=timezone.utc))
    old = certificate_facts("app/src/main/res/raw/old.pem", pem(expired.leaf))
    findings = run("PIN103", [*old, anchors("@raw/old")])
    assert len(findings) == 1 and "2025-12-02" in findings[0].message
    assert run("PIN104", [*old, anchors("@raw/old")]) == []
    near = certificate_facts("app/src/main/res/raw/near.pem", pem(soon.leaf))
    findings = run("PIN104", [*near, anchors("@raw/near")])
    assert len(findings) == 1 and "in 18 days" in findings[0].message
    # Pinning that also names a certificate valid for years does not break on the early date.
    later = certificate_facts("app/src/main/res/raw/next.pem", pem(make_chain().leaf))
    assert run("PIN104", [*near, *later, anchors("@raw/near", "@raw/next")]) == []


def certifi_root_pin() -> str:
    """A public root's pin, computed from the installed store (no hash is written into the tests)."""
    certificates = certificate_facts("cacert.pem", Path(certifi.where()).read_bytes())
    assert certificates
    return certificates[0].spki_sha256


@pytest.mark.parametrize(("origin", "platform", "kind", "path"), ORIGINS)
def test_public_root_pin_is_pin109_on_every_source(origin: str, platform: str, kind: str, path: str,
                                                   chain: Chain) -> None:
    pins = [certifi_root_pin(), expected_pin(chain.root)]
    findings = run("PIN109", [pin_set(pins, origin, platform, kind, path)])
    assert [(f.span.path, f.span.line) for f in findings] == [(path, 4)]
    assert run("PIN109", [pin_set([expected_pin(chain.root), expected_pin(chain.intermediate)])]) == []


def test_pin110_disjoint_sets_across_platforms(chain: Chain) -> None:
    other = make_chain()
    android = pin_set([expected_pin(chain.intermediate), expected_pin(chain.root)])
    ios = pin_set([expected_pin(other.intermediate), expected_pin(other.root)], "ns-pinned-domains", "ios",
                  "ca", "ios/App/Info.plist", hosts=("API.example.com.",))
    findings = run("PIN110", [android, ios])
    assert sorted((f.span.path, f.related[0].path) for f in findings) == [
        ("app/src/main/res/xml/network_security_config.xml", "ios/App/Info.plist"),
        ("ios/App/Info.plist", "app/src/main/res/xml/network_security_config.xml"),
    ]
    shared = pin_set([expected_pin(chain.root), expected_pin(other.root)], "ns-pinned-domains", "ios", "ca",
                     "ios/App/Info.plist")
    assert run("PIN110", [android, shared]) == []
    unresolved = PinSet("okhttp", "android", ("*.example.com",),
                        (Pin("${PIN}", "sha256", Span("Api.kt", 3), unresolved=True),), Span("Api.kt", 2))
    assert run("PIN110", [android, unresolved]) == []
    leaf_list = pin_set([expected_pin(other.leaf)], "ns-pinned-domains", "ios", "leaf", "ios/App/Info.plist")
    assert run("PIN110", [android, leaf_list]) == []


def test_pin110_config_versus_code_on_one_platform(chain: Chain) -> None:
    other = make_chain()
    config = pin_set([expected_pin(chain.intermediate), expected_pin(chain.root)])
    code = pin_set([expected_pin(other.intermediate), expected_pin(other.root)], "okhttp", "android", "any",
                   "app/src/main/java/Api.kt", hosts=("api.example.com",))
    assert len(run("PIN110", [config, code])) == 2


def presence() -> list[object]:
    return [PlatformPresence("android", Span("app/src/main/AndroidManifest.xml")),
            PlatformPresence("android", Span("app/src/androidTest/AndroidManifest.xml")),
            PlatformPresence("ios", Span("ios/App/Info.plist"))]


def test_pin111_sensitive_host_unpinned_per_platform(chain: Chain) -> None:
    policy = Policy(sensitive_hosts=["api.example.com", "*.records.example.com"])
    android = pin_set([expected_pin(chain.root), expected_pin(chain.intermediate)], hosts=("example.com",),
                      include_subdomains=True)
    findings = run("PIN111", [*presence(), android], policy)
    # Android covers both through example.com with subdomains; iOS pins nothing. Reported on the main
    # manifest (not the test one) and on the Info.plist.
    assert sorted((f.span.path, f.span.line, f.subject[1]) for f in findings) == [
        ("ios/App/Info.plist", 1, "*.records.example.com"),
        ("ios/App/Info.plist", 1, "api.example.com"),
    ]
    exact = pin_set([expected_pin(chain.root), expected_pin(chain.intermediate)], hosts=("api.example.com",))
    findings = run("PIN111", [*presence(), exact], policy)
    assert ("app/src/main/AndroidManifest.xml", "*.records.example.com") in {
        (f.span.path, f.subject[1]) for f in findings}
    assert len(findings) == 3
    assert run("PIN111", [*presence(), android]) == []  # no policy, no rule


@pytest.mark.parametrize(("pattern", "covered"), [
    ("*.example.com", True), ("**.example.com", True), ("example.com", False), ("*.api.example.com", False),
])
def test_pin111_okhttp_patterns(pattern: str, covered: bool, chain: Chain) -> None:
    policy = Policy(sensitive_hosts=["api.example.com"])
    okhttp = pin_set([expected_pin(chain.root), expected_pin(chain.intermediate)], "okhttp", "android",
                     hosts=(pattern,))
    findings = run("PIN111", [presence()[0], okhttp], policy)
    assert (findings == []) is covered


def test_pin111_report_only_expired_and_debug_do_not_count(chain: Chain) -> None:
    policy = Policy(sensitive_hosts=["api.example.com"])
    pins = [expected_pin(chain.root), expected_pin(chain.intermediate)]
    for weak in (pin_set(pins, enforced=False), pin_set(pins, expiration=date(2026, 1, 1)),
                 pin_set(pins, variant="debug")):
        assert len(run("PIN111", [presence()[0], weak], policy)) == 1
    flutter = pin_set(pins, "flutter-pinning", "flutter", path="lib/api.dart")
    assert run("PIN111", [*presence(), flutter], policy) == []
    leaf = certificate_facts("app/src/main/res/raw/ca.pem", pem(chain.root))
    assert run("PIN111", [presence()[0], *leaf, anchors("@raw/ca", hosts=("example.com",))], policy) == []


def test_key401_never_prints_key_material(tmp_path: Path) -> None:
    key = make_chain(kind="rsa").leaf_key
    armoured = key_pem(key)
    (tmp_path / "app/src/main/assets").mkdir(parents=True)
    (tmp_path / "app/src/main/assets/client.pem").write_bytes(armoured)
    (tmp_path / "app/src/test/resources").mkdir(parents=True)
    (tmp_path / "app/src/test/resources/test.key").write_bytes(armoured)
    # A key embedded on one line of JSON (a service-account file): the flagged line itself is the secret.
    embedded = json.dumps({"type": "service_account", "private_key": armoured.decode()})
    (tmp_path / "app/src/main/assets/service-account.json").write_text(embedded + "\n")
    result = scan_path(tmp_path)
    keys = [f for f in result.findings if f.rule_id == "KEY401"]
    assert [(f.span.path, f.severity) for f in keys] == [
        ("app/src/main/assets/client.pem", "critical"), ("app/src/main/assets/service-account.json", "critical"),
        ]
    assert result.tests_left_out == 1  # app/src/test/resources/test.key: test code, left out by default
    body_lines = [line.decode() for line in armoured.splitlines()[1:-1]]
    for output_format in ("text", "json", "sarif", "github"):
        out = CliRunner().invoke(main, ["check", str(tmp_path), "--format", output_format])
        assert "KEY401" in out.output
        assert not any(line in out.output for line in body_lines), output_format
    text = json.dumps([f.message for f in keys])
    assert not any(line[:20] in text for line in body_lines)


def test_key_pinning_fed_bundled_certificates_gets_their_keys(chain: Chain) -> None:
    bundled = [*certificate_facts("ios/App/leaf.cer", der(chain.leaf)),
               *certificate_facts("ios/App/Resources/next_leaf.crt", der(make_chain().leaf))]
    span = Span("ios/App/Network.swift", 20)
    placeholders = ("<bundle>", "<bundle:unknown>")
    evaluator = PinSet("alamofire", "ios", ("api.example.com",),
                       tuple(Pin(entry, "sha256", span, unresolved=True) for entry in placeholders), span,
                       certificates=placeholders)
    store = FactStore()
    store.extend([*bundled, evaluator])
    certificate_resolver.resolve(store)
    (resolved,) = store.of(PinSet)
    assert sorted(pin.value for pin in resolved.pins) == sorted(c.spki_sha256 for c in bundled)
    assert not any(pin.unresolved for pin in resolved.pins)
    assert len(run("PIN102", [*bundled, evaluator])) == 1
    assert run("PIN101", [*bundled, evaluator]) == []


def test_code_expression_references_resolve_by_string_literal(chain: Chain) -> None:
    bundled = certificate_facts("ios/App/api.cer", der(chain.leaf))
    written = 'Bundle.main.af.certificate(named: "api")'
    evaluator = PinSet("alamofire", "ios", ("api.example.com",), (), Span("ios/App/Network.swift", 9),
                       kind="certificate", certificates=(written,))
    findings = run("PIN102", [*bundled, evaluator])
    assert len(findings) == 1 and findings[0].related == (Span("ios/App/api.cer", 1),)
    unknown = PinSet("alamofire", "ios", ("api.example.com",), (), Span("ios/App/Network.swift", 9),
                     kind="certificate", certificates=("pinnedCertificate",))
    assert run("PIN102", [*bundled, unknown]) == []
