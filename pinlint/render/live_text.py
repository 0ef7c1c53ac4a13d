"""``live-check --format text``: per host what it presented, each platform's verdict and why, the backups,
the drift, then the problems and one result line."""

from __future__ import annotations

from pinlint.certs.chaincheck import VALIDATION
from pinlint.live.check import HostResult, LiveResult
from pinlint.render import RunInfo, printable


def _host_lines(host: HostResult) -> list[str]:
    target = host.target
    where = host.peer or f"{target.address}:{target.address_port}"
    judgement = host.judgement
    if judgement is None:
        return [f"{target.label} ({where}): not checked: {host.error}"]
    lines = [f"{target.label} ({where}): {len(judgement.chain)} certificate(s) presented"]
    for info in judgement.chain:
        lines.append(f"  {info.role} {info.subject}: pin {info.spki_sha256}, not after {info.not_after}")
    name = "matches" if judgement.name_matches else "does NOT match"
    lines.append(f"  name: {name}; trust: {judgement.trust_reason}")
    for result in judgement.platforms:
        lines.append(f"  {result.platform}: {result.outcome.upper()}")
        if not any(verdict.mechanism != VALIDATION for verdict in result.verdicts):
            lines.append(f"    no pinning covers {target.host}: the system trust store decides")
        for verdict in result.verdicts:
            at = f" at {verdict.location}" if verdict.location else ""
            lines.append(f"    {verdict.outcome}: {verdict.mechanism}{at}: {verdict.reason}")
    for status in judgement.backups:
        where = f"{status.platform} {status.mechanism} at {status.pin_set.span.path}:{status.pin_set.span.line}"
        if not status.in_chain:
            lines.append(f"  backup NOT ready: {where}: none of its {len(status.reserve)} pin(s) is in this chain")
            continue
        state = "ready" if status.ready else "NOT ready"
        lines.append(f"  backup {state}: {where}: {len(status.in_chain)} pin(s) in this chain, "
                     f"{len(status.reserve)} held in reserve")
    for change in judgement.drift:
        lines.append(f"  drift: {change}")
    return lines


def render(result: LiveResult, run: RunInfo) -> str:
    answered = sum(1 for host in result.hosts if host.judgement is not None)
    lines = [f"live-check: {len(result.hosts)} host(s), {answered} answered; trust store {result.trust_store}; "
             f"today {result.today}, warning window {result.warn_days} day(s)"]
    for host in result.hosts:
        lines.extend(_host_lines(host))
    for pattern in result.needs_host:
        lines.append(f"not checked: {pattern} stands for many names; name the hosts with --host")
    problems = [(host, problem) for host in result.hosts for problem in host.problems]
    if problems:
        lines.append("problems:")
        for host, problem in problems:
            lines.append(f"  {problem.severity:<6} {problem.kind} {host.target.label}: {problem.message}")
    failing = result.failing(run.fail_on)
    if failing:
        lines.append(f"result: FAIL: {len(failing)} problem(s) at or above {run.fail_on}")
    else:
        lines.append(f"result: OK: nothing at or above {run.fail_on}")
    return "".join(printable(line) + "\n" for line in lines)
