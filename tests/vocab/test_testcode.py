"""Test code is not shipped: one definition of test sources (``pinlint.vocab.testcode``) for every rule and
language; findings whose every location is in test code are left out and counted, ``--include-tests`` shows
them one severity lower, tagged ``test`` in SARIF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pinlint.cli.app import main
from pinlint.config.policy import Policy
from pinlint.model.facts import Span
from pinlint.model.findings import Finding
from pinlint.pipeline import ScanOptions, scan
from pinlint.triage.profiles import in_test_sources, set_aside_tests
from pinlint.vocab.testcode import is_test_source
from tests.conftest import FIXTURE_TODAY

TEST_SOURCES = [
    "app/src/test/java/a/ApiTest.kt", "app/src/androidTest/java/a/UiTest.kt", "app/src/testDebug/A.kt",
    "app/src/testFixtures/kotlin/Pins.kt", "app/src/sharedTest/A.kt", "app/src/screenshotTest/A.kt",
    "app/src/integrationTest/A.java", "testing/src/main/java/A.java", "fooTestUtils/src/main/A.kt",
    "okhttp-testing-support/src/main/kotlin/R.kt", "app/unit-tests/src/main/AndroidManifest.xml",
    "Tests/ServerTrustEvaluatorTests.swift", "AppTests/Net.swift", "AppUITests/A.swift", "App/NetSpecs/A.m",
    "App/PinningTests.swift", "App/LoginSpec.m", "App/Net/MockSession.swift", "App/Net/ApiStub.m",
    "src/__tests__/api.js", "src/__mocks__/axios.ts", "app/lib/url.test.ts", "app/lib/url.spec.tsx",
    "app/utils/url/test.ts", "src/Button.stories.tsx", "detox/e2e/login.js", "e2e/a.ts",
    "tests/test_client.py", "app/client_test.py", "pkg/test_api.py", "conftest.py",
    "test/widget_test.dart", "integration_test/app_test.dart", "test_driver/main.dart", "lib/net_test.dart",
    "src/App.Tests/ApiTests.cs", "src/App.UnitTests/A.cs", "src/Services/ClientTests.cs", "spec/a.js",
    "app/src/test/resources/test.key", "testdata/cert.pem",
]
SHIPPED_SOURCES = [
    "app/src/main/java/a/Api.kt", "app/src/debug/java/a/Api.kt", "app/src/release/A.kt",
    "app/src/main/res/xml/network_security_config.xml", "App/Net/Session.swift", "App/Latest/Contest.swift",
    "App/Mockingbird.swift", "Sources/Alamofire/ServerTrustEvaluation.swift", "app/lib/api.ts", "lib/main.dart",
    "src/contest.py", "src/Services/Api.cs", "src/protest/index.js", "latest/a.kt", "app/SpeedTest.kt",
    "src/attestation/Verify.java",
]


@pytest.mark.parametrize("path", TEST_SOURCES)
def test_test_sources(path: str) -> None:
    assert is_test_source(path)


@pytest.mark.parametrize("path", SHIPPED_SOURCES)
def test_shipped_sources(path: str) -> None:
    assert not is_test_source(path)


def test_folders_at_or_above_the_scan_root_never_count() -> None:
    assert not is_test_source("tests/app/src/main/A.kt", ["tests"])
    assert not is_test_source("work/tests/app/src/main/A.kt", ["work/tests/app"])
    assert is_test_source("tests/app/src/test/A.kt", ["tests"])
    assert is_test_source("tests/app/src/main/A.kt", ["elsewhere"])  # outside every root: judged whole
    assert not is_test_source("/home/dev/tests/app/src/main/A.kt", ["/home/dev/tests/app"])


def test_a_finding_is_test_code_only_when_every_location_is() -> None:
    tests = {"app/src/test/A.kt", "ios/AppTests/B.swift"}
    alone = Finding("TRU301", "m", Span("app/src/test/A.kt"), severity="critical")
    related = Finding("PIN110", "m", Span("app/src/test/A.kt"), related=(Span("ios/App/Info.plist"),))
    assert in_test_sources(alone, tests) and not in_test_sources(related, tests)
    kept, left_out = set_aside_tests([alone, related], tests, include_tests=False)
    assert kept == [related] and left_out == 1
    shown, left_out = set_aside_tests([alone], tests, include_tests=True)
    assert left_out == 0 and shown[0].severity == "high" and shown[0].tags == ("test",)
    assert shown[0].message.endswith("(test code only, not shipped in the app)")


TRUST_ALL_KOTLIN = """
import javax.net.ssl.X509TrustManager
class TrustAll : X509TrustManager {
    override fun checkServerTrusted(chain: Array<java.security.cert.X509Certificate>, authType: String) {}
}
"""
TRUST_ALL_SWIFT = 'let evaluators = ["api.example.com": DisabledTrustEvaluator()]\n'
TRUST_ALL_JS = "const agent = new https.Agent({ rejectUnauthorized: false });\n"
TRUST_ALL_PY = 'import requests\nrequests.get("https://api.example.com", verify=False)\n'
TRUST_ALL_DART = "void f(HttpClient c) { c.badCertificateCallback = (cert, host, port) => true; }\n"
TRUST_ALL_CS = ("class A { void F(HttpClientHandler h) { h.ServerCertificateCustomValidationCallback = "
                "(m, c, ch, e) => true; } }\n")


def _tree(root: Path) -> Path:
    files = {
        "app/src/main/java/a/TrustAll.kt": TRUST_ALL_KOTLIN,
        "app/src/test/java/a/TrustAllTest.kt": TRUST_ALL_KOTLIN,
        "app/src/androidTest/java/a/TrustAllUiTest.kt": TRUST_ALL_KOTLIN,
        "ios/AppTests/SessionTests.swift": TRUST_ALL_SWIFT,
        "web/__tests__/agent.js": TRUST_ALL_JS,
        "server/tests/test_client.py": TRUST_ALL_PY,
        "mobile/test/client_test.dart": TRUST_ALL_DART,
        "dotnet/App.Tests/ClientTests.cs": TRUST_ALL_CS,
        "web/src/client.test.ts": "const u = 'http://api.example.com/v1';\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _scan(root: Path, **options: object) -> tuple[list[Finding], int, list[str]]:
    result = scan(ScanOptions(targets=[root], today=FIXTURE_TODAY, relative_to=root, **options))  # type: ignore[arg-type]
    return result.findings, result.tests_left_out, [note.text for note in result.notices]


def test_audit_parses_test_code_and_counts_its_findings_left_out(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    result = scan(ScanOptions(targets=[root], today=FIXTURE_TODAY, relative_to=root, profile="audit"))
    assert [(f.span.path, f.rule_id, f.severity) for f in result.findings] == [
        ("app/src/main/java/a/TrustAll.kt", "TRU301", "critical")]
    assert (result.tests_left_out, result.test_files_not_analysed) == (8, 0)


def test_precommit_leaves_test_code_unparsed_and_counts_the_files(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    result = scan(ScanOptions(targets=[root], today=FIXTURE_TODAY, relative_to=root))
    assert [(f.span.path, f.rule_id, f.severity) for f in result.findings] == [
        ("app/src/main/java/a/TrustAll.kt", "TRU301", "critical")]
    # the eight test files a grammar would have read (each holds a trigger) are counted, none is parsed
    assert (result.tests_left_out, result.test_files_not_analysed) == (0, 8)
    assert not [fact for fact in result.facts if getattr(getattr(fact, "span", None), "path", "").startswith(
        ("app/src/test/", "app/src/androidTest/", "ios/AppTests/", "web/__tests__/", "server/tests/"))]


def test_precommit_parses_test_configuration(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    config = root / "app/src/androidTest/res/xml/network_security_config.xml"
    config.parent.mkdir(parents=True)
    config.write_text('<network-security-config><base-config cleartextTrafficPermitted="true"/>'
                      "</network-security-config>\n", encoding="utf-8")
    result = scan(ScanOptions(targets=[root], today=FIXTURE_TODAY, relative_to=root))
    config_path = "app/src/androidTest/res/xml/network_security_config.xml"
    assert any(getattr(getattr(fact, "span", None), "path", "") == config_path for fact in result.facts)
    assert result.test_files_not_analysed == 8


def test_include_tests_shows_them_one_level_lower_and_tagged(tmp_path: Path) -> None:
    findings, left_out, _notices = _scan(_tree(tmp_path), include_tests=True)
    assert left_out == 0
    by_path = {f.span.path: f for f in findings}
    assert by_path["app/src/main/java/a/TrustAll.kt"].severity == "critical"
    assert by_path["app/src/main/java/a/TrustAll.kt"].tags == ()
    tests = [f for path, f in by_path.items() if path != "app/src/main/java/a/TrustAll.kt"]
    assert len(tests) == 8
    assert {f.rule_id for f in tests} == {"TRU301", "CLR203"}
    for finding in tests:
        assert finding.tags == ("test",)
        assert finding.message.endswith("(test code only, not shipped in the app)")
        assert finding.severity == ("high" if finding.rule_id == "TRU301" else "low")


def test_cli_include_tests_sarif_tags_and_summary(tmp_path: Path) -> None:
    root = _tree(tmp_path / "tree")
    runner = CliRunner()
    text = runner.invoke(main, ["check", str(root), "--no-config", "--today", "2026-01-15"])
    assert "8 test files not analysed (--include-tests analyses them)" in text.output
    audit = runner.invoke(main, ["check", str(root), "--no-config", "--today", "2026-01-15", "--profile", "audit"])
    assert "8 in test code left out (--include-tests shows them)" in audit.output
    assert "not analysed" not in audit.output
    plain = json.loads(runner.invoke(main, ["check", str(root), "--no-config", "--format", "json"]).output)
    assert plain["summary"]["test_files_not_analysed"] == 8 and len(plain["findings"]) == 1
    assert plain["summary"]["left_out_in_tests"] == 0
    sarif = json.loads(runner.invoke(
        main, ["check", str(root), "--no-config", "--format", "sarif", "--include-tests"]).output)
    results = sarif["runs"][0]["results"]
    plain_sarif = json.loads(runner.invoke(main, ["check", str(root), "--no-config", "--format", "sarif"]).output)
    notes = plain_sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("8 test files not analysed by the precommit profile" in note["message"]["text"] for note in notes)
    tagged = [r for r in results if "test" in r.get("properties", {}).get("tags", [])]
    assert len(results) == 9 and len(tagged) == 8
    untagged = [r for r in results if r not in tagged]
    assert untagged[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("TrustAll.kt")


def test_pins_in_test_code_do_not_pin_the_app(tmp_path: Path) -> None:
    """A sensitive host pinned only in a unit test is still unpinned in the app (PIN111)."""
    manifest = tmp_path / "app/src/main/AndroidManifest.xml"
    manifest.parent.mkdir(parents=True)
    manifest.write_text('<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="a">'
                        "<application/></manifest>\n")
    test = tmp_path / "app/src/test/java/a/PinTest.kt"
    test.parent.mkdir(parents=True)
    test.write_text('val p = okhttp3.CertificatePinner.Builder()\n'
                    '    .add("api.example-health.com", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")\n'
                    '    .add("api.example-health.com", "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=")\n'
                    "    .build()\n")
    policy = Policy(sensitive_hosts=["api.example-health.com"])
    findings, _left_out, _notices = _scan(tmp_path, policy=policy)
    assert [f.rule_id for f in findings] == ["PIN111"]
