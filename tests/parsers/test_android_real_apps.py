"""Shapes met in real Android apps: unpadded pins, pins added in loops,
identifier URIs and preview code that are not endpoints, the ``"SSL"`` context alias, test modules."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from pinlint.config.policy import Policy
from pinlint.model.android import NetworkSecurityConfigFile
from pinlint.model.facts import CleartextPolicy, Endpoint, PinSet, Span, TlsFloor
from pinlint.parsers import SourceFile
from pinlint.parsers.code import lang_jvm
from pinlint.parsers.config import android_nsc
from pinlint.pipeline import ScanOptions, scan
from tests.conftest import FIXTURE_TODAY

PADDED = base64.b64encode(bytes(range(32))).decode()  # 44 characters ending in one '='
UNPADDED = PADDED.rstrip("=")
SPAN = Span("x")


def jvm(code: str, name: str = "Sample.kt", display: str | None = None) -> list[object]:
    return lang_jvm.parse(SourceFile(Path(name), display or name, code.encode()))


def endpoints(facts: list[object]) -> list[str]:
    return [fact.url for fact in facts if isinstance(fact, Endpoint)]


def test_unpadded_pins_in_a_network_security_config_are_distinct_valid_pins() -> None:
    other = base64.b64encode(bytes(range(1, 33))).decode().rstrip("=")
    text = f"""<network-security-config><domain-config><domain>a.example.com</domain>
        <pin-set><pin digest="SHA-256">{UNPADDED}</pin><pin digest="SHA-256">{other}</pin>
        <pin digest="SHA-256">{PADDED}</pin></pin-set></domain-config></network-security-config>"""
    facts = android_nsc.parse(SourceFile(Path("network_security_config.xml"), "nsc.xml", text.encode()))
    config = facts[0]
    assert isinstance(config, NetworkSecurityConfigFile)
    pin_set = config.domain_configs[0].pin_set
    assert pin_set is not None
    assert all(pin.is_valid for pin in pin_set.pins)
    # The padded and the unpadded spelling are the same pin.
    assert len(PinSet("android-nsc", "android", ("a.example.com",), pin_set.pins, SPAN).valid_distinct_pins) == 2


# --- OkHttp pins built in loops --------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    'config.hashes.forEach { hash -> builder.add("api.example.com", "sha256/$hash") }',
    'for (hash in hashes) { builder.add("api.example.com", "sha256/" + hash) }',
    'for ((host, hash) in pairs) { builder.add(host, "sha256/${hash}") }',
    'hashes.forEach { builder.add("api.example.com", "sha256/$it") }',
])
def test_pins_added_in_a_loop_are_not_counted(body: str) -> None:
    code = f"""
import okhttp3.CertificatePinner
fun pinner(config: Config, hashes: List<String>, pairs: Map<String, String>): CertificatePinner {{
    val builder = CertificatePinner.Builder()
    {body}
    return builder.build()
}}
"""
    assert [fact for fact in jvm(code) if isinstance(fact, PinSet)] == []


def test_java_enhanced_for_pins_are_not_counted_but_literal_pins_are() -> None:
    code = """
import okhttp3.CertificatePinner;
class Pins {
    CertificatePinner make(java.util.List<String> remote) {
        CertificatePinner.Builder builder = new CertificatePinner.Builder();
        for (String hash : remote) {
            builder.add("remote.example.com", "sha256/" + hash);
        }
        builder.add("fixed.example.com", "sha256/UNPADDED");
        return builder.build();
    }
}
""".replace("UNPADDED", UNPADDED)
    sets = [fact for fact in jvm(code, "Pins.java") if isinstance(fact, PinSet)]
    assert [pin_set.hosts for pin_set in sets] == [("fixed.example.com",)]
    assert sets[0].pins[0].is_valid  # Okio accepts the unpadded value


# --- identifier URIs and preview code --------------------------------------------------------------


def test_namespace_and_relation_constants_are_not_endpoints() -> None:
    code = """
class Feed {
    companion object {
        const val NSURI = "http://search.example.com/mrss/"
        const val EMBED_REFERER_VALUE = "http://android.example.com"
    }
}
enum class WebFingerRel(val uri: String) { INSTANCE("http://webfinger.example.com/rel/server") }
"""
    assert endpoints(jvm(code)) == []


def test_spec_and_schema_identifiers_are_not_endpoints() -> None:
    code = """
val issuer = "http://openid.net/specs/connect/1.0/issuer"
val doctype = Parser.load("http://www.example.com/dtds/podcast-1.0.dtd")
"""
    assert endpoints(jvm(code)) == []


def test_constant_only_compared_is_not_an_endpoint_but_one_fetched_is() -> None:
    code = """
object Ext {
    private const val ABS_SEND_TIME = "http://rtp.example.org/abs-send-time"
    private const val API = "http://api.example.org/v1"
    private val ids = mutableMapOf<String, Int>()
    fun known(uri: String) = uri == ABS_SEND_TIME || ids.containsKey(ABS_SEND_TIME) || ids[ABS_SEND_TIME] != null
    fun call() = URL(API).openConnection()
    fun same(uri: String) = uri.equals(API)
}
"""
    assert endpoints(jvm(code)) == ["http://api.example.org/v1"]


def test_unused_constant_stays_an_endpoint() -> None:
    assert endpoints(jvm('const val BASE_URL = "http://api.example.org/"')) == ["http://api.example.org/"]


def test_preview_functions_are_not_endpoints() -> None:
    code = """
package a

@Composable
fun Screen(url: URL) {}

@PreviewLightDark
@Composable
private fun ScreenPreview() {
    Screen(URL("http://preview.example.org"))
}

class Holder {
    @Preview(showBackground = true)
    @Composable
    fun HolderPreview() { Screen(URL("http://holder.example.org")) }

    fun live() = Screen(URL("http://live.example.org"))
}
"""
    assert endpoints(jvm(code)) == ["http://live.example.org"]


def test_screenshot_test_source_set_is_test_code() -> None:
    from pinlint.vocab.testcode import is_test_source

    display = "app/src/screenshotTest/kotlin/a/ShotTest.kt"
    assert lang_jvm.variant_of(display) is None  # not a build variant: test code, told apart by path
    assert is_test_source(display)


# --- TLS contexts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "weak"), [("SSL", False), ("TLS", False), ("TLSv1", True), ("SSLv3", True)])
def test_ssl_is_the_generic_context_alias(name: str, weak: bool) -> None:
    code = f'class C {{ void m() throws Exception {{ SSLContext c = SSLContext.getInstance("{name}"); }} }}'
    floors = [fact for fact in jvm(code, "C.java") if isinstance(fact, TlsFloor)]
    assert bool(floors) is weak


# --- test modules ----------------------------------------------------------------------------------


def _scan_cleartext(root: Path, module: str) -> list[CleartextPolicy]:
    manifest = root / module / "src/main/AndroidManifest.xml"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android">'
        '<application android:usesCleartextTraffic="true"/></manifest>'
    )
    options = ScanOptions(targets=[root], today=FIXTURE_TODAY, policy=Policy(), relative_to=root)
    return [fact for fact in scan(options).facts if isinstance(fact, CleartextPolicy)]


def test_manifest_of_a_test_module_is_a_test_variant(tmp_path: Path) -> None:
    [policy] = _scan_cleartext(tmp_path, "tests/testsCore")
    assert policy.variant == "test"


@pytest.mark.parametrize("module", ["app", "."])
def test_app_module_and_folders_above_the_scan_root_are_not_test_modules(tmp_path: Path, module: str) -> None:
    root = tmp_path / "test_project0"
    [policy] = _scan_cleartext(root, module)
    assert policy.variant is None
