"""Dart / Flutter front end: certificate callbacks, fingerprint pinning, URL literals."""

from __future__ import annotations

import pytest

from tests.trust_verdicts import verdicts
from tests.xplat_helpers import PIN_FAIL_OPEN, TRUST_ALL, endpoints, handlers, parse, pin_sets


def dart(code: str) -> list[object]:
    return parse("lang_dart", "lib/main.dart", code)


@pytest.mark.parametrize(
    "callback",
    [
        "(cert, host, port) => true",
        "(X509Certificate c, String h, int p) { return true; }",
        "(c, h, p) { print(c.subject); return true; }",
        "(_, __, ___) => true",
        "((X509Certificate cert, String? host, int? port) => true)",
        "(c, h, p) { final ok = true; return ok; }",
        "(c, h, p) => allowInsecure",
        "(c, h, p) => host == 'staging.medsync.io'",
        "(c, h, p) { try { return c.sha1 == pin; } catch (e) { return true; } }",
    ],
)
def test_callbacks_that_accept_without_checking_the_certificate(callback: str) -> None:
    facts = dart(f"void f(HttpClient client) {{\n  client.badCertificateCallback = {callback};\n}}\n")
    assert handlers(facts) == [(2, TRUST_ALL)]


@pytest.mark.parametrize(
    "callback",
    [
        "(cert, host, port) => false",
        "(c, h, p) { debugPrint('bad $h'); return false; }",
        "(c, host, p) => host == 'localhost'",
        "(c, host, p) => ['localhost', '10.0.2.2'].contains(host)",
        "(cert, h, p) => sha256.convert(cert.der).toString() == expected",
        "(cert, h, p) { final fp = sha256.convert(cert.der).toString(); return pins.contains(fp); }",
        "null",
    ],
)
def test_safe_callbacks(callback: str) -> None:
    assert (
        handlers(dart(f"void f(HttpClient client) {{\n  client.badCertificateCallback = {callback};\n}}\n"))
        == []
    )


def test_medium_confidence_for_host_checks_and_debug_variant() -> None:
    facts = dart(
        "void f(HttpClient c) {\n"
        "  c.badCertificateCallback = (x, host, p) => host == 'dev.medsync.io';\n"
        "  if (kDebugMode) {\n"
        "    c.badCertificateCallback = (x, h, p) => true;\n"
        "  }\n"
        "  c.badCertificateCallback = (x, h, p) => !kReleaseMode;\n"
        "}\n"
    )
    found = {verdict.span.line: verdict for verdict in verdicts(facts)}
    assert found[2].confidence == "medium" and found[2].variant is None
    assert found[4].variant == "debug" and found[4].confidence is None
    assert found[6].variant == "debug"


def test_pin_compared_then_accepted_anyway_is_fail_open() -> None:
    facts = dart(
        "void f(HttpClient c) {\n"
        "  c.badCertificateCallback = (cert, host, port) {\n"
        "    if (sha256.convert(cert.der).toString() != pin) { log('mismatch'); }\n"
        "    return true;\n"
        "  };\n"
        "}\n"
    )
    assert handlers(facts) == [(4, PIN_FAIL_OPEN)]  # the return that accepts after the mismatch


def test_http_overrides_installed_only_in_debug_is_debug_variant() -> None:
    facts = dart(
        "class DevOverrides extends HttpOverrides {\n"
        "  @override\n"
        "  HttpClient createHttpClient(SecurityContext? context) =>\n"
        "      super.createHttpClient(context)..badCertificateCallback = (c, h, p) => true;\n"
        "}\n"
        "void main() {\n"
        "  if (kDebugMode) {\n"
        "    HttpOverrides.global = DevOverrides();\n"
        "  }\n"
        "}\n"
    )
    [handler] = verdicts(facts)
    assert handler.span.line == 4 and handler.variant == "debug" and "HttpOverrides" in handler.evidence


def test_comments_and_strings_never_fire() -> None:
    facts = dart(
        "// client.badCertificateCallback = (c, h, p) => true;\n"
        "/// See http://docs.medsync.io/api\n"
        "/* HttpCertificatePinning.check(allowedSHAFingerprints: ['AA']) */\n"
        "const s = 'client.badCertificateCallback = (c, h, p) => true;';\n"
        "const t = 'see http://docs.medsync.io for details';\n"
    )
    assert handlers(facts) == [] and endpoints(facts) == [] and pin_sets(facts) == []


def test_url_literals() -> None:
    facts = dart(
        "import 'http://medsync.io/pkg.dart';\n"
        "final a = Uri.parse('http://api.medsync.io/v1');\n"
        "final b = Uri.parse('http://$host/v1');\n"
        'final c = Uri.parse("http://api.medsync.io/users/$id");\n'
        "final d = 'http://localhost:8080';\n"
        "final e = r'ws://feed.medsync.io/live';\n"
    )
    assert endpoints(facts) == [
        (2, "http://api.medsync.io/v1"),
        (3, "http://{host}/v1"),  # the host is an expression: cleartext to whatever it names
        (4, "http://api.medsync.io/users/"),
        (6, "ws://feed.medsync.io/live"),
    ]


def test_fingerprint_lists() -> None:
    facts = dart(
        "const fps = ['AA:BB', 'aa:bb'];\n"
        "Future<void> f() async {\n"
        "  await HttpCertificatePinning.check(serverURL: 'https://api.medsync.io', headerHttp: {},\n"
        "      sha: SHA.SHA256, allowedSHAFingerprints: fps, timeout: 50);\n"
        "  await SslPinningPlugin.check(serverURL: url, sha: SHA.SHA1, allowedSHAFingerprints: ['CC', 'DD']);\n"
        "  dio.interceptors.add(CertificatePinningInterceptor(allowedSHAFingerprints: [a, b]));\n"
        "}\n"
    )
    first, second = pin_sets(facts)
    assert first.hosts == ("api.medsync.io",) and first.kind == "certificate" and first.pins == ()
    assert first.certificates == ("AABB",)
    assert [pin.algorithm for pin in second.pins] == ["sha1", "sha1"] and len(second.certificates) == 2


def test_partial_parse_errors_keep_the_sound_parts() -> None:
    facts = dart(
        "void good(HttpClient c) {\n"
        "  c.badCertificateCallback = (a, b, d) => true;\n"
        "}\n"
        "void broken( {\n"
        "  c.badCertificateCallback = (a, b => true ;; ))\n"
        "  final u = Uri.parse('http://api.medsync.io/x'\n"
        "}\n"
    )
    assert handlers(facts) == [(2, TRUST_ALL)]


def test_block_callback_is_reported_at_the_accepting_return_and_a_named_one_where_installed() -> None:
    facts = dart(
        "bool _any(X509Certificate c, String h, int p) {\n"
        "  return true;\n"
        "}\n"
        "void f(HttpClient c) {\n"
        "  c.badCertificateCallback = (cert, host, port) {\n"
        "    print('bad certificate for $host');\n"
        "    if (host == 'api.carenote-health.com') {\n"
        "      return true;\n"
        "    }\n"
        "    return false;\n"
        "  };\n"
        "  c.badCertificateCallback = _any;\n"
        "  c.badCertificateCallback = (cert, host, port) => true;\n"
        "}\n"
    )
    assert [line for line, _kind in handlers(facts)] == [8, 12, 13]
