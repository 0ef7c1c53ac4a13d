"""Shapes seen in public iOS apps: validators that decide, null checks, decisions handed to blocks,
``switch`` over a check's result, test sources, and AFNetworking policies configured after creation."""

from __future__ import annotations

from pathlib import Path

from pinlint.model.facts import PinSet
from pinlint.parsers import SourceFile
from pinlint.parsers.code import lang_apple
from tests.trust_verdicts import PIN_FAIL_OPEN, TRUST_ALL, Verdict, verdicts


def facts_of(code: str, name: str = "Sample.swift") -> list[object]:
    return lang_apple.parse(SourceFile(Path(name), name, code.encode()))


def handlers(code: str, name: str = "Sample.swift") -> list[Verdict]:
    return verdicts(facts_of(code, name))


SWIFT_DELEGATE = """
final class D: NSObject, URLSessionDelegate {{
    func urlSession(_ session: URLSession, didReceive challenge: URLAuthenticationChallenge,
                    completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {{
{body}
    }}
}}
"""

OBJC_DELEGATE = """
@implementation D
- (void)URLSession:(NSURLSession *)session didReceiveChallenge:(NSURLAuthenticationChallenge *)challenge
 completionHandler:(void (^)(NSURLSessionAuthChallengeDisposition, NSURLCredential *))completionHandler {{
{body}
}}
@end
"""


def swift(body: str) -> list[Verdict]:
    return handlers(SWIFT_DELEGATE.format(body=body))


def objc(body: str) -> list[Verdict]:
    return handlers(OBJC_DELEGATE.format(body=body), "Sample.m")


# --- validators that take the challenge ---------------------------------------------------------------


def test_predicate_validator_taking_the_challenge_gates_the_accept() -> None:
    assert swift("""
        if CertStore.shared.checkTrustedChallenge(challenge) {
            completionHandler(.useCredential, URLCredential(trust: challenge.protectionSpace.serverTrust!))
        } else {
            completionHandler(.performDefaultHandling, nil)
        }""") == []


def test_objc_validator_result_in_a_local_gates_the_accept() -> None:
    assert objc("""
    BOOL trusted = [self.store isTrustedServerCertificateIn:challenge];
    if (trusted) {
        completionHandler(NSURLSessionAuthChallengeUseCredential,
                          [NSURLCredential credentialForTrust:challenge.protectionSpace.serverTrust]);
    } else {
        completionHandler(NSURLSessionAuthChallengePerformDefaultHandling, nil);
    }""") == []


def test_objc_validator_result_in_a_property_gates_the_accept() -> None:
    assert objc("""
    self.knownCertificate = [self.store isTrustedServerCertificateIn:challenge];
    if (self.knownCertificate) {
        completionHandler(NSURLSessionAuthChallengeUseCredential,
                          [NSURLCredential credentialForTrust:challenge.protectionSpace.serverTrust]);
    } else {
        completionHandler(NSURLSessionAuthChallengePerformDefaultHandling, nil);
    }""") == []


def test_host_allow_list_is_not_a_trust_decision() -> None:
    found = swift("""
        if isAllowedHost(challenge.protectionSpace.host) {
            completionHandler(.useCredential, URLCredential(trust: challenge.protectionSpace.serverTrust!))
        } else {
            completionHandler(.performDefaultHandling, nil)
        }""")
    assert [handler.kind for handler in found] == [TRUST_ALL]


def test_value_binding_on_a_closure_parameter_is_not_a_decision() -> None:
    code = """
let session = Session(delegate: SessionDelegate())
session.onChallenge = { (session, challenge) in
    if let trust = challenge.protectionSpace.serverTrust {
        return (.useCredential, URLCredential(trust: trust))
    }
    return (.performDefaultHandling, nil)
}
"""
    assert [handler.kind for handler in handlers(code)] == [TRUST_ALL]


# --- null checks and decisions handed to blocks ---------------------------------------------------------


def test_null_check_on_the_trust_is_not_a_pin_comparison() -> None:
    found = objc("""
    SecTrustRef serverTrust;
    if ((serverTrust = challenge.protectionSpace.serverTrust) != NULL) {
        completionHandler(NSURLSessionAuthChallengeUseCredential, [NSURLCredential credentialForTrust:serverTrust]);
    }""")
    assert [(handler.kind, handler.shape) for handler in found] == [(TRUST_ALL, "no-evaluation")]


def test_boolean_handed_to_a_completion_block_gates_the_accept() -> None:
    assert objc("""
    SecTrustRef serverTrust = challenge.protectionSpace.serverTrust;
    DecisionBlock decide = ^(BOOL proceed, NSError *error) {
        if (proceed) {
            completionHandler(NSURLSessionAuthChallengeUseCredential, [NSURLCredential credentialForTrust:serverTrust]);
        } else {
            completionHandler(NSURLSessionAuthChallengeCancelAuthenticationChallenge, nil);
        }
    };
    [self.policy judge:serverTrust decision:decide];""") == []


# --- switch over a decision's result ---------------------------------------------------------------


def test_switch_success_case_of_a_check_result_is_gated() -> None:
    assert swift("""
        guard let trust = challenge.protectionSpace.serverTrust else { return }
        let result = validator.check(trust: trust, against: keys)
        switch result {
        case .success:
            completionHandler(.useCredential, URLCredential(trust: trust))
        case .failure(let error):
            log(error)
            completionHandler(.cancelAuthenticationChallenge, nil)
        }""") == []


def test_switch_failure_case_that_accepts_is_reported() -> None:
    found = swift("""
        guard let trust = challenge.protectionSpace.serverTrust else { return }
        let result = validator.check(trust: trust, against: keys)
        switch result {
        case .success:
            completionHandler(.useCredential, URLCredential(trust: trust))
        case .failure:
            completionHandler(.useCredential, URLCredential(trust: trust))
        }""")
    assert [(handler.kind, handler.span.line) for handler in found] == [(TRUST_ALL, 12)]


def test_switch_over_an_unrelated_value_does_not_gate() -> None:
    found = swift("""
        guard let trust = challenge.protectionSpace.serverTrust else { return }
        switch challenge.protectionSpace.host {
        case "api.example.org":
            completionHandler(.useCredential, URLCredential(trust: trust))
        default:
            completionHandler(.performDefaultHandling, nil)
        }""")
    assert [handler.kind for handler in found] == [TRUST_ALL]


def test_pin_mismatch_in_a_switch_is_still_fail_open() -> None:
    found = swift("""
        guard let trust = challenge.protectionSpace.serverTrust else { return }
        let pinned = pins.contains(spkiHash(of: trust))
        if pinned {
            completionHandler(.useCredential, URLCredential(trust: trust))
        } else {
            completionHandler(.useCredential, URLCredential(trust: trust))
        }""")
    assert PIN_FAIL_OPEN in {handler.kind for handler in found}


# --- test sources -------------------------------------------------------------------------------------


def test_test_targets_and_test_doubles_are_test_sources() -> None:
    from pinlint.vocab.testcode import is_test_source

    for name in ("AppTests/SessionTests.swift", "Tests/Net/Fixtures.swift", "App/Net/ServerMock.swift",
                 "src/__tests__/TrustFake.swift", "App/Net/MockSession.swift"):
        assert is_test_source(name), name
    for name in ("App/Net/Session.swift", "App/Latest/Contest.swift", "App/Mockingbird.swift"):
        assert not is_test_source(name), name


# --- AFNetworking ---------------------------------------------------------------------------------------

AFN = """
@implementation C
- (AFSecurityPolicy *)policy {{
    AFSecurityPolicy *policy = [AFSecurityPolicy policyWithPinningMode:{mode}];
{body}
    return policy;
}}
@end
"""


def afn(mode: str, body: str) -> list[object]:
    return facts_of(AFN.format(mode=mode, body=body), "Client.m")


def test_pinned_certificates_set_after_creation_are_counted() -> None:
    for body in ("    policy.pinnedCertificates = [NSSet setWithObject:cert];",
                 "    [policy setPinnedCertificates:[NSSet setWithObject:cert]];"):
        sets = [fact for fact in afn("AFSSLPinningModeCertificate", body) if isinstance(fact, PinSet)]
        assert [pin_set.certificates for pin_set in sets] == [("cert",)], body


def test_pinned_certificates_of_another_policy_are_not_taken() -> None:
    body = "    other.pinnedCertificates = [NSSet setWithObject:cert];"
    sets = [fact for fact in afn("AFSSLPinningModeCertificate", body) if isinstance(fact, PinSet)]
    assert [pin_set.certificates[0].startswith("<bundle") for pin_set in sets] == [True]


def test_allow_invalid_certificates_message_follows_the_pinning_mode() -> None:
    body = "    policy.allowInvalidCertificates = YES;"
    none = verdicts(afn("AFSSLPinningModeNone", body))
    keyed = verdicts(afn("AFSSLPinningModePublicKey", body))
    assert [handler.confidence for handler in none] == [None]
    assert "any certificate" in none[0].evidence
    assert [handler.confidence for handler in keyed] == ["medium"]
    assert "pinned key" in keyed[0].evidence


# --- custom evaluators ----------------------------------------------------------------------------------

EVALUATOR = """
final class E: ServerTrustEvaluating {{
    func evaluate(_ trust: SecTrust, forHost host: String) throws {{
{body}
    }}
}}
"""


def test_custom_evaluator_that_never_throws_is_trust_all() -> None:
    for body in ("", "        print(host)", "        Log.debug(\"trusting \\(host)\")", "        return"):
        found = handlers(EVALUATOR.format(body=body))
        assert [(handler.kind, handler.shape, handler.span.line) for handler in found] == [
            (TRUST_ALL, "empty-evaluate", 3)
        ], body


def test_custom_evaluator_that_can_reject_is_fine() -> None:
    for body in ("        try trust.af.performDefaultValidation(forHost: host)",
                 "        guard check(trust) else { throw PinError.mismatch }",
                 "        try DefaultTrustEvaluator().evaluate(trust, forHost: host)",
                 "        if !pins.contains(hash(trust)) { throw PinError.mismatch }"):
        assert handlers(EVALUATOR.format(body=body)) == [], body


def test_evaluate_methods_of_other_shapes_are_ignored() -> None:
    code = """
struct Rule {
    func evaluate(_ input: String, forHost host: String) throws {}
    func evaluate(_ trust: SecTrust) -> Bool { true }
}
"""
    assert handlers(code) == []


# --- each evaluation is its own test -------------------------------------------------------------------


def test_evaluation_repeated_after_setting_exceptions_still_gates_the_accept() -> None:
    # the same call text twice: the second evaluation runs after SecTrustSetExceptions and may pass
    assert swift("""
        guard let trust = challenge.protectionSpace.serverTrust else {
            completionHandler(.performDefaultHandling, nil)
            return
        }
        if SecTrustEvaluateWithError(trust, nil) {
            completionHandler(.useCredential, URLCredential(trust: trust))
            return
        }
        for exception in storedExceptions {
            SecTrustSetExceptions(trust, exception as CFData)
            if SecTrustEvaluateWithError(trust, nil) {
                completionHandler(.useCredential, URLCredential(trust: trust))
                return
            }
        }
        completionHandler(.cancelAuthenticationChallenge, nil)""") == []


def test_default_handling_after_a_pin_loop_that_leaves_on_a_match_fails_open() -> None:
    found = objc("""
    SecTrustRef trust = challenge.protectionSpace.serverTrust;
    NSData *remote = CFBridgingRelease(SecCertificateCopyData(SecTrustGetCertificateAtIndex(trust, 0)));
    for (NSData *pinned in self.pins) {
        if ([remote isEqualToData:pinned]) {
            completionHandler(NSURLSessionAuthChallengeUseCredential, [NSURLCredential credentialForTrust:trust]);
            return;
        }
    }
    completionHandler(NSURLSessionAuthChallengePerformDefaultHandling, nil);""")
    assert [(handler.kind, handler.shape) for handler in found] == [(PIN_FAIL_OPEN, "pin-mismatch-default")]


def test_default_handling_after_a_pin_test_that_falls_through_on_a_match_is_not_after_a_mismatch() -> None:
    assert objc("""
    SecTrustRef trust = challenge.protectionSpace.serverTrust;
    NSData *remote = CFBridgingRelease(SecCertificateCopyData(SecTrustGetCertificateAtIndex(trust, 0)));
    if ([remote isEqualToData:self.pin]) {
        NSLog(@"pinned");
    }
    completionHandler(NSURLSessionAuthChallengePerformDefaultHandling, nil);""") == []


# --- XML namespace identifiers ----------------------------------------------------------------------------


def test_namespace_uris_are_not_endpoints() -> None:
    from pinlint.model.facts import Endpoint

    objc_code = """
void f() {
  id a = [features elementForName:@"register" xmlns:@"http://jabber.org/features/iq-register"];
  NSString *xmlns_stream = @"http://etherx.jabber.org/streams";
  NSURL *feed = [NSURL URLWithString:@"http://feeds.example.net/health.xml"];
}
"""
    swift_code = """
let e = XMLElement(name: "query", xmlns: "http://jabber.org/protocol/disco#info")
let streamNamespace = "http://etherx.jabber.org/streams"
let feed = URL(string: "http://feeds.example.net/health.xml")
"""
    for code, name in ((objc_code, "X.m"), (swift_code, "X.swift")):
        hosts = [fact.host for fact in facts_of(code, name) if isinstance(fact, Endpoint)]
        assert hosts == ["feeds.example.net"], name
