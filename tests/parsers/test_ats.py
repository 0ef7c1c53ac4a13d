"""The shared ATS/TrustKit interpretation, on dictionaries, and the iOS-specific checks it feeds."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from pinlint.checks.cleartext import weak_cipher_suite, weak_tls_version
from pinlint.checks.config import invalid_config
from pinlint.checks.context import CheckContext
from pinlint.checks.pins import leaf_only_pin, missing_backup_pin, report_only_pinning
from pinlint.model.facts import (
    CipherPolicy,
    CleartextPolicy,
    ConfigProblem,
    FactStore,
    Note,
    PinSet,
    Span,
    TlsFloor,
)
from pinlint.parsers.config import ats
from pinlint.rules import lookup
from pinlint.vocab.tls import TLS12
from tests.conftest import FIXTURE_TODAY

PIN_A = "0KIv8FE99p0iYCfZsYeIqpTF2V8BFNkhipCJ3fD8+Fw="
PIN_B = "mD/CkQrTvolGrtrWzwyf89clQnEwC2ObP6gpgKHpkcM="
PIN_C = "//eJK37fCbHcTG8tFIswhOf7MEFP4Phv5tKel9ilizw="


def interpret(root: dict[str, Any]) -> list[object]:
    return ats.interpret(root, ats.Locator("Info.plist"))


def of(facts: list[object], kind: type[Any]) -> list[Any]:
    return [fact for fact in facts if isinstance(fact, kind)]


def run(check: Any, rule_id: str, facts: list[object]) -> list[Any]:
    rule = lookup(rule_id)
    assert rule is not None
    return list(check(FactStore(list(facts)), CheckContext(today=FIXTURE_TODAY, rule=rule)))


@pytest.mark.parametrize("value", [True, "YES", "yes", "true", "1", 1])
def test_arbitrary_loads_spellings(value: object) -> None:
    facts = of(interpret({"NSAppTransportSecurity": {"NSAllowsArbitraryLoads": value}}), CleartextPolicy)
    assert [(fact.scope, fact.permitted) for fact in facts] == [("app", True)]


@pytest.mark.parametrize("value", [False, "NO", "0", 0, "$(ALLOW_HTTP)", "${ALLOW_HTTP}"])
def test_arbitrary_loads_off_or_unresolved(value: object) -> None:
    assert of(interpret({"NSAppTransportSecurity": {"NSAllowsArbitraryLoads": value}}), CleartextPolicy) == []


@pytest.mark.parametrize("narrow", ["NSAllowsArbitraryLoadsInWebContent", "NSAllowsArbitraryLoadsForMedia",
                                    "NSAllowsLocalNetworking"])
def test_arbitrary_loads_ignored_when_a_narrow_key_is_present_with_any_value(narrow: str) -> None:
    facts = interpret({"NSAppTransportSecurity": {"NSAllowsArbitraryLoads": True, narrow: False}})
    assert of(facts, CleartextPolicy) == []
    assert any("ignored" in note.text for note in of(facts, Note))


def test_narrow_keys_true_are_reported_by_scope() -> None:
    facts = interpret({"NSAppTransportSecurity": {
        "NSAllowsArbitraryLoads": True, "NSAllowsArbitraryLoadsInWebContent": True,
        "NSAllowsArbitraryLoadsForMedia": "YES", "NSAllowsLocalNetworking": True,
    }})
    assert sorted(fact.scope for fact in of(facts, CleartextPolicy)) == ["media", "webview"]


def test_exception_domain_relaxations() -> None:
    facts = interpret({"NSAppTransportSecurity": {"NSExceptionDomains": {
        "Legacy.Example.com": {
            "NSIncludesSubdomains": True,
            "NSExceptionAllowsInsecureHTTPLoads": True,
            "NSExceptionMinimumTLSVersion": "1.0",
            "NSExceptionRequiresForwardSecrecy": False,
        },
        "partner.example.org": {
            "NSThirdPartyExceptionAllowsInsecureHTTPLoads": "YES",
            "NSTemporaryExceptionMinimumTLSVersion": "TLSv1.1",
            "NSThirdPartyExceptionRequiresForwardSecrecy": "NO",
        },
    }}})
    policies = of(facts, CleartextPolicy)
    assert sorted(policy.hosts for policy in policies) == [("legacy.example.com",), ("partner.example.org",)]
    assert all(not policy.local_only and policy.scope == "domain" for policy in policies)
    floors = of(facts, TlsFloor)
    assert sorted(floor.version_text for floor in floors) == ["TLSv1.0", "TLSv1.1"]
    assert all(floor.min_version < TLS12 for floor in floors)
    assert len(of(facts, CipherPolicy)) == 2


@pytest.mark.parametrize("host, local", [
    ("localhost", True), ("127.0.0.1", True), ("10.0.2.2", True), ("printer.local", True),
    ("192.168.1.10", True), ("10.0.0.0/8", True), ("api.example.com", False), ("52.1.2.3", False),
])
def test_local_exception_hosts(host: str, local: bool) -> None:
    facts = interpret({"NSAppTransportSecurity": {"NSExceptionDomains": {
        host: {"NSExceptionAllowsInsecureHTTPLoads": True}}}})
    policies = of(facts, CleartextPolicy)
    assert len(policies) == 1 and policies[0].local_only is local


@pytest.mark.parametrize("host", ["*.example.com", "example.com:8443", "http://example.com", "*"])
def test_exception_keys_that_never_match_are_not_active(host: str) -> None:
    facts = interpret({"NSAppTransportSecurity": {"NSExceptionDomains": {host: {
        "NSExceptionAllowsInsecureHTTPLoads": True, "NSExceptionMinimumTLSVersion": "TLSv1.0",
        "NSExceptionRequiresForwardSecrecy": False}}}})
    assert of(facts, CleartextPolicy) == of(facts, TlsFloor) == of(facts, CipherPolicy) == []
    assert any("never" in note.text for note in of(facts, Note))


def test_exception_that_re_tightens_is_not_reported() -> None:
    facts = interpret({"NSAppTransportSecurity": {
        "NSAllowsArbitraryLoads": True,
        "NSExceptionDomains": {"api.example.com": {"NSExceptionAllowsInsecureHTTPLoads": False,
                                                   "NSExceptionMinimumTLSVersion": "TLSv1.2"}},
    }})
    assert [policy.scope for policy in of(facts, CleartextPolicy)] == ["app"]
    assert not any(floor.min_version < TLS12 for floor in of(facts, TlsFloor))


def test_local_tls_and_cipher_findings_are_low() -> None:
    facts = interpret({"NSAppTransportSecurity": {"NSExceptionDomains": {"dev.local": {
        "NSExceptionMinimumTLSVersion": "TLSv1.0", "NSExceptionRequiresForwardSecrecy": False}}}})
    tls = run(weak_tls_version, "CLR204", facts)
    ciphers = run(weak_cipher_suite, "CLR205", facts)
    assert [finding.severity for finding in tls] == ["low"]
    assert [finding.severity for finding in ciphers] == ["info"]


def nspinned(entry: dict[str, Any], host: str = "api.example.com") -> list[object]:
    return interpret({"NSAppTransportSecurity": {"NSPinnedDomains": {host: entry}}})


def identities(*pins: str) -> list[dict[str, str]]:
    return [{"SPKI-SHA256-BASE64": pin} for pin in pins]


def test_pinned_domains_one_set_per_identity_list() -> None:
    facts = nspinned({"NSIncludesSubdomains": True, "NSPinnedCAIdentities": identities(PIN_A, PIN_B),
                      "NSPinnedLeafIdentities": identities(PIN_C)})
    sets = {pin_set.kind: pin_set for pin_set in of(facts, PinSet)}
    assert set(sets) == {"ca", "leaf"}
    assert all(pin_set.origin == "ns-pinned-domains" for pin_set in sets.values())
    assert all(pin_set.include_subdomains for pin_set in sets.values())
    backups = run(missing_backup_pin, "PIN101", facts)
    assert [finding.subject[1] for finding in backups] == ["leaf"]
    assert run(leaf_only_pin, "PIN102", facts) == []


def test_leaf_only_and_empty_lists() -> None:
    leaf_only = nspinned({"NSPinnedLeafIdentities": identities(PIN_A, PIN_B)})
    assert len(run(leaf_only_pin, "PIN102", leaf_only)) == 1
    assert run(missing_backup_pin, "PIN101", leaf_only) == []
    empty = nspinned({"NSPinnedCAIdentities": []})
    assert len(run(missing_backup_pin, "PIN101", empty)) == 1


def test_leaf_only_is_judged_per_host() -> None:
    facts = interpret({"NSAppTransportSecurity": {"NSPinnedDomains": {
        "a.example.com": {"NSPinnedCAIdentities": identities(PIN_A, PIN_B)},
        "b.example.com": {"NSPinnedLeafIdentities": identities(PIN_A, PIN_C)},
    }}})
    findings = run(leaf_only_pin, "PIN102", facts)
    assert [finding.subject[2] for finding in findings] == ["b.example.com"]


def test_malformed_identities() -> None:
    facts = nspinned({"NSPinnedCAIdentities": [PIN_A, {"SPKI-SHA256-BASE64": "$(PIN)"}, {"other": PIN_B}]})
    problems = of(facts, ConfigProblem)
    assert len(problems) == 2
    (pin_set,) = of(facts, PinSet)
    assert len(pin_set.pins) == 1 and pin_set.pins[0].unresolved


def test_pinned_domain_without_lists_and_with_wildcard() -> None:
    assert len(of(nspinned({"NSIncludesSubdomains": True}), ConfigProblem)) == 1
    wildcard = nspinned({"NSPinnedCAIdentities": identities(PIN_A, PIN_B)}, host="*.example.com")
    assert of(wildcard, PinSet) == []
    (problem,) = of(wildcard, ConfigProblem)
    assert problem.consequence
    (finding,) = run(invalid_config, "CFG903", wildcard)
    assert "never" in finding.message and "rejects" not in finding.message


def trustkit(entry: dict[str, Any], host: str = "api.example.com", prefix: str = "TSK") -> list[object]:
    return interpret({"TSKConfiguration": {prefix + "PinnedDomains": {host: entry}}})


def test_trustkit_defaults_to_enforced() -> None:
    (pin_set,) = of(trustkit({"TSKPublicKeyHashes": [PIN_A]}), PinSet)
    assert pin_set.origin == "trustkit" and pin_set.enforced and pin_set.kind == "any"


@pytest.mark.parametrize("prefix", ["TSK", "kTSK"])
def test_trustkit_report_only(prefix: str) -> None:
    facts = trustkit({prefix + "EnforcePinning": False, prefix + "PublicKeyHashes": [PIN_A]}, prefix=prefix)
    (pin_set,) = of(facts, PinSet)
    assert not pin_set.enforced and pin_set.enforcement_span is not None
    assert len(run(report_only_pinning, "PIN107", facts)) == 1
    assert run(missing_backup_pin, "PIN101", facts) == []


@pytest.mark.parametrize("value, expected", [
    ("2026-01-15", date(2026, 1, 15)), ("2026-1-5", date(2026, 1, 5)),
    (datetime(2025, 3, 1, 12, 0), date(2025, 3, 1)), ("2026/01/15", None), ("2026-02-30", None),
    ("soon", None), (20260115, None),
])
def test_trustkit_expiration_dates(value: object, expected: date | None) -> None:
    facts = trustkit({"TSKExpirationDate": value, "TSKPublicKeyHashes": [PIN_A, PIN_B]})
    (pin_set,) = of(facts, PinSet)
    assert pin_set.expiration == expected
    if expected is None:
        assert any("never expiring" in note.text for note in of(facts, Note))


def test_trustkit_exclusion_keys() -> None:
    excluded = trustkit({"kSKExcludeSubdomainFromParentPolicy": True}, host="www.example.com")
    assert of(excluded, PinSet) == [] and of(excluded, ConfigProblem) == []
    misspelt = trustkit({"TSKExcludeSubdomainFromParentPolicy": True}, host="www.example.com")
    assert of(misspelt, PinSet) == [] and len(of(misspelt, ConfigProblem)) == 1


def test_trustkit_configurations_that_throw() -> None:
    assert len(of(interpret({"TSKConfiguration": {"TSKPinnedDomains": {}}}), ConfigProblem)) == 1
    assert len(of(interpret({"TSKConfiguration": {"TSKSwizzleNetworkDelegates": True}}), ConfigProblem)) == 1
    assert len(of(trustkit({"TSKPublicKeyHashes": [PIN_A]}, host="*.example.com"), ConfigProblem)) == 1
    no_pin = trustkit({"TSKEnforcePinning": False, "TSKPublicKeyHashes": []})
    assert len(of(no_pin, ConfigProblem)) == 1


def test_settings_outside_ats_have_no_effect() -> None:
    facts = interpret({"NSAllowsArbitraryLoads": True})
    assert of(facts, CleartextPolicy) == [] and len(of(facts, Note)) == 1


def test_locator_falls_back_to_the_nearest_written_ancestor() -> None:
    locator = ats.Locator("x.json", {("a",): (3, 5), ("a", "b"): (4, 7)}, prefix=("a",))
    assert locator.span(("b",)) == Span("x.json", 4, 7)
    assert locator.span(("c", "d")) == Span("x.json", 3, 5)
    assert ats.Locator("Info.plist").span(("z",)) == Span("Info.plist", 1, 1)


def test_variant_marks_every_fact() -> None:
    facts = ats.interpret({"NSAppTransportSecurity": {"NSAllowsArbitraryLoads": True}},
                          ats.Locator("Info.plist"), variant="debug")
    assert [fact.variant for fact in of(facts, CleartextPolicy)] == ["debug"]
