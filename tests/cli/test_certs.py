"""``pinlint pins``, ``pinlint chain-check`` (the rotation rehearsal) and ``pinlint inventory``."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from pinlint import pipeline
from pinlint.certs.chaincheck import ACCEPT, REJECT, UNKNOWN, check_chain
from pinlint.certs.inventory import build_inventory
from pinlint.certs.x509info import read_certificates
from pinlint.cli.app import main
from pinlint.model.facts import FactStore, Pin, PinSet, PlatformPresence, Span
from pinlint.parsers.config import android_nsc
from pinlint.resolve import certificates as certificate_resolver
from tests.certgen import Chain, der, make_chain, pem
from tests.checks.test_certs import anchors, certificate_facts, pin_set
from tests.parsers.test_certificates import expected_pin

TODAY = date(2026, 1, 15)


def infos(*certificates):  # type: ignore[no-untyped-def]
    return read_certificates(pem(*certificates)).certificates


@pytest.fixture(scope="module")
def chain() -> Chain:
    return make_chain()


def store_of(*facts: object) -> FactStore:
    store = FactStore()
    store.extend(facts)
    certificate_resolver.resolve(store)
    return store


def scanned_as(store: FactStore) -> object:
    """A stand-in for ``pipeline.run`` whose scan found exactly ``store``."""
    return lambda _inputs: pipeline.ScanResult(findings=[], rules={}, errors=[], files_scanned=0, skipped=[],
                                               facts=store)


def outcomes(store: FactStore, served: list[object]) -> dict[str, str]:
    results = check_chain(store, "api.example.com", served, TODAY)
    return {result.platform: result.outcome for result in results}


def test_rotated_leaf_under_pinned_intermediate_is_accepted(chain: Chain) -> None:
    rotated = chain.new_leaf()
    android = pin_set([expected_pin(chain.intermediate), expected_pin(chain.root)])
    ios = pin_set([expected_pin(chain.intermediate), expected_pin(chain.root)], "ns-pinned-domains", "ios",
                  "ca", "ios/App/Info.plist")
    store = store_of(android, ios)
    assert outcomes(store, infos(rotated.leaf, rotated.intermediate)) == {"android": ACCEPT, "ios": ACCEPT}


def test_rotated_leaf_with_only_old_leaf_keys_pinned_is_rejected(chain: Chain) -> None:
    rotated = chain.new_leaf()
    old_leaves = pin_set([expected_pin(chain.leaf), expected_pin(chain.new_leaf().leaf)], "okhttp", "android",
                         hosts=("*.example.com",))
    store = store_of(old_leaves)
    assert outcomes(store, infos(rotated.leaf, rotated.intermediate)) == {"android": REJECT}
    assert outcomes(store, infos(chain.leaf, chain.intermediate)) == {"android": ACCEPT}


def test_ios_ca_and_leaf_lists_must_both_match(chain: Chain) -> None:
    rotated = chain.new_leaf()
    ca = pin_set([expected_pin(chain.intermediate), expected_pin(chain.root)], "ns-pinned-domains", "ios",
                 "ca", "ios/App/Info.plist")
    leaf = pin_set([expected_pin(chain.leaf)], "ns-pinned-domains", "ios", "leaf", "ios/App/Info.plist")
    store = store_of(ca, leaf)
    assert outcomes(store, infos(chain.leaf, chain.intermediate)) == {"ios": ACCEPT}
    assert outcomes(store, infos(rotated.leaf, rotated.intermediate)) == {"ios": REJECT}
    # A leaf key listed as a CA identity does not count: NSPinnedCAIdentities looks at CA certificates only.
    wrong = pin_set([expected_pin(chain.leaf), expected_pin(rotated.leaf)], "ns-pinned-domains", "ios", "ca",
                    "ios/App/Info.plist")
    assert outcomes(store_of(wrong), infos(chain.leaf, chain.intermediate)) == {"ios": REJECT}


def test_expired_or_report_only_pinning_accepts(chain: Chain) -> None:
    other = make_chain()
    pins = [expected_pin(other.intermediate), expected_pin(other.root)]
    expired = pin_set(pins, expiration=date(2026, 1, 15))
    assert outcomes(store_of(expired), infos(chain.leaf, chain.intermediate)) == {"android": ACCEPT}
    live = pin_set(pins, expiration=date(2026, 1, 16))
    assert outcomes(store_of(live), infos(chain.leaf, chain.intermediate)) == {"android": REJECT}
    report_only = pin_set(pins, "trustkit", "ios", path="ios/App/Info.plist", enforced=False)
    assert outcomes(store_of(report_only), infos(chain.leaf)) == {"ios": ACCEPT}


def test_most_specific_android_domain_wins(chain: Chain) -> None:
    other = make_chain()
    parent = pin_set([expected_pin(chain.intermediate), expected_pin(chain.root)], hosts=("example.com",),
                     include_subdomains=True)
    child = pin_set([expected_pin(other.intermediate), expected_pin(other.root)], hosts=("api.example.com",))
    store = store_of(parent, child)
    assert outcomes(store, infos(chain.leaf, chain.intermediate)) == {"android": REJECT}
    assert outcomes(store, infos(other.leaf, other.intermediate)) == {"android": ACCEPT}


def test_unresolved_pins_are_unknown_not_rejected(chain: Chain) -> None:
    built = PinSet("okhttp", "android", ("api.example.com",),
                   (Pin("${PIN}", "sha256", Span("Api.kt", 3), unresolved=True),), Span("Api.kt", 2))
    assert outcomes(store_of(built), infos(chain.leaf)) == {"android": UNKNOWN}


def test_bundled_anchor_certificate(chain: Chain) -> None:
    ca = certificate_facts("app/src/main/res/raw/company_ca.pem", pem(chain.root))
    store = store_of(*ca, anchors("@raw/company_ca"), PlatformPresence("ios", Span("ios/App/Info.plist")))
    assert outcomes(store, infos(chain.leaf, chain.intermediate)) == {"android": ACCEPT, "ios": ACCEPT}
    other = make_chain()
    served = infos(other.leaf, other.intermediate)
    # Same issuer name, different key: only the signature (checked from the fact, no file read) tells them apart.
    verdicts = {r.platform: r.outcome for r in check_chain(store, "api.example.com", served, TODAY)}
    assert verdicts["android"] == REJECT
    served = infos(chain.new_leaf().leaf, chain.intermediate)
    verdicts = {r.platform: r.outcome for r in check_chain(store, "api.example.com", served, TODAY)}
    assert verdicts["android"] == ACCEPT


def test_chain_check_cli_exit_codes(tmp_path: Path, chain: Chain, monkeypatch: pytest.MonkeyPatch) -> None:
    pinned = pin_set([expected_pin(chain.intermediate), expected_pin(chain.root)])
    monkeypatch.setattr(pipeline, "run", scanned_as(store_of(pinned)))
    good = tmp_path / "good.pem"
    good.write_bytes(pem(chain.new_leaf().leaf, chain.intermediate))
    bad = tmp_path / "bad.pem"
    other = make_chain()
    bad.write_bytes(pem(other.leaf, other.intermediate))
    runner = CliRunner()
    base = ["chain-check", str(tmp_path), "--host", "api.example.com", "--today", "2026-01-15"]
    result = runner.invoke(main, [*base, "--chain", str(good)])
    assert result.exit_code == 0, result.output
    assert "android: ACCEPT" in result.output
    result = runner.invoke(main, [*base, "--chain", str(bad)])
    assert result.exit_code == 1 and "REJECTED on android" in result.output
    result = runner.invoke(main, [*base, "--chain", str(bad), "--format", "json"])
    assert result.exit_code == 1 and json.loads(result.output)["accepted"] is False
    (tmp_path / "junk.pem").write_text("not a certificate")
    result = runner.invoke(main, [*base, "--chain", str(tmp_path / "junk.pem")])
    assert result.exit_code == 2
    result = runner.invoke(main, ["chain-check", str(tmp_path), "--chain", str(good)])
    assert result.exit_code == 2  # --host is required


NSC = """<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <domain-config>
        <domain includeSubdomains="true">example.com</domain>
        <pin-set>
            <pin digest="SHA-256">{a}</pin>
            <pin digest="SHA-256">{b}</pin>
        </pin-set>
    </domain-config>
</network-security-config>
"""


def test_chain_check_on_a_real_network_security_config(tmp_path: Path, chain: Chain) -> None:
    if not android_nsc.accepts("network_security_config.xml", NSC.encode()):
        pytest.skip("the Android network security config parser is not part of this build")
    xml = tmp_path / "app/src/main/res/xml/network_security_config.xml"
    xml.parent.mkdir(parents=True)
    xml.write_text(NSC.format(a=expected_pin(chain.intermediate), b=expected_pin(chain.root)))
    manifest = tmp_path / "app/src/main/AndroidManifest.xml"
    manifest.write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="x">'
        '<application android:networkSecurityConfig="@xml/network_security_config"/></manifest>')
    rotated = tmp_path / "rotated.pem"
    rotated.write_bytes(pem(chain.new_leaf().leaf, chain.intermediate))
    stale = tmp_path / "stale.pem"
    other = make_chain()
    stale.write_bytes(pem(other.leaf, other.intermediate))
    base = ["chain-check", str(tmp_path / "app"), "--host", "api.example.com", "--today", "2026-01-15"]
    assert CliRunner().invoke(main, [*base, "--chain", str(rotated)]).exit_code == 0
    assert CliRunner().invoke(main, [*base, "--chain", str(stale)]).exit_code == 1


def test_pins_command(tmp_path: Path, chain: Chain) -> None:
    chain_file = tmp_path / "chain.pem"
    chain_file.write_bytes(b"leaf first\n" + pem(chain.leaf, chain.intermediate, chain.root))
    leaf_file = tmp_path / "leaf.cer"
    leaf_file.write_bytes(der(chain.leaf))
    result = CliRunner().invoke(main, ["pins", str(chain_file), str(leaf_file), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [item["role"] for item in data["certificates"]] == ["leaf", "intermediate", "root", "leaf"]
    assert data["certificates"][0]["spki_sha256"] == expected_pin(chain.leaf)
    assert data["certificates"][0]["line"] == 2
    assert f"sha256/{expected_pin(chain.intermediate)}" in data["snippets"]["okhttp"]
    assert expected_pin(chain.root) in data["snippets"]["android-network-security-config"]
    plist = data["snippets"]["ios-ns-pinned-domains"]
    assert "NSPinnedCAIdentities" in plist and "NSPinnedLeafIdentities" not in plist
    text = CliRunner().invoke(main, ["pins", str(leaf_file), "--host", "records.example.org"])
    assert text.exit_code == 0
    assert "CN=api.example.com" in text.output and "records.example.org" in text.output
    assert "backup" in text.output


BROKEN = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"


@pytest.mark.parametrize("content", [b"", b"hello", BROKEN])
def test_pins_command_bad_input_exits_2_with_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.pem"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["pins", str(path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("pinlint: ")
    assert CliRunner().invoke(main, ["pins", str(tmp_path / "missing.pem")]).exit_code == 2


def test_inventory_lists_pins_with_roles(tmp_path: Path, chain: Chain,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    tree = certificate_facts("certs/chain.pem", pem(chain.leaf, chain.intermediate))
    android = pin_set([expected_pin(chain.intermediate), expected_pin(chain.leaf)], include_subdomains=True)
    ios = pin_set([expected_pin(chain.leaf)], "ns-pinned-domains", "ios", "leaf", "ios/App/Info.plist",
                  hosts=("=cmd|' /C calc'!A0",))
    store = store_of(*tree, android, ios)
    entries = build_inventory(store, TODAY)
    by_platform = {entry.platform: entry for entry in entries}
    assert [pin.role for pin in by_platform["android"].pins] == ["intermediate", "leaf"]
    assert by_platform["android"].pins[0].subject == "CN=Test Intermediate CA"
    assert by_platform["android"].backup == "yes" and by_platform["ios"].backup == "missing"
    monkeypatch.setattr(pipeline, "run", scanned_as(store))
    runner = CliRunner()
    for output_format in ("text", "json", "markdown", "csv"):
        result = runner.invoke(main, ["inventory", str(tmp_path), "--format", output_format])
        assert result.exit_code == 0, result.output
        assert expected_pin(chain.intermediate) in result.output
    output = runner.invoke(main, ["inventory", str(tmp_path), "--format", "csv"]).output
    rows = list(csv.DictReader(io.StringIO(output)))
    assert {row["role"] for row in rows} == {"intermediate", "leaf"}
    assert all(not row["host"].startswith("=") for row in rows)
    data = json.loads(runner.invoke(main, ["inventory", str(tmp_path), "--format", "json"]).output)
    assert {entry["platform"] for entry in data["hosts"]} == {"android", "ios"}


SDK_NSC = """<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
  <domain-config>
    <domain includeSubdomains="true">{host}</domain>
    <pin-set>
      <pin digest="SHA-256">7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=</pin>
      <pin digest="SHA-256">fwza0LRMXouZHRC8Ei+4PyuldPDcf3UKgO/04cDM1oE=</pin>
    </pin-set>
  </domain-config>
</network-security-config>
"""


def _project(root: Path) -> Path:
    """An app with its own pinning and a vendored SDK with another, and a policy excluding the vendor."""
    (root / "app/src/main/res/xml").mkdir(parents=True)
    (root / "app/src/main/res/xml/network_security_config.xml").write_text(SDK_NSC.format(host="api.example.com"))
    (root / "vendor/sdk/res/xml").mkdir(parents=True)
    (root / "vendor/sdk/res/xml/network_security_config.xml").write_text(SDK_NSC.format(host="tracker.vendor.example"))
    (root / ".pinlint.yaml").write_text("exclude:\n  - vendor/\n")
    return root


def test_inventory_obeys_the_policy_excludes_like_check(tmp_path: Path) -> None:
    root = _project(tmp_path)
    runner = CliRunner()
    shown = runner.invoke(main, ["inventory", str(root), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert {entry["host"] for entry in json.loads(shown.output)["hosts"]} == {"api.example.com"}
    everything = runner.invoke(main, ["inventory", str(root), "--format", "json", "--no-config"])
    hosts = {entry["host"] for entry in json.loads(everything.output)["hosts"]}
    assert hosts == {"api.example.com", "tracker.vendor.example"}
    # the audit profile obeys no policy file inside the audited tree, exactly as check does
    audited = runner.invoke(main, ["inventory", str(root), "--format", "json", "--profile", "audit"])
    assert {entry["host"] for entry in json.loads(audited.output)["hosts"]} == hosts


def test_inventory_and_chain_check_take_several_paths_and_a_policy_file(tmp_path: Path, chain: Chain) -> None:
    root = _project(tmp_path / "project")
    policy = tmp_path / "policy.yaml"
    policy.write_text("exclude:\n  - sdk/\n")
    runner = CliRunner()
    shown = runner.invoke(main, ["inventory", str(root / "app"), str(root / "vendor"), "--format", "json",
                                 "--config", str(policy)])
    assert shown.exit_code == 0, shown.output
    assert {entry["host"] for entry in json.loads(shown.output)["hosts"]} == {"api.example.com"}
    served = tmp_path / "served.pem"
    served.write_bytes(pem(chain.new_leaf("tracker.vendor.example").leaf, chain.intermediate))
    base = ["chain-check", str(root / "app"), str(root / "vendor"), "--chain", str(served), "--today", "2026-01-15",
            "--no-config"]
    vendor = runner.invoke(main, [*base, "--host", "tracker.vendor.example"])
    assert vendor.exit_code == 1 and "REJECTED on android" in vendor.output
    hidden = runner.invoke(main, [*base[:-1], "--config", str(policy), "--host", "tracker.vendor.example"])
    assert hidden.exit_code == 0 and "nothing pins this host" in hidden.output, hidden.output
    both = runner.invoke(main, [*base, "--config", str(policy), "--host", "tracker.vendor.example"])
    assert both.exit_code == 2 and "cannot be used together" in both.output
