"""Forgeable names (``pinlint.vocab.names``): subject/issuer comparisons and unbounded host tests, both ways."""

from __future__ import annotations

import pytest

from pinlint.vocab.names import certificate_name_check, forgeable_host_check


@pytest.mark.parametrize("condition", [
    'cert.Issuer == "CN=localhost"', 'chain[0].subjectDN.name.contains("MyCompany")',
    'SecCertificateCopySubjectSummary(cert) == "api.example.com"', "cert.subject.CN.endsWith('example.com')",
    'x509.get_subject().CN == "api"', 'c.getIssuerX500Principal().getName().equals("CN=Care CA")',
    "cert.issuer.contains('CareBridge')",
])
def test_name_checks(condition: str) -> None:
    assert certificate_name_check(condition)


@pytest.mark.parametrize("condition", [
    "sha256(cert.publicKey) == pin", 'cert.GetCertHashString() == "AB12"', "cert.subject != null",
    "spki(cert.subjectPublicKeyInfo) == pin", "host == expected", "errors == SslPolicyErrors.None",
])
def test_not_name_checks(condition: str) -> None:
    assert certificate_name_check(condition) is None


@pytest.mark.parametrize(("condition", "literals"), [
    ('url.StartsWith("https://localhost")', ["https://localhost"]),
    ('host.endsWith("example.com")', ["example.com"]), ("host.hasPrefix('api.')", ["api."]),
    ("host.startsWith('localhost')", ["localhost"]),
])
def test_forgeable_host_checks(condition: str, literals: list[str]) -> None:
    assert forgeable_host_check(condition, literals)


@pytest.mark.parametrize(("condition", "literals"), [
    ('host.endsWith(".example.com")', [".example.com"]), ('url.StartsWith("https://localhost/")', ["https://localhost/"]),
    ('url.startsWith("https://localhost:8443")', ["https://localhost:8443"]), ('host == "a.example"', ["a.example"]),
    ("host.endsWith(suffix)", []),
])
def test_bounded_host_checks(condition: str, literals: list[str]) -> None:
    assert forgeable_host_check(condition, literals) is None
