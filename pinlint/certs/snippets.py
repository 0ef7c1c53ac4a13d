"""Ready-to-paste pin configuration for the pins of some certificates.

The snippets put CA keys first. ``NSPinnedDomains`` gets the CA keys as ``NSPinnedCAIdentities`` and only
falls back to ``NSPinnedLeafIdentities`` when no CA certificate is given, because iOS requires both lists
to match when both are present.
"""

from __future__ import annotations

from pinlint.certs.x509info import CertInfo

BACKUP_NOTE = "add a backup pin: the key of a certificate you have not deployed yet"


def _ordered(certificates: list[CertInfo]) -> list[CertInfo]:
    unique: dict[str, CertInfo] = {}
    for info in sorted(certificates, key=lambda item: not item.is_ca):
        unique.setdefault(info.spki_sha256, info)
    return list(unique.values())


def android_pin_set(certificates: list[CertInfo], host: str) -> str:
    lines = ['<domain-config>', f'    <domain includeSubdomains="true">{host}</domain>',
             '    <pin-set expiration="YYYY-MM-DD">']
    for info in _ordered(certificates):
        lines.append(f"        <!-- {info.role}: {_comment(info.subject)} -->")
        lines.append(f'        <pin digest="SHA-256">{info.spki_sha256}</pin>')
    if len(_ordered(certificates)) < 2:
        lines.append(f"        <!-- {BACKUP_NOTE} -->")
    lines += ["    </pin-set>", "</domain-config>"]
    return "\n".join(lines)


def _comment(text: str) -> str:
    return text.replace("--", "- -")


def _plist_identities(key: str, infos: list[CertInfo]) -> list[str]:
    lines = [f"        <key>{key}</key>", "        <array>"]
    for info in infos:
        lines += ["            <dict>", "                <key>SPKI-SHA256-BASE64</key>",
                  f"                <string>{info.spki_sha256}</string>", "            </dict>"]
    return [*lines, "        </array>"]


def ns_pinned_domains(certificates: list[CertInfo], host: str) -> str:
    ordered = _ordered(certificates)
    ca = [info for info in ordered if info.is_ca]
    leaf = [info for info in ordered if not info.is_ca]
    lines = ["<key>NSPinnedDomains</key>", "<dict>", f"    <key>{host}</key>", "    <dict>",
             "        <key>NSIncludesSubdomains</key>", "        <true/>"]
    if ca:
        # Both lists present means both must match: a leaf list next to CA keys breaks at every renewal.
        lines += _plist_identities("NSPinnedCAIdentities", ca)
    else:
        lines += _plist_identities("NSPinnedLeafIdentities", leaf)
    lines += ["    </dict>", "</dict>"]
    return "\n".join(lines)


def trustkit(certificates: list[CertInfo], host: str) -> str:
    pins = "".join(f'\n                "{info.spki_sha256}",' for info in _ordered(certificates))
    return (
        "let trustKitConfig: [String: Any] = [\n"
        "    kTSKSwizzleNetworkDelegates: false,\n"
        "    kTSKPinnedDomains: [\n"
        f'        "{host}": [\n'
        "            kTSKIncludeSubdomains: true,\n"
        "            kTSKEnforcePinning: true,\n"
        f"            kTSKPublicKeyHashes: [{pins}\n            ],\n"
        "        ],\n"
        "    ],\n"
        "]"
    )


def okhttp(certificates: list[CertInfo], host: str) -> str:
    pins = "".join(f'\n        "sha256/{info.spki_sha256}",' for info in _ordered(certificates))
    return (f"val certificatePinner = CertificatePinner.Builder()\n    .add(\n        \"{host}\",{pins}\n"
            f"    )\n    .build()")


def all_snippets(certificates: list[CertInfo], host: str) -> dict[str, str]:
    return {
        "android-network-security-config": android_pin_set(certificates, host),
        "ios-ns-pinned-domains": ns_pinned_domains(certificates, host),
        "trustkit": trustkit(certificates, host),
        "okhttp": okhttp(certificates, host),
    }
