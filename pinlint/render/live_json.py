"""``live-check --format json``: version 1 of the live-check result.

```
{"version": 1,
 "hosts": [{"host", "address", "error", "chain": [{"subject", "issuer", "spki_sha256", "not_after"}],
            "chain_valid", "name_matches", "leaf_days_left", "backup_ready", "drift": [...],
            "platforms": [{"platform", "mechanism", "source", "accepted", "reason"}]}],
 "summary": {"hosts", "answered", "unreachable", "rejected", "failing", "fail_on", "exit_code", "today",
             "warn_days", "trust_store", "baseline", "needs_host": [...],
             "problems": [{"host", "kind", "severity", "platform", "message", "source"}]}}
```

``host`` is the name (with ``:port`` when not 443); ``address`` the address that answered (or the one dialled
when none did); ``error`` is null unless the host could not be checked, and then the chain fields are empty
or null. ``accepted`` is true, false, or null when the pins are only known at build or run time. ``source``
is ``path:line`` of the pin set in the tree (null for the platform's own certificate validation).
"""

from __future__ import annotations

import json
from typing import Any

from pinlint.certs.chaincheck import ACCEPT, REJECT
from pinlint.live.check import HostResult, LiveResult
from pinlint.model.facts import Span
from pinlint.render import RunInfo

VERSION = 1


def source_text(span: Span | None) -> str | None:
    return f"{span.path}:{span.line}" if span is not None else None


def _host(host: HostResult) -> dict[str, Any]:
    judgement = host.judgement
    target = host.target
    entry: dict[str, Any] = {
        "host": target.label,
        "address": host.peer or f"{target.address}:{target.address_port}",
        "error": host.error,
        "chain": [],
        "chain_valid": None,
        "name_matches": None,
        "leaf_days_left": None,
        "backup_ready": None,
        "drift": [],
        "platforms": [],
    }
    if judgement is None:
        return entry
    entry.update({
        "chain": [{"subject": info.subject, "issuer": info.issuer, "spki_sha256": info.spki_sha256,
                   "not_after": info.not_after.isoformat()} for info in judgement.chain],
        "chain_valid": judgement.chain_valid,
        "name_matches": judgement.name_matches,
        "leaf_days_left": judgement.leaf_days_left,
        "backup_ready": judgement.backup_ready,
        "drift": list(judgement.drift),
        "platforms": [
            {"platform": verdict.platform, "mechanism": verdict.mechanism, "source": verdict.location or None,
             "accepted": True if verdict.outcome == ACCEPT else False if verdict.outcome == REJECT else None,
             "reason": verdict.reason}
            for result in judgement.platforms for verdict in result.verdicts
        ],
    })
    return entry


def as_json(result: LiveResult, run: RunInfo) -> dict[str, Any]:
    failing = result.failing(run.fail_on)
    return {
        "version": VERSION,
        "hosts": [_host(host) for host in result.hosts],
        "summary": {
            "hosts": len(result.hosts),
            "answered": sum(1 for host in result.hosts if host.judgement is not None),
            "unreachable": sum(1 for host in result.hosts if host.judgement is None),
            "rejected": sum(1 for host in result.hosts if host.judgement and host.judgement.rejected),
            "failing": len(failing),
            "fail_on": run.fail_on,
            "exit_code": run.exit_code,
            "today": result.today.isoformat(),
            "warn_days": result.warn_days,
            "trust_store": result.trust_store,
            "baseline": result.baseline,
            "needs_host": list(result.needs_host),
            "problems": [
                {"host": host.target.label, "kind": problem.kind, "severity": problem.severity,
                 "platform": problem.platform or None, "message": problem.message,
                 "source": source_text(problem.span or host.source)}
                for host in result.hosts for problem in host.problems
            ],
        },
    }


def render(result: LiveResult, run: RunInfo) -> str:
    return json.dumps(as_json(result, run), indent=2, ensure_ascii=False) + "\n"
