"""A file scanned alone (the pre-commit case) is judged with its project context, without reporting on it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import scan_path

GRADLE = """android {
    compileSdk 34
    defaultConfig {
        targetSdkVersion 26
    }
}
"""
MANIFEST = """<manifest xmlns:android="http://schemas.android.com/apk/res/android">
    <application android:networkSecurityConfig="@xml/nsc" android:usesCleartextTraffic="false"/>
</manifest>
"""
CONFIG = """<network-security-config>
    <base-config>
        <trust-anchors><certificates src="system"/></trust-anchors>
    </base-config>
</network-security-config>
"""


def make_module(root: Path, target_sdk: int = 26) -> Path:
    (root / "app/src/main/res/xml").mkdir(parents=True)
    (root / "app/build.gradle").write_text(GRADLE.replace("26", str(target_sdk)))
    (root / "app/src/main/AndroidManifest.xml").write_text(MANIFEST)
    config = root / "app/src/main/res/xml/nsc.xml"
    config.write_text(CONFIG)
    return config


def test_a_staged_config_gets_the_modules_target_sdk(tmp_path: Path) -> None:
    config = make_module(tmp_path)
    result = scan_path(config, relative_to=tmp_path)
    assert [(f.rule_id, f.span.path, f.span.line) for f in result.findings] == [
        ("CLR202", "app/src/main/res/xml/nsc.xml", 2)]


def test_context_files_are_not_reported_on(tmp_path: Path) -> None:
    config = make_module(tmp_path)
    manifest = tmp_path / "app/src/main/AndroidManifest.xml"
    manifest.write_text(MANIFEST.replace('android:usesCleartextTraffic="false"', 'android:debuggable="maybe"'))
    result = scan_path(config, relative_to=tmp_path)
    assert {f.span.path for f in result.findings} == {"app/src/main/res/xml/nsc.xml"}


def test_a_modern_target_sdk_from_context_silences_the_default(tmp_path: Path) -> None:
    config = make_module(tmp_path, target_sdk=34)
    assert scan_path(config, relative_to=tmp_path).findings == []


def test_an_overlay_replaces_the_file_on_disk(tmp_path: Path) -> None:
    """An editor's unsaved buffer is scanned instead of the saved file, and quoted from."""
    from pinlint.pipeline import ScanInputs, overlay_key, run
    from tests.conftest import FIXTURE_TODAY

    config = make_module(tmp_path, target_sdk=34)
    edited = CONFIG.replace('<base-config>', '<base-config cleartextTrafficPermitted="true">').encode()
    inputs = ScanInputs(paths=[tmp_path], today=FIXTURE_TODAY, relative_to=tmp_path,
                        overlays={overlay_key(config): edited})
    assert [(f.rule_id, f.span.line) for f in run(inputs).findings] == [("CLR201", 2)]
    assert run(ScanInputs(paths=[tmp_path], today=FIXTURE_TODAY, relative_to=tmp_path)).findings == []


def test_named_context_files_give_context_and_are_not_reported_on(tmp_path: Path) -> None:
    from pinlint.pipeline import ScanInputs, run
    from tests.conftest import FIXTURE_TODAY

    make_module(tmp_path, target_sdk=34)
    gradle = tmp_path / "app/build.gradle"
    manifest = tmp_path / "app/src/main/AndroidManifest.xml"
    cleartext = '<application android:usesCleartextTraffic="true"/>'
    manifest.write_text(MANIFEST.replace(MANIFEST.splitlines()[1].strip(), cleartext))
    scanned = run(ScanInputs(paths=[gradle, manifest], today=FIXTURE_TODAY, relative_to=tmp_path))
    assert "app/src/main/AndroidManifest.xml" in {f.span.path for f in scanned.findings}
    context = run(ScanInputs(paths=[gradle], today=FIXTURE_TODAY, relative_to=tmp_path, context_files=[manifest]))
    assert "app/src/main/AndroidManifest.xml" in context.facts.attributes["context_paths"]
    assert context.findings == []
