"""Fixed inputs for the output and CLI tests: a hand-built ScanResult and a tiny stand-in parser.

The output tests must not depend on the real parsers, so they render a ScanResult built here from real
``Finding``, ``Rule`` and fact objects. The CLI tests plug in ``fake_pins_parser``: a parser for
``*.pins`` files (one ``host pin...`` line per pin set, a line starting with ``!`` is a parse error).
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from types import ModuleType

import pytest

from pinlint import parsers
from pinlint.discover.walk import Skipped
from pinlint.model.facts import FactStore, ParseError, Pin, PinSet, Span
from pinlint.model.findings import Finding, Suppression
from pinlint.model.result import Unreadable
from pinlint.parsers import SourceFile
from pinlint.pipeline import ScanResult
from pinlint.rules import Rule

#: The offline SARIF validator from the shared tools folder, which sits beside the repository clone;
#: ``VALIDATE_SARIF`` names another copy.
VALIDATOR = Path(os.environ.get("VALIDATE_SARIF")
                 or Path(__file__).resolve().parents[1].parent / "shared" / "tools" / "validate-sarif")



def no_validator(reason: str) -> None:
    """Skip a test that needs the SARIF validator, except in CI (``CI`` set), where a missing validator
    is a broken checkout and fails the test: the validator tests must never be skipped silently there."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; in CI the shared tools folder must sit beside the clone")
    pytest.skip(reason)


FAKE_PARSER = "tests.fake_pins_parser"


def make_rule(rule_id: str, slug: str, severity: str, confidence: str = "high", help_uri: str = "") -> Rule:
    return Rule(
        id=rule_id, slug=slug, title=f"Title of {slug}", severity=severity, confidence=confidence,
        cwe=("CWE-295",), masvs=("MASVS-NETWORK-2",), hipaa="", platforms=("android", "ios"),
        check="pinlint.checks.pins:missing_backup_pin",
        what_it_does=f"Explains what {slug} looks for.", why_bad="Because it breaks.",
        example="```xml\n<bad/>\n```", use_instead="```xml\n<good/>\n```",
        references=("CWE-295: Improper Certificate Validation",), help_uri=help_uri,
    )


RULES = {
    "PIN101": make_rule("PIN101", "missing-backup-pin", "high", help_uri="https://example.org/pin101"),
    "TRU301": make_rule("TRU301", "trust-all-certificates", "critical"),
    "CLR201": make_rule("CLR201", "cleartext-allowed", "medium", confidence="medium"),
    "PIN104": make_rule("PIN104", "pin-set-expiring-soon", "low", confidence="low"),
    "CFG901": make_rule("CFG901", "parse-error", "info"),
}

NSC = "app/src/main/res/xml/network_security_config.xml"
PLIST = "ios/My App/Info #1.plist"
UNICODE = "café/ünï.xml"


def sample_result() -> ScanResult:
    """Findings of every severity, odd paths, both kinds of suppression, and scan problems."""
    findings = [
        Finding("PIN101", "network security config for api.example.com has 1 valid pin; add a backup",
                Span(NSC, 5, 9, 5, 70), subject=("android-nsc", "any", "api.example.com"),
                severity="high", confidence="high", related=(Span(NSC, 2, 1),)),
        Finding("TRU301", "TrustManager accepts every certificate", Span("src/Net.kt", 12, 5, 14, 6),
                subject=("trust-all",), severity="critical", confidence="high"),
        Finding("CLR201", "cleartext allowed for 100%, all hosts,\ninjected::line", Span(PLIST, 3, 2),
                subject=("ats",), severity="medium", confidence="medium"),
        Finding("PIN104", "pin set expires in 10 days", Span(UNICODE, 7, 3, 7, 40),
                subject=("expiry",), severity="low", confidence="low"),
        Finding("PIN101", "suppressed inline", Span(NSC, 9, 1), subject=("inline",), severity="high",
                confidence="high", suppression=Suppression("inline", "vendor rotates keys", Span(NSC, 8, 1))),
        Finding("PIN101", "suppressed by baseline", Span(NSC, 11, 1), subject=("baseline",), severity="high",
                confidence="high", suppression=Suppression("baseline", "")),
        Finding("CFG901", "cannot parse: mismatched tag", Span("app/bad.xml", 3, 1),
                subject=("mismatched tag",), severity="info", confidence="high"),
    ]
    facts = FactStore()
    facts.extend([ParseError(Span("app/bad.xml", 3, 1), "mismatched tag")])
    return ScanResult(
        findings=sorted(findings, key=Finding.sort_key),
        rules=dict(RULES),
        errors=["internal error in check PIN105: ValueError('boom')"],
        files_scanned=5,
        skipped=[Skipped("linked", "symbolic link not followed")],
        facts=facts,
        unreadable=[Unreadable("CFG901", Span("app/bad.xml", 3, 1), "mismatched tag")],
    )


def empty_result() -> ScanResult:
    return ScanResult(findings=[], rules=dict(RULES), errors=[], files_scanned=0, skipped=[],
                      facts=FactStore())


def pin_of(seed: str) -> str:
    return base64.b64encode(hashlib.sha256(seed.encode()).digest()).decode()


# ---------------------------------------------------------------- a stand-in parser for CLI tests

def _accepts(name: str, head: bytes) -> bool:
    return name.endswith(".pins")


def _parse(source: SourceFile) -> list[object]:
    facts: list[object] = []
    for number, line in enumerate(source.text().splitlines(), start=1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0].startswith("!"):
            facts.append(ParseError(Span(source.display, number, 1), "bad line"))
            continue
        host, *pins = words
        column = line.index(host) + 1
        facts.append(PinSet(
            origin="test-pins", platform="android", hosts=(host,),
            pins=tuple(Pin(value, "sha256", Span(source.display, number, 1)) for value in pins),
            span=Span(source.display, number, column, number, column + len(host)),
        ))
    return facts


def fake_pins_parser() -> ModuleType:
    module = ModuleType(FAKE_PARSER)
    module.NAME = "test-pins"  # type: ignore[attr-defined]
    module.accepts = _accepts  # type: ignore[attr-defined]
    module.parse = _parse  # type: ignore[attr-defined]
    return module


def use_fake_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make scans use only the stand-in parser."""
    monkeypatch.setattr(parsers, "PARSER_MODULES", (FAKE_PARSER,))
    monkeypatch.setitem(parsers._loaded, FAKE_PARSER, fake_pins_parser())


def make_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scan root (also the working directory) with one pin set that lacks a backup pin, one that has it."""
    use_fake_parser(monkeypatch)
    root = tmp_path / "project"
    root.mkdir()
    (root / "hosts.pins").write_text(
        f"# pins\napi.example.com {pin_of('a')}\nsafe.example.com {pin_of('b')} {pin_of('c')}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return root
