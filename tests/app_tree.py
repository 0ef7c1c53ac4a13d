"""A two-platform app tree written from test pins: an Android network security config (with the manifest
that applies it) and an iOS Info.plist with ``NSPinnedDomains`` CA identities, both for the same hosts."""

from __future__ import annotations

import plistlib
from pathlib import Path

NSC_PATH = "android/app/src/main/res/xml/network_security_config.xml"
PLIST_PATH = "ios/App/Info.plist"


def write_app(root: Path, pins: dict[str, list[str]], expiration: str | None = None) -> Path:
    """An app under ``root`` pinning each host to its pins on Android and iOS; returns ``root``."""
    configs = []
    for host, values in pins.items():
        pin_lines = "".join(f'\n            <pin digest="SHA-256">{value}</pin>' for value in values)
        expires = f' expiration="{expiration}"' if expiration else ""
        configs.append(f"""
    <domain-config>
        <domain includeSubdomains="false">{host}</domain>
        <pin-set{expires}>{pin_lines}
        </pin-set>
    </domain-config>""")
    nsc = root / NSC_PATH
    nsc.parent.mkdir(parents=True, exist_ok=True)
    nsc.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<network-security-config>{"".join(configs)}\n'
                   "</network-security-config>\n", encoding="utf-8")
    (root / "android/app/src/main/AndroidManifest.xml").write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="org.example.app">\n'
        '  <application android:networkSecurityConfig="@xml/network_security_config"/>\n</manifest>\n',
        encoding="utf-8")
    plist = root / PLIST_PATH
    plist.parent.mkdir(parents=True, exist_ok=True)
    pinned = {host: {"NSPinnedCAIdentities": [{"SPKI-SHA256-BASE64": value} for value in values]}
              for host, values in pins.items()}
    plist.write_bytes(plistlib.dumps({"CFBundleIdentifier": "org.example.app",
                                      "NSAppTransportSecurity": {"NSPinnedDomains": pinned}}))
    return root
