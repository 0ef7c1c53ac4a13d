"""C# front end: validation callbacks per SslPolicyErrors case, forced protocols, URL literals."""

from __future__ import annotations

import pytest

from pinlint.model.facts import TlsFloor
from tests.trust_verdicts import verdicts
from tests.xplat_helpers import HOSTNAME_OFF, PIN_FAIL_OPEN, TRUST_ALL, endpoints, handlers, parse


def cs(body: str, members: str = "") -> list[object]:
    code = f"class C {{\n  void M() {{\n    {body}\n  }}\n{members}}}\n"
    return parse("lang_csharp", "C.cs", code)


@pytest.mark.parametrize(
    "assignment, kind",
    [
        ("h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => true;", TRUST_ALL),
        ("h.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;", TRUST_ALL),
        ("ServicePointManager.ServerCertificateValidationCallback += delegate { return true; };", TRUST_ALL),
        ("ServicePointManager.ServerCertificateValidationCallback = (s, c, ch, e) => true;", TRUST_ALL),
        (
            "h.SslOptions.RemoteCertificateValidationCallback = (s, c, ch, e) => { Log(e); return true; };",
            TRUST_ALL,
        ),
        (
            "req.ServerCertificateValidationCallback = (s, c, ch, e) => e != SslPolicyErrors.RemoteCertificateNotAvailable;",  # noqa: E501
            TRUST_ALL,
        ),
        (
            "h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => "
            "e == SslPolicyErrors.None || e == SslPolicyErrors.RemoteCertificateChainErrors;",
            TRUST_ALL,
        ),
        (
            "h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => "
            "e == SslPolicyErrors.None || e == SslPolicyErrors.RemoteCertificateNameMismatch;",
            HOSTNAME_OFF,
        ),
        (
            "h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => { switch (e) { "
            "case SslPolicyErrors.None: return true; case SslPolicyErrors.RemoteCertificateNameMismatch: return true; "
            "default: return false; } };",
            HOSTNAME_OFF,
        ),
        (
            "h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => { var ok = Pins.Contains(c.GetCertHashString()); "  # noqa: E501
            'if (!ok) Log("mismatch"); return true; };',
            PIN_FAIL_OPEN,
        ),
    ],
)
def test_callbacks_that_fail_open(assignment: str, kind: str) -> None:
    assert handlers(cs(assignment)) == [(3, kind)]


@pytest.mark.parametrize(
    "assignment",
    [
        "h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => e == SslPolicyErrors.None;",
        "h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => false;",
        "h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => { if (e != SslPolicyErrors.None) return false; "
        "return Pins.Contains(c.GetCertHashString()); };",
        "h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => { if (e == SslPolicyErrors.None) return true; "
        "ch.ChainPolicy.ExtraStore.Add(Root); return ch.Build(new X509Certificate2(c)); };",
        "h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => { bool valid = false; "
        "if (e == SslPolicyErrors.None && Pins.Contains(c.GetCertHashString())) valid = true; return valid; };",
        "h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => "
        'm.RequestUri.Host == "localhost" || e == SslPolicyErrors.None;',
        "var t = SslCertificateTrust.CreateForX509Collection(cas, true);",
    ],
)
def test_safe_callbacks(assignment: str) -> None:
    assert handlers(cs(assignment)) == []


def test_method_groups_and_ssl_stream() -> None:
    facts = cs(
        "h.ServerCertificateCustomValidationCallback = AcceptAll;\n"
        "    var s = new SslStream(inner, false, new RemoteCertificateValidationCallback(Strict));\n"
        "    var t = new SslStream(inner, false, AcceptAll);\n"
        "    h.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;",  # noqa: E501
        "  static bool AcceptAll(object s, X509Certificate c, X509Chain ch, SslPolicyErrors e) { return true; }\n"
        "  static bool Strict(object s, X509Certificate c, X509Chain ch, SslPolicyErrors e) => "
        "e == SslPolicyErrors.None;\n",
    )
    assert handlers(facts) == [(3, TRUST_ALL), (5, TRUST_ALL), (6, TRUST_ALL)]


def test_debug_only_code_is_marked() -> None:
    code = (
        "class C {\n  void M() {\n#if DEBUG\n"
        "    h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => true;\n"
        "#else\n    h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => true;\n#endif\n"
        "  }\n}\n"
    )
    variants = {
        verdict.span.line: verdict.variant for verdict in verdicts(parse("lang_csharp", "C.cs", code))
    }
    assert variants == {4: "debug", 6: None}


def test_forced_old_protocols() -> None:
    facts = cs(
        "ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls12 | SecurityProtocolType.Tls11;\n"
        "    ServicePointManager.SecurityProtocol &= ~SecurityProtocolType.Tls;\n"
        "    var o = new SslClientAuthenticationOptions { EnabledSslProtocols = SslProtocols.Tls | SslProtocols.Tls12 };\n"  # noqa: E501
        "    if (p == SslProtocols.Tls) { }"
    )
    floors = [(fact.span.line, fact.version_text) for fact in facts if isinstance(fact, TlsFloor)]
    assert floors == [(3, "TLSv1.1"), (5, "TLSv1.0")]


def test_comments_strings_and_attributes_never_fire() -> None:
    facts = cs(
        "// h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => true;\n"
        "    /* http://api.medsync.io */\n"
        '    var s = "ServerCertificateCustomValidationCallback = (m, c, ch, e) => true";\n'
        '    var u = $"https://{host}/x";',
        '  [XmlRoot(Namespace = "http://records.medsync.io/ns")] class R { }\n',
    )
    assert handlers(facts) == [] and endpoints(facts) == []


def test_url_literals() -> None:
    facts = cs(
        'var a = "http://api.medsync.io/v1";\n'
        '    var b = @"http://verbatim.medsync.io/";\n'
        '    var c = $"http://api.medsync.io/users/{id}";\n'
        '    var d = "http://tempuri.org/";\n'
        '    var e = "http://localhost:5000";'
    )
    assert endpoints(facts) == [
        (3, "http://api.medsync.io/v1"),
        (4, "http://verbatim.medsync.io/"),
        (5, "http://api.medsync.io/users/"),
    ]


def test_partial_parse_errors_keep_the_sound_parts() -> None:
    code = (
        "class Good {\n  void M() {\n    h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => true;\n  }\n}\n"
        "class Bad {\n  void N( {\n    h.ServerCertificateCustomValidationCallback = (m, c, ch => true;\n}\n"
    )
    assert handlers(parse("lang_csharp", "C.cs", code)) == [(3, TRUST_ALL)]


def test_if_false_regions_are_dead_code() -> None:
    code = (
        "class C {\n  void M() {\n#if false\n"
        '    h.ServerCertificateCustomValidationCallback = (m, c, ch, e) => true;\n    var u = "http://proxy.medsync.io";\n'
        '#endif\n    var v = "http://api.medsync.io";\n  }\n}\n'
    )
    facts = parse("lang_csharp", "C.cs", code)
    assert handlers(facts) == [] and endpoints(facts) == [(7, "http://api.medsync.io")]


def test_block_callback_is_reported_at_the_accepting_return_and_a_method_group_where_installed() -> None:
    facts = cs(
        "h.ServerCertificateCustomValidationCallback = (m, c, ch, e) =>\n"
        "    {\n"
        "        if (e == SslPolicyErrors.None) return true;\n"
        "        if (e == SslPolicyErrors.RemoteCertificateNameMismatch) return true;\n"
        "        return false;\n"
        "    };\n"
        "    h.ServerCertificateCustomValidationCallback = AcceptAll;",
        "  static bool AcceptAll(object s, X509Certificate c, X509Chain ch, SslPolicyErrors e)\n"
        "  {\n"
        "      return true;\n"
        "  }\n",
    )
    assert handlers(facts) == [(6, HOSTNAME_OFF), (9, TRUST_ALL)]
