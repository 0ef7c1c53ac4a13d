"""The inventory says "expired" for an expired pin set, in every format, and explains ``(unknown)`` roles."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from pinlint.cli.app import main
from pinlint.render.inventory import UNKNOWN_ROLE_NOTE
from tests.conftest import ROOT

EXPIRED_NSC = ROOT / "fixtures" / "PIN103-expired-pin-set-nsc"


def inventory(*args: str) -> str:
    result = CliRunner().invoke(main, ["inventory", "--today", "2026-01-15", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_expired_set_is_expired_in_every_format() -> None:
    text = inventory(str(EXPIRED_NSC))
    assert "expired (not enforced), backup: yes, expires 2025-12-31" in text
    hosts = json.loads(inventory(str(EXPIRED_NSC), "--format", "json"))["hosts"]
    expired = [host for host in hosts if host["expiration"] == "2025-12-31"]
    assert expired and all(host["expired"] and host["status"].startswith("expired") for host in expired)
    assert all(not host["expired"] for host in hosts if not host["expiration"])
    rows = list(csv.DictReader(io.StringIO(inventory(str(EXPIRED_NSC), "--format", "csv"))))
    assert {row["status"] for row in rows if row["expiration"] == "2025-12-31"} == {"expired (not enforced)"}
    assert "| 2025-12-31 | expired (not enforced) |" in inventory(str(EXPIRED_NSC), "--format", "markdown")
    # a day before expiry the same set is enforced
    before = CliRunner().invoke(main, ["inventory", "--today", "2025-12-30", str(EXPIRED_NSC)]).stdout
    assert "enforced, backup: yes, expires 2025-12-31" in before and "expired" not in before


def test_expired_report_only_set(tmp_path: Path) -> None:
    plist = tmp_path / "ios" / "Info.plist"
    plist.parent.mkdir(parents=True)
    pins = "".join(f"<string>{c * 43}=</string>" for c in "AB")
    plist.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>TSKConfiguration</key><dict>'
        "<key>TSKPinnedDomains</key><dict><key>api.example.com</key><dict>"
        "<key>TSKEnforcePinning</key><false/><key>TSKExpirationDate</key><string>2025-06-01</string>"
        f"<key>TSKPublicKeyHashes</key><array>{pins}</array></dict></dict></dict></dict></plist>")
    text = inventory(str(tmp_path))
    assert "expired (report-only)" in text


def test_unknown_roles_are_explained_once() -> None:
    text = inventory(str(EXPIRED_NSC))
    assert "(unknown)" in text
    assert text.count(UNKNOWN_ROLE_NOTE) == 1
    assert text.rstrip().endswith(UNKNOWN_ROLE_NOTE)
    assert UNKNOWN_ROLE_NOTE in inventory(str(EXPIRED_NSC), "--format", "markdown")
    assert json.loads(inventory(str(EXPIRED_NSC), "--format", "json"))["notes"] == [UNKNOWN_ROLE_NOTE]


def test_no_note_when_every_role_is_known(tmp_path: Path) -> None:
    from tests.certgen import make_chain, pem
    from tests.pki import pin_of

    chain = make_chain()
    raw = tmp_path / "app" / "src" / "main" / "res" / "raw"
    raw.mkdir(parents=True)
    (raw / "chain.pem").write_bytes(pem(chain.leaf, chain.intermediate))
    xml = tmp_path / "app" / "src" / "main" / "res" / "xml"
    xml.mkdir()
    (xml / "network_security_config.xml").write_text(
        '<network-security-config><domain-config><domain>api.example.com</domain><pin-set>'
        f'<pin digest="SHA-256">{pin_of(chain.leaf_key)}</pin><pin digest="SHA-256">{pin_of(chain.intermediate_key)}'
        "</pin></pin-set></domain-config></network-security-config>")
    text = inventory(str(tmp_path))
    assert "(leaf" in text and "(intermediate" in text
    assert "(unknown)" not in text
    assert json.loads(inventory(str(tmp_path), "--format", "json"))["notes"] == []
