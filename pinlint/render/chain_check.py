"""``chain-check`` output: one chain judgement (``pinlint.certs.chaincheck``) as text or JSON.

Pure functions of the judgement; the verdicts (which platform rejects, which problems block the chain
everywhere) are the judgement's, never decided here.

JSON, version 1: ``{"version": 1, "tool": {...}, "host": HOST, "chain": [...], "name_matches": bool,
"chain_valid": bool | null, "leaf_days_left": N, "platforms": [...], "problems": [...], "accepted": bool}``.
Keys may be added within a version, never changed.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pinlint.certs.chaincheck import ChainJudgement
    from pinlint.certs.x509info import CertInfo

CHAIN_CHECK_SCHEMA_VERSION = 1


def certificate_json(file: str, index: int, info: CertInfo) -> dict[str, object]:
    """One certificate of a file: where it is, what it is, its dates and its SPKI pin."""
    return {
        "file": file, "index": index, "line": info.line, "subject": info.subject, "issuer": info.issuer,
        "is_ca": info.is_ca, "self_signed": info.self_signed, "role": info.role,
        "not_before": info.not_before.isoformat(), "not_after": info.not_after.isoformat(),
        "spki_sha256": info.spki_sha256, "sha256_fingerprint": info.sha256_fingerprint,
    }


def render_json(judgement: ChainJudgement, chain_file: str) -> str:
    """The judgement as version 1 of the chain-check JSON; ``chain_file`` names the file the chain came from."""
    from pinlint import __version__

    document = {
        "version": CHAIN_CHECK_SCHEMA_VERSION,
        "tool": {"name": "pinlint", "version": __version__},
        "host": judgement.host,
        "chain": [certificate_json(chain_file, index, info) for index, info in enumerate(judgement.chain, start=1)],
        "name_matches": judgement.name_matches,
        "chain_valid": judgement.chain_valid,
        "leaf_days_left": judgement.leaf_days_left,
        "platforms": [
            {"platform": result.platform, "outcome": result.outcome,
             "checks": [{"mechanism": v.mechanism, "location": v.location, "outcome": v.outcome,
                         "reason": v.reason} for v in result.verdicts]}
            for result in judgement.platforms
        ],
        "problems": [{"kind": p.kind, "severity": p.severity, "platform": p.platform, "message": p.message}
                     for p in judgement.problems],
        "accepted": judgement.accepted,
    }
    return json.dumps(document, indent=2) + "\n"


def render_text(judgement: ChainJudgement) -> str:
    """Each platform's verdict with its reasons, the keys held in reserve, the problems, and the result."""
    host, leaf, blocking = judgement.host, judgement.chain[0], judgement.blocking
    lines = [f"chain for {host}: {len(judgement.chain)} certificate(s), leaf {leaf.subject} (pin {leaf.spki_sha256})"]
    if not judgement.platforms:
        lines.append("no platform configuration found: nothing pins this host")
    for result in judgement.platforms:
        lines.append(f"{result.platform}: {result.outcome.upper()}")
        if not result.pinned:
            lines.append(f"  no pinning covers {host}: the system trust store decides")
        for verdict in result.verdicts:
            where = f" at {verdict.location}" if verdict.location else ""
            lines.append(f"  {verdict.outcome}: {verdict.mechanism}{where}: {verdict.reason}")
    for status in judgement.backups:
        where = f"{status.platform} {status.mechanism} at {status.pin_set.span.path}:{status.pin_set.span.line}"
        if status.in_chain:
            lines.append(f"backup: {where}: {len(status.in_chain)} pin(s) in this chain, "
                         f"{len(status.reserve)} held in reserve")
        else:
            lines.append(f"backup: {where}: none of its {len(status.reserve)} pin(s) is in this chain")
    for problem in judgement.problems:
        if problem.kind != "platform-rejects":
            lines.append(f"{'error' if problem in blocking else 'note'}: {problem.message}")
    if judgement.rejected:
        lines.append(f"result: REJECTED on {', '.join(judgement.rejected)}: deploying this chain is an outage there")
    elif blocking:
        lines.append("result: REJECTED: " + "; ".join(problem.message for problem in blocking))
    else:
        lines.append("result: accepted on every platform")
    return "\n".join(lines) + "\n"
