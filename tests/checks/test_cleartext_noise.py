"""Cleartext URL noise: previews, debug-only branches, mock folders and loopback are not exposure of the
shipped app; local-network hosts stay reported at low; CLR201 names the hosts that leave the device first."""

from __future__ import annotations

from click.testing import CliRunner

from pinlint.checks.cleartext import _scope_text
from pinlint.cli.app import main
from pinlint.model.facts import CleartextPolicy, Span
from pinlint.vocab.urls import is_local_network_host, is_loopback_host
from tests.conftest import FIXTURES, scan_path

NOISE = FIXTURES / "CLR203-insecure-url-noise"


def test_severities() -> None:
    found = {(f.span.path.rsplit("/", 1)[-1], f.span.line): f.severity for f in scan_path(NOISE).findings}
    assert found == {
        ("Urls.kt", 3): "low", ("Urls.kt", 4): "low", ("Urls.kt", 6): "medium", ("Urls.kt", 9): "info",
        ("Responses.kt", 2): "info", ("Records.kt", 3): "info", ("Api.swift", 3): "info", ("Api.swift", 5): "medium",
        # BuildConfig.DEBUG in `?:` and `when`; the other branch is release code
        ("Sync.java", 5): "info", ("Sync.java", 9): "medium",
        ("RecordCard.kt", 15): "info", ("RecordCard.kt", 16): "medium", ("RecordCard.kt", 21): "medium",
        # #ifdef DEBUG / #if DEBUG and their #else
        ("Endpoints.cs", 4): "info", ("Endpoints.cs", 6): "medium",
        ("Endpoints.m", 4): "info", ("Endpoints.m", 6): "medium",
        ("Mockingbird.swift", 4): "medium",
        # Flutter kDebugMode / kReleaseMode, React Native __DEV__
        ("api.dart", 4): "info", ("api.dart", 8): "info", ("api.dart", 10): "medium", ("api.dart", 15): "medium",
        ("api.dart", 17): "medium", ("api.dart", 20): "low",
        ("client.js", 2): "info", ("client.js", 3): "info", ("client.js", 4): "medium", ("client.js", 6): "low",
        ("mockData.js", 2): "info",
    }


def test_the_default_profile_hides_the_informational_ones() -> None:
    output = CliRunner().invoke(main, ["check", str(NOISE), "--no-config"]).output
    assert "api.carebridge.com" in output and "192.168.1.20" in output
    assert "staging.carebridge.com" not in output and "images.carebridge.com" not in output


def test_host_scopes() -> None:
    for host in ("localhost", "127.0.0.1", "::1", "10.0.2.2", "0.0.0.0", "api.localhost"):
        assert is_loopback_host(host) and not is_local_network_host(host), host
    for host in ("192.168.1.2", "10.1.2.3", "172.16.0.9", "169.254.3.4", "printer.local", "intranet", "fe80::1"):
        assert is_local_network_host(host) and not is_loopback_host(host), host
    for host in ("api.example.com", "8.8.8.8"):
        assert not is_local_network_host(host) and not is_loopback_host(host), host


def test_cleartext_messages_name_the_hosts_that_leave_the_device_first() -> None:
    policy = CleartextPolicy("ats", "ios", "domain", True, Span("Info.plist"),
                             hosts=("localhost", "127.0.0.1", "printer.local", "records.example.com"))
    assert _scope_text(policy).startswith("records.example.com, printer.local, localhost")


def test_loopback_only_exceptions_are_info_on_both_platforms() -> None:
    found = {(f.span.path.rsplit("/", 1)[-1], f.span.line): f.severity
             for f in scan_path(FIXTURES / "CLR201-cleartext-permitted-loopback").findings}
    assert found == {("network_security_config.xml", 3): "info", ("network_security_config.xml", 8): "high",
                     ("Info.plist", 11): "info", ("Info.plist", 16): "low"}
