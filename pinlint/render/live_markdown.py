"""``live-check --format markdown``: a table of hosts and a list of problems, for a ticket or a job summary."""

from __future__ import annotations

from pinlint.live.check import HostResult, LiveResult
from pinlint.render import RunInfo, printable


def _cell(text: str) -> str:
    return printable(text).replace("|", "\\|")


def _yes_no(value: bool | None) -> str:
    return "n/a" if value is None else "yes" if value else "**no**"


def _row(host: HostResult, baseline: bool) -> str:
    judgement = host.judgement
    if judgement is None:
        return f"| {_cell(host.target.label)} | not checked: {_cell(host.error or '')} | | | | | |"
    platforms = ", ".join(f"{r.platform} {r.outcome}" if r.outcome != "reject" else f"**{r.platform} reject**"
                          for r in judgement.platforms) or "none"
    return (f"| {_cell(host.target.label)} | {_cell(platforms)} | {_yes_no(judgement.chain_valid)} | "
            f"{_yes_no(judgement.name_matches)} | {judgement.leaf_days_left} | {_yes_no(judgement.backup_ready)} | "
            f"{len(judgement.drift) if baseline else 'n/a'} |")


def render(result: LiveResult, run: RunInfo) -> str:
    lines = [
        "## pinlint live-check",
        "",
        f"{len(result.hosts)} host(s), trust store {_cell(result.trust_store)}, today {result.today}, "
        f"warning window {result.warn_days} day(s).",
        "",
        "| host | platforms | chain valid | name matches | leaf days left | backup ready | drift |",
        "|---|---|---|---|---|---|---|",
    ]
    lines.extend(_row(host, result.baseline) for host in result.hosts)
    problems = [(host, problem) for host in result.hosts for problem in host.problems]
    if problems:
        lines += ["", "### Problems", ""]
        for host, problem in problems:
            where = problem.span or host.source
            at = f" (`{_cell(where.path)}:{where.line}`)" if where else ""
            lines.append(f"- **{problem.severity}** `{problem.kind}` {_cell(host.target.label)}: "
                         f"{_cell(problem.message)}{at}")
    if result.needs_host:
        lines += ["", "Not checked (name the hosts with `--host`): "
                  + ", ".join(f"`{_cell(p)}`" for p in result.needs_host)]
    failing = result.failing(run.fail_on)
    lines += ["", f"**Result: {'FAIL' if failing else 'OK'}** ({len(failing)} problem(s) at or above "
              f"{run.fail_on})."]
    return "\n".join(lines) + "\n"
