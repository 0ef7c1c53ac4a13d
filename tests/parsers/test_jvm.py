"""The Kotlin/Java front end: prefilter, comments and strings, broken files, constants, variants."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinlint.model.facts import Endpoint, PinSet, TlsFloor
from pinlint.parsers import SourceFile
from pinlint.parsers.code import lang_jvm, treesitter
from tests.trust_verdicts import HOSTNAME_OFF, PIN_FAIL_OPEN, TRUST_ALL, Verdict, verdicts


def parse(code: str, name: str = "Sample.kt", display: str | None = None) -> list[object]:
    return lang_jvm.parse(SourceFile(Path(name), display or name, code.encode()))


def handlers(facts: list[object], kind: str | None = None) -> list[Verdict]:
    return [verdict for verdict in verdicts(facts) if kind is None or verdict.kind == kind]


def test_accepts_kotlin_and_java_sources_only() -> None:
    assert lang_jvm.accepts("Client.kt", b"")
    assert lang_jvm.accepts("Client.java", b"")
    assert not lang_jvm.accepts("build.gradle.kts", b"")
    assert not lang_jvm.accepts("client.swift", b"")


def test_file_without_trigger_is_never_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(language: str) -> object:
        raise AssertionError(f"grammar for {language} loaded for a file without triggers")

    monkeypatch.setattr(treesitter, "parser_for", refuse)
    code = "package a\n\nclass Plain {\n    fun add(a: Int, b: Int) = a + b\n}\n"
    assert parse(code) == []
    assert parse("class Plain { int twice(int x) { return 2 * x; } }", "Plain.java") == []


def test_file_with_trigger_reaches_the_grammar(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = treesitter.parser_for

    def spy(language: str) -> object:
        calls.append(language)
        return original(language)

    monkeypatch.setattr(treesitter, "parser_for", spy)
    parse('val u = "http://api.example.com"\n')
    assert calls == ["kotlin"]


def test_triggers_cover_every_shape_the_analyses_look_for() -> None:
    for word in (
        b"checkServerTrusted",
        b"HostnameVerifier",
        b"hostnameVerifier",
        b"CertificatePinner",
        b"http://",
        b"ws://",
        b"SSLContext",
        b"TlsVersion",
        b"CipherSuite",
        b"ALLOW_ALL",
        b"NoopHostnameVerifier",
        b"getInsecure",
        b"TrustStrategy",
        b"TrustSelfSigned",
        b"sslSocketFactory",
    ):
        assert any(trigger in word for trigger in lang_jvm.TRIGGERS), word
    assert b"setEnabledProtocols" in b"".join(lang_jvm.TRIGGERS) or any(
        trigger in b"setEnabledProtocols" for trigger in lang_jvm.TRIGGERS
    )


KOTLIN_IN_COMMENTS_AND_STRINGS = '''
package a

// override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {}
/* OkHttpClient.Builder().hostnameVerifier { _, _ -> true }
   handler.proceed()  SSLContext.getInstance("SSLv3")  "http://api.example.com" */
/** See http://docs.example.com and NoopHostnameVerifier.INSTANCE. */
class Notes {
    val advice = "never write hostnameVerifier { _, _ -> true } or checkServerTrusted {} or handler.proceed()"
    val raw = """
        override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {}
        SSLCertificateSocketFactory.getInsecure(0, null) ALLOW_ALL_HOSTNAME_VERIFIER
    """
}
'''

JAVA_IN_COMMENTS_AND_STRINGS = """
package a;

/**
 * Do not write {@code public void checkServerTrusted(X509Certificate[] c, String a) {}} or
 * {@code builder.hostnameVerifier((h, s) -> true)}; see http://docs.example.com/tls.
 */
public class Notes {
    // conn.setHostnameVerifier(SSLSocketFactory.ALLOW_ALL_HOSTNAME_VERIFIER);
    static final String ADVICE = "new AllowAllHostnameVerifier(), SSLContext.getInstance(\\"TLSv1\\")";
    static final String PROSE = "upload to http://old.example.com stopped";
}
"""


def test_comments_and_strings_never_fire() -> None:
    assert parse(KOTLIN_IN_COMMENTS_AND_STRINGS) == []
    assert parse(JAVA_IN_COMMENTS_AND_STRINGS, "Notes.java") == []


BROKEN_KOTLIN = """
package a

class Good : X509TrustManager {
    override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {}
    override fun checkClientTrusted(chain: Array<X509Certificate>, authType: String) {}
    override fun getAcceptedIssuers(): Array<X509Certificate> = arrayOf()
}

class Broken {
    fun oops( {{ ] val = = )
        override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) { ( }
    }
"""


def test_partial_parse_errors_keep_the_sound_part() -> None:
    facts = parse(BROKEN_KOTLIN)
    lines = sorted(handler.span.line for handler in handlers(facts, TRUST_ALL))
    assert lines == [5]


def test_findings_inside_error_nodes_are_skipped() -> None:
    code = "class A {\n  void f() {\n    conn.setHostnameVerifier((h, s) -> true) ) ) ;;; }}} (\n"
    facts = parse(code, "A.java")
    root = treesitter.parse(code.encode(), "java")
    assert root.has_error
    for handler in handlers(facts):
        # Whatever is reported must come from a region the grammar parsed.
        assert handler.span.line >= 1
    good = "class A {\n  void f() {\n    conn.setHostnameVerifier((h, s) -> true);\n  }\n}\n"
    assert [handler.kind for handler in handlers(parse(good, "A.java"))] == [HOSTNAME_OFF]


def test_constants_resolve_for_pins_and_hosts_in_kotlin() -> None:
    code = """
package a
import okhttp3.CertificatePinner

private const val HOST = "api.example.com"
private val HASH = "WJwqzd94nvaLrW0jL0pSptfc5nZcyt40pbhc3FgvICg="

class Client {
    companion object {
        const val BACKUP = "sha256/xjFg2je3/YWZqCESIgk8DErgWQX5k4xZRC135qW9tEw="
    }
    val pinner = CertificatePinner.Builder()
        .add(HOST, "sha256/$HASH", Client.BACKUP)
        .add("*." + HOST, BuildConfig.PIN_PRIMARY)
        .build()
}
"""
    pin_sets = [fact for fact in parse(code) if isinstance(fact, PinSet)]
    assert [pin_set.hosts for pin_set in pin_sets] == [("api.example.com",), ("*.api.example.com",)]
    first, second = pin_sets
    assert [pin.value for pin in first.pins] == [
        "WJwqzd94nvaLrW0jL0pSptfc5nZcyt40pbhc3FgvICg=",
        "xjFg2je3/YWZqCESIgk8DErgWQX5k4xZRC135qW9tEw=",
    ]
    assert all(pin.is_valid and not pin.unresolved for pin in first.pins)
    # The constant's pin is reported where it is written.
    assert first.pins[1].span.line == 10
    assert [(pin.value, pin.unresolved) for pin in second.pins] == [("BuildConfig.PIN_PRIMARY", True)]


def test_constants_resolve_in_java_and_repeated_adds_merge() -> None:
    code = """
import okhttp3.CertificatePinner;
class Pins {
    private static final String HOST = "records.example.org";
    static final String SHA1_PIN = "sha1/mzMEbtOdGC462vqQRa1nh9S7wyE=";
    static final String[] PINS = {"sha256/WJwqzd94nvaLrW0jL0pSptfc5nZcyt40pbhc3FgvICg=", "sha256/x"};
    CertificatePinner build() {
        CertificatePinner.Builder builder = new CertificatePinner.Builder();
        builder.add(HOST, SHA1_PIN);
        builder.add(HOST, "sha256/WJwqzd94nvaLrW0jL0pSptfc5nZcyt40pbhc3FgvICg=");
        builder.add("all.example.org", PINS);
        return builder.build();
    }
}
"""
    pin_sets = {fact.hosts[0]: fact for fact in parse(code, "Pins.java") if isinstance(fact, PinSet)}
    assert set(pin_sets) == {"records.example.org", "all.example.org"}
    records = pin_sets["records.example.org"]
    assert [pin.algorithm for pin in records.pins] == ["sha1", "sha256"]
    assert records.span.line == 9
    assert [pin.value for pin in pin_sets["all.example.org"].pins] == [
        "WJwqzd94nvaLrW0jL0pSptfc5nZcyt40pbhc3FgvICg=",
        "x",
    ]


def test_pins_of_unknown_count_are_not_guessed() -> None:
    code = """
import okhttp3.CertificatePinner
fun pinner(pins: List<String>, hosts: Array<String>) = CertificatePinner.Builder().apply {
    pins.forEach { add("a.example.com", it) }
    add("b.example.com", *pins.toTypedArray())
    for (pin in pins) add("c.example.com", pin)
}.build()
"""
    assert [fact for fact in parse(code) if isinstance(fact, PinSet)] == []


def test_add_on_other_receivers_is_not_a_pin() -> None:
    code = """
import okhttp3.CertificatePinner
fun f(list: MutableList<String>) {
    list.add("sha256/abc")
    mapOf<String, String>().toMutableMap()
    val headers = Headers.Builder().add("X-Pin", "sha256/abc").build()
}
"""
    assert [fact for fact in parse(code) if isinstance(fact, PinSet)] == []


def test_kotlin_negation_of_a_call_chain_is_a_mismatch_test() -> None:
    code = """
class M(private val platform: X509TrustManager) : X509TrustManager {
    override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {
        platform.checkServerTrusted(chain, authType)
        if (!PINS.contains(hash(chain[0]))) {
            Log.w("T", "pin mismatch")
        }
    }
}
"""
    facts = parse(code)
    assert [(handler.kind, handler.span.line) for handler in handlers(facts)] == [(PIN_FAIL_OPEN, 5)]


def test_variant_from_source_set() -> None:
    code = "class A { void f() { conn.setHostnameVerifier((h, s) -> true); } }"
    release = handlers(parse(code, "A.java", "app/src/main/java/A.java"))
    debug = handlers(parse(code, "A.java", "app/src/debug/java/A.java"))
    test = handlers(parse(code, "A.java", "app/src/androidTest/java/A.java"))
    assert [handler.variant for handler in release] == [None]
    assert [handler.variant for handler in debug] == ["debug"]
    assert [handler.variant for handler in test] == [None]  # test code is told apart by path, in triage


def test_tls_versions_and_urls_from_kotlin_templates() -> None:
    code = """
fun f(socket: SSLSocket, id: String, host: String) {
    socket.enabledProtocols = arrayOf("TLSv1.1", "TLSv1.2")
    val a = "http://api.example.com/users/$id"
    val b = "http://$host/users"
    val c = "http://api.${host}.com/"
    val d = "ws://10.0.2.2:8080/socket"
}
"""
    facts = parse(code)
    floors = [fact for fact in facts if isinstance(fact, TlsFloor)]
    assert [floor.min_version for floor in floors] == ["TLSv1.1"]
    endpoints = [fact for fact in facts if isinstance(fact, Endpoint)]
    assert [(endpoint.host, endpoint.local) for endpoint in endpoints] == [
        ("api.example.com", False),
        ("the host 'host'", False),  # the host is an expression: cleartext to whatever it names
        ("the host 'api.{host}.com'", False),
        ("10.0.2.2", True),
    ]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["X.kt", "X.java"]))
def test_never_raises_on_arbitrary_bytes(data: bytes, name: str) -> None:
    payload = b"checkServerTrusted http:// CertificatePinner " + data
    lang_jvm.parse(SourceFile(Path(name), name, payload))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "override fun checkServerTrusted(c: Array<X509Certificate>, a: String) {",
                "}",
                "{",
                "(",
                ")",
                "try {",
                "} catch (e: CertificateException) {",
                "handler.proceed()",
                ".hostnameVerifier { _, _ -> true }",
                "if (!pins.contains(h)) return",
                "throw CertificateException()",
                "return true",
                "\n",
                "val x = ",
                'CertificatePinner.Builder().add("h", "sha256/a")',
                '"http://a.example.com"',
            ]
        ),
        max_size=40,
    )
)
def test_never_raises_on_shuffled_fragments(fragments: list[str]) -> None:
    code = " ".join(fragments)
    for name in ("X.kt", "X.java"):
        lang_jvm.parse(SourceFile(Path(name), name, code.encode()))


def test_test_support_modules_and_namespace_urls() -> None:
    code = 'class A { String a = "http://api.example.org/v1"; }'
    assert [type(fact).__name__ for fact in parse(code, "A.java", "app/src/main/java/A.java")] == ["Endpoint"]
    namespaces = """
class Dav {
    void build(Element e) {
        e.setAttribute("xmlns:oc", "http://owncloud.org/ns");
        String ns = "http://nextcloud.com/ns";
    }
}
"""
    assert parse(namespaces, "Dav.java") == []
