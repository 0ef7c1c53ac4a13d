"""Chain drift: the keys and intermediates a server presents now against the ones recorded earlier.

A chain baseline is JSON: ``{"version": 1, "hosts": {"HOST[:PORT]": [{"subject", "issuer", "spki_sha256",
"not_after"}, ...]}}``, leaf first, as ``pinlint live-check --write-baseline`` records it. A renewed leaf
with the same key is not drift; a new leaf key, and an intermediate added, removed or re-keyed, are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pinlint.certs.x509info import CertInfo

BASELINE_VERSION = 1


class ChainBaselineError(ValueError):
    """A chain baseline file pinlint cannot use."""


@dataclass(frozen=True)
class RecordedCert:
    """One certificate of a recorded chain."""

    subject: str
    issuer: str
    spki_sha256: str
    not_after: str

    def as_json(self) -> dict[str, str]:
        return {"subject": self.subject, "issuer": self.issuer, "spki_sha256": self.spki_sha256,
                "not_after": self.not_after}


def record(chain: Sequence[CertInfo]) -> list[RecordedCert]:
    return [RecordedCert(info.subject, info.issuer, info.spki_sha256, info.not_after.isoformat()) for info in chain]


def compare(recorded: Sequence[RecordedCert], chain: Sequence[CertInfo]) -> list[str]:
    """What changed since ``recorded``, one sentence each (empty: no drift)."""
    if not recorded or not chain:
        return []
    changes: list[str] = []
    old_leaf, new_leaf = recorded[0], chain[0]
    if old_leaf.spki_sha256 != new_leaf.spki_sha256:
        changes.append(f"leaf key changed: {old_leaf.spki_sha256} -> {new_leaf.spki_sha256}")
    before = {(item.subject, item.spki_sha256) for item in recorded[1:]}
    now = {(info.subject, info.spki_sha256) for info in chain[1:]}
    for subject, key in sorted(now - before):
        changes.append(f"new intermediate: {subject} (key {key})")
    for subject, key in sorted(before - now):
        changes.append(f"intermediate gone: {subject} (key {key})")
    return changes


def render_baseline(chains: Mapping[str, Sequence[CertInfo]],
                    kept: dict[str, list[RecordedCert]] | None = None) -> str:
    """The baseline file for ``chains``; ``kept`` carries over earlier records of hosts not reached today."""
    recorded = {**(kept or {}), **{name: record(chain) for name, chain in chains.items()}}
    hosts = {name: [item.as_json() for item in entries] for name, entries in sorted(recorded.items())}
    return json.dumps({"version": BASELINE_VERSION, "hosts": hosts}, indent=2) + "\n"


def parse_baseline(text: str) -> dict[str, list[RecordedCert]]:
    """The recorded chains by host, or ChainBaselineError with one line saying what is wrong."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ChainBaselineError(f"not JSON: {error}") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION or not isinstance(
            data.get("hosts"), dict):
        raise ChainBaselineError(f"not a chain baseline (expected version {BASELINE_VERSION} with 'hosts')")
    chains: dict[str, list[RecordedCert]] = {}
    for host, entries in data["hosts"].items():
        if not isinstance(entries, list):
            raise ChainBaselineError(f"host {host!r}: expected a list of certificates")
        chain: list[RecordedCert] = []
        for entry in entries:
            if not isinstance(entry, dict) or not all(
                    isinstance(entry.get(key), str) for key in ("subject", "issuer", "spki_sha256", "not_after")):
                raise ChainBaselineError(f"host {host!r}: each certificate needs subject, issuer, spki_sha256 "
                                         "and not_after")
            chain.append(RecordedCert(entry["subject"], entry["issuer"], entry["spki_sha256"], entry["not_after"]))
        chains[str(host)] = chain
    return chains
