"""Compiled Android SDKs: a JAR and an AAR built with javac and jar from ``fixtures/_vendor-sdk`` give the
same rules on the same lines as the source; the class-file reader agrees with javap; SARIF links members."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pinlint.discover.archives import member_chain
from pinlint.model.findings import Finding
from pinlint.parsers.binary import classfile, code
from pinlint.pipeline import ScanResult
from pinlint.render import RunInfo
from pinlint.render.sarif_format import render
from tests.binary_build import SDK, build_aar, build_jar, compile_classes, missing_tools
from tests.checks.test_fixtures import expected_markers
from tests.conftest import scan_path
from tests.output_samples import VALIDATOR


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    missing = missing_tools("javac", "jar")
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian: default-jdk-headless); .ci/run installs it")
    work = tmp_path_factory.mktemp("jvm")
    classes = compile_classes(work)
    jar = build_jar(work, classes)
    aar = build_aar(work, jar)
    project = work / "project"
    (project / "libs").mkdir(parents=True)
    shutil.copy(aar, project / "libs" / "vendor.aar")
    shutil.copy(jar, project / "libs" / "vendor.jar")
    return {"classes": classes, "jar": jar, "aar": aar, "project": project}


def source_key(finding: Finding) -> tuple[str, int, str]:
    """(rule, line, source file) of a finding in the source fixture or in a binary built from it."""
    chain = member_chain(finding.span.path)
    inner = chain[-1]
    if inner.endswith(".class"):
        outer_class = inner.rsplit("/", 1)[-1].split("$", 1)[0].removesuffix(".class")
        return finding.rule_id, finding.span.line, outer_class + ".java"
    if inner.endswith(".java"):
        return finding.rule_id, finding.span.line, inner.rsplit("/", 1)[-1]
    return finding.rule_id, finding.span.line, inner.removeprefix("fixtures/_vendor-sdk/")


def keys(result: ScanResult, prefix: str = "") -> set[tuple[str, int, str]]:
    return {source_key(finding) for finding in result.findings if finding.span.path.startswith(prefix)
            and "inherits" not in finding.message}


def test_source_fixture_is_marked_both_ways() -> None:
    result = scan_path(SDK)
    actual = {(finding.span.path, finding.span.line, finding.rule_id) for finding in result.findings}
    assert actual == expected_markers(SDK)


def test_jar_and_aar_give_the_same_rules_on_the_same_lines_as_the_source(built: dict[str, Path]) -> None:
    source = {key for key in keys(scan_path(SDK)) if not key[2].startswith("ios/")}
    result = scan_path(built["project"])
    jar = keys(result, "libs/vendor.jar!/")
    aar = keys(result, "libs/vendor.aar!/")
    java_only = {key for key in source if key[2].endswith(".java")}
    assert jar == java_only
    assert aar == source
    assert not [finding for finding in result.findings if finding.rule_id == "CFG901"]


def test_inherited_trust_all_and_confidence(built: dict[str, Path]) -> None:
    result = scan_path(built["project"])
    by_member = {finding.span.path.rsplit("/", 1)[-1]: finding for finding in result.findings
                 if finding.span.path.startswith("libs/vendor.jar!/") and finding.rule_id in ("TRU301", "TRU302")
                 and ".class" in finding.span.path}
    assert by_member["Sub.class"].rule_id == "TRU301"
    assert "inherits the checkServerTrusted of com.vendor.sdk.Net$TrustAll" in by_member["Sub.class"].message
    assert by_member["Sub.class"].span.logical == "com.vendor.sdk.Sub.checkServerTrusted"
    # created and handed to SSLContext.init in Net.install(): high; only defined: medium
    assert by_member["Net$TrustAll.class"].confidence == "high"
    assert by_member["Net$AnyHost.class"].confidence == "medium"
    assert by_member["Net$LoggingTrust.class"].confidence == "medium"
    assert "CheckingTrust" not in " ".join(by_member)


@pytest.mark.slow
def test_class_reader_agrees_with_javap(built: dict[str, Path]) -> None:
    if missing_tools("javap"):
        pytest.skip("needs javap (Debian: default-jdk-headless)")
    for path in sorted(built["classes"].rglob("*.class")):
        info = classfile.read(path.read_bytes(), everything=True)
        listing = subprocess.run(["javap", "-p", "-s", "-l", "-c", str(path)], capture_output=True, text=True,
                                 check=True, timeout=120).stdout
        javap_descriptors = re.findall(r"descriptor: (\S+)", listing)
        ours = [method.descriptor for method in info.methods]
        # javap lists fields' descriptors too; every method descriptor must be among them, in order
        assert [d for d in javap_descriptors if d.startswith("(")] == ours, path.name
        first_lines = [int(match) for match in re.findall(r"LineNumberTable:\n\s+line (\d+)", listing)]
        assert [method.first_line for method in info.methods if not method.abstract] == first_lines, path.name
        header = re.search(r"class (\S+)(?: extends (\S+))?", listing)
        assert header is not None and header.group(1).replace("$", "$") == info.name


def test_sarif_links_archive_members_and_logical_locations(built: dict[str, Path], tmp_path: Path) -> None:
    result = scan_path(built["project"])
    document = json.loads(render(result, RunInfo(exit_code=1)))
    run = document["runs"][0]
    artifacts = run["artifacts"]
    uris = [artifact["location"]["uri"] for artifact in artifacts]
    aar = uris.index("libs/vendor.aar")
    jar_member = next(index for index, artifact in enumerate(artifacts)
                      if artifact["location"]["uri"] == "/classes.jar" and artifact.get("parentIndex") == aar)
    class_member = next(artifact for artifact in artifacts
                        if artifact["location"]["uri"] == "/com/vendor/sdk/Net%24TrustAll.class"
                        and artifact.get("parentIndex") == jar_member)
    assert class_member
    trust_all = next(item for item in run["results"] if item["ruleId"] == "TRU301"
                     and item["locations"][0].get("logicalLocations", [{}])[0].get("fullyQualifiedName")
                     == "com.vendor.sdk.Net$TrustAll.checkServerTrusted"
                     and item["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "libs/vendor.aar")
    related = trust_all["relatedLocations"][-1]["physicalLocation"]
    assert related["region"]["startLine"] == 20
    assert artifacts[related["artifactLocation"]["index"]]["parentIndex"] == jar_member
    # fingerprints: the same finding in a rebuilt scan keeps its fingerprint
    again = json.loads(render(scan_path(built["project"]), RunInfo(exit_code=1)))["runs"][0]["results"]
    assert [item["partialFingerprints"] for item in again] == [item["partialFingerprints"] for item in run["results"]]
    if not VALIDATOR.is_file():
        pytest.skip(f"no SARIF validator at {VALIDATOR}")
    path = tmp_path / "out.sarif"
    path.write_text(render(result, RunInfo(exit_code=1)), encoding="utf-8")
    checked = subprocess.run([sys.executable, str(VALIDATOR), "--strict", str(path)], capture_output=True,
                             text=True, timeout=600, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_malformed_class_is_a_parse_error_and_the_scan_goes_on(built: dict[str, Path], tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "libs").mkdir(parents=True)
    with zipfile.ZipFile(project / "libs" / "broken.jar", "w") as archive:
        good = (built["classes"] / "com/vendor/sdk/Net$TrustAll.class").read_bytes()
        archive.writestr("a/Cut.class", good[: len(good) // 2])
        archive.writestr("a/Good.class", good)
    result = scan_path(project)
    rules = {(finding.rule_id, finding.span.path) for finding in result.findings}
    assert ("CFG901", "libs/broken.jar!/a/Cut.class") in rules
    assert ("TRU301", "libs/broken.jar!/a/Good.class") in rules


def cleartext_urls(result: ScanResult, prefix: str = "") -> set[tuple[str, str]]:
    """(rule, URL) of every CLR203 finding under ``prefix``."""
    return {(finding.rule_id, str(finding.subject[0])) for finding in result.findings
            if finding.rule_id == "CLR203" and finding.span.path.startswith(prefix)}


def test_cleartext_url_constants_in_class_files_are_clr203_like_the_source(built: dict[str, Path]) -> None:
    source = cleartext_urls(scan_path(SDK))
    assert source == {("CLR203", "http://telemetry.vendor.example/v1/events")}
    result = scan_path(built["project"])
    assert cleartext_urls(result, "libs/vendor.jar!/") == source
    assert cleartext_urls(result, "libs/vendor.aar!/") == source
    found = next(finding for finding in result.findings
                 if finding.rule_id == "CLR203" and finding.span.path.startswith("libs/vendor.jar!/"))
    assert found.span.logical == "com.vendor.sdk.Net.telemetry"
    assert found.span.line == 65
    assert found.confidence == "medium"
    assert "telemetry.vendor.example" in found.message


def test_selective_decoding_gives_the_facts_of_decoding_every_method(built: dict[str, Path]) -> None:
    """The reader decodes only the methods the analysis may judge; decoding all of them changes no fact."""
    for path in sorted(built["classes"].rglob("*.class")):
        data = path.read_bytes()
        selective = code.analyse([classfile.read(data)], {classfile.read(data).name: path.name}, "jvm")
        full = classfile.read(data, everything=True)
        assert selective == code.analyse([full], {full.name: path.name}, "jvm"), path.name
        assert len(classfile.read(data).methods) <= len(full.methods)


def test_reading_compiled_classes_loads_none_of_the_source_analyses(built: dict[str, Path]) -> None:
    # the bytecode reader shares the Java platform's vocabulary (pinlint.vocab.jvm), not the source reader's
    # modules: a vendor JAR's scan pays for neither the Kotlin/Java syntax nor its analyses
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT

    probe = ("import contextlib, json, sys\nfrom pinlint.cli.app import main\n"
             "with contextlib.suppress(SystemExit):\n"
             f"    main(['check', {str(built['jar'])!r}, '--profile', 'audit', '--no-config', '-q'])\n"
             "print(json.dumps(sorted(sys.modules)))\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            cwd=built["jar"].parent, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert "pinlint.parsers.binary.code" in loaded  # the classes were read
    assert not {name for name in loaded if name.startswith("pinlint.parsers.code.jvm")}
