"""``pinlint report``: the sample app's evidence page, the fan-in of several repositories, hostile names,
no reference outside the page, and the Markdown format."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives import serialization

from pinlint.cli.app import main
from pinlint.evidence.load import InputError, kind_of, label_for
from tests.certgen import make_chain, pem
from tests.conftest import FIXTURES

TODAY = "2026-01-15"
SAMPLE = FIXTURES / "sample-app"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def json_of(*args: str) -> dict[str, Any]:
    result = invoke(*args)
    assert result.exit_code in (0, 1), result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


def page_of(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def text_of(path: Path) -> str:
    return " ".join(page_of(path).text_content().split())


def spki_pin(certificate: Any) -> str:
    der = certificate.public_key().public_bytes(serialization.Encoding.DER,
                                                serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode("ascii")


def sample_results(folder: Path, monkeypatch: pytest.MonkeyPatch, label: str = "sample-app") -> list[Path]:
    """The sample app's check and inventory JSON, written as CI would (run from the repository root)."""
    monkeypatch.chdir(SAMPLE)
    check = folder / f"{label}.check.json"
    check.write_text(json.dumps(json_of("check", ".", "--today", TODAY, "--format", "json")))
    inventory = folder / f"{label}.inventory.json"
    inventory.write_text(json.dumps(json_of("inventory", ".", "--today", TODAY, "--format", "json")))
    return [check, inventory]


def partner_repository(root: Path) -> Path:
    """A second app: an Android pin-set on a bundled intermediate CA that expires inside the window."""
    chain = make_chain("portal.partner-clinic.example")
    res = root / "app" / "src" / "main" / "res"
    (res / "xml").mkdir(parents=True)
    (res / "raw").mkdir()
    expiring = make_chain("portal.partner-clinic.example",
                          leaf_not_after=datetime(2026, 6, 30, tzinfo=timezone.utc))
    (res / "raw" / "portal_leaf.pem").write_bytes(pem(expiring.leaf))
    (res / "xml" / "network_security_config.xml").write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <domain-config>
        <domain includeSubdomains="true">portal.partner-clinic.example</domain>
        <pin-set expiration="2026-09-30">
            <pin digest="SHA-256">{spki_pin(expiring.leaf)}</pin>
            <pin digest="SHA-256">{spki_pin(chain.intermediate)}</pin>
        </pin-set>
    </domain-config>
</network-security-config>
""")
    (root / "app" / "src" / "main" / "AndroidManifest.xml").write_text("""<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="example.partner">
    <uses-sdk android:targetSdkVersion="34"/>
    <application android:networkSecurityConfig="@xml/network_security_config"/>
</manifest>
""")
    return root


def live_result(path: Path) -> Path:
    """A live-check result in its JSON version 1 shape, for the sample app's API host."""
    path.write_text(json.dumps({
        "version": 1,
        "hosts": [{
            "host": "api.carecompanion.example", "address": "203.0.113.10:443", "error": None,
            "chain": [
                {"subject": "CN=api.carecompanion.example", "issuer": "CN=CareCompanion Issuing CA",
                 "spki_sha256": "A3v+PN0VLB6Ca2H1QL8LLKq28k0YHSjuFAxmGjDFEYE=", "not_after": "2026-05-20"},
                {"subject": "CN=CareCompanion Issuing CA", "issuer": "CN=CareCompanion Root",
                 "spki_sha256": "dGiyahaOkeH1NVyRC0zrEaSe2pqc76osSaU6cL5A/YA=", "not_after": "2030-01-01"},
            ],
            "chain_valid": True, "name_matches": True, "leaf_days_left": 125, "backup_ready": False,
            "drift": ["intermediate changed: CN=Old Issuing CA -> CN=CareCompanion Issuing CA"],
            "platforms": [
                {"platform": "android", "mechanism": "pin-set", "source": "app/src/main/res/xml/"
                 "network_security_config.xml:12", "accepted": True, "reason": "pin A3v+... matches the leaf"},
                {"platform": "ios", "mechanism": "NSPinnedCAIdentities", "source": "ios/CareCompanion/Info.plist:17",
                 "accepted": False, "reason": "no CA pin matches the presented chain"},
            ],
        }, {
            "host": "labs.partner.example", "address": "", "error": "connection refused", "chain": [],
            "chain_valid": None, "name_matches": None, "leaf_days_left": None, "backup_ready": None,
            "drift": [], "platforms": [],
        }],
        "summary": {"hosts": 2, "rejected": 1, "unreachable": 1},
    }))
    return path


# --- the sample app -------------------------------------------------------------------------------------


def test_sample_app_report_names_every_pinned_host_and_every_rule(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "report.html"
    result = invoke("report", str(SAMPLE), "--today", TODAY, "--output", str(output))
    assert result.exit_code == 0, result.output
    text = text_of(output)
    check = json_of("check", str(SAMPLE), "--today", TODAY, "--format", "json")
    inventory = json_of("inventory", str(SAMPLE), "--today", TODAY, "--format", "json")
    hosts = {entry["host"] for entry in inventory["hosts"]}
    rules = {finding["rule"] for finding in check["findings"]}
    assert hosts >= {"api.carecompanion.example", "labs.partner.example", "uploads.api.carecompanion.example"}
    assert rules >= {"PIN101", "PIN104", "TRU302", "TRU304", "CLR201", "CLR203", "CLR204"}
    for host in hosts:
        assert host in text
    page = page_of(output)
    for rule in rules:
        # every finding links to its rule's documentation, which is in the page
        assert page.xpath(f'//a[@href="#rule-{rule}"]'), rule
        article = page.get_element_by_id(f"rule-{rule}")
        assert "Why is this bad?" in article.text_content()
    # every finding is listed, at its place
    for finding in check["findings"]:
        relative = finding["path"].removeprefix("fixtures/sample-app/")
        assert f"{relative}:{finding['line']}" in text
    assert "Reference date 2026-01-15" in text
    assert "9 open findings" in text
    # the pin set expiring on 2026-03-31 is on the timeline; 2027-01-31 is after the twelve months
    svg = page.xpath("//svg")
    assert svg and "2026-03-31" in svg[0].text_content()
    assert "2027-01-31" not in svg[0].text_content() and "2027-01-31" in text


def test_folder_and_result_files_give_the_same_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder is scanned as 'check' and 'inventory' would: the section equals the one from their JSON."""
    files = sample_results(tmp_path, monkeypatch)
    from_files, from_folder = tmp_path / "files.html", tmp_path / "folder.html"
    assert invoke("report", *map(str, files), "--today", TODAY, "-o", str(from_files)).exit_code == 0
    assert invoke("report", ".", "--today", TODAY, "-o", str(from_folder)).exit_code == 0

    def section(path: Path) -> str:
        return lxml.html.tostring(page_of(path).get_element_by_id("repo-1"), encoding="unicode")

    assert section(from_files) == section(from_folder)


def test_two_repositories_fan_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = tmp_path / "results"
    results.mkdir()
    files = sample_results(results, monkeypatch, "care-companion")
    partner = partner_repository(tmp_path / "partner-portal")
    monkeypatch.chdir(partner)
    (results / "partner-portal").mkdir()
    for kind in ("check", "inventory"):
        document = json_of(kind, ".", "--today", TODAY, "--format", "json")
        path = results / "partner-portal" / f"{kind}.json"  # generic name: the folder names the repository
        path.write_text(json.dumps(document))
        files.append(path)
    files.append(live_result(results / "care-companion.live.json"))
    output = tmp_path / "org.html"
    result = invoke("report", *map(str, files), "--today", TODAY, "--title", "Org view", "-o", str(output))
    assert result.exit_code == 0, result.output
    page = page_of(output)
    overview = page.get_element_by_id("overview")
    labels = [row.xpath("./td")[0].text_content() for row in overview.xpath(".//tbody/tr")]
    assert labels == ["care-companion", "partner-portal"]
    sections = {" ".join(element.xpath("./h2")[0].text_content().split()): element
                for element in page.xpath('//section[@class="repository"]')}
    assert set(sections) == {"Repository care-companion", "Repository partner-portal"}
    care = sections["Repository care-companion"].text_content()
    partner_text = " ".join(sections["Repository partner-portal"].text_content().split())
    assert "TRU304" in care and "TRU304" not in partner_text
    assert "portal.partner-clinic.example" in partner_text
    # the bundled leaf certificate's expiry and the pin set's are on the partner's timeline
    assert "2026-06-30" in partner_text and "2026-09-30" in partner_text
    # the live result: the presented leaf's expiry, the rejection, the drift and the unreachable host
    assert "2026-05-20" in care and "rejects" in care and "intermediate changed" in care
    assert "connection refused" in care
    # every input with its digest
    scope = page.get_element_by_id("scope").text_content()
    for path in files:
        assert hashlib.sha256(path.read_bytes()).hexdigest() in scope
    assert "Org view" in page.findtext(".//title")
    assert page.xpath('//section[@id="summary"]//svg')  # expiries per month across repositories


def test_a_result_file_that_cannot_be_used_is_listed_and_exits_2(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    files = sample_results(tmp_path, monkeypatch)
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    other = tmp_path / "other.json"
    other.write_text('{"rules": []}')
    again = tmp_path / "sample-app.check.rerun.json"
    again.write_bytes(files[0].read_bytes())
    output = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", *map(str, files), str(junk), str(other), str(again),
                                       "--today", TODAY, "-o", str(output)])
    assert result.exit_code == 2
    problems = " ".join(page_of(output).get_element_by_id("problems").text_content().split())
    assert "junk.json: not valid JSON" in problems
    assert "other.json: not a pinlint result" in problems
    assert "a second check result for repository 'sample-app'" in problems
    assert "9 open findings" in text_of(output)  # counted once


def test_labels_and_kinds() -> None:
    assert label_for(Path("results/acme-ios.check.json")) == "acme-ios"
    assert label_for(Path("results/acme-ios/check.json")) == "acme-ios"
    assert label_for(Path("out/acme-android/pinlint.json")) == "acme-android"
    assert kind_of({"version": 1, "findings": []}) == "check"
    assert kind_of({"version": 1, "hosts": []}) == "inventory"
    assert kind_of({"version": 1, "hosts": [], "summary": {}}) == "live-check"
    assert kind_of({"hosts": [{"host": "a", "chain": []}]}) == "live-check"
    with pytest.raises(InputError, match="version 2"):
        kind_of({"version": 2, "findings": []})


# --- hostile names ----------------------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script>&amp;\'"\x1b[31m\x07'


def hostile_tree(root: Path) -> Path:
    """A tree whose names, hosts and reasons are markup: a domain decoded from entities, a hostile file name."""
    xml = root / "app" / "src" / "main" / "res" / "xml"
    xml.mkdir(parents=True)
    (xml / "network_security_config.xml").write_text("""<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <domain-config>
        <domain>&lt;img src=x onerror=alert(1)&gt;.example</domain>
        <pin-set>
            <pin digest="SHA-256">A3v+PN0VLB6Ca2H1QL8LLKq28k0YHSjuFAxmGjDFEYE=</pin>
        </pin-set>
    </domain-config>
</network-security-config>
""")
    code = root / "src" / '<script>alert(1)<\\script> & "q"'
    code.mkdir(parents=True)
    (code / "Api.kt").write_text('val url = "http://evil.example/<b>&</b>"\n'
                                 '// pinlint: ignore[CLR203] </td><script>alert(2)</script> & reason\n'
                                 'val other = "http://legacy.example/x"\n')
    return root


def hostile_results(path: Path) -> Path:
    path.write_text(json.dumps({
        "version": 1,
        "findings": [{"rule": '"><script>alert(3)</script>', "slug": HOSTILE, "severity": "critical",
                      "confidence": "high", "path": HOSTILE, "line": 1, "column": 1, "message": HOSTILE,
                      "fingerprint": HOSTILE, "suppressed": True, "platform": HOSTILE,
                      "suppression": {"kind": HOSTILE, "justification": HOSTILE, "path": HOSTILE, "line": 2}},
                     {"rule": "PIN101", "slug": "missing-backup-pin", "severity": '<i onmouseover="x">',
                      "path": "a", "line": 1, "message": "m", "platform": "android"}],
        "notices": [{"path": HOSTILE, "line": 3, "message": HOSTILE}],
        "errors": [HOSTILE], "skipped": [{"path": HOSTILE, "reason": HOSTILE}],
        "scope": {"today": HOSTILE, "profile": HOSTILE, "policy_file": HOSTILE, "exclude": [HOSTILE]},
        "tool": {"version": HOSTILE},
    }))
    return path


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4", "p", "nav", "ol", "ul",
    "li", "a", "strong", "section", "table", "thead", "tbody", "tr", "th", "td", "span", "div", "br", "svg",
    "line", "text", "circle", "rect", "i", "article", "pre", "code", "footer",
}


def assert_inert(output: Path) -> None:
    page = page_of(output)
    tags = {element.tag for element in page.iter() if isinstance(element.tag, str)}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        for name in element.attrib:
            assert not name.lower().startswith("on"), (element.tag, name)
    raw = output.read_text(encoding="utf-8")
    assert "<script" not in raw.lower()
    assert "\x1b" not in raw and "\x07" not in raw


def test_hostile_names_are_escaped(tmp_path: Path) -> None:
    tree = hostile_tree(tmp_path / "hostile-app")
    results = hostile_results(tmp_path / "evil.check.json")
    output = tmp_path / "report.html"
    result = invoke("report", str(tree), str(results), "--today", TODAY, "--title", HOSTILE, "-o", str(output))
    assert result.exit_code == 0, result.output
    assert_inert(output)
    text = text_of(output)
    # shown as text, not lost
    assert "<img src=x onerror=alert(1)>.example" in text
    assert '<script>alert("x")</script>&amp;\'"\\x1b[31m\\x07' in text
    assert "</td><script>alert(2)</script> & reason" in text  # the suppression's reason, as text
    assert '<script>alert(1)<\\script> & "q"/Api.kt' in text


def test_no_reference_outside_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = sample_results(tmp_path, monkeypatch)
    files.append(live_result(tmp_path / "sample-app.live.json"))
    output = tmp_path / "report.html"
    assert invoke("report", *map(str, files), "--today", TODAY, "-o", str(output)).exit_code == 0
    page = page_of(output)
    references = 0
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local in ("src", "srcset", "poster", "data", "action", "formaction", "background", "manifest"):
                pytest.fail(f"{element.tag} has {name}={value!r}")
            if local == "href":
                references += 1
                assert value.startswith("#"), value
                assert page.get_element_by_id(value[1:]) is not None, value
    assert references > 10
    styles = " ".join(style.text or "" for style in page.iter("style"))
    assert "url(" not in styles and "@import" not in styles
    policy = page.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert not page.xpath("//link | //script | //img | //iframe | //object | //embed | //base | //form")


# --- Markdown ---------------------------------------------------------------------------------------------


def test_markdown_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = sample_results(tmp_path, monkeypatch)
    output = tmp_path / "report.md"
    result = invoke("report", *map(str, files), "--today", TODAY, "--format", "markdown", "-o", str(output))
    assert result.exit_code == 0
    text = output.read_text(encoding="utf-8")
    for heading in ("## Scope", "## Summary", "## Repository sample-app", "### Pin inventory",
                    "### Expiry timeline", "### Findings by severity",
                    "### Accepted risk: suppressions and baselined findings", "## Rule documentation", "## Method"):
        assert f"\n{heading}\n" in text, heading
    for host in ("api.carecompanion.example", "labs.partner.example", "uploads.api.carecompanion.example"):
        assert host in text
    for rule in ("PIN101", "PIN104", "TRU302", "TRU304", "CLR201", "CLR203", "CLR204", "TRU305"):
        assert f"**{rule}**" in text and f"### {rule} " in text
    assert "<svg" not in text
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() in text


def test_markdown_escapes_hostile_names(tmp_path: Path) -> None:
    results = hostile_results(tmp_path / "evil.check.json")
    output = tmp_path / "report.md"
    result = invoke("report", str(results), "--today", TODAY, "--format", "markdown", "-o", str(output))
    assert result.exit_code == 0
    text = output.read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)[<>]", text.split("## Rule documentation")[0])  # every bracket escaped
    assert "\x1b" not in text and "\x07" not in text
    assert "\\<script\\>" in text
    # no table row gains a cell from a '|' in a name
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows if "Accepted by" in row or HOSTILE[:3] in row}
    assert len(widths) <= 2


def test_baselined_and_suppressed_findings_are_the_risk_acceptance_record(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SAMPLE)
    baseline = tmp_path / "baseline.json"
    assert invoke("baseline", ".", "--today", TODAY, "-o", str(baseline)).exit_code == 0
    output = tmp_path / "report.html"
    assert invoke("report", ".", "--today", TODAY, "--baseline", str(baseline), "-o", str(output)).exit_code == 0
    page = page_of(output)
    assert "0 open findings, 9 accepted" in text_of(output)
    section = page.get_element_by_id("repo-1")
    accepted = [row for table in section.xpath(".//table") if "Accepted by" in table.text_content()
                for row in table.xpath(".//tbody/tr")]
    assert len(accepted) == 9
    assert all(row.xpath("./td")[4].text_content() == "baseline" for row in accepted)
    assert {row.xpath("./td")[0].text_content() for row in accepted} >= {"PIN101", "TRU302", "TRU304"}


def test_findings_only_in_test_code_are_counted_and_shown_on_request(tmp_path: Path) -> None:
    tree = tmp_path / "app-with-tests"
    test_code = tree / "app" / "src" / "test" / "java" / "com" / "example"
    test_code.mkdir(parents=True)
    (test_code / "ClientTest.kt").write_text('val url = "http://records.example.org/api"\n')
    output = tmp_path / "report.html"
    assert invoke("report", str(tree), "--today", TODAY, "-o", str(output)).exit_code == 0
    text = text_of(output)
    assert "1 test code file(s) not analysed" in text and "CLR203" not in text
    assert invoke("report", str(tree), "--today", TODAY, "--profile", "audit", "-o", str(output)).exit_code == 0
    audited = text_of(output)
    assert "1 finding(s) only in test code left out" in audited and "not analysed" not in audited
    assert invoke("report", str(tree), "--today", TODAY, "--include-tests", "-o", str(output)).exit_code == 0
    assert "ClientTest.kt" in text_of(output)
