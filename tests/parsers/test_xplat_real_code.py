"""Shapes met in public Flutter, .NET, JavaScript and Python apps that the first version misjudged."""

from __future__ import annotations

from pinlint.checks.context import CheckContext
from pinlint.checks.pins import missing_backup_pin
from pinlint.model.facts import SERVER_TRUST, AcceptingPath, FactStore, Span, TrustCallback
from pinlint.parsers.code import codeutil as cu
from pinlint.rules import lookup
from tests.conftest import FIXTURE_TODAY
from tests.trust_verdicts import verdicts
from tests.xplat_helpers import HOSTNAME_OFF, TRUST_ALL, handlers, parse, pin_sets


def dart(code: str) -> list[object]:
    return parse("lang_dart", "lib/net/client.dart", code)


def csharp(code: str) -> list[object]:
    return parse("lang_csharp", "Services/ApiClient.cs", code)


# --- shared path analysis --------------------------------------------------------------------------


def test_an_assignment_inside_a_branch_reaches_the_return_after_it() -> None:
    host = cu.Atom(cu.HOST, "serverHost == host")
    body = [
        cu.Assign("ok", cu.FALSE),
        cu.If(cu.atom(cu.Atom(cu.UNKNOWN, "wildcard")), (cu.Assign("ok", cu.atom(host)),)),
        cu.Return(("var", "ok", cu.atom(cu.Atom(cu.UNKNOWN, "ok")))),
    ]
    found = verdicts([_callback(body)])
    assert [(verdict.kind, verdict.confidence) for verdict in found] == [(TRUST_ALL, "medium")]


def test_a_flag_cleared_in_a_branch_is_not_an_accepting_path() -> None:
    body = [
        cu.Assign("ok", cu.TRUE),
        cu.If(cu.TRUE, (cu.Assign("ok", cu.FALSE),)),
        cu.Return(("var", "ok", cu.atom(cu.Atom(cu.UNKNOWN, "ok")))),
    ]
    assert cu.accepting_paths(body, [(1, "")]) == []


def _callback(body: list[object]) -> TrustCallback:
    """A Dart-style callback (one error scenario) whose accepting paths the lowering finds in ``body``."""
    paths = tuple(AcceptingPath(path.guards, Span("a.dart"), "callback", "accepts") for path in
                  cu.accepting_paths(body, [(1, "")]))
    return TrustCallback("test", "dart", SERVER_TRUST, Span("a.dart"), paths)


# --- Dart ----------------------------------------------------------------------------------------


def test_dart_named_callback_that_trusts_any_certificate_for_the_configured_host() -> None:
    facts = dart(
        "bool acceptForServer(X509Certificate cert, String host, int port) {\n"
        "  final server = Uri.tryParse(settings.serverUrl);\n"
        "  if (server == null) {\n"
        "    return false;\n"
        "  }\n"
        "  var matches = false;\n"
        "  if (host.startsWith('*.')) {\n"
        "    matches = server.host.endsWith(host.substring(1));\n"
        "  } else {\n"
        "    matches = server.host == host;\n"
        "  }\n"
        "  return matches;\n"
        "}\n"
        "class ClinicOverrides extends HttpOverrides {\n"
        "  @override\n"
        "  HttpClient createHttpClient(SecurityContext? context) {\n"
        "    final client = super.createHttpClient(context);\n"
        "    client.badCertificateCallback = acceptForServer;\n"
        "    return client;\n"
        "  }\n"
        "}\n"
    )
    found = verdicts(facts)
    assert [(f.span.line, f.kind, f.confidence) for f in found] == [(18, TRUST_ALL, "medium")]


def test_dart_if_condition_with_a_call_chain_is_read_whole() -> None:
    facts = dart(
        "void f(HttpClient client) {\n"
        "  client.badCertificateCallback = (cert, host, port) {\n"
        "    if (sha256.convert(cert.der).toString() == pinned) {\n"
        "      return true;\n"
        "    }\n"
        "    return false;\n"
        "  };\n"
        "}\n"
    )
    assert handlers(facts) == []


def test_dart_debug_flag_in_a_conjunction_marks_the_debug_variant() -> None:
    facts = dart(
        "void f(HttpClient client) {\n"
        "  if (kDebugMode && !kIsWeb) {\n"
        "    client.badCertificateCallback = (c, h, p) => true;\n"
        "  }\n"
        "}\n"
    )
    found = verdicts(facts)
    assert [(f.kind, f.variant) for f in found] == [(TRUST_ALL, "debug")]


def test_dart_cascade_on_the_dio_adapter_names_the_factory() -> None:
    facts = dart(
        "void f() {\n"
        "  dio.httpClientAdapter = IOHttpClientAdapter()\n"
        "    ..onHttpClientCreate = (client) {\n"
        "      client.badCertificateCallback = (c, h, p) { return true; };\n"
        "      return client;\n"
        "    };\n"
        "}\n"
    )
    found = verdicts(facts)
    assert len(found) == 1 and "Dio's HTTP client factory" in found[0].evidence


def test_dart_fingerprint_list_filled_at_run_time_is_not_counted() -> None:
    facts = dart(
        "Future<void> verify(String url, String fingerprint) async {\n"
        "  List<String> allowed = [];\n"
        "  allowed.add(fingerprint);\n"
        "  await HttpCertificatePinning.check(\n"
        "      serverURL: url, headerHttp: {}, sha: SHA.SHA256, allowedSHAFingerprints: allowed, timeout: 50);\n"
        "}\n"
    )
    assert pin_sets(facts) == []


def test_dart_constant_fingerprint_list_is_still_counted() -> None:
    facts = dart(
        "const pins = ['AA:BB:CC', 'DD:EE:FF'];\n"
        "Future<void> verify(String url) async {\n"
        "  await HttpCertificatePinning.check(\n"
        "      serverURL: url, headerHttp: {}, sha: SHA.SHA256, allowedSHAFingerprints: pins, timeout: 50);\n"
        "}\n"
    )
    assert [len(p.certificates) for p in pin_sets(facts)] == [2]


# --- C# ------------------------------------------------------------------------------------------


def test_csharp_is_not_null_followed_by_a_pin_comparison_is_safe() -> None:
    facts = csharp(
        "class A {\n"
        "  HttpClient Create(byte[] expected) {\n"
        "    var handler = new HttpClientHandler();\n"
        "    handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>\n"
        "        certificate is not null && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 &&\n"
        "        CryptographicOperations.FixedTimeEquals(expected, certificate.GetCertHash(HashName.SHA256));\n"
        "    return new HttpClient(handler);\n"
        "  }\n"
        "}\n"
    )
    assert handlers(facts) == []


def test_csharp_is_not_null_alone_still_trusts_everything() -> None:
    facts = csharp(
        "class A {\n"
        "  void F(HttpClientHandler handler) {\n"
        "    handler.ServerCertificateCustomValidationCallback = (m, cert, chain, errors) =>\n"
        "        cert is not null && chain is not null;\n"
        "  }\n"
        "}\n"
    )
    assert handlers(facts) == [(3, TRUST_ALL)]


def test_csharp_preprocessor_branch_inside_a_callback_is_the_debug_build() -> None:
    facts = csharp(
        "class A {\n"
        "  void Install(HttpClientHandler handler) { handler.ServerCertificateCustomValidationCallback = Check; }\n"
        "  static bool Check(HttpRequestMessage r, X509Certificate2? c, X509Chain? chain, SslPolicyErrors errors) {\n"
        "    if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) {\n"
        "#if DEBUG\n"
        "      return true;\n"
        "#else\n"
        "      return false;\n"
        "#endif\n"
        "    }\n"
        "    return errors == SslPolicyErrors.None;\n"
        "  }\n"
        "}\n"
    )
    found = verdicts(facts)
    assert [(f.kind, f.variant) for f in found] == [(TRUST_ALL, "debug")]


def test_csharp_name_mismatch_accepted_in_every_build_is_hostname_off() -> None:
    facts = csharp(
        "class A {\n"
        "  void Install(HttpClientHandler handler) { handler.ServerCertificateCustomValidationCallback = Check; }\n"
        "  static bool Check(HttpRequestMessage r, X509Certificate2? c, X509Chain? chain, SslPolicyErrors errors) {\n"
        "    if (errors == SslPolicyErrors.RemoteCertificateNameMismatch) {\n"
        "#if STAGING\n"
        "      return false;\n"
        "#else\n"
        "      return true;\n"
        "#endif\n"
        "    }\n"
        "    return errors == SslPolicyErrors.None;\n"
        "  }\n"
        "}\n"
    )
    found = verdicts(facts)
    assert [(f.kind, f.variant) for f in found] == [(HOSTNAME_OFF, None)]


# --- wording ---------------------------------------------------------------------------------------


def test_variant_note_names_builds_and_leaves_test_code_to_triage() -> None:
    from pinlint.checks.common import variant_note

    assert variant_note("debug") == " (only in the 'debug' build, not release)"
    assert variant_note(None) == ""
    assert variant_note("test") == variant_note("androidTest") == ""  # triage adds the test-code note


# --- PIN101 on certificate fingerprints -----------------------------------------------------------


def test_two_sha1_fingerprints_count_as_two_certificates() -> None:
    def pin101(fingerprints: str) -> list[str]:
        facts = parse(
            "lang_dart",
            "lib/pinning.dart",
            "Future<void> f() async {\n"
            "  await SslPinningPlugin.check(serverURL: 'https://records.carenote-health.com', headerHttp: {},\n"
            f"      sha: SHA.SHA1, allowedSHAFingerprints: [{fingerprints}], timeout: 60);\n"
            "}\n",
        )
        rule = lookup("PIN101")
        assert rule is not None
        ctx = CheckContext(today=FIXTURE_TODAY, rule=rule)
        return [finding.message for finding in missing_backup_pin(FactStore(list(facts)), ctx)]

    assert pin101("'AA:BB:CC:DD', 'EE:FF:00:11'") == []
    assert [("1 pinned certificate" in message) for message in pin101("'AA:BB:CC:DD'")] == [True]


# --- JavaScript and Python -------------------------------------------------------------------------


def test_js_nullish_assignment_of_the_tls_switch_fires() -> None:
    facts = parse(
        "lang_javascript",
        "scripts/gen-openapi.mjs",
        "process.env.NODE_TLS_REJECT_UNAUTHORIZED ??= '0'\nprocess.env.OTHER ??= '0'\nlet n = 0\nn += 0\n",
    )
    assert handlers(facts) == [(1, TRUST_ALL)]


def test_python_claim_uris_are_identifiers_not_endpoints() -> None:
    facts = parse(
        "lang_python",
        "tools/seed.py",
        'EMAIL_CLAIM = "http://wso2.org/claims/emailaddress"\nAPI = "http://api.carenote-health.com/v1"\n',
    )
    from tests.xplat_helpers import endpoints

    assert endpoints(facts) == [(2, "http://api.carenote-health.com/v1")]
