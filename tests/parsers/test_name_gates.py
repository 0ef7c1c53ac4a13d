"""Each analysis that first checks a file's bytes for the names it acts on (its gate) lists every such
name: a name added to an analysis but not to its gate would silently never be found."""

from __future__ import annotations

from pinlint.parsers.code.apple import pins as apple_pins
from pinlint.parsers.code.apple import settings as apple_settings
from pinlint.parsers.code.jvm import tls as jvm_tls
from pinlint.parsers.code.jvm import trust as jvm_trust


def _covered(name: str, words: tuple[bytes, ...], lower: bool = False) -> bool:
    written = name.lower().encode() if lower else name.encode()
    return any(word in written for word in words)


def test_the_jvm_trust_gate_names_every_call_and_member_it_acts_on() -> None:
    calls = {"getInsecure", "setDisableCNCheck", *jvm_trust.TRUST_ALL_STRATEGY_TYPES,
             *jvm_trust.ALLOW_ALL_VERIFIER_TYPES, *jvm_trust.VERIFIER_SINKS, *jvm_trust.STRATEGY_SINKS}
    assert all(_covered(name, jvm_trust.CALL_WORDS) for name in calls)
    members = ("isDisableCNCheck", "disableCNCheck", "ALLOW_ALL_HOSTNAME_VERIFIER", "INSTANCE")
    assert all(_covered(name, jvm_trust.MEMBER_WORDS) for name in members)


def test_the_jvm_tls_gate_names_every_setting() -> None:
    settings = {"SSLContext", "SSLConnectionSocketFactory", "enabledProtocols", "enabledCipherSuites",
                *jvm_tls.PROTOCOL_SETTERS, *jvm_tls.CIPHER_SETTERS}
    assert all(_covered(name, jvm_tls.SETTING_WORDS) for name in settings)


def test_the_apple_gates_name_every_setting_and_evaluator() -> None:
    settings = {"allowInvalidCertificates", "setAllowInvalidCertificates:", "validatesDomainName",
                *apple_settings.TLS_PROPERTIES, *apple_settings.TLS_FUNCTIONS, *apple_settings.STREAM_TRUST_KEYS,
                "setAllowsAnyHTTPSCertificate:forHost:", "SSLSetProtocolVersionEnabled", "kCFStreamSSLLevel",
                "kCFStreamPropertySocketSecurityLevel"}
    assert all(_covered(name, apple_settings.SETTING_WORDS, lower=True) for name in settings)
    evaluators = {*apple_pins._DISABLED, *apple_pins._TRUST_EVALUATORS, "customEvaluation", "disableEvaluation",
                  "evaluate(_:forHost:)"}
    assert all(_covered(name, apple_pins.ALAMOFIRE_WORDS, lower=True) for name in evaluators)
