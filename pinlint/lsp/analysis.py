"""One open file through the scan ``pinlint check`` runs, with the editor's buffers as an overlay.

The file is scanned as the pre-commit hook scans a staged file: alone, with the files that give it its
project context (a network security config's manifest and Gradle file) parsed as context, under the
policy ``pinlint check`` would find for it, in the precommit profile (reasoned inline suppressions obeyed,
low-confidence findings hidden).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pinlint.config.loader import ConfigError, resolve_policy
from pinlint.discover.walk import Candidate, display_path
from pinlint.model.facts import Note
from pinlint.model.findings import Finding
from pinlint.pipeline import ScanInputs, examine, run
from pinlint.rules import Rule, catalogue

PROFILE = "precommit"

#: One small file per parser and grammar, each with a trigger that sends it through its parser: checking
#: them once, from memory, loads what a first real check needs (lxml, the grammars, the analyses).
WARM_UP_SAMPLES: dict[str, bytes] = {
    "network_security_config.xml": b'<network-security-config><base-config cleartextTrafficPermitted="true"/>'
                                   b"</network-security-config>\n",
    "AndroidManifest.xml": b'<manifest xmlns:android="http://schemas.android.com/apk/res/android">'
                           b'<application android:usesCleartextTraffic="true"/></manifest>\n',
    "build.gradle": b"android { defaultConfig { targetSdkVersion 34 } }\n",
    "Info.plist": b'<?xml version="1.0"?><plist version="1.0"><dict><key>NSAppTransportSecurity</key><dict>'
                  b"<key>NSAllowsArbitraryLoads</key><true/></dict></dict></plist>\n",
    "Warm.kt": b"class T : X509TrustManager { override fun checkServerTrusted(c: Array<X509Certificate>, "
               b"a: String) {} }\n",
    "Warm.java": b"class T { void f() { new OkHttpClient.Builder().hostnameVerifier((h, s) -> true); } }\n",
    "Warm.swift": b"func f(c: URLAuthenticationChallenge) { let t = c.protectionSpace.serverTrust }\n",
    "Warm.m": b"void f(NSURLAuthenticationChallenge *c) { SecTrustRef t = c.protectionSpace.serverTrust; }\n",
    "warm.dart": b"void f(HttpClient c) { c.badCertificateCallback = (cert, host, port) => true; }\n",
    "Warm.cs": b"class T { void F() { ServicePointManager.ServerCertificateValidationCallback = (a, b, c, d) "
               b"=> true; } }\n",
    "warm.ts": b"const agent = new https.Agent({ rejectUnauthorized: false });\n",
    "warm.js": b"const agent = new https.Agent({ rejectUnauthorized: false });\n",
    "warm.py": b"import requests\nrequests.get('https://example.com', verify=False)\n",
}


class PolicyUnusable(Exception):
    """The project's policy file cannot be used; the message says why (as ``pinlint check`` would)."""


@dataclass(frozen=True)
class FileReport:
    """What the scan says about one file."""

    path: Path
    #: Findings in the file that no reasoned suppression covers.
    findings: list[Finding]
    #: Notices placed in the file (unused or reasonless suppressions).
    notices: list[Note]
    rules: dict[str, Rule]
    #: Files read as the file's context: when one of them changes, the file is checked again.
    context: frozenset[Path] = frozenset()
    #: Internal errors of the scan, for the editor's log.
    errors: list[str] = field(default_factory=list)


def analyse(path: Path, root: Path, overlays: Mapping[str, bytes], today: date) -> FileReport:
    """Scan ``path`` (absolute) as part of the project at ``root``, reading the open buffers ``overlays``
    (``pinlint.pipeline.overlay_key`` keys) instead of their files. Raises ``PolicyUnusable``."""
    try:
        policy, notices = resolve_policy([path], profile=PROFILE)
    except ConfigError as error:
        raise PolicyUnusable(str(error)) from None
    result = run(ScanInputs(paths=[path], today=today, policy=policy, profile=PROFILE, relative_to=root,
                            overlays=overlays, jobs=1, notices=notices, hide_low_confidence=True))
    shown = display_path(path, root)
    context_paths = result.facts.attributes.get("context_paths", set())
    return FileReport(
        path=path,
        findings=[f for f in result.findings if f.span.path == shown and f.suppression is None],
        notices=[note for note in result.notices if note.span.path == shown],
        rules=result.rules,
        context=frozenset(root / display for display in context_paths),
        errors=list(result.errors),
    )


def warm_up_steps() -> Iterator[str]:
    """Load the parsers, grammars and checks a first check needs, one sample at a time (yielding its name
    after each), so the first file opened is answered as fast as the next; a caller that has other work
    can stop between steps. Reads nothing from disk (the samples are in memory) and reports nothing."""
    for rule in catalogue().values():
        rule.load_check()
    yield "checks"
    for name, data in WARM_UP_SAMPLES.items():
        examine(Candidate(str(Path("/") / name), name), len(data) + 1, overlay=data)
        yield name


def warm_up() -> None:
    """Every step of ``warm_up_steps`` at once."""
    for _step in warm_up_steps():
        pass
