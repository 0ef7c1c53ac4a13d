"""Parser claims: the engine asks a parser about a file only when the parser's claim covers the name, so a
claim must cover every name the parser accepts (a claim that is too narrow would silently drop files)."""

from __future__ import annotations

import itertools

import pytest

from pinlint import parsers
from pinlint.triage.suppress import COMMENT_OPENERS
from tests.conftest import FIXTURES

#: Endings beyond those of the claims and the suppression table, to catch a parser that starts accepting
#: something new without its claim following.
EXTRA_SUFFIXES = (
    ".kts", ".groovy", ".gradle", ".xib", ".storyboard", ".entitlements", ".pbxproj", ".strings", ".html",
    ".vue", ".svelte", ".d.ts", ".min.js", ".bundle.js", ".chunk.js", ".c", ".cc", ".cpp", ".hpp", ".rs",
    ".go", ".rb", ".php", ".scala", ".lock", ".toml", ".ini", ".xcconfig", ".plist.bak", ".xml.orig",
    ".pyi", ".ipynb", ".jar", ".aar", ".apk", ".so", ".png", ".webp", ".ttf", ".md", ".csv", ".sh", ".bat",
    ".ps1", ".zip", ".bin", ".p8", ".pub", ".csr", ".crl", ".pkcs12", ".truststore", ".bcfks",
)
SPECIAL_NAMES = (
    "AndroidManifest.xml", "Info.plist", "App-Info.plist", "Info-Debug.plist", "build.gradle", "build.gradle.kts",
    "settings.gradle", "app.json", "app.config.json", "app.config.js", "app.config.ts", "config.xml",
    "capacitor.config.json", "capacitor.config.ts", "network_security_config.xml", "network-security-config.xml",
    "Podfile", "Cartfile", "Gemfile", "Fastfile", "gradlew", "LICENSE", "ca", "cert", "file.", ".env",
    ".gitignore", "pubspec.yaml", "package.json", "tsconfig.json", "google-services.json", "Makefile",
)
HEADS = (
    b"",
    b"<?xml version=\"1.0\"?>\n<network-security-config>",
    "<network-security-config>".encode("utf-16-le"),
    b"<?xml version='1.0'?><widget id=\"x\">",
    b"-----BEGIN CERTIFICATE-----\nMIIB",
    b"-----BEGIN PRIVATE KEY-----\n",
    bytes([0x30, 0x82, 0x01, 0x0A, 0x30, 0x82, 0x01, 0x00, 0xA0, 0x03]),
    b"<plist version=\"1.0\"><dict>",
    b"{\"expo\": {}}",
    b"\xca\xfe\xba\xbe\x00\x00\x00\x34",
    b"dex\n035\x00",
    b"\xcf\xfa\xed\xfe\x0c\x00\x00\x01",  # Mach-O, 64-bit, little-endian
    b"\xca\xfe\xba\xbe\x00\x00\x00\x02",  # a fat Mach-O of two slices (not a class file)
    b"!<arch>\n#1/20           ",  # a static library
)


def _suffixes() -> set[str]:
    suffixes = {key for key in COMMENT_OPENERS if key.startswith(".")}
    for claim in parsers.CLAIMS.values():
        suffixes.update(claim.suffixes)
    suffixes.update(EXTRA_SUFFIXES)
    return suffixes


def _names() -> set[str]:
    names = set(SPECIAL_NAMES)
    names.update(path.name for path in FIXTURES.rglob("*") if path.is_file())
    for suffix in _suffixes():
        stem = "network_security_config" if suffix == ".xml" else "Sample"
        names.update({f"{stem}{suffix}", f"{stem}{suffix.upper()}", f"a.b{suffix}"})
    return names


def test_every_registered_parser_has_a_claim() -> None:
    """Without a claim a parser is imported for every file, which slows down every one-file scan."""
    assert set(parsers.PARSER_MODULES) <= set(parsers.CLAIMS), set(parsers.PARSER_MODULES) - set(parsers.CLAIMS)


@pytest.mark.parametrize("module_name", parsers.PARSER_MODULES)
def test_claim_covers_every_name_the_parser_accepts(module_name: str) -> None:
    parser = parsers.load(module_name)
    claim = parsers.CLAIMS[module_name]
    accepted = 0
    for name, head in itertools.product(sorted(_names()), HEADS):
        if parser.accepts(name, head):
            accepted += 1
            assert claim.may_accept(name), f"{module_name} accepts {name!r} but its claim does not cover it"
    assert accepted, f"{module_name} accepted none of the probe names: the probe set no longer reaches it"


@pytest.mark.parametrize(("name", "expected"), [
    ("Main.kt", True), ("Main.KT", True), ("Main.kts", False), ("main.xml", False), ("kt", False),
])
def test_claim_matches_endings(name: str, expected: bool) -> None:
    assert parsers.CLAIMS["pinlint.parsers.code.lang_jvm"].may_accept(name) is expected


@pytest.mark.parametrize(("name", "expected"), [
    ("cert", True), ("file.", True), (".env", True), ("ca.pem", True), ("Main.kt", False), ("x.tar", False),
])
def test_claim_without_extension_follows_pathlib(name: str, expected: bool) -> None:
    assert parsers.CLAIMS["pinlint.parsers.config.certificates"].may_accept(name) is expected


def test_candidates_for_a_kotlin_file_skip_unrelated_parsers() -> None:
    names = {parser.NAME for parser in parsers.candidates_for("Network.kt")}
    assert names == {"lang_jvm", "gradle"}  # gradle reads buildSrc constants (its accepts looks at the head)


def test_cached_candidates_agree_with_the_claims() -> None:
    """``candidates_for`` remembers its answer per extension; the answer must be the one the claims give."""
    names = [*sorted(_names()), ".xml", ".plist", "x.", ".", "..", "a.b.", ".KT", "K.Kt"]
    for name in names * 2:  # the second round is answered from the cache
        expected = [
            module_name for module_name in parsers.PARSER_MODULES
            if parsers.CLAIMS[module_name].may_accept(name)
        ]
        got = [parsers.load(module_name) for module_name in expected]
        assert parsers.candidates_for(name) == got, name
