"""The Android resolver: modules, targetSdk, inheritance, debug builds, source sets, references."""

from __future__ import annotations

from pathlib import Path

from pinlint.config.policy import Policy
from pinlint.model.facts import CleartextPolicy, MissingReference, Note, PinSet, Span, TrustAnchors
from pinlint.pipeline import ScanOptions, ScanResult, scan
from tests.conftest import FIXTURE_TODAY

PIN_A = "A3v+PN0VLB6Ca2H1QL8LLKq28k0YHSjuFAxmGjDFEYE="
PIN_B = "dGiyahaOkeH1NVyRC0zrEaSe2pqc76osSaU6cL5A/YA="
PIN_C = "cizVj3JXa8TNnHOrqq/eh37UROAiTJ4VeLQVb2Iqgx4="
NS = 'xmlns:android="http://schemas.android.com/apk/res/android"'
MAIN_XML = "app/src/main/res/xml/network_security_config.xml"
MAIN_MANIFEST = "app/src/main/AndroidManifest.xml"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run(root: Path, targets: list[Path] | None = None) -> ScanResult:
    options = ScanOptions(targets=targets or [root], today=FIXTURE_TODAY, policy=Policy(), relative_to=root)
    return scan(options)


def found(result: ScanResult) -> set[tuple[str, int, str]]:
    return {(f.span.path, f.span.line, f.rule_id) for f in result.findings}


def manifest(application: str = "", uses_sdk: str = "") -> str:
    return f'<manifest {NS}>\n{uses_sdk}\n<application {application}>\n</application>\n</manifest>\n'


def referencing_manifest(extra: str = "") -> str:
    return manifest(f'android:networkSecurityConfig="@xml/network_security_config" {extra}')


def gradle(target: str) -> str:
    return f"android {{\n    defaultConfig {{\n        targetSdk = {target}\n    }}\n}}\n"


def nsc(body: str) -> str:
    head = '<?xml version="1.0" encoding="utf-8"?>\n<network-security-config>\n'
    return f"{head}{body}\n</network-security-config>\n"


def test_nested_config_inherits_single_pin_and_an_override_with_two_is_fine(tmp_path: Path) -> None:
    write(tmp_path, {MAIN_XML: nsc(f"""<domain-config>
    <domain>example.com</domain>
    <pin-set expiration="2025-01-01"><pin digest="SHA-256">{PIN_A}</pin></pin-set>
    <domain-config><domain>child.example.com</domain></domain-config>
    <domain-config>
        <domain>own.example.com</domain>
        <pin-set><pin digest="SHA-256">{PIN_B}</pin><pin digest="SHA-256">{PIN_C}</pin></pin-set>
    </domain-config>
</domain-config>""")})
    result = run(tmp_path)
    sets = {pin_set.hosts: pin_set for pin_set in result.facts.of(PinSet)}
    assert set(sets) == {("example.com", "child.example.com"), ("own.example.com",)}
    assert len(sets[("own.example.com",)].valid_distinct_pins) == 2
    assert sets[("example.com", "child.example.com")].expiration is not None
    assert found(result) == {(MAIN_XML, 5, "PIN101"), (MAIN_XML, 5, "PIN103")}


def test_sibling_does_not_inherit_pins(tmp_path: Path) -> None:
    write(tmp_path, {MAIN_XML: nsc(f"""<domain-config>
    <domain includeSubdomains="true">example.com</domain>
    <pin-set><pin digest="SHA-256">{PIN_A}</pin><pin digest="SHA-256">{PIN_B}</pin></pin-set>
</domain-config>
<domain-config><domain>api.example.com</domain></domain-config>""")})
    result = run(tmp_path)
    assert [pin_set.hosts for pin_set in result.facts.of(PinSet)] == [("example.com",)]


def test_trust_anchors_replace_the_inherited_list(tmp_path: Path) -> None:
    write(tmp_path, {MAIN_XML: nsc("""<base-config>
    <trust-anchors><certificates src="user"/></trust-anchors>
</base-config>
<domain-config>
    <domain>api.example.com</domain>
    <trust-anchors><certificates src="system"/></trust-anchors>
</domain-config>""")})
    assert found(run(tmp_path)) == {(MAIN_XML, 4, "TRU305")}


def test_gradle_target_sdk_wins_over_uses_sdk(tmp_path: Path) -> None:
    uses_sdk = '<uses-sdk android:targetSdkVersion="23"/>'
    write(tmp_path, {"app/build.gradle": gradle("34"), MAIN_MANIFEST: manifest(uses_sdk=uses_sdk)})
    assert found(run(tmp_path)) == set()


def test_uses_sdk_applies_without_gradle(tmp_path: Path) -> None:
    write(tmp_path, {MAIN_MANIFEST: manifest(uses_sdk='<uses-sdk android:targetSdkVersion="23"/>')})
    assert found(run(tmp_path)) == {(MAIN_MANIFEST, 3, "TRU305"), (MAIN_MANIFEST, 3, "CLR202")}


def test_unresolvable_gradle_target_sdk_means_unknown(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/build.gradle.kts": gradle("libs.versions.targetSdk.get().toInt()"),
        MAIN_MANIFEST: manifest(uses_sdk='<uses-sdk android:targetSdkVersion="23"/>'),
    })
    result = run(tmp_path)
    assert found(result) == set()
    (note,) = result.facts.of(Note)
    assert note.span == Span("app/build.gradle.kts", 3, 9) and "not a literal" in note.text


def test_root_project_ext_target_sdk(tmp_path: Path) -> None:
    write(tmp_path, {
        "build.gradle": "buildscript {\n    ext {\n        targetSdkVersion = 26\n    }\n}\n",
        "app/build.gradle": "android {\n  defaultConfig {\n"
                            "    targetSdkVersion rootProject.ext.targetSdkVersion\n  }\n}\n",
        MAIN_MANIFEST: manifest(),
    })
    assert found(run(tmp_path)) == {(MAIN_MANIFEST, 3, "CLR202")}


def test_target_sdk_defaults_with_a_config(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/build.gradle": gradle("23"),
        MAIN_MANIFEST: referencing_manifest(),
        MAIN_XML: nsc('<domain-config><domain>a.example</domain></domain-config>'),
    })
    # no base-config: the default's finding goes to the <application line
    assert found(run(tmp_path)) == {(MAIN_MANIFEST, 3, "CLR202"), (MAIN_MANIFEST, 3, "TRU305")}
    write(tmp_path, {MAIN_XML: nsc('<base-config cleartextTrafficPermitted="false"/>')})
    assert found(run(tmp_path)) == {(MAIN_XML, 3, "TRU305")}


def test_library_modules_get_no_defaults(tmp_path: Path) -> None:
    write(tmp_path, {
        "lib/build.gradle": "plugins { id 'com.android.library' }\n" + gradle("21"),
        "lib/src/main/AndroidManifest.xml": manifest(),
    })
    assert found(run(tmp_path)) == set()


def test_uses_cleartext_traffic_is_dead_with_a_config(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/build.gradle": gradle("34").replace("targetSdk = 34", "minSdk = 24\n        targetSdk = 34"),
        MAIN_MANIFEST: referencing_manifest('android:usesCleartextTraffic="true"'),
        "app/src/debug/AndroidManifest.xml": manifest('android:usesCleartextTraffic="true"'),
        MAIN_XML: nsc('<base-config cleartextTrafficPermitted="false"/>'),
    })
    result = run(tmp_path)
    assert found(result) == set()
    assert len(result.facts.of(Note)) == 2


def test_debug_source_set_manifest_without_config(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/build.gradle": gradle("34"),
        MAIN_MANIFEST: manifest(),
        "app/src/debug/AndroidManifest.xml": manifest('android:usesCleartextTraffic="true"'),
    })
    result = run(tmp_path)
    (finding,) = result.findings
    assert (finding.rule_id, finding.span.path, finding.severity) == (
        "CLR201", "app/src/debug/AndroidManifest.xml", "medium")
    assert "'debug' build" in finding.message


def test_debug_source_set_config_is_a_variant(tmp_path: Path) -> None:
    write(tmp_path, {
        MAIN_MANIFEST: referencing_manifest(),
        MAIN_XML: nsc('<base-config cleartextTrafficPermitted="false"/>'),
        "app/src/debug/res/xml/network_security_config.xml": nsc(
            '<base-config><trust-anchors><certificates src="user"/></trust-anchors></base-config>'),
    })
    (finding,) = run(tmp_path).findings
    assert finding.rule_id == "TRU305" and finding.severity == "low" and "'debug' build" in finding.message


def test_main_config_named_only_by_the_debug_manifest_is_a_variant(tmp_path: Path) -> None:
    write(tmp_path, {
        MAIN_MANIFEST: manifest(),
        "app/src/debug/AndroidManifest.xml": manifest(
            'android:networkSecurityConfig="@xml/network_security_config_debug"'),
        "app/src/main/res/xml/network_security_config_debug.xml": nsc(
            '<base-config cleartextTrafficPermitted="true"/>'),
    })
    (finding,) = run(tmp_path).findings
    assert finding.rule_id == "CLR201" and finding.severity == "medium"


def test_debug_companion_is_read_only_for_debug_overrides(tmp_path: Path) -> None:
    companion = "app/src/main/res/xml/network_security_config_debug.xml"
    write(tmp_path, {
        MAIN_MANIFEST: referencing_manifest(),
        MAIN_XML: nsc('<base-config cleartextTrafficPermitted="false"/>'),
        companion: nsc("""<base-config cleartextTrafficPermitted="true">
    <pin-set/>
</base-config>
<debug-overrides>
    <trust-anchors><certificates src="user"/></trust-anchors>
    <domain>x.example</domain>
</debug-overrides>"""),
    })
    result = run(tmp_path)
    # the base-config (and its load error) is skipped; debug-overrides problems break debug builds only
    (finding,) = result.findings
    assert (finding.rule_id, finding.span.line, finding.severity) == ("CFG903", 8, "medium")
    anchors = [a for a in result.facts.of(TrustAnchors) if a.span.path == companion]
    assert len(anchors) == 1 and anchors[0].debug_only


def test_debug_companion_ignored_when_main_has_debug_overrides(tmp_path: Path) -> None:
    write(tmp_path, {
        MAIN_MANIFEST: referencing_manifest(),
        MAIN_XML: nsc('<debug-overrides><trust-anchors><certificates src="user"/></trust-anchors>'
                      '</debug-overrides>'),
        "app/src/main/res/xml/network_security_config_debug.xml": nsc(
            "<debug-overrides><pin-set/></debug-overrides><debug-overrides/>"),
    })
    assert found(run(tmp_path)) == set()


def test_debug_overrides_apply_to_a_debuggable_release(tmp_path: Path) -> None:
    body = '<debug-overrides><trust-anchors>\n<certificates src="user"/>\n</trust-anchors></debug-overrides>'
    write(tmp_path, {
        "app/build.gradle": gradle("34"),
        MAIN_MANIFEST: referencing_manifest(),
        MAIN_XML: nsc(body),
    })
    assert found(run(tmp_path)) == set()
    release_debuggable = "android { buildTypes { release { debuggable true } } }\n"
    write(tmp_path, {"app/build.gradle": gradle("34") + release_debuggable})
    assert found(run(tmp_path)) == {(MAIN_XML, 4, "TRU305"), (MAIN_XML, 4, "PIN108")}
    write(tmp_path, {
        "app/build.gradle": gradle("34"),
        MAIN_MANIFEST: referencing_manifest('android:debuggable="true"'),
    })
    assert found(run(tmp_path)) == {(MAIN_XML, 4, "TRU305"), (MAIN_XML, 4, "PIN108")}


def test_missing_config_reference(tmp_path: Path) -> None:
    write(tmp_path, {MAIN_MANIFEST: referencing_manifest()})
    result = run(tmp_path)
    assert found(result) == {(MAIN_MANIFEST, 3, "CFG904")}
    (missing,) = result.facts.of(MissingReference)
    assert missing.reference == "@xml/network_security_config"
    # present in another source set: fine
    write(tmp_path, {"app/src/staging/res/xml/network_security_config.xml": nsc("")})
    assert found(run(tmp_path)) == set()


def test_placeholder_reference_is_not_judged(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/build.gradle": gradle("26"),
        MAIN_MANIFEST: manifest('android:networkSecurityConfig="${nsc}"'),
    })
    assert found(run(tmp_path)) == set()


def test_config_scanned_alone_uses_its_module_as_context(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/build.gradle": gradle("26"),
        MAIN_MANIFEST: referencing_manifest('android:usesCleartextTraffic="true"'),
        MAIN_XML: nsc('<base-config>\n</base-config>\n<domain-config cleartextTrafficPermitted="true">'
                      '<domain>a.example</domain></domain-config>'),
    })
    result = run(tmp_path, [tmp_path / MAIN_XML])
    assert found(result) == {(MAIN_XML, 3, "CLR202"), (MAIN_XML, 5, "CLR201")}
    assert result.files_scanned == 1


def test_config_alone_without_a_module_gets_explicit_checks_only(tmp_path: Path) -> None:
    write(tmp_path, {"network_security_config.xml": nsc(
        '<base-config cleartextTrafficPermitted="true"/>\n'
        '<domain-config><domain>a.example</domain></domain-config>')})
    result = run(tmp_path, [tmp_path / "network_security_config.xml"])
    assert found(result) == {("network_security_config.xml", 3, "CLR201")}
    assert not [policy for policy in result.facts.of(CleartextPolicy) if policy.by_default]


def test_unreferenced_config_gets_no_target_sdk_defaults(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/build.gradle": gradle("26"),
        MAIN_MANIFEST: manifest('android:usesCleartextTraffic="false"'),
        "app/src/main/res/xml/trustkit_config.xml": nsc('<base-config/>'),
    })
    assert found(run(tmp_path)) == set()


def test_trustkit_enforce_pinning(tmp_path: Path) -> None:
    write(tmp_path, {MAIN_XML: nsc(f"""<domain-config>
    <domain>a.example</domain>
    <pin-set><pin digest="SHA-256">{PIN_A}</pin><pin digest="SHA-256">{PIN_B}</pin></pin-set>
    <trustkit-config
        enforcePinning="false"/>
    <domain-config><domain>b.a.example</domain></domain-config>
</domain-config>
<domain-config>
    <domain>c.example</domain>
    <pin-set><pin digest="SHA-256">{PIN_A}</pin><pin digest="SHA-256">{PIN_B}</pin></pin-set>
    <trustkit-config/>
</domain-config>
<domain-config>
    <domain>d.example</domain>
    <pin-set><pin digest="SHA-256">{PIN_A}</pin><pin digest="SHA-256">{PIN_B}</pin></pin-set>
    <trustkit-config enforcePinning="true"/>
</domain-config>
<domain-config>
    <domain>e.example</domain>
    <pin-set><pin digest="SHA-256">{PIN_A}</pin><pin digest="SHA-256">{PIN_B}</pin></pin-set>
</domain-config>
<domain-config>
    <domain>f.example</domain>
    <trustkit-config enforcePinning="false"/>
</domain-config>""")})
    result = run(tmp_path)
    report_only = {
        pin_set.hosts: pin_set.enforcement_span.line if pin_set.enforcement_span else None
        for pin_set in result.facts.of(PinSet) if not pin_set.enforced
    }
    assert report_only == {("a.example", "b.a.example"): 7, ("c.example",): 13}
    unenforced = [pin_set for pin_set in result.facts.of(PinSet) if not pin_set.enforced]
    assert all(pin_set.origin == "trustkit-android" for pin_set in unenforced)
