"""Android configuration semantics found by the conformance sweep: unreferenced configs, ``@raw`` anchors."""

from __future__ import annotations

from pathlib import Path

from tests.resolve.test_android import (
    MAIN_MANIFEST,
    MAIN_XML,
    found,
    gradle,
    manifest,
    nsc,
    referencing_manifest,
    run,
    write,
)

LIBRARY_GRADLE = 'plugins { id("com.android.library") }\n' + gradle("34")
INSECURE_BASE = nsc('<base-config cleartextTrafficPermitted="true">\n'
                    '<trust-anchors><certificates src="user" overridePins="true"/></trust-anchors>\n'
                    '</base-config>')
RAW_ANCHOR = nsc('<domain-config>\n<domain>lab.example.com</domain>\n'
                 '<trust-anchors><certificates src="@raw/lab_ca"/></trust-anchors>\n</domain-config>')


def test_config_no_manifest_references_is_not_applied(tmp_path: Path) -> None:
    write(tmp_path, {"app/build.gradle": gradle("34"), MAIN_MANIFEST: manifest(), MAIN_XML: INSECURE_BASE})
    assert found(run(tmp_path)) == set()


def test_config_referenced_by_another_modules_manifest_is_applied(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/build.gradle": gradle("34"), MAIN_MANIFEST: referencing_manifest(),
        "core/build.gradle": LIBRARY_GRADLE, "core/src/main/AndroidManifest.xml": manifest(),
        "core/" + MAIN_XML.removeprefix("app/"): INSECURE_BASE,
    })
    config = "core/" + MAIN_XML.removeprefix("app/")
    assert found(run(tmp_path)) == {(config, 3, "CLR201"), (config, 4, "TRU305"), (config, 4, "PIN108")}


def test_unreferenced_config_still_has_its_pin_sets_checked(tmp_path: Path) -> None:
    write(tmp_path, {"app/build.gradle": gradle("34"), MAIN_MANIFEST: manifest(), MAIN_XML: nsc(
        '<domain-config cleartextTrafficPermitted="true">\n<domain>a.example</domain>\n'
        '<pin-set><pin digest="SHA-256">A3v+PN0VLB6Ca2H1QL8LLKq28k0YHSjuFAxmGjDFEYE=</pin></pin-set>\n'
        '<trustkit-config enforcePinning="true" disableDefaultReportUri="true"/>\n</domain-config>')})
    assert found(run(tmp_path)) == {(MAIN_XML, 5, "PIN101")}


def test_missing_raw_anchor_is_reported_when_the_module_resources_are_present(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/build.gradle": gradle("34"), MAIN_MANIFEST: referencing_manifest(), MAIN_XML: RAW_ANCHOR,
        "app/src/main/res/values/strings.xml": "<resources/>\n",
    })
    assert found(run(tmp_path)) == {(MAIN_XML, 5, "CFG904")}


def test_raw_anchor_in_any_source_set_or_library_module_exists(tmp_path: Path) -> None:
    files = {
        "app/build.gradle": gradle("34"), MAIN_MANIFEST: referencing_manifest(), MAIN_XML: RAW_ANCHOR,
        "app/src/main/res/values/strings.xml": "<resources/>\n",
    }
    write(tmp_path / "flavour", {**files, "app/src/staging/res/raw-v24/lab_ca.der": "x"})
    write(tmp_path / "library", {**files, "core/build.gradle": LIBRARY_GRADLE,
                                 "core/src/main/res/raw/lab_ca.crt": "x"})
    for project in ("flavour", "library"):
        assert "CFG904" not in {rule for _path, _line, rule in found(run(tmp_path / project))}, project


def test_missing_raw_anchor_is_not_judged_in_a_partial_tree(tmp_path: Path) -> None:
    write(tmp_path, {"app/build.gradle": gradle("34"), MAIN_MANIFEST: referencing_manifest(), MAIN_XML: RAW_ANCHOR})
    assert found(run(tmp_path)) == set()


def test_messages_name_the_setting_to_change(tmp_path: Path) -> None:
    write(tmp_path, {"app/build.gradle": gradle("23"), MAIN_MANIFEST: referencing_manifest(), MAIN_XML: nsc(
        '<domain-config>\n<domain>a.example</domain>\n'
        '<pin-set><pin digest="SHA-256">A3v+PN0VLB6Ca2H1QL8LLKq28k0YHSjuFAxmGjDFEYE=</pin>\n'
        '<pin digest="SHA-256">dGiyahaOkeH1NVyRC0zrEaSe2pqc76osSaU6cL5A/YA=</pin>\n'
        '<pin digest="SHA-256">AAAA</pin></pin-set>\n'
        '<trustkit-config disableDefaultReportUri="true"/>\n</domain-config>')})
    messages = {finding.rule_id: finding.message for finding in run(tmp_path).findings}
    assert 'set enforcePinning="true" in <trustkit-config>' in messages["PIN107"]
    assert "Android rejects the whole network security config" in messages["PIN106"]
    assert '<certificates src="system"/>' in messages["TRU305"] and "targetSdk to 24" in messages["TRU305"]
