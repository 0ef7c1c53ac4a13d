"""AndroidManifest.xml and Gradle build script parsers."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinlint.model.android import AndroidManifest, GradleBuildScript
from pinlint.model.facts import ParseError
from pinlint.parsers import SourceFile
from pinlint.parsers.config.android_manifest import accepts as manifest_accepts
from pinlint.parsers.config.android_manifest import parse as parse_manifest
from pinlint.parsers.config.gradle import accepts as gradle_accepts
from pinlint.parsers.config.gradle import parse as parse_gradle
from pinlint.parsers.config.gradle import tokenize


def manifest(text: str) -> AndroidManifest:
    facts = parse_manifest(SourceFile(Path("/p/AndroidManifest.xml"), "AndroidManifest.xml", text.encode()))
    assert len(facts) == 1 and isinstance(facts[0], AndroidManifest), facts
    return facts[0]


def gradle(text: str, name: str = "build.gradle") -> GradleBuildScript:
    facts = parse_gradle(SourceFile(Path("/p") / name, name, text.encode()))
    assert len(facts) == 1 and isinstance(facts[0], GradleBuildScript)
    return facts[0]


def test_manifest_accepts_only_its_name() -> None:
    assert manifest_accepts("AndroidManifest.xml", b"")
    assert not manifest_accepts("manifest.xml", b"<manifest")


def test_manifest_attributes_and_spans() -> None:
    found = manifest("""<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android">
    <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="26" />
    <application
        android:label="x"
        android:networkSecurityConfig="@xml/network_security_config"
        android:usesCleartextTraffic="true"
        android:debuggable="false">
    </application>
</manifest>""")
    assert found.application_span is not None and found.application_span.line == 4
    assert found.network_security_config is not None and found.network_security_config.span.line == 6
    assert found.config_name == "network_security_config"
    assert found.uses_cleartext_traffic is not None and found.uses_cleartext_traffic.flag is True
    assert found.uses_cleartext_traffic.span.line == 7
    assert found.debuggable is not None and found.debuggable.flag is False
    assert found.target_sdk_value == 26 and found.target_sdk is not None and found.target_sdk.span.line == 3


def test_manifest_namespace_by_uri_not_prefix() -> None:
    found = manifest("""<manifest xmlns:a="http://schemas.android.com/apk/res/android"
    xmlns:android="http://example.com/other">
    <application android:usesCleartextTraffic="true" a:networkSecurityConfig="@xml/nsc"/>
</manifest>""")
    assert found.uses_cleartext_traffic is None
    assert found.config_name == "nsc"


@pytest.mark.parametrize(("value", "name"), [
    ("@xml/network_security_config", "network_security_config"),
    ("@com.example.lib:xml/nsc", "nsc"),
    ("${networkSecurityConfig}", None),
    ("@raw/nsc", None),
])
def test_manifest_config_reference(value: str, name: str | None) -> None:
    found = manifest(f"""<manifest xmlns:android="http://schemas.android.com/apk/res/android">
    <application android:networkSecurityConfig="{value}"/></manifest>""")
    assert found.network_security_config is not None and found.config_name == name


def test_manifest_unknown_values_and_other_roots() -> None:
    found = manifest("""<manifest xmlns:android="http://schemas.android.com/apk/res/android">
    <application android:usesCleartextTraffic="@bool/cleartext"/></manifest>""")
    assert found.uses_cleartext_traffic is not None and found.uses_cleartext_traffic.flag is None
    assert parse_manifest(SourceFile(Path("/p/AndroidManifest.xml"), "m", b"<resources/>")) == []
    broken = parse_manifest(SourceFile(Path("/p/AndroidManifest.xml"), "m", b"<manifest><application>"))
    assert len(broken) == 1 and isinstance(broken[0], ParseError)


def test_gradle_accepts_build_scripts_only() -> None:
    assert gradle_accepts("build.gradle", b"") and gradle_accepts("build.gradle.kts", b"")
    assert not gradle_accepts("settings.gradle", b"") and not gradle_accepts("gradle.properties", b"")


@pytest.mark.parametrize("statement", [
    "targetSdk = 34", "targetSdkVersion 34", "targetSdkVersion(34)", "targetSdk 34", "targetSdkVersion = 34",
    'targetSdkVersion "34"', "targetSdk = 34;",
])
def test_gradle_target_sdk_forms(statement: str) -> None:
    script = gradle(f"android {{\n    defaultConfig {{\n        {statement}\n    }}\n}}\n")
    assert script.resolved_target_sdk() == 34
    assert script.target_sdk[0].span.line == 3


def test_gradle_comments_and_strings_cannot_fake_a_setting() -> None:
    script = gradle('''android {
    defaultConfig {
        // targetSdk 20
        /* targetSdkVersion 21
           still a comment */
        versionName "targetSdk 22"
        def note = """
            targetSdkVersion 23
        """
        targetSdkVersion 33
    }
}''')
    assert [setting.value for setting in script.target_sdk] == [33]
    assert script.target_sdk[0].span.line == 10


@pytest.mark.parametrize("statement", [
    "targetSdk = libs.versions.targetSdk.get().toInt()",
    "targetSdkVersion flutter.targetSdkVersion",
    "targetSdk = 30 + 4",
    "targetSdkVersion rootProject.ext.targetSdkVersion",
])
def test_gradle_unresolvable_target_sdk_is_unknown(statement: str) -> None:
    script = gradle(f"android {{\n    defaultConfig {{\n        {statement}\n    }}\n}}\n")
    assert script.target_sdk_declared
    assert script.resolved_target_sdk() is None


def test_gradle_ext_values_resolve_root_project_references() -> None:
    root = gradle("buildscript {\n    ext {\n        targetSdkVersion = 28\n    }\n}\n")
    assert root.ext_values == {"targetSdkVersion": 28}
    assert root.target_sdk == ()  # not inside android { }
    module = gradle("android {\n  defaultConfig {\n"
                    "    targetSdkVersion rootProject.ext.targetSdkVersion\n  }\n}\n")
    assert module.resolved_target_sdk(root.ext_values) == 28


def test_gradle_default_config_wins_over_flavours() -> None:
    script = gradle("""android {
    defaultConfig { targetSdk = 34 }
    productFlavors {
        legacy { targetSdk = 22 }
    }
}""", "build.gradle.kts")
    assert script.resolved_target_sdk() == 34


def test_gradle_debuggable_build_types() -> None:
    groovy = gradle("""android {
    buildTypes {
        debug { debuggable true }
        release {
            debuggable true
            minifyEnabled false
        }
    }
}""")
    values = {name: setting.value for name, setting in groovy.debuggable.items()}
    assert values == {"debug": True, "release": True}
    kotlin = gradle("""android {
    buildTypes {
        getByName("release") {
            isDebuggable = false
        }
        create("staging") {
            isDebuggable = true
        }
    }
}""", "build.gradle.kts")
    assert {name: setting.value for name, setting in kotlin.debuggable.items()} == {
        "release": False, "staging": True,
    }


def test_gradle_library_plugin() -> None:
    assert gradle("plugins { id 'com.android.library' }\n").is_library
    assert gradle("plugins {\n    alias(libs.plugins.android.library)\n}\n", "build.gradle.kts").is_library
    assert not gradle("plugins { id 'com.android.application' }\n").is_library


def test_tokenizer_survives_unterminated_input() -> None:
    tokens = tokenize('android { defaultConfig { targetSdk = "34')
    assert tokens[-1].kind == "string"
    assert gradle("/* never closed\n targetSdk 3").target_sdk == ()


def test_a_huge_number_is_an_unknown_target_sdk_not_an_error(tmp_path: Path) -> None:
    """Found by fuzzing: int() refuses digit strings over 4,300 digits; such a value is simply unknown."""
    gradle = tmp_path / "build.gradle"
    gradle.write_text("android {\n    defaultConfig {\n        targetSdkVersion " + "9" * 6000 + "\n    }\n}\n")
    facts = parse_gradle(SourceFile(gradle, "build.gradle", gradle.read_bytes()))
    assert not any(isinstance(fact, ParseError) for fact in facts)
