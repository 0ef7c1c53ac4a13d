"""One ``TlsVersion`` whatever the spelling: every spelling configs and code use reads the same way."""

from __future__ import annotations

import pytest

from pinlint.vocab.tls import SSL2, SSL3, TLS10, TLS11, TLS12, TLS13, spelling_of, tls_version


@pytest.mark.parametrize(("text", "expected"), [
    ("SSLv2", SSL2), ("sslv3", SSL3), ("SSL", SSL3), ("TLSv1", TLS10), ("TLSv1.0", TLS10), ("tls1", TLS10),
    ("tls1.0", TLS10), ("1.0", TLS10), ("TLSv10", TLS10), ("tls_1_0", TLS10), ("TLSv1_0", TLS10),
    ("TLSv1.1", TLS11), ("TLS1.1", TLS11), ("1.1", TLS11), ("TLSv11", TLS11), ("TLS_1_1", TLS11),
    ("tlsv1_1", TLS11), (" TLSv1.2 ", TLS12), ("1.2", TLS12), ("TLS_1_3", TLS13),
])
def test_every_spelling_reads_as_one_version(text: str, expected: object) -> None:
    assert tls_version(text) == expected


@pytest.mark.parametrize("text", ["TLS", "Default", "SSLv2Hello", "1", "2.0", "_1.0", "v1.1", "TLSv1.4", ""])
def test_what_names_no_single_version_is_none(text: str) -> None:
    assert tls_version(text) is None


def test_versions_order_by_age() -> None:
    assert [tls_version(name) < TLS12 for name in ("SSLv3", "TLSv1", "1.1", "TLSv1.2", "TLSv1.3")] == [  # type: ignore[operator]
        True, True, True, False, False]
    assert SSL2 < SSL3 < TLS10 < TLS11 < TLS12 < TLS13 and str(TLS11) == "TLSv1.1"


def test_a_spelling_is_kept_only_when_it_is_not_the_canonical_name() -> None:
    assert spelling_of(TLS10, "TLSv1") == "TLSv1" and spelling_of(TLS10, "TLSv1.0") == ""
