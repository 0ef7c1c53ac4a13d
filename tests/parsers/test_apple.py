"""The Swift and Objective-C front end: prefilter, syntax-only matching, partial parses, evaluation gating."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pinlint.discover.walk import Candidate
from pinlint.model.facts import Endpoint, PinSet, TlsFloor
from pinlint.parsers import SourceFile
from pinlint.parsers.code import lang_apple
from pinlint.parsers.code.apple.pins import UNKNOWN_CERTIFICATES
from pinlint.pipeline import parse_candidate
from tests.trust_verdicts import HOSTNAME_OFF, PIN_FAIL_OPEN, TRUST_ALL, Verdict, verdicts

SWIFT_HANDLER = """
import Foundation
final class D: NSObject, URLSessionDelegate {{
    func urlSession(_ session: URLSession, didReceive challenge: URLAuthenticationChallenge,
                    completionHandler: @escaping (AuthChallengeDisposition, URLCredential?) -> Void) {{
        guard let trust = challenge.protectionSpace.serverTrust else {{
            completionHandler(.performDefaultHandling, nil)
            return
        }}
{body}
    }}
}}
"""

OBJC_HANDLER = """
@implementation D
- (void)URLSession:(NSURLSession *)session didReceiveChallenge:(NSURLAuthenticationChallenge *)challenge
 completionHandler:(void (^)(NSURLSessionAuthChallengeDisposition, NSURLCredential *))completionHandler {{
    SecTrustRef trust = challenge.protectionSpace.serverTrust;
{body}
}}
@end
"""


def facts_of(code: str, name: str = "Sample.swift") -> list[object]:
    return lang_apple.parse(SourceFile(Path(name), name, code.encode()))


def handlers(code: str, name: str = "Sample.swift") -> list[Verdict]:
    return verdicts(facts_of(code, name))


def kinds(code: str, name: str = "Sample.swift") -> list[str]:
    return sorted(handler.kind for handler in handlers(code, name))


# --- prefilter ---------------------------------------------------------------------------------------


def test_file_without_triggers_is_never_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(lang_apple, "parse", lambda source: calls.append(source.display) or [])
    quiet = tmp_path / "Quiet.swift"
    quiet.write_text("struct Point { let x: Int; let y: Int }\n")
    loud = tmp_path / "Loud.swift"
    loud.write_text('let u = URL(string: "http://api.example.com")\n')
    parse_candidate(Candidate(str(quiet), "Quiet.swift"), 1_000_000)
    parse_candidate(Candidate(str(loud), "Loud.swift"), 1_000_000)
    assert calls == ["Loud.swift"]


def test_accepts_apple_sources_only() -> None:
    assert all(lang_apple.accepts(name, b"") for name in ("A.swift", "B.m", "C.mm", "D.h"))
    assert not any(lang_apple.accepts(name, b"") for name in ("A.kt", "B.java", "Info.plist", "m.swift.txt"))


# --- comments and strings ----------------------------------------------------------------------------


def test_comments_and_strings_never_fire() -> None:
    swift = """
    // completionHandler(.useCredential, URLCredential(trust: serverTrust))
    /* let e = DisabledTrustEvaluator(); policy.allowInvalidCertificates = true */
    let doc = "completionHandler(.useCredential, URLCredential(trust: t)) DisabledTrustEvaluator()"
    let old = ".disableEvaluation"
    let tls = "tlsMinimumSupportedProtocolVersion = .TLSv10"
    // http://example.com/api
    """
    assert facts_of(swift) == []
    objc = """
    // [policy setAllowInvalidCertificates:YES]; policy.validatesDomainName = NO;
    NSString *s = @"kCFStreamSSLValidatesCertificateChain: @NO; see http://example.com docs";
    """
    assert facts_of(objc, "Sample.m") == []


# --- partial parse errors ----------------------------------------------------------------------------


def test_partial_parse_keeps_sound_regions_and_skips_error_nodes() -> None:
    code = """
    let good = ServerTrustManager(evaluators: ["a.example.com": DisabledTrustEvaluator()])
    func broken( {{{ ] DisabledTrustEvaluator() ) ) )
    """
    found = handlers(code)
    lines = sorted(handler.span.line for handler in found)
    assert lines == [2]


def test_garbage_input_does_not_raise() -> None:
    for name in ("X.swift", "X.m", "X.h"):
        facts_of('\x00\xff http:// {{{ "@" ;;; URLCredential(trust:', name)


# --- evaluation gating (Swift) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("        completionHandler(.useCredential, URLCredential(trust: trust))", [TRUST_ALL]),
        (
            "        if SecTrustEvaluateWithError(trust, nil) {\n"
            "            completionHandler(.useCredential, URLCredential(trust: trust))\n"
            "        } else { completionHandler(.cancelAuthenticationChallenge, nil) }",
            [],
        ),
        (
            "        guard SecTrustEvaluateWithError(trust, nil) else {\n"
            "            completionHandler(.cancelAuthenticationChallenge, nil); return }\n"
            "        completionHandler(.useCredential, URLCredential(trust: trust))",
            [],
        ),
        (
            "        let ok = SecTrustEvaluateWithError(trust, nil)\n"
            "        if !ok { completionHandler(.cancelAuthenticationChallenge, nil); return }\n"
            "        completionHandler(.useCredential, URLCredential(trust: trust))",
            [],
        ),
        (
            "        _ = SecTrustEvaluateWithError(trust, nil)\n"
            "        completionHandler(.useCredential, URLCredential(trust: trust))",
            [TRUST_ALL],
        ),
        (
            "        if !SecTrustEvaluateWithError(trust, nil) {\n"
            "            completionHandler(.useCredential, URLCredential(trust: trust)) }",
            [TRUST_ALL],
        ),
        (
            "        SecTrustEvaluateAsyncWithError(trust, .main) { _, result, _ in\n"
            "            if result { completionHandler(.useCredential, URLCredential(trust: trust)) }\n"
            "            else { completionHandler(.cancelAuthenticationChallenge, nil) } }",
            [],
        ),
        (
            '        if challenge.protectionSpace.host == "api.example.com" {\n'
            "            completionHandler(.useCredential, URLCredential(trust: trust)) }",
            [TRUST_ALL],
        ),
        (
            "        if validator.isTrusted(trust) {\n"
            "            completionHandler(.useCredential, URLCredential(trust: trust)) }\n"
            "        else { completionHandler(.cancelAuthenticationChallenge, nil) }",
            [],
        ),
        (
            "        do {\n"
            "            try evaluator.evaluate(trust, forHost: challenge.protectionSpace.host)\n"
            "            completionHandler(.useCredential, URLCredential(trust: trust))\n"
            "        } catch { completionHandler(.cancelAuthenticationChallenge, nil) }",
            [],
        ),
        (
            "        let hash = keyHash(trust)\n        if pinnedHashes.contains(hash) {\n"
            "            completionHandler(.useCredential, URLCredential(trust: trust))\n"
            "        } else { completionHandler(.performDefaultHandling, nil) }",
            [PIN_FAIL_OPEN],
        ),
        (
            "        let hash = keyHash(trust)\n        if pinnedHashes.contains(hash) {\n"
            "            completionHandler(.useCredential, URLCredential(trust: trust))\n"
            "        } else { completionHandler(.cancelAuthenticationChallenge, nil) }",
            [],
        ),
        (
            "        let hash = keyHash(trust)\n        for pin in pins where pin == hash {\n"
            "            completionHandler(.useCredential, URLCredential(trust: trust)); return }\n"
            "        completionHandler(.cancelAuthenticationChallenge, nil)",
            [],
        ),
        (
            '        completionHandler(.useCredential, URLCredential(user: "u", password: "p", '
            "persistence: .none))",
            [],
        ),
    ],
)
def test_swift_evaluation_gating(body: str, expected: list[str]) -> None:
    assert kinds(SWIFT_HANDLER.format(body=body)) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "    completionHandler(NSURLSessionAuthChallengeUseCredential, "
            "[NSURLCredential credentialForTrust:trust]);",
            [TRUST_ALL],
        ),
        (
            "    if (SecTrustEvaluateWithError(trust, NULL)) {\n"
            "        completionHandler(NSURLSessionAuthChallengeUseCredential, "
            "[NSURLCredential credentialForTrust:trust]);\n"
            "    } else {\n"
            "        completionHandler(NSURLSessionAuthChallengeCancelAuthenticationChallenge, nil);\n    }",
            [],
        ),
        (
            "    SecTrustResultType result;\n    SecTrustEvaluate(trust, &result);\n"
            "    if (result == kSecTrustResultUnspecified || result == kSecTrustResultProceed) {\n"
            "        [challenge.sender useCredential:[NSURLCredential credentialForTrust:trust]"
            " forAuthenticationChallenge:challenge];\n    }",
            [],
        ),
        (
            "    SecTrustResultType result;\n    SecTrustEvaluate(trust, &result);\n"
            "    NSURLCredential *credential = [NSURLCredential credentialForTrust:trust];\n"
            "    [challenge.sender useCredential:credential forAuthenticationChallenge:challenge];",
            [TRUST_ALL],
        ),
        (
            "    if (![self.pins containsObject:[self hashOfTrust:trust]]) {\n"
            "        completionHandler(NSURLSessionAuthChallengePerformDefaultHandling, nil);\n"
            "        return;\n    }\n"
            "    completionHandler(NSURLSessionAuthChallengeUseCredential, "
            "[NSURLCredential credentialForTrust:trust]);",
            [PIN_FAIL_OPEN],
        ),
    ],
)
def test_objc_evaluation_gating(body: str, expected: list[str]) -> None:
    assert kinds(OBJC_HANDLER.format(body=body), "D.m") == expected


def test_default_handling_for_other_methods_is_silent() -> None:
    body = (
        "        if challenge.protectionSpace.authenticationMethod !=\n"
        "            NSURLAuthenticationMethodServerTrust {\n"
        "            completionHandler(.performDefaultHandling, nil); return }\n"
        "        completionHandler(.cancelAuthenticationChallenge, nil)"
    )
    assert kinds(SWIFT_HANDLER.format(body=body)) == []


# --- library settings --------------------------------------------------------------------------------


def test_alamofire_shapes_and_library_declaration() -> None:
    code = """
    public final class DisabledTrustEvaluator: ServerTrustEvaluating {
        public func evaluate(_ trust: SecTrust, forHost host: String) throws {}
    }
    let m = ServerTrustManager(evaluators: [
        "a.example.com": DisabledTrustEvaluator(),
        "b.example.com": DefaultTrustEvaluator(validateHost: false),
        "c.example.com": PinnedCertificatesTrustEvaluator(acceptSelfSignedCertificates: true),
        "d.example.com": PublicKeysTrustEvaluator(),
    ])
    """
    found = handlers(code)
    assert sorted((handler.span.line, handler.kind) for handler in found) == [
        (6, TRUST_ALL),
        (7, HOSTNAME_OFF),
        (8, TRUST_ALL),
    ]
    assert [handler.confidence for handler in found if handler.span.line == 8] == ["medium"]


def test_alamofire_pin_sets_follow_the_placeholder_convention() -> None:
    code = """
    let evaluator = PinnedCertificatesTrustEvaluator(certificates: [leaf])
    let m = ServerTrustManager(evaluators: [
        "a.example.com": evaluator,
        "b.example.com": PinnedCertificatesTrustEvaluator(),
        "c.example.com": PublicKeysTrustEvaluator(keys: [k1, k2]),
    ])
    """
    sets = {pin_set.hosts: pin_set for pin_set in facts_of(code) if isinstance(pin_set, PinSet)}
    assert sets[("a.example.com",)].certificates == ("leaf",)
    assert sets[("a.example.com",)].kind == "certificate"
    assert sets[("b.example.com",)].certificates == UNKNOWN_CERTIFICATES
    keys = sets[("c.example.com",)]
    assert keys.kind == "any" and [pin.value for pin in keys.pins] == ["k1", "k2"]
    assert all(pin.unresolved for pin in keys.pins)


def test_trustkit_dictionary_fields() -> None:
    code = """
    NSDictionary *c = @{ kTSKPinnedDomains: @{ @"api.example.com": @{
        kTSKEnforcePinning: @NO, kTSKIncludeSubdomains: @YES, kTSKExpirationDate: @"2026-02-01",
        kTSKPublicKeyHashes: @[@"GKw+c0PwFokMUQ6T+TUmEWnZ4/VlQ2Qpgw+vCTT0+OQ=", kOther] } } };
    """
    (pin_set,) = [fact for fact in facts_of(code, "T.m") if isinstance(fact, PinSet)]
    assert pin_set.origin == "trustkit" and pin_set.platform == "ios"
    assert pin_set.hosts == ("api.example.com",)
    assert not pin_set.enforced and pin_set.enforcement_span is not None
    assert pin_set.include_subdomains
    assert pin_set.expiration == date(2026, 2, 1)
    assert [pin.unresolved for pin in pin_set.pins] == [False, True]


def test_objc_settings_and_tls() -> None:
    code = """
    void f(AFSecurityPolicy *p, NSURLSessionConfiguration *c) {
        p.allowInvalidCertificates = NO;
        p.validatesDomainName = NO;
        c.TLSMinimumSupportedProtocol = kTLSProtocol1;
        c.TLSMinimumSupportedProtocolVersion = tls_protocol_version_TLSv12;
    }
    """
    facts = facts_of(code, "S.m")
    assert [(verdict.kind, verdict.span.line) for verdict in verdicts(facts)] == [
        (HOSTNAME_OFF, 4)
    ]
    # The parser reports every protocol setting it reads; CLR204 decides that only TLS 1.0 is too old.
    assert [(fact.version_text, fact.span.line) for fact in facts if isinstance(fact, TlsFloor)] == [
        ("TLSv1.0", 5), ("TLSv1.2", 6)
    ]


def test_urls_macros_interpolation_and_debug_variant() -> None:
    objc = (
        '#define BASE @"http://api.example.com/v1"\n'
        '#ifdef DEBUG\nNSString *s = @"http://dev.example.com";\n#endif\n'
    )
    endpoints = sorted(
        (fact for fact in facts_of(objc, "E.m") if isinstance(fact, Endpoint)),
        key=lambda endpoint: endpoint.span.line,
    )
    assert [(e.host, e.span.line, e.variant) for e in endpoints] == [
        ("api.example.com", 1, None),
        ("dev.example.com", 3, "debug"),
    ]
    assert endpoints[0].span.col == len("#define BASE ") + 1
    swift = 'let a = "http://\\(host)/x"\nlet b = "http://cdn.example.com/\\(path)"\n'
    # an interpolated host is a cleartext URL to whatever host the expression names
    assert [fact.host for fact in facts_of(swift) if isinstance(fact, Endpoint)] == [
        "the host 'host'", "cdn.example.com"]
