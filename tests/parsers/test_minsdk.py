"""minSdk, read by the same reader as targetSdk: module scripts, version catalogs, buildSrc constants,
convention plugins and ``<uses-sdk>``; it decides whether ``usesCleartextTraffic`` still matters."""

from __future__ import annotations

from pathlib import Path

from pinlint.model.android import CONVENTION_MIN_SDK, CONVENTION_TARGET_SDK, GradleBuildScript, GradleConstants
from pinlint.parsers import SourceFile
from pinlint.parsers.config import gradle
from tests.conftest import scan_path


def parse(path: Path, text: str) -> list[object]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return gradle.parse(SourceFile(path, path.name, path.read_bytes()))


def test_catalog_aliases_are_normalised(tmp_path: Path) -> None:
    [found] = parse(tmp_path / "gradle/libs.versions.toml", '[versions]\nmin-sdk = "23"\nagp = "8.5.0"\n')
    assert isinstance(found, GradleConstants)
    assert found.values == {"libs.versions.min-sdk": 23}
    [script] = parse(tmp_path / "app/build.gradle.kts",
                     "android { defaultConfig { minSdk = libs.versions.min.sdk.get().toInt() } }\n")
    assert isinstance(script, GradleBuildScript)
    assert script.resolved_min_sdk(found.values) == 23


def test_buildsrc_constants_and_convention_plugins(tmp_path: Path) -> None:
    [constants] = parse(tmp_path / "buildSrc/src/main/kotlin/Sdk.kt",
                        "object Sdk {\n    const val minSdk = 22\n    const val TARGET = 34\n}\n")
    assert isinstance(constants, GradleConstants)
    assert constants.values["const:Sdk.minSdk"] == 22
    [plugin] = parse(tmp_path / "build-logic/src/main/kotlin/AndroidConventionPlugin.kt",
                     "class AndroidConventionPlugin : Plugin<Project> {\n  override fun apply(target: Project) {\n"
                     "    extensions.configure<ApplicationExtension> {\n      defaultConfig {\n"
                     "        minSdk = 21\n        targetSdk = 34\n      }\n    }\n  }\n}\n")
    assert isinstance(plugin, GradleConstants)
    assert plugin.values[CONVENTION_MIN_SDK] == 21
    assert plugin.values[CONVENTION_TARGET_SDK] == 34


def test_a_kotlin_file_without_sdk_words_is_not_read() -> None:
    assert not gradle.accepts("Api.kt", b"class Api { val url = \"https://x\" }")
    assert gradle.accepts("Versions.kt", b"object Versions { const val MIN_SDK = 21 }")


def test_convention_plugin_min_sdk_reaches_modules(tmp_path: Path) -> None:
    (tmp_path / "build-logic/src/main/kotlin").mkdir(parents=True)
    (tmp_path / "build-logic/src/main/kotlin/Conventions.kt").write_text(
        "fun configure(ext: ApplicationExtension) { ext.defaultConfig { minSdk = 23 } }\n")
    (tmp_path / "app/src/main/res/xml").mkdir(parents=True)
    (tmp_path / "app/build.gradle.kts").write_text("plugins { id(\"com.android.application\") }\n")
    (tmp_path / "app/src/main/res/xml/network_security_config.xml").write_text(
        '<network-security-config><base-config cleartextTrafficPermitted="false"/></network-security-config>\n')
    (tmp_path / "app/src/main/AndroidManifest.xml").write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android">\n'
        '  <application android:networkSecurityConfig="@xml/network_security_config"\n'
        '      android:usesCleartextTraffic="true"/>\n</manifest>\n')
    findings = scan_path(tmp_path).findings
    assert [(f.rule_id, f.span.line, f.confidence) for f in findings] == [("CLR201", 3, "high")]
    assert "minSdk 23" in findings[0].message and "Android 6.0 and lower" in findings[0].message
