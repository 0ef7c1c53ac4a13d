"""``pinlint live-check`` end to end, against TLS servers the test starts on 127.0.0.1.

One root CA, two issuing CAs and leaves made with ``cryptography``; an app tree (Android network security
config and iOS NSPinnedDomains) pinning issuing CA One plus a spare key held in reserve. ``--connect-to``
sends each named host to its local server; SNI and the name check still use the name.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pinlint.cli.app import main
from tests.app_tree import NSC_PATH, PLIST_PATH, write_app
from tests.output_samples import VALIDATOR
from tests.pki import Issuer, make_ca, make_leaf, new_key, pem, pin_of, write_chain
from tests.tls_servers import LOCALHOST, RefusingPort, TlsServer

TODAY = date(2026, 1, 15)
GOOD, MOVED, SOON, OTHER, ALONE, DOWN = (f"{name}.example.com" for name in
                                         ("api", "moved", "soon", "other", "alone", "down"))
HOSTS = (GOOD, MOVED, SOON, OTHER, ALONE, DOWN)


@dataclass
class World:
    root: Issuer
    one: Issuer
    two: Issuer
    app: Path
    folder: Path
    ports: dict[str, int]
    servers: dict[str, TlsServer]

    def run(self, *args: str, hosts: tuple[str, ...] = ()) -> Result:
        redirects = [f"--connect-to={host}={LOCALHOST}:{port}" for host, port in self.ports.items()]
        named = [f"--host={host}" for host in hosts]
        return CliRunner().invoke(main, [
            "live-check", str(self.app), "--today", TODAY.isoformat(), "--ca-file", str(self.folder / "root.pem"),
            "--timeout", "5", *redirects, *named, *args])

    def json(self, *args: str, hosts: tuple[str, ...] = ()) -> tuple[int, dict[str, object]]:
        result = self.run("--format", "json", *args, hosts=hosts)
        return result.exit_code, json.loads(result.output)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("live")
    root = make_ca("Test Root CA")
    one, two = make_ca("Issuing CA One", root), make_ca("Issuing CA Two", root)
    (folder / "root.pem").write_bytes(pem(root.certificate))
    pins = [pin_of(one.key), pin_of(new_key())]  # today's issuing CA, and a spare key held in reserve
    app = write_app(folder / "app", {host: pins for host in HOSTS})
    soon = TODAY + timedelta(days=10)
    from datetime import datetime, timezone

    served = {
        GOOD: write_chain(folder, "good", make_leaf(one, GOOD), one.certificate),
        MOVED: write_chain(folder, "moved", make_leaf(two, MOVED, GOOD), two.certificate),
        SOON: write_chain(folder, "soon", make_leaf(one, SOON, not_after=datetime.combine(
            soon, datetime.min.time(), timezone.utc).replace(hour=23)), one.certificate),
        OTHER: write_chain(folder, "other", make_leaf(one, "www.example.org"), one.certificate),
        ALONE: write_chain(folder, "alone", make_leaf(one, ALONE)),
    }
    servers = {host: TlsServer(*files) for host, files in served.items()}
    refusing = RefusingPort()
    ports = {host: server.port for host, server in servers.items()}
    ports[DOWN] = refusing.port
    yield World(root, one, two, app, folder, ports, servers)
    for server in servers.values():
        server.stop()
    refusing.close()


def host_entry(data: dict[str, object], host: str) -> dict[str, object]:
    entries = [entry for entry in data["hosts"] if entry["host"] == host]  # type: ignore[attr-defined]
    assert len(entries) == 1, data
    return entries[0]  # type: ignore[no-any-return]


def platforms_of(entry: dict[str, object]) -> dict[tuple[str, str], bool | None]:
    return {(p["platform"], p["mechanism"]): p["accepted"] for p in entry["platforms"]}  # type: ignore[attr-defined]


def problems_of(data: dict[str, object], host: str) -> list[dict[str, object]]:
    return [p for p in data["summary"]["problems"] if p["host"] == host]  # type: ignore[index]


def test_todays_chain_is_accepted_on_android_and_ios_with_a_ready_backup(world: World) -> None:
    code, data = world.json(hosts=(GOOD,))
    assert code == 0, data
    entry = host_entry(data, GOOD)
    assert entry["error"] is None and entry["address"] == f"{LOCALHOST}:{world.ports[GOOD]}"
    assert [c["subject"] for c in entry["chain"]] == [f"CN={GOOD}", "CN=Issuing CA One"]  # type: ignore[attr-defined]
    assert entry["chain"][1]["spki_sha256"] == pin_of(world.one.key)  # type: ignore[index]
    assert entry["chain_valid"] is True and entry["name_matches"] is True
    assert entry["backup_ready"] is True and entry["drift"] == []
    assert platforms_of(entry) == {("android", "pin-set"): True, ("ios", "NSPinnedCAIdentities (ca identities)"): True}
    sources = {p["platform"]: p["source"] for p in entry["platforms"]}  # type: ignore[attr-defined]
    assert sources["android"].startswith(NSC_PATH + ":") and sources["ios"].startswith(PLIST_PATH + ":")
    assert data["summary"]["problems"] == [] and data["version"] == 1  # type: ignore[index]


def test_moved_to_the_other_issuing_ca_both_platforms_reject_and_the_backup_was_for_another_key(
        world: World) -> None:
    code, data = world.json(hosts=(MOVED,))
    assert code == 1
    entry = host_entry(data, MOVED)
    assert entry["chain_valid"] is True  # the trust store accepts it: only the pins break it
    assert set(platforms_of(entry).values()) == {False}
    rejections = [p for p in problems_of(data, MOVED) if p["kind"] == "platform-rejects"]
    assert {p["platform"] for p in rejections} == {"android", "ios"}
    assert all("the backup was not for that key" in str(p["message"]) for p in rejections)
    text = world.run(hosts=(MOVED,)).output
    assert "android: REJECT" in text and "ios: REJECT" in text and "the backup was not for that key" in text


def test_a_leaf_ten_days_from_expiry_is_reported_inside_the_window(world: World) -> None:
    code, data = world.json(hosts=(SOON,))
    assert code == 1
    entry = host_entry(data, SOON)
    assert entry["leaf_days_left"] == 10
    assert set(platforms_of(entry).values()) == {True}
    assert [p["kind"] for p in problems_of(data, SOON)] == ["leaf-expiring"]
    code, data = world.json("--warn-days", "7", hosts=(SOON,))
    assert code == 0 and problems_of(data, SOON) == []


def test_a_leaf_for_another_name_fails(world: World) -> None:
    code, data = world.json(hosts=(OTHER,))
    assert code == 1
    entry = host_entry(data, OTHER)
    assert entry["name_matches"] is False and entry["chain_valid"] is False
    kinds = [p["kind"] for p in problems_of(data, OTHER)]
    assert "name-mismatch" in kinds and "chain-untrusted" not in kinds
    validation = [p for p in entry["platforms"] if p["mechanism"] == "certificate validation"]  # type: ignore[attr-defined]
    assert {p["platform"] for p in validation} == {"android", "ios"}
    assert all(p["accepted"] is False and "www.example.org" in p["reason"] for p in validation)


def test_a_server_that_sends_the_leaf_alone(world: World) -> None:
    code, data = world.json(hosts=(ALONE,))
    assert code == 1
    entry = host_entry(data, ALONE)
    assert len(entry["chain"]) == 1  # type: ignore[arg-type]
    kinds = [p["kind"] for p in problems_of(data, ALONE)]
    assert "leaf-alone" in kinds


def test_a_refused_host_is_reported_among_hosts_that_answer(world: World) -> None:
    code, data = world.json(hosts=(GOOD, DOWN, SOON))
    assert code == 1  # the expiring leaf, not the refused host
    assert host_entry(data, DOWN)["error"] == "connection refused"
    assert host_entry(data, GOOD)["error"] is None and host_entry(data, SOON)["leaf_days_left"] == 10
    assert data["summary"]["answered"] == 2 and data["summary"]["unreachable"] == 1  # type: ignore[index]
    code, data = world.json(hosts=(GOOD, DOWN))
    assert code == 0  # an unreachable host is info: reported, not failing
    assert world.json("--fail-on", "info", hosts=(GOOD, DOWN))[0] == 1
    text = world.run(hosts=(GOOD, DOWN)).output
    assert f"{DOWN} ({LOCALHOST}:{world.ports[DOWN]}): not checked: connection refused" in text


def test_every_pinned_host_of_the_tree_in_one_run_with_sarif_at_the_pin_sets(world: World, tmp_path: Path) -> None:
    code, data = world.json()
    assert code == 1
    assert sorted(entry["host"] for entry in data["hosts"]) == sorted(HOSTS)  # type: ignore[attr-defined]
    out = tmp_path / "live.sarif"
    result = world.run("--format", "sarif", "--output", str(out))
    assert result.exit_code == 1 and result.output == ""
    sarif = json.loads(out.read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    rejects = [r for r in results if r["ruleId"] == "live/platform-rejects"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in rejects} == {
        NSC_PATH, PLIST_PATH}
    assert all(r["partialFingerprints"]["pinlintLive/v1"] for r in results)
    if VALIDATOR.is_file():
        completed = subprocess.run([sys.executable, str(VALIDATOR), "--strict", str(out)], capture_output=True,
                                   text=True, timeout=600, check=False)
        assert completed.returncode == 0, completed.stdout + completed.stderr
    markdown = world.run("--format", "markdown").output
    assert "| host | platforms |" in markdown and "**android reject**" in markdown
    # the JSON result is an input of the evidence report
    live_json = tmp_path / "app.live.json"
    assert world.run("--format", "json", "--output", str(live_json)).exit_code == 1
    report = CliRunner().invoke(main, ["report", str(live_json), "--format", "markdown",
                                       "--today", TODAY.isoformat()])
    assert report.exit_code in (0, 1), report.output
    assert MOVED in report.output and DOWN in report.output


def test_drift_against_a_recorded_baseline(world: World, tmp_path: Path) -> None:
    baseline = tmp_path / "chains.json"
    code, _data = world.json("--write-baseline", str(baseline), hosts=(GOOD,))
    assert code == 0
    recorded = json.loads(baseline.read_text(encoding="utf-8"))
    assert list(recorded["hosts"]) == [GOOD]
    code, data = world.json("--baseline", str(baseline), hosts=(GOOD,))
    assert code == 0 and host_entry(data, GOOD)["drift"] == []
    # the same name now answered by the server that moved to issuing CA Two
    moved = CliRunner().invoke(main, [
        "live-check", str(world.app), "--today", TODAY.isoformat(), "--ca-file", str(world.folder / "root.pem"),
        f"--connect-to={GOOD}={LOCALHOST}:{world.ports[MOVED]}", f"--host={GOOD}", "--baseline", str(baseline),
        "--format", "json"])
    assert moved.exit_code == 1
    drift = host_entry(json.loads(moved.output), GOOD)["drift"]
    assert any("new intermediate: CN=Issuing CA Two" in change for change in drift)  # type: ignore[attr-defined]
    assert any("intermediate gone: CN=Issuing CA One" in change for change in drift)  # type: ignore[attr-defined]


def test_usage_errors_exit_2(world: World, tmp_path: Path) -> None:
    assert world.run("--connect-to", "no-equals-sign").exit_code == 2
    assert world.run("--host", "*.example.com").exit_code == 2
    junk = tmp_path / "junk.json"
    junk.write_text("{}", encoding="utf-8")
    assert world.run("--baseline", str(junk)).exit_code == 2
    assert CliRunner().invoke(main, ["live-check", str(tmp_path / "missing")]).exit_code == 2


def test_wildcards_need_a_concrete_host(tmp_path: Path) -> None:
    app = write_app(tmp_path / "app", {"*.example.net": [pin_of(new_key()), pin_of(new_key())]})
    result = CliRunner().invoke(main, ["live-check", str(app), "--format", "json", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["hosts"] == [] and "*.example.net" in data["summary"]["needs_host"]


def _run_app(world: World, app: Path, host: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(main, [
        "live-check", str(app), "--today", TODAY.isoformat(), "--ca-file", str(world.folder / "root.pem"),
        f"--connect-to={host}={LOCALHOST}:{world.ports[host]}", "--format", "json"])
    return result.exit_code, json.loads(result.output)


def test_a_set_whose_every_pin_is_in_todays_chain_has_no_backup_whatever_its_count(
        world: World, tmp_path: Path) -> None:
    # issuing CA One and the root: two distinct pins, both in today's verified path
    app = write_app(tmp_path / "app", {GOOD: [pin_of(world.one.key), pin_of(world.root.key)]})
    code, data = _run_app(world, app, GOOD)
    assert code == 1
    entry = host_entry(data, GOOD)
    assert entry["backup_ready"] is False and set(platforms_of(entry).values()) == {True}
    no_backup = [p for p in problems_of(data, GOOD) if p["kind"] == "no-backup"]
    assert {p["platform"] for p in no_backup} == {"android", "ios"}
    assert {str(p["source"]).split(":")[0] for p in no_backup} == {NSC_PATH, PLIST_PATH}


def test_a_pin_set_expiring_inside_the_window(world: World, tmp_path: Path) -> None:
    expires = (TODAY + timedelta(days=20)).isoformat()
    app = write_app(tmp_path / "app", {GOOD: [pin_of(world.one.key), pin_of(new_key())]}, expiration=expires)
    code, data = _run_app(world, app, GOOD)
    assert code == 1
    expiring = [p for p in problems_of(data, GOOD) if p["kind"] == "pin-set-expiring"]
    assert len(expiring) == 1 and expiring[0]["platform"] == "android"  # iOS pin sets have no expiry
    assert str(expiring[0]["source"]).startswith(NSC_PATH + ":") and expires in str(expiring[0]["message"])
