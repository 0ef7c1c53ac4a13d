"""The chain judgement ``chain-check`` and ``live-check`` share: validation before pins, expiry, backups."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from pinlint.certs.chaincheck import ACCEPT, REJECT, judge_chain
from pinlint.certs.x509info import read_certificates
from pinlint.cli.app import main
from pinlint.model.facts import FactStore
from pinlint.pipeline import ScanInputs, run
from tests.app_tree import write_app
from tests.pki import START, Issuer, make_ca, make_leaf, new_key, pem, pin_of

HOST = "api.example.com"
TODAY = date(2026, 1, 15)


@pytest.fixture(scope="module")
def pki() -> tuple[Issuer, Issuer, Issuer]:
    root = make_ca("Test Root CA")
    return root, make_ca("Issuing CA One", root), make_ca("Issuing CA Two", root)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, pki: tuple[Issuer, Issuer, Issuer]) -> Path:
    _root, one, _two = pki
    return write_app(tmp_path_factory.mktemp("app"), {HOST: [pin_of(one.key), pin_of(new_key())]})


def project_facts(folder: Path) -> FactStore:
    """The resolved facts of the app in ``folder``, as ``chain-check`` sees them."""
    return run(ScanInputs(paths=[folder], today=TODAY, relative_to=folder)).facts


def infos(*certificates):  # type: ignore[no-untyped-def]
    return read_certificates(pem(*certificates)).certificates


def test_todays_chain_is_accepted_with_a_ready_backup(app: Path, pki: tuple[Issuer, Issuer, Issuer]) -> None:
    root, one, _two = pki
    leaf = make_leaf(one, HOST)
    judgement = judge_chain(project_facts(app), HOST, infos(leaf.certificate, one.certificate), TODAY,
                            roots=infos(root.certificate))
    assert {result.platform: result.outcome for result in judgement.platforms} == {"android": ACCEPT,
                                                                                   "ios": ACCEPT}
    assert judgement.chain_valid is True and judgement.name_matches is True
    assert judgement.backup_ready is True
    assert judgement.problems == []


def test_moved_to_the_other_issuing_ca_both_reject_and_say_the_backup_was_for_another_key(
        app: Path, pki: tuple[Issuer, Issuer, Issuer]) -> None:
    root, _one, two = pki
    leaf = make_leaf(two, HOST)
    judgement = judge_chain(project_facts(app), HOST, infos(leaf.certificate, two.certificate), TODAY,
                            roots=infos(root.certificate))
    assert judgement.rejected == ["android", "ios"]
    assert judgement.chain_valid is True  # the store trusts it: only the pins break it
    rejections = [p for p in judgement.problems if p.kind == "platform-rejects"]
    assert len(rejections) == 2
    assert all("the backup was not for that key" in p.message for p in rejections)
    assert all(p.span is not None for p in rejections)


def test_chain_check_fails_an_expired_leaf_and_says_why(app: Path, pki: tuple[Issuer, Issuer, Issuer],
                                                        tmp_path: Path) -> None:
    _root, one, _two = pki
    expired = tmp_path / "expired.pem"
    expired.write_bytes(pem(make_leaf(one, HOST, not_after=START + timedelta(days=30)).certificate,
                            one.certificate))
    result = CliRunner().invoke(main, ["chain-check", str(app), "--host", HOST, "--chain", str(expired),
                                       "--today", TODAY.isoformat()])
    assert result.exit_code == 1, result.output
    assert "android: REJECT" in result.output and "ios: REJECT" in result.output
    assert "expired on 2025-01-31" in result.output


def test_chain_check_fails_a_leaf_for_another_name_and_says_why(app: Path, pki: tuple[Issuer, Issuer, Issuer],
                                                                tmp_path: Path) -> None:
    _root, one, _two = pki
    other = tmp_path / "other.pem"
    other.write_bytes(pem(make_leaf(one, "www.example.org").certificate, one.certificate))
    base = ["chain-check", str(app), "--host", HOST, "--chain", str(other), "--today", TODAY.isoformat()]
    result = CliRunner().invoke(main, base)
    assert result.exit_code == 1, result.output
    assert f"the leaf is issued for www.example.org, not {HOST}" in result.output
    result = CliRunner().invoke(main, [*base, "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["accepted"] is False and data["name_matches"] is False
    assert {platform["outcome"] for platform in data["platforms"]} == {REJECT}


def test_chain_check_with_a_trust_store(app: Path, pki: tuple[Issuer, Issuer, Issuer], tmp_path: Path) -> None:
    root, one, _two = pki
    served = tmp_path / "served.pem"
    served.write_bytes(pem(make_leaf(one, HOST).certificate, one.certificate))
    store = tmp_path / "store.pem"
    store.write_bytes(pem(root.certificate))
    stranger = tmp_path / "stranger.pem"
    stranger.write_bytes(pem(make_ca("Some Other Root").certificate))
    base = ["chain-check", str(app), "--host", HOST, "--chain", str(served), "--today", TODAY.isoformat()]
    assert CliRunner().invoke(main, [*base, "--ca-file", str(store)]).exit_code == 0
    result = CliRunner().invoke(main, [*base, "--ca-file", str(stranger)])
    assert result.exit_code == 1 and "not trusted" in result.output, result.output
