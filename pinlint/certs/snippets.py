"""Ready-to-paste pin configuration for the pins of some certificates.

The snippets put CA keys first. ``NSPinnedDomains`` gets the CA keys as ``NSPinnedCAIdentities`` and only
falls back to ``NSPinnedLeafIdentities`` when no CA certificate is given, because iOS requires both lists
to match when both are present.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pinlint.certs.keyfiles import Pinnable

#: How far ahead the Android snippet's placeholder expiration lies.
PLACEHOLDER_EXPIRY = timedelta(days=365)

BACKUP_NOTE = "add a backup pin: the key of a certificate you have not deployed yet"


def _ordered(certificates: list[Pinnable]) -> list[Pinnable]:
    unique: dict[str, Pinnable] = {}
    for info in sorted(certificates, key=lambda item: not item.is_ca):
        unique.setdefault(info.spki_sha256, info)
    return list(unique.values())


def placeholder_expiration(today: date) -> date:
    """A real date a year after ``today``: the snippet is valid as pasted, and says the date is a placeholder."""
    return today + PLACEHOLDER_EXPIRY


def android_pin_set(certificates: list[Pinnable], host: str, today: date) -> str:
    expiration = placeholder_expiration(today).isoformat()
    lines = ['<domain-config>', f'    <domain includeSubdomains="true">{host}</domain>',
             f"    <!-- {expiration} is a placeholder: set the date after which these pins may be stale "
             "(pinning stops then; ship new pins before it) -->",
             f'    <pin-set expiration="{expiration}">']
    for info in _ordered(certificates):
        lines.append(f"        <!-- {info.role}: {_comment(info.subject)} -->")
        lines.append(f'        <pin digest="SHA-256">{info.spki_sha256}</pin>')
    if len(_ordered(certificates)) < 2:
        lines.append(f"        <!-- {BACKUP_NOTE} -->")
    lines += ["    </pin-set>", "</domain-config>"]
    return "\n".join(lines)


def _comment(text: str) -> str:
    return text.replace("--", "- -")


def _plist_identities(key: str, infos: list[Pinnable]) -> list[str]:
    lines = [f"        <key>{key}</key>", "        <array>"]
    for info in infos:
        lines += ["            <dict>", "                <key>SPKI-SHA256-BASE64</key>",
                  f"                <string>{info.spki_sha256}</string>", "            </dict>"]
    return [*lines, "        </array>"]


def ns_pinned_domains(certificates: list[Pinnable], host: str) -> str:
    ordered = _ordered(certificates)
    ca = [info for info in ordered if info.is_ca]
    leaf = [info for info in ordered if not info.is_ca]
    if ca:
        # a bare key (or CSR) next to CA certificates is the backup for them: it joins the CA list
        ca += [info for info in leaf if not hasattr(info, "certificate")]
    lines = ["<key>NSPinnedDomains</key>", "<dict>", f"    <key>{host}</key>", "    <dict>",
             "        <key>NSIncludesSubdomains</key>", "        <true/>"]
    if ca:
        # Both lists present means both must match: a leaf list next to CA keys breaks at every renewal.
        lines += _plist_identities("NSPinnedCAIdentities", ca)
    else:
        lines += _plist_identities("NSPinnedLeafIdentities", leaf)
    lines += ["    </dict>", "</dict>"]
    return "\n".join(lines)


def trustkit(certificates: list[Pinnable], host: str) -> str:
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


def okhttp(certificates: list[Pinnable], host: str) -> str:
    pins = "".join(f'\n        "sha256/{info.spki_sha256}",' for info in _ordered(certificates))
    return (f"val certificatePinner = CertificatePinner.Builder()\n    .add(\n        \"{host}\",{pins}\n"
            f"    )\n    .build()")


def all_snippets(certificates: list[Pinnable], host: str, today: date) -> dict[str, str]:
    return {
        "android-network-security-config": android_pin_set(certificates, host, today),
        "ios-ns-pinned-domains": ns_pinned_domains(certificates, host),
        "trustkit": trustkit(certificates, host),
        "okhttp": okhttp(certificates, host),
    }
