"""APKs: binary XML and resources.arsc built by aapt, DEX assembled by smali, from ``fixtures/_vendor-sdk``.
The APK gives the same rules on the same lines (and classes) as the source; each reader agrees with an
independent one (``aapt dump xmltree``, ``aapt dump resources``, ``dexdump``)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from pinlint.discover.archives import member_chain
from pinlint.model.android import AndroidManifest
from pinlint.model.findings import Finding
from pinlint.parsers.binary import arsc, axml, code, dex
from pinlint.pipeline import ScanResult
from tests.binary_build import FRAMEWORK_RES, SDK, build_apk, build_dex, missing_tools
from tests.conftest import scan_path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    missing = missing_tools("aapt", "smali", "dexdump")
    if missing or not FRAMEWORK_RES.is_file():
        pytest.skip(f"needs {', '.join(missing) or FRAMEWORK_RES} (Debian: aapt, libsmali-java, dexdump, "
                    "android-framework-res); .ci/run installs them")
    work = tmp_path_factory.mktemp("apk")
    classes = build_dex(work)
    project = work / "project"
    project.mkdir()
    apk = build_apk(project, classes)
    return {"dex": classes, "apk": apk, "project": project, "work": work}


def key(finding: Finding) -> tuple[str, int, str]:
    """(rule, line, source file): classes by the file they were compiled from, resources by their path."""
    inner = member_chain(finding.span.path)[-1]
    if finding.span.logical:
        outer = finding.span.logical.rsplit(".", 2)[-2].split("$", 1)[0]
        return finding.rule_id, finding.span.line, outer + ".java"
    if inner.endswith(".java"):
        return finding.rule_id, finding.span.line, inner.rsplit("/", 1)[-1]
    return finding.rule_id, finding.span.line, inner.removeprefix("fixtures/_vendor-sdk/")


def test_apk_gives_the_same_rules_on_the_same_lines_as_the_source(built: dict[str, Path]) -> None:
    source = {key(finding) for finding in scan_path(SDK).findings if not finding.span.path.startswith("ios/")}
    result = scan_path(built["project"])
    apk = {key(finding) for finding in result.findings if "inherits" not in finding.message}
    assert apk == source
    inherited = [finding for finding in result.findings if "inherits" in finding.message]
    assert [finding.span.logical for finding in inherited] == ["com.vendor.sdk.Sub.checkServerTrusted"]
    by_class = {finding.span.logical: finding for finding in result.findings if finding.span.logical}
    assert by_class["com.vendor.sdk.Net$TrustAll.checkServerTrusted"].confidence == "high"
    assert by_class["com.vendor.sdk.Net$AnyHost.verify"].confidence == "medium"
    fingerprints = [finding.fingerprint for finding in result.findings]
    assert len(set(fingerprints)) == len(fingerprints), "findings in one DEX must not share a fingerprint"


def test_binary_manifest_gives_target_sdk_defaults(built: dict[str, Path], tmp_path: Path) -> None:
    """targetSdk 23 and no config: cleartext and user CAs by default, from the source and from the APK."""
    manifest = tmp_path / "src" / "AndroidManifest.xml"
    manifest.parent.mkdir()
    manifest.write_text('<?xml version="1.0" encoding="utf-8"?>\n'
                        '<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="a.b">\n'
                        '    <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="23"/>\n'
                        "    <application/>\n</manifest>\n", encoding="utf-8")
    project = tmp_path / "apk"
    project.mkdir()
    build_apk(project, built["dex"], manifest=manifest, res=None, name="old.apk")
    source = {(finding.rule_id, finding.span.line) for finding in scan_path(manifest.parent).findings}
    binary = {(finding.rule_id, finding.span.line) for finding in scan_path(project).findings
              if "classes.dex" not in finding.span.path}
    assert {rule for rule, _line in source} >= {"CLR202", "TRU305"}
    assert binary == source


def test_config_reference_is_named_through_the_resource_table(built: dict[str, Path], tmp_path: Path) -> None:
    """The manifest's @0x7f... reference is named through resources.arsc; with the table gone it is unknown."""
    with zipfile.ZipFile(built["apk"]) as source, zipfile.ZipFile(tmp_path / "p.apk", "w") as target:
        for info in source.infolist():
            if info.filename != "resources.arsc":
                target.writestr(info.filename, source.read(info))
    text = axml.to_text(zipfile.ZipFile(built["apk"]).read("AndroidManifest.xml"))
    assert b'android:networkSecurityConfig="@0x7f020000"' in text
    def reference(folder: Path) -> str | None:
        manifests = scan_path(folder).facts.of(AndroidManifest)
        assert len(manifests) == 1
        attribute = manifests[0].network_security_config
        return attribute.value if attribute else None

    assert reference(built["project"]) == "@xml/network_security_config"
    assert reference(tmp_path) == "@0x7f020000"


def test_axml_reader_agrees_with_aapt(built: dict[str, Path]) -> None:
    apk = zipfile.ZipFile(built["apk"])
    table = arsc.read(apk.read("resources.arsc"))
    for member in ("AndroidManifest.xml", "res/xml/network_security_config.xml"):
        dump = subprocess.run(["aapt", "dump", "xmltree", str(built["apk"]), member], capture_output=True,
                              text=True, check=True, timeout=120).stdout
        theirs = [(match.group(1), int(match.group(2))) for match in re.finditer(r"E: (\S+) \(line=(\d+)\)", dump)]
        text = axml.to_text(apk.read(member), table.name).decode()
        ours = [(match.group(1), number) for number, line in enumerate(text.splitlines(), 1)
                for match in re.finditer(r"<([A-Za-z][\w.-]*)", line) if match.group(1) != "xml"]
        assert ours == theirs
        for name, value in re.findall(r'A: (?:android:)?(\w+)\(0x[0-9a-f]+\)=\(type 0x1[01]\)0x([0-9a-f]+)', dump):
            assert f'{name}="{int(value, 16)}"' in text
        for name, value in re.findall(r'A: (?:android:)?(\w+)(?:\(0x[0-9a-f]+\))?="([^"]*)"', dump):
            assert f'{name}="{value}"' in text


def test_arsc_reader_agrees_with_aapt(built: dict[str, Path]) -> None:
    table = arsc.read(zipfile.ZipFile(built["apk"]).read("resources.arsc"))
    dump = subprocess.run(["aapt", "dump", "resources", str(built["apk"])], capture_output=True, text=True,
                          check=True, timeout=120).stdout
    theirs = {int(number, 16): name for number, name in re.findall(r"spec resource 0x([0-9a-f]+) [\w.]+:(\S+):", dump)}
    assert table.names == theirs
    assert table.files == {0x7F020000: "res/xml/network_security_config.xml"}


def test_dex_reader_agrees_with_dexdump(built: dict[str, Path]) -> None:
    dump = subprocess.run(["dexdump", "-d", str(built["dex"])], capture_output=True, text=True, check=True,
                          timeout=120).stdout
    theirs = {(klass.replace("/", ".").strip("L;"), name, descriptor)
              for klass, name, descriptor in re.findall(
                  r"\(in (L[^;]+;)\)\n\s+name\s+: '([^']+)'\n\s+type\s+: '([^']+)'", dump)}
    theirs = {entry for entry in theirs if entry[2].startswith("(")}  # methods, not fields
    classes = [info for info, _source in dex.read(built["dex"].read_bytes(), everything=True)]
    ours = {(info.name, method.name, method.descriptor) for info in classes for method in info.methods}
    assert ours == theirs
    positions = {int(line) for line in re.findall(r"line=(\d+)", dump)}
    first_lines = {method.first_line for info in classes for method in info.methods if method.first_line}
    assert first_lines <= positions


def test_malformed_binaries_are_parse_errors_and_the_scan_goes_on(built: dict[str, Path], tmp_path: Path) -> None:
    data = zipfile.ZipFile(built["apk"])
    project = tmp_path / "p"
    project.mkdir()
    with zipfile.ZipFile(project / "bad.apk", "w") as target:
        target.writestr("AndroidManifest.xml", data.read("AndroidManifest.xml")[:300])
        target.writestr("resources.arsc", data.read("resources.arsc")[:100])
        target.writestr("classes.dex", built["dex"].read_bytes()[:1000])
        target.writestr("classes2.dex", built["dex"].read_bytes())
    result = scan_path(project)
    errors = {finding.span.path for finding in result.findings if finding.rule_id == "CFG901"}
    assert errors == {"bad.apk!/AndroidManifest.xml", "bad.apk!/resources.arsc", "bad.apk!/classes.dex"}
    assert any(finding.span.path == "bad.apk!/classes2.dex" and finding.rule_id == "TRU301"
               for finding in result.findings)


def test_cleartext_url_strings_in_dex_are_clr203_like_the_source(built: dict[str, Path]) -> None:
    def urls(result: ScanResult) -> set[tuple[int, str, str]]:
        return {(finding.span.line, str(finding.subject[0]), finding.severity) for finding in result.findings
                if finding.rule_id == "CLR203"}

    source = urls(scan_path(SDK))
    assert source == {(65, "http://telemetry.vendor.example/v1/events", "medium")}
    result = scan_path(built["project"])
    assert urls(result) == source
    found = next(finding for finding in result.findings if finding.rule_id == "CLR203")
    assert found.span.path == "app.apk!/classes.dex"
    assert (found.span.logical, found.confidence) == ("com.vendor.sdk.Net.telemetry", "medium")


def test_selective_decoding_gives_the_facts_of_decoding_every_method(built: dict[str, Path]) -> None:
    """The plan decodes only the methods the analysis may judge; decoding all of them changes no fact."""
    data = built["dex"].read_bytes()

    def facts(everything: bool) -> list[object]:
        classes = [info for info, _source in dex.read(data, everything=everything)]
        return code.analyse(classes, {info.name: "classes.dex" for info in classes}, "dex")

    assert facts(everything=False) == facts(everything=True)
    decoded = sum(len(info.methods) for info, _source in dex.read(data))
    assert decoded < sum(len(info.methods) for info, _source in dex.read(data, everything=True))
