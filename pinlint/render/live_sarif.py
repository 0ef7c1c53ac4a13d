"""``live-check --format sarif``: SARIF 2.1.0 with each problem located at the pin set in the tree it
concerns (a problem about the host itself at the host's first pin set), so code scanning shows a server's
rotation trouble next to the pins that will break.

Rule ids are ``live/<kind>``; ``partialFingerprints["pinlintLive/v1"]`` hashes the host, the kind, the
platform and the pin set's file (no line, no message), so a problem stays one alert from run to run. A
problem with no pin set to point at (a host named only with ``--host``) becomes a tool notification, since
code scanning refuses results without a location.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pinlint import __version__
from pinlint.certs.chaincheck import SEVERITY_OF, Problem
from pinlint.live.check import HostResult, LiveResult
from pinlint.render import RunInfo
from pinlint.render.sarif_format import (
    LEVELS,
    SARIF_SCHEMA,
    SARIF_VERSION,
    SECURITY_SEVERITY,
    SRCROOT,
    artifact_uri,
    directory_uri,
)

FINGERPRINT_KEY = "pinlintLive/v1"

#: What to do about each problem kind, for the rule help.
ADVICE = {
    "platform-rejects": "Ship pins for the key the server now presents (or restore the old chain) before users "
                        "are cut off; keep a backup pin for the next issuing CA.",
    "name-mismatch": "Serve a certificate whose subjectAltName covers the host.",
    "leaf-expired": "Renew the certificate now.",
    "chain-untrusted": "Serve a chain that leads to a trusted root, with the intermediates included.",
    "leaf-expiring": "Renew the certificate; if the key changes, check that a pin still matches first.",
    "intermediate-expiring": "Plan the move to the new intermediate and make sure a pin covers it.",
    "pin-set-expired": "Update the pin set and its expiration date in the next release.",
    "pin-set-expiring": "Ship a release with a later expiration date (and current pins) before it passes.",
    "no-backup": "Add a pin for a key held in reserve (a backup key pair or another CA) to the set.",
    "drift": "Confirm the change was planned, then record the new chain with --write-baseline.",
    "leaf-alone": "Configure the server to send the intermediate certificates after the leaf.",
    "chain-incomplete": "Configure the server to send every intermediate up to a trusted root.",
    "unreachable": "Check the host name, the address and the network path from where the check runs.",
    "chain-unread": "Run live-check on Python 3.10 or later to read the whole chain.",
}

#: What each problem kind means, for the rule descriptors.
DESCRIPTIONS = {
    "platform-rejects": "A platform's pinning would reject the chain the server presents: an outage.",
    "name-mismatch": "The server's leaf certificate is issued for another name.",
    "leaf-expired": "The server's leaf certificate has expired.",
    "chain-untrusted": "The presented chain has no valid path to a root of the trust store.",
    "leaf-expiring": "The server's leaf certificate expires inside the warning window.",
    "intermediate-expiring": "An intermediate certificate the server sends expires inside the warning window.",
    "pin-set-expired": "The pin set's expiration date has passed: pinning is off for the host.",
    "pin-set-expiring": "The pin set expires inside the warning window: pinning then stops.",
    "no-backup": "Every pin of the set is in today's chain: no key is held in reserve for a rotation.",
    "drift": "The presented keys or intermediates differ from the recorded baseline.",
    "leaf-alone": "The server sends its leaf alone; clients that do not fetch intermediates fail.",
    "chain-incomplete": "The presented chain has a gap no trust store root closes.",
    "unreachable": "The host could not be reached or its chain could not be read.",
    "chain-unread": "Only the leaf could be read on this Python; the rest of the chain was not judged.",
}


def _rule(kind: str) -> dict[str, Any]:
    severity = SEVERITY_OF[kind]
    return {
        "id": f"live/{kind}",
        "name": kind,
        "shortDescription": {"text": DESCRIPTIONS[kind]},
        "fullDescription": {"text": DESCRIPTIONS[kind]},
        "help": {"text": f"{DESCRIPTIONS[kind]} {ADVICE[kind]}",
                 "markdown": f"{DESCRIPTIONS[kind]}\n\n**What to do:** {ADVICE[kind]}"},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"tags": ["security", "certificate-pinning"],
                       "security-severity": SECURITY_SEVERITY[severity]},
    }


def _fingerprint(host: HostResult, problem: Problem, path: str) -> str:
    key = "\0".join((host.target.label, problem.kind, problem.platform, path))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _result(host: HostResult, problem: Problem, rule_index: int) -> dict[str, Any] | None:
    span = problem.span or host.source
    if span is None:
        return None
    uri, base = artifact_uri(span.path)
    artifact: dict[str, Any] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    return {
        "ruleId": f"live/{problem.kind}",
        "ruleIndex": rule_index,
        "level": LEVELS[problem.severity],
        "message": {"text": f"{host.target.label}: {problem.message}"},
        "locations": [{"physicalLocation": {"artifactLocation": artifact,
                                            "region": {"startLine": max(1, span.line)}}}],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(host, problem, span.path)},
        "properties": {"host": host.target.label},
    }


def render(result: LiveResult, run: RunInfo) -> str:
    kinds = sorted({problem.kind for host in result.hosts for problem in host.problems})
    index = {kind: number for number, kind in enumerate(kinds)}
    results: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for host in result.hosts:
        for problem in host.problems:
            found = _result(host, problem, index[problem.kind])
            if found is not None:
                results.append(found)
            else:
                notes.append({"level": LEVELS[problem.severity],
                              "message": {"text": f"{host.target.label}: {problem.message}"}})
    invocation: dict[str, Any] = {"executionSuccessful": run.exit_code in (0, 1), "exitCode": run.exit_code}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    base: dict[str, Any] = (
        {"uri": directory_uri(run.source_root)} if run.source_root
        else {"description": {"text": "The directory pinlint was run from; result paths are relative to it."}})
    sarif_run: dict[str, Any] = {
        "tool": {"driver": {"name": "pinlint", "version": __version__, "semanticVersion": __version__,
                            "rules": [_rule(kind) for kind in kinds]}},
        "originalUriBaseIds": {SRCROOT: base},
        "invocations": [invocation],
        "results": results,
    }
    if run.category:
        sarif_run["automationDetails"] = {"id": run.category.rstrip("/") + "/"}
    document = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [sarif_run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
