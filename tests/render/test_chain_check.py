"""``chain-check`` output from one judgement: the text a release engineer reads and version 1 of the JSON."""

from __future__ import annotations

import json
from datetime import date

import pytest

from pinlint import __version__
from pinlint.certs.chaincheck import ChainJudgement, judge_chain
from pinlint.certs.x509info import read_certificates
from pinlint.model.facts import FactStore, PlatformPresence, Span
from pinlint.render.chain_check import render_json, render_text
from tests.certgen import Chain, make_chain, pem
from tests.checks.test_certs import pin_set
from tests.parsers.test_certificates import expected_pin

TODAY = date(2026, 1, 15)
NSC = "app/src/main/res/xml/network_security_config.xml"


@pytest.fixture(scope="module")
def chain() -> Chain:
    return make_chain()


def judgement(chain: Chain, host: str = "api.example.com", served: Chain | None = None) -> ChainJudgement:
    store = FactStore()
    store.extend([pin_set([expected_pin(chain.intermediate), expected_pin(chain.root)]),
                  PlatformPresence("ios", Span("ios/App/Info.plist"))])
    presented = served or chain
    certificates = read_certificates(pem(presented.leaf, presented.intermediate)).certificates
    return judge_chain(store, host, certificates, TODAY)


def test_an_accepted_chain_in_text(chain: Chain) -> None:
    leaf_pin = read_certificates(pem(chain.leaf)).certificates[0].spki_sha256
    assert render_text(judgement(chain)).splitlines() == [
        f"chain for api.example.com: 2 certificate(s), leaf CN=api.example.com (pin {leaf_pin})",
        "android: ACCEPT",
        f"  accept: android-nsc at {NSC}:3: pin {expected_pin(chain.intermediate)} matches the intermediate "
        "CN=Test Intermediate CA",
        "ios: ACCEPT",
        "  no pinning covers api.example.com: the system trust store decides",
        f"backup: android android-nsc at {NSC}:3: 1 pin(s) in this chain, 1 held in reserve",
        "result: accepted on every platform",
    ]


def test_a_rejected_chain_names_the_platform_and_the_keys(chain: Chain) -> None:
    lines = render_text(judgement(chain, served=make_chain())).splitlines()
    assert lines[1:3] == ["android: REJECT",
                          f"  reject: android-nsc at {NSC}:3: no chain key in the chain is among the 2 pin(s)"]
    assert lines[-1] == "result: REJECTED on android: deploying this chain is an outage there"


def test_a_leaf_for_another_name_blocks_the_chain_everywhere(chain: Chain) -> None:
    text = render_text(judgement(chain, host="other.example.com"))
    assert "error: the leaf is issued for api.example.com, not other.example.com\n" in text
    assert text.endswith("result: REJECTED on ios: deploying this chain is an outage there\n")


def test_json_is_version_1_and_says_what_the_text_says(chain: Chain) -> None:
    rejected = judgement(chain, served=make_chain())
    document = json.loads(render_json(rejected, "new-chain.pem"))
    assert document["version"] == 1 and document["tool"] == {"name": "pinlint", "version": __version__}
    assert document["host"] == "api.example.com" and document["accepted"] is False
    assert [item["file"] for item in document["chain"]] == ["new-chain.pem", "new-chain.pem"]
    assert [(p["platform"], p["outcome"]) for p in document["platforms"]] == [("android", "reject"),
                                                                               ("ios", "accept")]
    assert json.loads(render_json(judgement(chain), "chain.pem"))["accepted"] is True
