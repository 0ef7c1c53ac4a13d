"""The byte-level prefilter: triggers in C-family comments do not count, everything else does."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pinlint.discover.walk import Candidate
from pinlint.model.facts import Endpoint, TrustCallback
from pinlint.parsers import prefilter_of
from pinlint.parsers.code import lang_jvm
from pinlint.parsers.code.prefilter import (
    MAX_LEADING_COMMENTS,
    Prefilter,
    c_family_tokens,
    code_start,
    minimal_triggers,
)
from pinlint.pipeline import parse_candidate

APACHE_HEADER = """/*
 * Copyright 2020 The Matrix.org Foundation C.I.C.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
"""

C_FAMILY = Prefilter.of((b"http://", b"HostnameVerifier"), "c")


@pytest.mark.parametrize("code", [
    APACHE_HEADER + "package a\n\nclass Plain { val x = 1 }\n",
    "// see http://example.org for the protocol\nclass A\n",
    "/** Uses a HostnameVerifier elsewhere. */\nclass A\n",
    "class A { /* http://x */ val y = 2 } // http://z\n",
    "/* unterminated comment http://x",
])
def test_triggers_only_in_comments_do_not_count(code: str) -> None:
    assert not C_FAMILY.wants(code.encode())


@pytest.mark.parametrize("code", [
    APACHE_HEADER + 'val base = "http://api.example.org"\n',
    'val a = "//"; val b = "http://x"\n',
    'val url = "http://x" // http://y\n',
    "val v = HostnameVerifier { _, _ -> true }\n",
    'val s = """\n  http://inside.raw.string\n"""\n',
    "char c = '\"'; String u = \"http://x\";\n",
    'val mime = "*/*"; val u = "http://x"\n',
    'val t = "${map["k"]} http://x"\n',
    "x = y /* */ + HostnameVerifier.ALLOW\n",
    'String s = "unterminated http://x\n',
])
def test_triggers_in_code_or_strings_count(code: str) -> None:
    assert C_FAMILY.wants(code.encode())


def test_without_comment_syntax_every_occurrence_counts() -> None:
    plain = Prefilter.of((b"http://",))
    assert plain.wants(b"# http://example.org")
    assert not plain.wants(b"nothing here")


def test_unknown_comment_syntax_is_refused() -> None:
    with pytest.raises(ValueError):
        Prefilter.of((b"x",), "lisp")


def test_minimal_triggers_drop_longer_ones_that_contain_a_shorter_one() -> None:
    assert minimal_triggers((b"HostnameVerifier", b"NoopHostnameVerifier", b"http://", b"http://")) == (
        b"http://", b"HostnameVerifier")


def test_jvm_prefilter_ignores_the_licence_header(tmp_path: Path) -> None:
    path = tmp_path / "Plain.kt"
    path.write_text(APACHE_HEADER + "package a\n\nclass Plain\n", encoding="utf-8")
    jvm = prefilter_of(lang_jvm)
    assert jvm is not None and not jvm.wants(path.read_bytes())
    assert parse_candidate(Candidate(str(path), "Plain.kt"), 1_000_000) == []


def test_jvm_file_with_a_header_and_real_findings_is_still_parsed(tmp_path: Path) -> None:
    path = tmp_path / "Net.kt"
    path.write_text(
        APACHE_HEADER
        + "package a\n\nimport javax.net.ssl.HostnameVerifier\n\n"
        + "val verifier = HostnameVerifier { _, _ -> true }\n"
        + 'val base = "http://api.example.org/v1"\n',
        encoding="utf-8",
    )
    facts = parse_candidate(Candidate(str(path), "Net.kt"), 1_000_000)
    assert any(isinstance(fact, TrustCallback) for fact in facts)
    assert any(isinstance(fact, Endpoint) and fact.span.line == 15 for fact in facts)


GROUPED = Prefilter.of((b"HostnameVerifier",), "c", together=((b"isTrusted", b"X509Certificate"),))


@pytest.mark.parametrize("code", [
    "fun check(device: Device) = device.isTrusted\n",
    "val chain: X509Certificate? = null\n// user.isTrusted\n",
    "/* isTrusted(chain: Array<X509Certificate>) */ val x = 1\n",
])
def test_a_group_needs_every_word_in_code(code: str) -> None:
    assert not GROUPED.wants(code.encode())


def test_a_group_with_every_word_in_code_keeps_the_file() -> None:
    assert GROUPED.wants(b"override fun isTrusted(chain: Array<X509Certificate>, authType: String) = true\n")


KOTLIN_DEVICE_TRUST = APACHE_HEADER + """package a

class DeviceInfo(val isTrusted: Boolean)

fun shieldFor(info: DeviceInfo) = if (info.isTrusted) "green" else "red"
"""

KOTLIN_TRUST_STRATEGY = """package a

import java.security.cert.X509Certificate

class Lenient : Strategy {
    override fun isTrusted(chain: Array<X509Certificate>, authType: String): Boolean = true
}
"""


def test_isTrusted_alone_is_not_a_tls_word(tmp_path: Path) -> None:
    device, strategy = tmp_path / "DeviceInfo.kt", tmp_path / "Lenient.kt"
    device.write_text(KOTLIN_DEVICE_TRUST, encoding="utf-8")
    strategy.write_text(KOTLIN_TRUST_STRATEGY, encoding="utf-8")
    jvm = prefilter_of(lang_jvm)
    assert jvm is not None and not jvm.wants(device.read_bytes())
    assert jvm.wants(strategy.read_bytes())
    facts = parse_candidate(Candidate(str(strategy), "Lenient.kt"), 1_000_000)
    shapes = [path.shape for fact in facts if isinstance(fact, TrustCallback) for path in fact.paths]
    assert shapes == ["TrustStrategy-returns-true"]


def test_onReceivedSslError_without_proceed_is_not_parsed() -> None:
    jvm = prefilter_of(lang_jvm)
    assert jvm is not None
    assert not jvm.wants(b"override fun onReceivedSslError(v: WebView, h: SslErrorHandler, e: SslError) "
                         b"{ h.cancel() }\n")
    assert jvm.wants(b"override fun onReceivedSslError(v: WebView, h: SslErrorHandler, e: SslError) "
                     b"{ h.proceed() }\n")


PIECES = st.sampled_from([" ", "\n", "\t", "/* a */", "/*", "*/", "// b\n", "//", '"s"', "'c'", "val x", "http://h",
                          "\\", '"""', "*"])


@given(st.lists(PIECES, max_size=10).map("".join))
def test_code_starts_at_the_first_byte_that_is_neither_blank_nor_in_a_comment(text: str) -> None:
    # the prefilter looks for triggers only from here on, so nothing before it may be code
    data = text.encode()
    start = code_start(data)
    comments = [(first, end) for first, end, is_comment in c_family_tokens(data) if is_comment]

    def in_comment(position: int) -> bool:
        return any(first <= position < end for first, end in comments)

    assert all(data[position:position + 1].isspace() or in_comment(position) for position in range(start))
    if start < len(data):
        assert not data[start:start + 1].isspace() and not in_comment(start)


@given(st.lists(PIECES, max_size=10).map("".join))
def test_blanking_the_leading_comments_changes_no_answer(text: str) -> None:
    data = text.encode()
    start = code_start(data)
    assert C_FAMILY.wants(data) == C_FAMILY.wants(b" " * start + data[start:])
    if C_FAMILY.wants(data):
        assert b"http://" in data[start:] or b"HostnameVerifier" in data[start:]


def test_code_start_stops_after_a_bounded_number_of_leading_comments() -> None:
    # a file of nothing but one-line comments (hostile input) is not walked comment by comment in Python;
    # the comment scan then tells its later comments apart, with the same answer
    data = b"// line\n" * (MAX_LEADING_COMMENTS + 10) + b'val u = "http://api.example"\n'
    assert code_start(data) == MAX_LEADING_COMMENTS * len(b"// line\n")
    assert C_FAMILY.wants(data)
    assert not C_FAMILY.wants(b"// http://x\n" * (MAX_LEADING_COMMENTS + 10))
