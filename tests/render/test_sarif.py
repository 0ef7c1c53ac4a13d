"""SARIF 2.1.0 output: schema-valid, GitHub-ready, and free of sarif-om's dropped defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinlint.model.facts import Span
from pinlint.model.findings import Finding
from pinlint.pipeline import ScanResult
from pinlint.render import RunInfo
from pinlint.render.sarif_format import FINGERPRINT_KEY, artifact_uri, render
from tests.output_samples import NSC, PLIST, RULES, UNICODE, VALIDATOR, empty_result, no_validator, sample_result

GITHUB_BANDS = {"critical": (9.0, 10.0), "high": (7.0, 8.9), "medium": (4.0, 6.9), "low": (0.1, 3.9),
                "info": (0.1, 3.9)}
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def sarif_of(result: ScanResult, run: RunInfo | None = None) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render(result, run or RunInfo(exit_code=1)))
    return document


def only_run(document: dict[str, Any]) -> dict[str, Any]:
    assert len(document["runs"]) == 1
    run: dict[str, Any] = document["runs"][0]
    return run


def results_by_message(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {result["message"]["text"]: result for result in run["results"]}


def run_validator(path: Path) -> subprocess.CompletedProcess[str]:
    if not VALIDATOR.is_file():
        no_validator(f"no SARIF validator at {VALIDATOR} (the shared tools folder sits beside the clone)")
    return subprocess.run([sys.executable, str(VALIDATOR), "--strict", str(path)],
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.parametrize("make", [sample_result, empty_result], ids=["sample", "empty"])
def test_validator_accepts_output_without_errors_or_warnings(make: Any, tmp_path: Path) -> None:
    path = tmp_path / "out.sarif"
    run = RunInfo(exit_code=1, category="mobile/android", source_root=str(tmp_path))
    path.write_text(render(make(), run), encoding="utf-8")
    completed = run_validator(path)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "0 error(s), 0 warning(s)" in completed.stdout


def cached_schema() -> Path | None:
    base = os.environ.get("PINLINT_TOOLS_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "pinlint-tools")
    path = Path(base) / "validate-sarif" / "sarif-schema-2.1.0.json"
    return path if path.is_file() else None


def test_output_matches_the_oasis_schema_with_jsonschema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = cached_schema()
    if schema_path is None:
        pytest.skip("the SARIF schema is not cached yet (validate-sarif caches it on first run)")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    errors = [error.message for error in validator.iter_errors(sarif_of(sample_result()))]
    assert errors == []


def test_header_and_driver() -> None:
    document = sarif_of(sample_result())
    assert list(document)[:3] == ["$schema", "version", "runs"]
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-2.1.0.json")
    driver = only_run(document)["tool"]["driver"]
    assert driver["name"] == "pinlint"
    assert driver["version"] and driver["semanticVersion"] == driver["version"]


def test_rules_carry_documentation_and_github_properties() -> None:
    rules = only_run(sarif_of(sample_result()))["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted(RULES)
    for descriptor in rules:
        rule = RULES[descriptor["id"]]
        assert descriptor["name"] == rule.slug
        assert descriptor["shortDescription"]["text"] == rule.title
        assert descriptor["fullDescription"]["text"] == rule.what_it_does
        assert descriptor["help"]["text"] == rule.markdown()
        assert descriptor["help"]["markdown"] == rule.markdown()
        assert descriptor["defaultConfiguration"]["level"] == LEVELS[rule.severity]
        properties = descriptor["properties"]
        assert isinstance(properties["tags"], list)
        assert "security" in properties["tags"]
        assert "CWE-295" in properties["tags"]
        assert "external/cwe/cwe-295" in properties["tags"]
        assert len(properties["tags"]) <= 10
        assert "MASVS-NETWORK-2" in properties["tags"]
        score = properties["security-severity"]
        assert isinstance(score, str)
        low, high = GITHUB_BANDS[rule.severity]
        assert low <= float(score) <= high
        assert properties["precision"] == rule.confidence
        if rule.help_uri:
            assert descriptor["helpUri"] == rule.help_uri
        else:
            assert "helpUri" not in descriptor


def test_every_result_states_level_and_rule_index_explicitly() -> None:
    run = only_run(sarif_of(sample_result()))
    rules = run["tool"]["driver"]["rules"]
    levels = {result["ruleId"]: result["level"] for result in run["results"]}
    # "warning" equals sarif-om's default and must still be written
    assert levels["CLR201"] == "warning"
    assert levels == {"PIN101": "error", "TRU301": "error", "CLR201": "warning", "PIN104": "note",
                      "CFG901": "note"}
    for result in run["results"]:
        assert "ruleIndex" in result
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert any(result["ruleIndex"] == 0 for result in run["results"])


def test_result_level_follows_the_finding_not_the_rule() -> None:
    result = sample_result()
    lowered = [Finding("PIN101", "debug build only", Span("a.xml", 1, 1), severity="medium")]
    result.findings = lowered
    run = only_run(sarif_of(result))
    assert run["results"][0]["level"] == "warning"
    assert run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]["defaultConfiguration"]["level"] \
        == "error"


def test_locations_are_relative_percent_encoded_uris() -> None:
    run = only_run(sarif_of(sample_result()))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert NSC in uris
    assert "ios/My%20App/Info%20%231.plist" in uris
    assert "caf%C3%A9/%C3%BCn%C3%AF.xml" in uris
    for result in run["results"]:
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert not artifact["uri"].startswith(("/", "file:"))
    assert "%SRCROOT%" in run["originalUriBaseIds"]


def test_source_root_becomes_a_directory_uri(tmp_path: Path) -> None:
    run = only_run(sarif_of(sample_result(), RunInfo(source_root=str(tmp_path))))
    uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert uri.startswith("file:///") and uri.endswith("/")
    assert uri == tmp_path.resolve().as_uri() + "/"


@pytest.mark.parametrize(("path", "uri", "base"), [
    ("a b/c#d.xml", "a%20b/c%23d.xml", "%SRCROOT%"),
    ("x:y/z?.xml", "x%3Ay/z%3F.xml", "%SRCROOT%"),
    ("/abs/dir/f.xml", "file:///abs/dir/f.xml", None),
    ("C:/Users/dev/app.xml", "file:///C:/Users/dev/app.xml", None),
])
def test_artifact_uri(path: str, uri: str, base: str | None) -> None:
    assert artifact_uri(path) == (uri, base)


def test_regions_carry_known_ends_only() -> None:
    run = only_run(sarif_of(sample_result()))
    by_message = results_by_message(run)
    full = next(result for text, result in by_message.items() if text.startswith("network security config"))
    assert full["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 5, "startColumn": 9, "endLine": 5, "endColumn": 70}
    trust = by_message["TrustManager accepts every certificate"]
    spanning = trust["locations"][0]["physicalLocation"]["region"]
    assert spanning == {"startLine": 12, "startColumn": 5, "endLine": 14, "endColumn": 6}
    point = by_message["pin set expires in 10 days"]["locations"][0]["physicalLocation"]["region"]
    assert point["endLine"] == 7
    start_only = by_message["suppressed by baseline"]["locations"][0]["physicalLocation"]["region"]
    assert start_only == {"startLine": 11, "startColumn": 1}


def test_inverted_end_is_dropped() -> None:
    result = empty_result()
    result.findings = [Finding("PIN101", "odd span", Span("a.xml", 9, 4, 3, 1), severity="high")]
    region = only_run(sarif_of(result))["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 9, "startColumn": 4}


def test_related_locations() -> None:
    run = only_run(sarif_of(sample_result()))
    result = next(r for r in run["results"] if r["message"]["text"].startswith("network security config"))
    related = result["relatedLocations"]
    assert related[0]["id"] == 1
    assert related[0]["physicalLocation"]["region"]["startLine"] == 2


def test_partial_fingerprints_use_the_line_free_fingerprint() -> None:
    sample = sample_result()
    run = only_run(sarif_of(sample))
    for finding, result in zip(sample.findings, run["results"], strict=True):
        assert result["partialFingerprints"] == {FINGERPRINT_KEY: finding.fingerprint}
        assert "primaryLocationLineHash" not in result["partialFingerprints"]


def test_suppressions_are_schema_shaped() -> None:
    by_message = results_by_message(only_run(sarif_of(sample_result())))
    inline = by_message["suppressed inline"]["suppressions"]
    assert inline[0]["kind"] == "inSource"
    assert inline[0]["status"] == "accepted"
    assert inline[0]["justification"] == "vendor rotates keys"
    assert inline[0]["location"]["physicalLocation"]["region"]["startLine"] == 8
    baseline = by_message["suppressed by baseline"]["suppressions"]
    assert baseline == [{"kind": "external", "status": "accepted"}]
    assert "suppressions" not in by_message["TrustManager accepts every certificate"]
    assert all("state" not in s for r in by_message.values() for s in r.get("suppressions", []))


@pytest.mark.parametrize(("category", "expected"), [
    ("mobile/android", "mobile/android/"), ("pinlint/ios/", "pinlint/ios/"), ("  ", None), (None, None)])
def test_category_sets_automation_details(category: str | None, expected: str | None) -> None:
    run = only_run(sarif_of(sample_result(), RunInfo(category=category)))
    if expected is None:
        assert "automationDetails" not in run
    else:
        assert run["automationDetails"] == {"id": expected}


def test_invocation_reports_exit_code_and_unscanned_files() -> None:
    run = only_run(sarif_of(sample_result(), RunInfo(exit_code=1)))
    invocation = run["invocations"][0]
    assert invocation["exitCode"] == 1
    assert invocation["executionSuccessful"] is False  # an internal error happened in a check
    notes = invocation["toolExecutionNotifications"]
    texts = [note["message"]["text"] for note in notes]
    assert any("app/bad.xml" in text and "mismatched tag" in text for text in texts)
    assert any("linked" in text and "symbolic link" in text for text in texts)
    assert any("internal error in check PIN105" in text for text in texts)
    parse_note = next(note for note in notes if "app/bad.xml" in note["message"]["text"])
    assert parse_note["level"] == "warning"
    assert parse_note["associatedRule"]["id"] == "CFG901"
    assert parse_note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/bad.xml"
    assert {note["level"] for note in notes} == {"warning", "note", "error"}


def test_clean_run_is_successful_and_has_no_notifications() -> None:
    run = only_run(sarif_of(empty_result(), RunInfo(exit_code=0)))
    assert run["results"] == []
    assert run["invocations"][0] == {"executionSuccessful": True, "exitCode": 0}


def test_unknown_rule_is_reported_not_silently_lost() -> None:
    result = empty_result()
    result.findings = [Finding("ZZZ999", "from nowhere", Span("a.xml", 1, 1), severity="high")]
    run = only_run(sarif_of(result))
    assert run["results"] == []
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any("ZZZ999" in note["message"]["text"] and note["level"] == "error" for note in notes)


def test_non_ascii_is_written_as_is_and_output_is_stable() -> None:
    text = render(sample_result(), RunInfo())
    assert "café" not in text  # paths are percent-encoded in URIs
    result = empty_result()
    result.findings = [Finding("PIN101", "hôte ümlaut", Span("a.xml", 1, 1), severity="high")]
    assert "hôte ümlaut" in render(result, RunInfo())
    assert render(sample_result(), RunInfo()) == render(sample_result(), RunInfo())
    assert PLIST not in text and UNICODE not in text


URI_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/%")


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1).filter(lambda p: not p.startswith(("/", "\\")) and ":" not in p[1:3]))
def test_any_relative_path_becomes_a_clean_relative_uri(path: str) -> None:
    uri, base = artifact_uri(path)
    assert base == "%SRCROOT%"
    assert set(uri) <= URI_CHARS
    assert not uri.startswith("/")
    assert unquote(uri) == str(PurePosixPath(path.replace("\\", "/")))


def test_github_limits_on_tags_and_descriptions() -> None:
    crowded = replace(RULES["PIN101"], cwe=tuple(f"CWE-{n}" for n in range(290, 297)),
                      platforms=("android", "ios", "flutter", "dotnet", "javascript"),
                      what_it_does="word " * 400)
    result = empty_result()
    result.rules = {"PIN101": crowded}
    descriptor = only_run(sarif_of(result))["tool"]["driver"]["rules"][0]
    tags = descriptor["properties"]["tags"]
    assert len(tags) == 10 and tags[:3] == ["security", "CWE-290", "external/cwe/cwe-290"]
    text = descriptor["fullDescription"]["text"]
    assert len(text) <= 1024 and text.endswith("…") and text.startswith("word word")


def test_real_scan_of_every_fixture_validates(tmp_path: Path) -> None:
    """SARIF from a real scan (every rule's fixtures, suppressions and parse errors included) passes the validator."""
    root = Path(__file__).resolve().parents[2]
    path = tmp_path / "fixtures.sarif"
    completed = subprocess.run(
        [sys.executable, "-m", "pinlint", "check", "fixtures", "--format", "sarif", "--output", str(path),
         "--today", "2026-01-15", "--no-config", "--category", "fixtures"],
        cwd=root, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 1, completed.stderr
    document = json.loads(path.read_text(encoding="utf-8"))
    rule_ids = {result["ruleId"] for result in only_run(document)["results"]}
    assert {"PIN101", "CLR201", "TRU301", "CFG902", "KEY401"} <= rule_ids
    validation = run_validator(path)
    assert validation.returncode == 0, validation.stdout + validation.stderr
