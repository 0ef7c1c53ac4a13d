"""Property tests for every parser and front end: on any bytes, nothing escapes and the result is repeatable.

Inputs are built from each format's own pieces (tags, entities, brackets, keywords, trust APIs), bad bytes
and deep nesting, so the generator reaches past the first syntax check. A parser may refuse input only with
a ``ParseError`` fact, never with an exception or an "internal error"; the policy and baseline loaders
only with their own error types. ``bench/fuzz.py`` runs the same contract over ten thousand mutated
inputs per parser; a smoke run of it is the last test here.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinlint import parsers
from pinlint.config.baseline_file import BaselineFileError
from pinlint.config.baseline_file import read_document as read_baseline
from pinlint.config.loader import ConfigError, load_config
from pinlint.parsers import SourceFile
from pinlint.parsers.code.lang_python import nesting_estimate
from pinlint.parsers.config import jsonpos, plistread, preprocess, xmlsafe
from pinlint.triage.baseline import BaselineError, from_document
from pinlint.triage.suppress import parse_directives
from tests.conftest import ROOT

#: Minutes, not seconds: left out of the inner loop (``pytest -m "not slow"``), always run by CI.
pytestmark = pytest.mark.slow

#: A file name for each parser (the name picks the format, and for sources the language).
NAMES = {
    "android_nsc": ["network_security_config.xml"], "android_manifest": ["AndroidManifest.xml"],
    "gradle": ["build.gradle", "build.gradle.kts"], "plist": ["Info.plist"], "expo": ["app.json"],
    "cordova": ["config.xml"], "capacitor": ["capacitor.config.json"],
    "certificates": ["server.pem", "server.der", "client.p12", "trust.bks"],
    "lang_jvm": ["Net.kt", "Net.java"], "lang_apple": ["Net.swift", "Net.m"], "lang_dart": ["net.dart"],
    "lang_csharp": ["Net.cs"], "lang_javascript": ["net.js", "net.ts", "net.tsx"], "lang_python": ["net.py"],
    "presence": ["Podfile", "pubspec.yaml"], "jvm_class": ["Net$TrustAll.class"],
    "dex_file": ["classes.dex"],
    "macho_file": ["Vendor", "libVendor.a", "Vendor.dylib"],
}

PIECES = [
    b"<network-security-config>", b"</network-security-config>", b"<domain-config>", b"</domain-config>",
    b'<domain includeSubdomains="true">', b"</domain>", b"<pin-set expiration=\"2020-01-01\">", b"</pin-set>",
    b'<pin digest="SHA-256">', b"</pin>", b'cleartextTrafficPermitted="true"', b"<manifest>", b"<application ",
    b'android:usesCleartextTraffic="true"', b"<plist>", b"<dict>", b"</dict>", b"<key>", b"</key>",
    b"NSAppTransportSecurity", b"NSAllowsArbitraryLoads", b"NSExceptionDomains", b"<true/>", b"<array>",
    b"</array>", b"<widget>", b"<access origin=\"*\"/>", b"<!DOCTYPE x [<!ENTITY e \"a\">]>", b"&e;",
    b'<!ENTITY e SYSTEM "file:///etc/passwd">', b"bplist00", b"#if DEBUG\n", b"#endif\n",
    b'{"expo": {"ios": {"infoPlist": ', b'"server": {"cleartext": true}', b"{", b"}", b"[", b"]", b"(", b")",
    b'"', b"'", b"\\", b"\\ud800", b"\n", b"\x00", b"\xff", b"\xef\xbb\xbf", b"http://a.example", b"ws://b",
    b"android {", b"usesCleartextTraffic", b"debuggable true", b"-----BEGIN CERTIFICATE-----\n",
    b"-----END CERTIFICATE-----\n", b"\x30\x82\x01\x0a", b"serverTrust", b"X509TrustManager",
    b"checkServerTrusted", b"override fun ", b"public void ", b"func urlSession(", b"completionHandler(",
    b".useCredential", b"badCertificateCallback = (c, h, p) => true", b"ServerCertificateCustomValidationCallback",
    b"rejectUnauthorized: false", b"verify=False", b"ssl._create_unverified_context()", b"CertificatePinner",
    b"sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", b"return true", b"{ }", b";", b",", b"=", b".",
    b"pod 'TrustKit'", b"pinlint: ignore[CLR203] -- reason", b"// ", b"# ", b"/* ", b" */",
]


@st.composite
def hostile_bytes(draw: st.DrawFn) -> bytes:
    parts = draw(st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=12)), max_size=30))
    data = b"".join(parts)
    if draw(st.booleans()):
        opening, closing = draw(st.sampled_from([(b"(", b")"), (b"{", b"}"), (b"[", b"]"), (b"<a>", b"</a>"),
                                                 (b"<array>", b"</array>"), (b"-", b""), (b"a + ", b"")]))
        depth = draw(st.sampled_from([50, 250, 1200, 3000]))
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:at] + opening * depth + data[at:] + closing * depth
    return data


def _normal(facts: list[object]) -> str:
    return re.sub(r" at 0x[0-9a-f]+", "", repr(facts))


def _check(module_name: str, name: str, data: bytes) -> None:
    parser = parsers.load(parsers.module_named(module_name))
    source = SourceFile(Path("/scan") / name, name, data)
    first = parser.parse(source)
    assert isinstance(first, list)
    for fact in first:
        assert "internal error" not in str(getattr(fact, "reason", "")), fact
    assert _normal(parser.parse(source)) == _normal(first)


@pytest.mark.parametrize("module_name", sorted(NAMES))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=hostile_bytes(), pick=st.integers(min_value=0, max_value=10))
def test_parser_never_raises_and_repeats_itself(module_name: str, data: bytes, pick: int) -> None:
    names = NAMES[module_name]
    _check(module_name, names[pick % len(names)], data)


def test_every_registered_parser_is_covered() -> None:
    assert {name.rsplit(".", 1)[-1] for name in parsers.PARSER_MODULES} == set(NAMES)


@settings(max_examples=150, deadline=None)
@given(hostile_bytes())
def test_json_reader_raises_only_its_syntax_error(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    try:
        document = jsonpos.loads(text)
    except jsonpos.JsonSyntaxError:
        return
    assert repr(jsonpos.loads(text).value) == repr(document.value)


@settings(max_examples=150, deadline=None)
@given(hostile_bytes())
def test_xml_and_plist_readers_never_raise(data: bytes) -> None:
    source = SourceFile(Path("/scan/x.xml"), "x.xml", data)
    first = xmlsafe.parse(source)
    assert isinstance(first, (xmlsafe.XmlDocument, xmlsafe.ParseError))
    plist = plistread.read(data, "Info.plist")
    assert repr(plist) == repr(plistread.read(data, "Info.plist"))
    variants = preprocess.variants(data)
    assert variants is None or isinstance(variants, list)


@settings(max_examples=150, deadline=None)
@given(hostile_bytes())
def test_python_nesting_estimate_raises_only_tokenizer_errors(data: bytes) -> None:
    import tokenize

    with contextlib.suppress(tokenize.TokenError, SyntaxError, ValueError):
        assert nesting_estimate(data.decode("utf-8", errors="replace")) >= 0


@settings(max_examples=150, deadline=None)
@given(hostile_bytes(), st.sampled_from(["Net.kt", "net.py", "network_security_config.xml", "Info.plist",
                                         "net.js", "build.gradle", "config.xml", "Net.swift"]))
def test_suppression_comments_never_raise(data: bytes, name: str) -> None:
    directives = parse_directives(name, data.decode("utf-8-sig", errors="replace"))
    assert directives == parse_directives(name, data.decode("utf-8-sig", errors="replace"))


POLICY_PIECES = [b"select: ", b"ignore: ", b"severity: ", b"options: ", b"exclude: ", b"extends: ",
                 b"max-file-size: ", b"fail-on: ", b"sensitive-hosts: ", b"[", b"]", b"{", b"}", b"PIN101",
                 b"CLR", b"high", b"-1", b"99999999999999999999999", b"!!python/object/apply:os.system [x]",
                 b"&a [*a, *a]", b"*a", b"<<: *a", b"\n", b"  ", b"- ", b": ", b"'", b'"', b"\x00", b"\xff",
                 b"[tool.pinlint]\n", b"select = [", b"= ", b"~/x", b"/etc/passwd", b"../" * 5]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(POLICY_PIECES), max_size=25).map(b"".join), st.booleans())
def test_policy_loader_raises_only_config_errors(tmp_path_factory: pytest.TempPathFactory, data: bytes,
                                                 toml: bool) -> None:
    folder = tmp_path_factory.mktemp("policy")
    path = folder / ("pyproject.toml" if toml else ".pinlint.yaml")
    path.write_bytes(data)
    try:
        load_config(path)
    except ConfigError as error:
        assert "\n" not in str(error)


@settings(max_examples=100, deadline=None)
@given(hostile_bytes())
def test_baseline_loader_raises_only_baseline_errors(tmp_path_factory: pytest.TempPathFactory,
                                                     data: bytes) -> None:
    path = tmp_path_factory.mktemp("baseline") / "baseline.json"
    path.write_bytes(data)
    with contextlib.suppress(BaselineError, BaselineFileError):
        from_document(read_baseline(path), str(path))


def test_fuzz_script_smoke_run(tmp_path: Path) -> None:
    """A short run of bench/fuzz.py over every target: nothing crashes, raises or differs between runs."""
    report = tmp_path / "fuzz.json"
    result = subprocess.run([sys.executable, str(ROOT / "bench/fuzz.py"), "--count", "12", "--jobs", "2",
                             "--json", str(report)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "problems: 0" in result.stdout
    import json

    targets = {entry["target"]: entry for entry in json.loads(report.read_text())}
    assert {name.rsplit(".", 1)[-1] for name in parsers.PARSER_MODULES} <= set(targets)
    assert all(entry["inputs"] == 12 and not entry["crashes"] for entry in targets.values())


def test_dart_override_installed_inside_its_own_class_does_not_loop() -> None:
    """Found by bench/fuzz.py: judging whether such a class is debug-only recursed without end."""
    code = b"""import 'dart:io';
class Evil extends HttpOverrides {
  void install() { HttpOverrides.global = Evil; }
  @override
  HttpClient createHttpClient(SecurityContext? context) =>
      super.createHttpClient(context)..badCertificateCallback = (cert, host, port) => true;
}
"""
    parser = parsers.load("pinlint.parsers.code.lang_dart")
    facts = parser.parse(SourceFile(Path("/scan/evil.dart"), "evil.dart", code))
    assert [type(fact).__name__ for fact in facts] == ["TrustCallback"]
