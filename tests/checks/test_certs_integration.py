"""Certificates through real project files: bundled certificates meet the platform parsers.

Each test needs the parser of its platform file; it is skipped when that parser is not part of the build.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pinlint.certs.roots import public_root_pins
from pinlint.parsers.code import lang_apple
from pinlint.parsers.config import android_nsc, plist
from tests.certgen import Chain, der, make_chain, pem
from tests.conftest import FIXTURES, scan_path
from tests.parsers.test_certificates import expected_pin

NSC_ANCHOR = """<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <domain-config>
        <domain includeSubdomains="true">api.example.com</domain>
        <trust-anchors>
            <certificates src="@raw/server_cert"/>
        </trust-anchors>
    </domain-config>
</network-security-config>
"""

SWIFT_BUNDLE = """import Alamofire

let evaluators: [String: ServerTrustEvaluating] = [
    "api.example.com": PinnedCertificatesTrustEvaluator()
]
"""

PLIST_LEAF_PINS = """<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
    <key>NSAppTransportSecurity</key>
    <dict>
        <key>NSPinnedDomains</key>
        <dict>
            <key>api.example.com</key>
            <dict>
                <key>NSPinnedCAIdentities</key>
                <array>
                    <dict><key>SPKI-SHA256-BASE64</key><string>{a}</string></dict>
                    <dict><key>SPKI-SHA256-BASE64</key><string>{b}</string></dict>
                </array>
            </dict>
        </dict>
    </dict>
</dict>
</plist>
"""


def needs(parser: object, name: str, text: str) -> None:
    if not parser.accepts(name, text.encode()):  # type: ignore[attr-defined]
        pytest.skip(f"the parser for {name} is not part of this build")


@pytest.fixture(scope="module")
def chain() -> Chain:
    return make_chain()


def rules_at(tmp_path: Path) -> set[tuple[str, str]]:
    return {(finding.rule_id, finding.span.path) for finding in scan_path(tmp_path).findings}


def test_android_anchor_limited_to_a_bundled_leaf(tmp_path: Path, chain: Chain) -> None:
    needs(android_nsc, "network_security_config.xml", NSC_ANCHOR)
    raw = tmp_path / "app/src/main/res/raw"
    raw.mkdir(parents=True)
    (raw / "server_cert.pem").write_bytes(pem(chain.leaf))
    xml = tmp_path / "app/src/main/res/xml/network_security_config.xml"
    xml.parent.mkdir(parents=True)
    xml.write_text(NSC_ANCHOR)
    nsc_path = "app/src/main/res/xml/network_security_config.xml"
    assert ("PIN102", nsc_path) in rules_at(tmp_path)
    (raw / "server_cert.pem").write_bytes(pem(chain.intermediate))
    assert ("PIN102", nsc_path) not in rules_at(tmp_path)


def test_alamofire_bundle_default_counts_bundled_files(tmp_path: Path, chain: Chain) -> None:
    needs(lang_apple, "Network.swift", SWIFT_BUNDLE)
    app = tmp_path / "ios/App"
    (app / "Certificates").mkdir(parents=True)
    (app / "Network.swift").write_text(SWIFT_BUNDLE)
    (app / "Certificates/api.cer").write_bytes(der(chain.leaf))
    found = rules_at(tmp_path)
    assert ("PIN101", "ios/App/Network.swift") in found and ("PIN102", "ios/App/Network.swift") in found
    (app / "Certificates/ca.cer").write_bytes(der(chain.intermediate))
    found = rules_at(tmp_path)
    assert not {("PIN101", "ios/App/Network.swift"), ("PIN102", "ios/App/Network.swift")} & found


def test_plist_pins_matching_bundled_leaves_are_pin102(tmp_path: Path, chain: Chain) -> None:
    other = chain.new_leaf()
    text = PLIST_LEAF_PINS.format(a=expected_pin(chain.leaf), b=expected_pin(other.leaf))
    needs(plist, "Info.plist", text)
    app = tmp_path / "ios/App"
    app.mkdir(parents=True)
    (app / "Info.plist").write_text(text)
    (app / "leaf.pem").write_bytes(pem(chain.leaf, other.leaf))
    assert ("PIN102", "ios/App/Info.plist") in rules_at(tmp_path)


def test_public_root_fixture_pins_are_in_the_installed_store() -> None:
    """The PIN109 fixtures pin real public roots; they must still be in certifi's Mozilla store."""
    roots = public_root_pins()
    pins = set()
    for path in FIXTURES.glob("PIN109-*/**/*"):
        if path.is_file():
            pins |= set(re.findall(r"[A-Za-z0-9+/]{43}=", path.read_text(encoding="utf-8")))
    in_store = pins & set(roots)
    assert len(in_store) >= 2
