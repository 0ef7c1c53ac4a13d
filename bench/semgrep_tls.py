"""The transport-security rules of the public semgrep rule set that ``bench/trees.py`` gives semgrep.

The rule set is not part of this project: pass a checkout of it. These are its rules on what pinlint
checks (trust managers and hostname verifiers that accept anything, disabled certificate validation,
weak TLS versions, cleartext HTTP and WebSocket URLs, unencrypted sockets), in the languages of mobile apps
and their back ends: the whole insecure-transport pack, and the TLS rules of the language folders.
"""

from __future__ import annotations

from pathlib import Path

PATTERNS = (
    "problem-based-packs/insecure-transport/**/*.yaml",
    "java/lang/security/audit/crypto/ssl/*.yaml",
    "java/lang/security/audit/weak-ssl-context.yaml",
    "java/lang/security/audit/crypto/unencrypted-socket.yaml",
    "java/android/best-practice/manifest-security-features.yaml",
    "kotlin/lang/security/unencrypted-socket.yaml",
    "javascript/lang/security/detect-insecure-websocket.yaml",
    "typescript/react/security/react-insecure-request.yaml",
    "csharp/lang/correctness/sslcertificatetrust/*.yaml",
    "python/requests/security/disabled-cert-validation.yaml",
    "python/lang/security/audit/insecure-transport/**/*.yaml",
    "python/lang/security/audit/network/disabled-cert-validation.yaml",
    "python/lang/security/audit/weak-ssl-version.yaml",
    "python/lang/security/unverified-ssl-context.yaml",
    "python/lang/security/audit/ssl-wrap-socket-is-deprecated.yaml",
)


def rule_files(checkout: Path) -> list[Path]:
    """The rule files of ``checkout`` that match ``PATTERNS`` (test inputs left out), sorted."""
    found: set[Path] = set()
    for pattern in PATTERNS:
        found.update(path for path in checkout.glob(pattern) if not path.name.endswith(".test.yaml"))
    return sorted(found)


def rule_count(files: list[Path]) -> int:
    """The rules in ``files`` (one ``- id:`` line each)."""
    return sum(line.lstrip().startswith("- id:") for path in files for line in path.read_text("utf-8").splitlines())
