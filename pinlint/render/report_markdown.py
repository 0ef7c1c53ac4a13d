"""The evidence report as Markdown, for pasting into a ticket: the HTML report's sections, the chart as a table.

Pure, like the HTML renderer. Text from a scanned tree or a result file has its Markdown and HTML
punctuation backslash-escaped and its control characters shown as ``\\xNN``, so it cannot open a link,
an image, an HTML element or a table cell of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pinlint.evidence.model import CHECK, FOLDER, INVENTORY, LIVE, Evidence, Repository
from pinlint.model.findings import SEVERITIES
from pinlint.render import printable

SEVERITY_ORDER = tuple(reversed(SEVERITIES))
#: Punctuation that could start emphasis, code, a link, an image, HTML, an entity or a table cell.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~&])")


def md(value: object) -> str:
    """Text from a tree or result file, inert in Markdown (and in the HTML a Markdown viewer makes of it)."""
    return _SPECIAL.sub(r"\\\1", printable(str(value)))


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> Iterator[str]:
    header = list(headers)
    yield "| " + " | ".join(header) + " |"
    yield "|" + "---|" * len(header)
    for row in rows:
        yield "| " + " | ".join(row) + " |"
    yield ""


def _counts(counts: dict[str, int]) -> list[str]:
    return [str(counts.get(severity, 0)) for severity in SEVERITY_ORDER]


def _flag(value: bool | None, good: str = "yes", bad: str = "NO") -> str:
    return "unknown" if value is None else good if value else bad


def render(evidence: Evidence) -> Iterator[str]:
    """The Markdown document, line by line (each piece ends without a newline; join with newlines)."""
    yield f"# {md(evidence.title)}"
    yield ""
    count = len(evidence.repositories)
    yield (f"Reference date {evidence.today.isoformat()} · pinlint {md(evidence.tool_version)} · "
           f"{count} repositor{'y' if count == 1 else 'ies'}")
    yield ""
    if evidence.problems:
        yield "**Inputs not used** (missing from every section below):"
        yield ""
        yield from (f"- {md(problem)}" for problem in evidence.problems)
        yield ""
    yield "## Scope"
    yield ""
    rows = []
    for repository in evidence.repositories:
        for item in repository.inputs:
            kind = f"folder scanned by this report ({item.files_scanned or 0} files); digest of its result" \
                if item.kind == FOLDER else f"{item.kind} result, {item.size} bytes"
            rows.append([md(repository.label), md(item.path), kind, item.sha256])
    yield from _table(["Repository", "Input", "Kind", "SHA-256"], rows)
    yield from _table(["Repository", "Scan's reference date", "Profile", "Policy file", "pinlint version"], [
        [md(r.label), md(r.today or "-"), md(r.profile or "-"), md(r.policy_file or "none"), md(r.tool_version or "-")]
        for r in evidence.repositories])
    yield "## Summary"
    yield ""
    counts = evidence.severity_counts()
    yield from _table([*SEVERITY_ORDER, "total"], [[*_counts(counts), str(sum(counts.values()))]])
    platforms = evidence.platform_counts()
    if platforms:
        yield from _table(["Platform", *SEVERITY_ORDER, "total"],
                          [[md(name), *_counts(c), str(sum(c.values()))] for name, c in platforms.items()])
    if count > 1:
        yield "## Overview of repositories"
        yield ""
        rows = []
        for repository in evidence.repositories:
            first = next(iter(repository.expiries()), None)
            rows.append([md(repository.label), *_counts(repository.severity_counts()),
                         str(len(repository.accepted())), str(len(repository.pinned_hosts())),
                         f"{first.day.isoformat()} ({first.kind})" if first else "-",
                         ", ".join(sorted(repository.kinds()))])
        yield from _table(["Repository", *SEVERITY_ORDER, "accepted", "pinned hosts", "first expiry", "inputs"], rows)
    for repository in evidence.repositories:
        yield from _repository(repository, evidence)
    if evidence.rules:
        yield "## Rule documentation"
        yield ""
        for rule in evidence.rules.values():
            text = rule.markdown().replace("\n## ", "\n#### ")
            yield "### " + text.removeprefix("# ").rstrip()
            yield ""
    yield "## Method"
    yield ""
    yield ("pinlint reads a repository's files without running, importing or fetching anything from it; a file no "
           "parser claims (images, binaries, archives) is not read. Folders never entered: "
           + ", ".join(md(name) for name in evidence.never_scanned) + ".")
    yield ""


def _repository(repository: Repository, evidence: Evidence) -> Iterator[str]:
    kinds = repository.kinds()
    has_check = CHECK in kinds or FOLDER in kinds
    yield f"## Repository {md(repository.label)}"
    yield ""
    if has_check:
        yield from _table([*SEVERITY_ORDER, "accepted"],
                          [[*_counts(repository.severity_counts()), str(len(repository.accepted()))]])
    else:
        yield "No check result was given for this repository: findings are not known."
        yield ""
    yield "### Pin inventory"
    yield ""
    if INVENTORY not in kinds and FOLDER not in kinds:
        yield "No inventory result was given for this repository."
        yield ""
    elif not repository.inventory:
        yield "No pinned host."
        yield ""
    else:
        rows = []
        for entry in repository.inventory:
            pins = "<br>".join(
                md(pin.value) + f" ({md(pin.role)}{', ' + md(pin.subject) if pin.subject else ''}"
                f"{', until ' + pin.not_after.isoformat() if pin.not_after else ''})"
                for pin in (*entry.pins, *entry.certificates)) or "none"
            host = md(entry.host) + (" (and subdomains)" if entry.include_subdomains else "")
            status = md(entry.status) + (f" ({md(entry.variant)} build only)" if entry.variant else "")
            rows.append([host, md(entry.platform), md(entry.mechanism), pins, md(entry.backup),
                         entry.expiration.isoformat() if entry.expiration else "-", status,
                         f"{md(entry.file)}:{entry.line}"])
        yield from _table(["Host", "Platform", "Mechanism", "Pins", "Backup", "Expiry", "Enforcement", "Source"], rows)
    expiries = repository.expiries()
    if expiries:
        yield "### Expiry timeline"
        yield ""
        yield from _table(["Date", "What", "Name", "Where"], [
            [item.day.isoformat() + (" (expired)" if item.day <= evidence.today else ""), item.kind, md(item.what),
             md(item.where)] for item in expiries])
    if repository.live or LIVE in kinds:
        yield "### Live check"
        yield ""
        yield from _table(["Host", "Address", "Error", "Leaf", "Valid", "Name", "Leaf days left", "Backup ready",
                           "Drift", "Platforms"], [
            [md(h.host), md(h.address), md(h.error or "-"),
             md(h.chain[0].subject) if h.chain else "-", _flag(h.chain_valid), _flag(h.name_matches, "matches",
                                                                                    "MISMATCH"),
             "-" if h.leaf_days_left is None else str(h.leaf_days_left), _flag(h.backup_ready),
             "<br>".join(md(item) for item in h.drift) or "-",
             "<br>".join(f"{md(p.platform)} {md(p.mechanism)}: {_flag(p.accepted, 'accepts', 'REJECTS')}"
                         for p in h.platforms) or "-"]
            for h in repository.live])
    if has_check:
        yield from _findings(repository)
    yield from _read(repository)


def _findings(repository: Repository) -> Iterator[str]:
    yield "### Findings by severity"
    yield ""
    active = repository.active()
    if not active:
        yield "No open finding."
        yield ""
    for severity in SEVERITY_ORDER:
        chosen = [finding for finding in active if finding.severity == severity]
        if not chosen:
            continue
        yield f"#### {severity.capitalize()} ({len(chosen)})"
        yield ""
        for finding in chosen:
            yield (f"- **{md(finding.rule)}** {md(finding.slug)} at {md(finding.path)}:{finding.line} "
                   f"({md(finding.platform)}): {md(finding.message)}")
        yield ""
    yield "### Accepted risk: suppressions and baselined findings"
    yield ""
    accepted = repository.accepted()
    if accepted:
        yield from _table(["Rule", "Severity", "Where", "Finding", "Accepted by", "Reason", "Recorded at"], [
            [md(f.rule), f.severity, f"{md(f.path)}:{f.line}", md(f.message), md(f.suppression_kind),
             md(f.suppression_reason) or "**no reason recorded**", md(f.suppression_place or "-")]
            for f in accepted])
    else:
        yield "No finding is suppressed or baselined."
        yield ""
    for notice in repository.notices:
        where = f"{md(notice.path)}:{notice.line}: " if notice.path and notice.line else \
            f"{md(notice.path)}: " if notice.path else ""
        yield f"- notice: {where}{md(notice.message)}"
    if repository.notices:
        yield ""


def _read(repository: Repository) -> Iterator[str]:
    yield "### What was read"
    yield ""
    if repository.files_scanned is not None:
        yield f"- {repository.files_scanned} files considered by the scan."
    if repository.left_out_in_tests:
        yield f"- {repository.left_out_in_tests} finding(s) only in test code left out (--include-tests shows them)."
    if repository.test_files_not_analysed:
        yield (f"- {repository.test_files_not_analysed} test code file(s) not analysed (not shipped; "
               "--include-tests or --profile audit parses them).")
    for finding in repository.findings:
        if finding.rule == "CFG901":
            yield f"- not read or not parsed: {md(finding.path)}: {md(finding.message)}"
    for item in repository.skipped:
        yield f"- not read: {md(item.path)}: {md(item.message)}"
    if repository.excluded:
        yield "- excluded by the policy: " + ", ".join(md(pattern) for pattern in repository.excluded)
    for error in repository.errors:
        yield f"- error: {md(error)}"
    yield ""
