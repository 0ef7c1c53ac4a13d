"""The evidence report as one self-contained HTML page.

Pure: ``render(evidence)`` yields the page in pieces from the evidence model; it reads no file and
decides no rule. The page fetches nothing: the style sheet is inline (and the only one its content
security policy allows), charts are inline SVG, and every link points inside the page. Every string that
came from a scanned tree or a result file is escaped (``html.escape``, control characters shown as
``\\xNN``), so a hostile tree cannot add markup or script to the report.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable, Iterator
from datetime import date

from pinlint.evidence.model import (
    CHECK,
    FOLDER,
    INVENTORY,
    LIVE,
    Evidence,
    FindingRecord,
    InventoryRecord,
    LiveHost,
    Repository,
)
from pinlint.model.findings import SEVERITIES
from pinlint.render import printable
from pinlint.render.report_timeline import in_window, monthly_svg, timeline_svg
from pinlint.rules import DOC_SECTIONS, Rule

SEVERITY_ORDER = tuple(reversed(SEVERITIES))

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --band: #f6f8fa; --accent: #0b5394; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 21px; border-bottom: 2px solid var(--line);
  padding-bottom: 4px; margin-top: 36px; } h3 { font-size: 17px; margin-top: 26px; } h4 { margin: 18px 0 6px; }
.muted, .meta { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: var(--band); } td.num, th.num { text-align: right; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px;
  overflow-wrap: anywhere; }
pre { background: var(--band); border: 1px solid var(--line); padding: 8px; overflow-x: auto; font-size: 12px; }
nav { background: var(--band); border: 1px solid var(--line); padding: 8px 14px; margin: 16px 0; }
nav ol { margin: 4px 0; padding-left: 20px; columns: 2; }
a { color: var(--accent); }
.sev { display: inline-block; min-width: 62px; padding: 0 6px; border-radius: 3px; color: #fff;
  font-size: 12px; text-align: center; }
.sev-critical { background: #8b0000; } .sev-high { background: #c2410c; } .sev-medium { background: #a16207; }
.sev-low { background: #2563eb; } .sev-info { background: #6b7280; }
.finding { border-left: 4px solid var(--line); padding: 4px 10px; margin: 8px 0; }
.finding.critical { border-color: #8b0000; } .finding.high { border-color: #c2410c; }
.finding.medium { border-color: #a16207; } .finding.low { border-color: #2563eb; }
.problems { border: 2px solid #8b0000; background: #fff5f5; padding: 8px 14px; }
.ok { color: #116329; } .bad { color: #8b0000; font-weight: 600; }
svg.timeline { max-width: 100%; height: auto; display: block; margin: 8px 0; }
svg .axis { stroke: #59636e; stroke-width: 1; } svg .grid { stroke: #e5e7eb; stroke-width: 1; }
svg .lead { stroke: #d1d9e0; stroke-dasharray: 3 3; }
svg .tick { font-size: 11px; fill: #59636e; } svg .label { font-size: 12px; fill: #1f2328; text-anchor: end; }
svg .when { font-size: 11px; fill: #1f2328; }
svg .pinset { fill: #b45309; } svg .certificate { fill: #1d4ed8; } svg .live { fill: #7c3aed; }
svg .expired { fill: #b91c1c; }
.legend span { margin-right: 14px; } .dot { display: inline-block; width: 10px; height: 10px; border-radius: 5px; }
.dot.pinset { background: #b45309; } .dot.certificate { background: #1d4ed8; } .dot.live { background: #7c3aed; }
.dot.expired { background: #b91c1c; }
.rule { border: 1px solid var(--line); padding: 4px 14px 10px; margin: 14px 0; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  section.repository, section#rules, section#method { break-before: page; }
  tr, .finding, .rule, svg { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  th { background: #eee; }
}
"""

#: Only this style sheet may apply, no script may run and nothing may be fetched, whatever the page holds.
CSP = ("default-src 'none'; style-src 'sha256-"
       + base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")
       + "'; img-src data:; base-uri 'none'; form-action 'none'")


def esc(value: object) -> str:
    """Text from a tree or result file, safe inside an element or a quoted attribute, on one line."""
    return html.escape(printable(str(value)), quote=True)


def _severity(severity: str) -> str:
    return f'<span class="sev sev-{esc(severity)}">{esc(severity)}</span>'


def _rule_link(rule_id: str, evidence: Evidence) -> str:
    """A link to the rule's documentation in the page, for rules this pinlint documents; else the id as text."""
    if rule_id in evidence.rules:
        return f'<a href="#rule-{rule_id}">{esc(rule_id)}</a>'
    return f"<span>{esc(rule_id)}</span>"


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]], numeric: Iterable[int] = ()) -> Iterator[str]:
    """A table whose cells are already escaped HTML."""
    right = set(numeric)
    yield "<table><thead><tr>"
    yield "".join(f'<th{" class=num" if index in right else ""}>{header}</th>'
                  for index, header in enumerate(headers))
    yield "</tr></thead><tbody>"
    for row in rows:
        yield "<tr>" + "".join(f'<td{" class=num" if index in right else ""}>{cell}</td>'
                               for index, cell in enumerate(row)) + "</tr>"
    yield "</tbody></table>"


def _counts_row(counts: dict[str, int]) -> list[str]:
    return [str(counts.get(severity, 0)) for severity in SEVERITY_ORDER]


def _yes_no(value: bool | None, good: str = "yes", bad: str = "no") -> str:
    if value is None:
        return '<span class="muted">unknown</span>'
    return f'<span class="ok">{good}</span>' if value else f'<span class="bad">{bad}</span>'


def render(evidence: Evidence) -> Iterator[str]:
    """The page, in pieces (write them in order)."""
    title = esc(evidence.title)
    yield ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
           f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
           '<meta name="viewport" content="width=device-width, initial-scale=1">'
           f'<meta name="generator" content="pinlint {esc(evidence.tool_version)}">'
           f"<title>{title}</title><style>{CSS}</style></head><body>\n")
    yield (f"<header><h1>{title}</h1><p class=meta>Reference date {evidence.today.isoformat()} · "
           f"pinlint {esc(evidence.tool_version)} · {len(evidence.repositories)} "
           f"repositor{'y' if len(evidence.repositories) == 1 else 'ies'}</p></header>\n")
    yield from _contents(evidence)
    if evidence.problems:
        yield '<div class="problems" id="problems"><h2>Inputs not used</h2><ul>'
        yield "".join(f"<li>{esc(problem)}</li>" for problem in evidence.problems)
        yield "</ul><p>These inputs are missing from every section below.</p></div>\n"
    yield from _scope(evidence)
    yield from _summary(evidence)
    if len(evidence.repositories) > 1:
        yield from _overview(evidence)
    for index, repository in enumerate(evidence.repositories, start=1):
        yield from _repository(index, repository, evidence)
    yield from _rules(evidence)
    yield from _method(evidence)
    yield (f"<footer><p class=meta>Written by pinlint {esc(evidence.tool_version)} on the reference date "
           f"{evidence.today.isoformat()}. This page loads nothing from elsewhere and runs no script.</p>"
           "</footer></body></html>\n")


def _contents(evidence: Evidence) -> Iterator[str]:
    entries = [("scope", "Scope"), ("summary", "Summary")]
    if len(evidence.repositories) > 1:
        entries.append(("overview", "Overview of repositories"))
    entries += [(f"repo-{index}", f"Repository {repository.label}")
                for index, repository in enumerate(evidence.repositories, start=1)]
    entries += [("rules", "Rule documentation"), ("method", "Method")]
    yield "<nav><strong>Contents</strong><ol>"
    yield "".join(f'<li><a href="#{anchor}">{esc(text)}</a></li>' for anchor, text in entries)
    yield "</ol></nav>\n"


def _scope(evidence: Evidence) -> Iterator[str]:
    yield '<section id="scope"><h2>Scope</h2>'
    yield (f"<p>pinlint {esc(evidence.tool_version)} wrote this report with reference date "
           f"<strong>{evidence.today.isoformat()}</strong> (expiry is judged against it). Inputs:</p>")
    rows = []
    for repository in evidence.repositories:
        for item in repository.inputs:
            if item.kind == FOLDER:
                what = f"folder, scanned by this report ({item.files_scanned or 0} files)"
                digest = f'<span class="mono">{esc(item.sha256)}</span><br><span class="muted">of the scan ' \
                         "result (check JSON)</span>"
            else:
                what = f"{item.kind} result, {item.size} bytes"
                digest = f'<span class="mono">{esc(item.sha256)}</span>'
            rows.append([esc(repository.label), f'<span class="mono">{esc(item.path)}</span>', esc(what), digest])
    yield from _table(["Repository", "Input", "Kind", "SHA-256"], rows)
    rows = []
    for repository in evidence.repositories:
        rows.append([
            esc(repository.label), esc(repository.today or "-"), esc(repository.profile or "-"),
            f'<span class="mono">{esc(repository.policy_file)}</span>' if repository.policy_file
            else '<span class="muted">none</span>' if CHECK in repository.kinds() or FOLDER in repository.kinds()
            else "-",
            esc(repository.tool_version or "-"),
        ])
    yield "<p>As each scan recorded itself:</p>"
    yield from _table(["Repository", "Scan's reference date", "Profile", "Policy file", "pinlint version"], rows)
    yield "</section>\n"


def _summary(evidence: Evidence) -> Iterator[str]:
    yield '<section id="summary"><h2>Summary</h2>'
    counts = evidence.severity_counts()
    accepted = sum(len(repository.accepted()) for repository in evidence.repositories)
    total = sum(counts.values())
    hosts = sum(len(repository.pinned_hosts()) for repository in evidence.repositories)
    yield (f"<p><strong>{total}</strong> open finding{'s' if total != 1 else ''}, {accepted} accepted "
           f"(suppressed or baselined), {hosts} pinned host{'s' if hosts != 1 else ''}.</p>")
    yield "<h3>By severity</h3>"
    yield from _table([*(_severity(severity) for severity in SEVERITY_ORDER), "total"],
                      [[*_counts_row(counts), str(total)]], numeric=range(6))
    yield "<h3>By platform</h3>"
    rows = [[esc(platform), *_counts_row(platform_counts), str(sum(platform_counts.values()))]
            for platform, platform_counts in evidence.platform_counts().items()]
    if rows:
        yield from _table(["Platform", *SEVERITY_ORDER, "total"], rows, numeric=range(1, 7))
    else:
        yield "<p class=muted>No finding and no pinned host on any platform.</p>"
    if len(evidence.repositories) > 1:
        days = [item.day for repository in evidence.repositories for item in repository.expiries()]
        chart = monthly_svg(days, evidence.today, "Expiries per month, every repository")
        yield "<h3>Expiries per month, every repository</h3>"
        yield chart or "<p class=muted>Nothing expires in the next twelve months.</p>"
    yield "</section>\n"


def _next_expiry(repository: Repository) -> str:
    for item in repository.expiries():
        return f"{item.day.isoformat()} ({esc(item.kind)})"
    return "-"


def _overview(evidence: Evidence) -> Iterator[str]:
    yield '<section id="overview"><h2>Overview of repositories</h2>'
    rows = []
    for index, repository in enumerate(evidence.repositories, start=1):
        counts = repository.severity_counts()
        kinds = ", ".join(sorted(repository.kinds()))
        rows.append([f'<a href="#repo-{index}">{esc(repository.label)}</a>', *_counts_row(counts),
                     str(len(repository.accepted())), str(len(repository.pinned_hosts())),
                     _next_expiry(repository), esc(kinds)])
    yield from _table(["Repository", *SEVERITY_ORDER, "accepted", "pinned hosts", "first expiry", "inputs"],
                      rows, numeric=range(1, 8))
    yield "</section>\n"


def _repository(index: int, repository: Repository, evidence: Evidence) -> Iterator[str]:
    yield f'<section class="repository" id="repo-{index}"><h2>Repository {esc(repository.label)}</h2>'
    kinds = repository.kinds()
    counts = repository.severity_counts()
    if CHECK in kinds or FOLDER in kinds:
        yield from _table([*(_severity(severity) for severity in SEVERITY_ORDER), "accepted"],
                          [[*_counts_row(counts), str(len(repository.accepted()))]], numeric=range(6))
    else:
        yield "<p class=muted>No check result was given for this repository: findings are not known.</p>"
    yield from _inventory(repository, kinds)
    yield from _timeline(repository, evidence.today)
    if repository.live or LIVE in kinds:
        yield from _live(repository)
    if CHECK in kinds or FOLDER in kinds:
        yield from _findings(repository, evidence)
        yield from _accepted(repository, evidence)
    yield from _repository_method(repository)
    yield "</section>\n"


def _pins_cell(entry: InventoryRecord) -> str:
    items = []
    for pin in (*entry.pins, *entry.certificates):
        detail = pin.role + (f", {pin.subject}" if pin.subject else "")
        expiry = f", until {pin.not_after.isoformat()}" if pin.not_after else ""
        items.append(f'<span class="mono">{esc(pin.value)}</span> <span class="muted">({esc(detail)}'
                     f"{expiry})</span>")
    return "<br>".join(items) or '<span class="muted">none</span>'


def _inventory(repository: Repository, kinds: set[str]) -> Iterator[str]:
    yield "<h3>Pin inventory</h3>"
    if INVENTORY not in kinds and FOLDER not in kinds:
        yield "<p class=muted>No inventory result was given for this repository.</p>"
        return
    if not repository.inventory:
        yield "<p>No pinned host: nothing in this repository pins a certificate or key.</p>"
        return
    rows = []
    for entry in repository.inventory:
        host = esc(entry.host) + (' <span class="muted">and subdomains</span>' if entry.include_subdomains else "")
        status = esc(entry.status) + (f' <span class="muted">({esc(entry.variant)} build only)</span>'
                                      if entry.variant else "")
        backup = esc(entry.backup) if entry.backup == "yes" else f'<span class="bad">{esc(entry.backup)}</span>'
        rows.append([host, esc(entry.platform), esc(entry.mechanism) + f' <span class="muted">({esc(entry.kind)})'
                     "</span>", _pins_cell(entry), backup,
                     entry.expiration.isoformat() if entry.expiration else "-", status,
                     f'<span class="mono">{esc(entry.file)}:{entry.line}</span>'])
    yield from _table(["Host", "Platform", "Mechanism", "Pins", "Backup", "Expiry", "Enforcement", "Source"], rows)


def _timeline(repository: Repository, today: date) -> Iterator[str]:
    expiries = repository.expiries()
    if not expiries:
        return
    shown, later = in_window(expiries, today)
    yield "<h3>Expiry timeline, next twelve months</h3>"
    yield ('<p class="legend"><span><i class="dot pinset"></i> pin set</span><span><i class="dot certificate">'
           '</i> bundled certificate</span><span><i class="dot live"></i> live leaf</span><span><i class="dot '
           'expired"></i> already expired</span></p>')
    yield timeline_svg(shown, today, f"Expiry timeline of {repository.label}") or \
        "<p class=muted>Nothing expires in the next twelve months.</p>"
    rows = [[item.day.isoformat(), esc(item.kind), esc(item.what), f'<span class="mono">{esc(item.where)}</span>']
            for item in expiries]
    yield from _table(["Date", "What", "Name", "Where"], rows)
    if later:
        verb = "expires" if len(later) == 1 else "expire"
        yield f"<p class=muted>{len(later)} of these {verb} after the twelve months the chart shows.</p>"


def _live(repository: Repository) -> Iterator[str]:
    yield "<h3>Live check: what the servers present</h3>"
    if not repository.live:
        yield "<p class=muted>The live-check result lists no host.</p>"
        return
    rows = []
    for host in repository.live:
        rows.append(_live_row(host))
    yield from _table(["Host", "Address", "Chain", "Valid", "Name", "Leaf days left", "Backup ready", "Drift",
                       "Platforms"], rows)


def _live_row(host: LiveHost) -> list[str]:
    chain = "<br>".join(
        f"{esc(cert.subject)} <span class=muted>(until {cert.not_after.isoformat() if cert.not_after else '?'})"
        "</span>" for cert in host.chain) or '<span class="muted">none</span>'
    if host.error:
        chain = f'<span class="bad">{esc(host.error)}</span>'
    platforms = "<br>".join(
        f"{esc(item.platform)} {esc(item.mechanism)}: "
        f"{_yes_no(item.accepted, 'accepts', 'rejects')} <span class=muted>{esc(item.reason)}</span>"
        for item in host.platforms) or '<span class="muted">no pinning</span>'
    drift = "<br>".join(esc(item) for item in host.drift) or "-"
    days = "-" if host.leaf_days_left is None else str(host.leaf_days_left)
    return [esc(host.host), f'<span class="mono">{esc(host.address)}</span>', chain, _yes_no(host.chain_valid),
            _yes_no(host.name_matches, "matches", "mismatch"), days, _yes_no(host.backup_ready), drift, platforms]


def _finding_block(finding: FindingRecord, evidence: Evidence) -> str:
    where = f"{finding.path}:{finding.line}" + (f":{finding.column}" if finding.column else "")
    return (f'<div class="finding {esc(finding.severity)}">{_severity(finding.severity)} '
            f"<strong>{_rule_link(finding.rule, evidence)}</strong> <span class=muted>{esc(finding.slug)}</span> · "
            f'<span class="mono">{esc(where)}</span> · {esc(finding.platform)}'
            f"<br>{esc(finding.message)}</div>")


def _findings(repository: Repository, evidence: Evidence) -> Iterator[str]:
    yield "<h3>Findings by severity</h3>"
    active = repository.active()
    if not active:
        yield "<p class=ok>No open finding.</p>"
        return
    for severity in SEVERITY_ORDER:
        chosen = [finding for finding in active if finding.severity == severity]
        if chosen:
            yield f"<h4>{esc(severity.capitalize())} ({len(chosen)})</h4>"
            yield "".join(_finding_block(finding, evidence) for finding in chosen)


def _accepted(repository: Repository, evidence: Evidence) -> Iterator[str]:
    yield "<h3>Accepted risk: suppressions and baselined findings</h3>"
    accepted = repository.accepted()
    if accepted:
        rows = [[_rule_link(finding.rule, evidence), _severity(finding.severity),
                 f'<span class="mono">{esc(finding.path)}:{finding.line}</span>', esc(finding.message),
                 esc(finding.suppression_kind),
                 esc(finding.suppression_reason) or '<span class="bad">no reason recorded</span>',
                 f'<span class="mono">{esc(finding.suppression_place)}</span>' if finding.suppression_place else "-"]
                for finding in accepted]
        yield from _table(["Rule", "Severity", "Where", "Finding", "Accepted by", "Reason", "Recorded at"], rows)
    else:
        yield "<p>No finding is suppressed or baselined.</p>"
    if repository.notices:
        yield "<h4>Notices</h4><ul>"
        for notice in repository.notices:
            where = f"{notice.path}:{notice.line}: " if notice.path and notice.line else \
                f"{notice.path}: " if notice.path else ""
            yield f'<li><span class="mono">{esc(where)}</span>{esc(notice.message)}</li>'
        yield "</ul>"


def _repository_method(repository: Repository) -> Iterator[str]:
    yield "<h3>What was read</h3><ul>"
    if repository.files_scanned is not None:
        yield f"<li>{repository.files_scanned} files considered by the scan.</li>"
    if repository.left_out_in_tests:
        yield (f"<li>{repository.left_out_in_tests} finding(s) only in test code left out, as the scan does "
               "by default (<code>--include-tests</code> shows them).</li>")
    if repository.test_files_not_analysed:
        yield (f"<li>{repository.test_files_not_analysed} test code file(s) not analysed: test code is not "
               "shipped, and the precommit profile does not parse it (<code>--include-tests</code> or "
               "<code>--profile audit</code> does).</li>")
    unreadable = [finding for finding in repository.findings if finding.rule == "CFG901"]
    if unreadable:
        yield f"<li>{len(unreadable)} file(s) could not be read or parsed (CFG901):<ul>"
        yield "".join(f'<li><span class="mono">{esc(finding.path)}</span>: {esc(finding.message)}</li>'
                      for finding in unreadable)
        yield "</ul></li>"
    if repository.skipped:
        yield f"<li>{len(repository.skipped)} path(s) not read:<ul>"
        yield "".join(f'<li><span class="mono">{esc(item.path)}</span>: {esc(item.message)}</li>'
                      for item in repository.skipped)
        yield "</ul></li>"
    if repository.excluded:
        yield "<li>Excluded by the policy: " + ", ".join(
            f'<span class="mono">{esc(pattern)}</span>' for pattern in repository.excluded) + "</li>"
    if repository.errors:
        yield "<li>Errors during the scan:<ul>"
        yield "".join(f"<li>{esc(error)}</li>" for error in repository.errors)
        yield "</ul></li>"
    if not (unreadable or repository.skipped or repository.errors):
        yield "<li>Every file the scan wanted to read was read.</li>"
    yield "</ul>"


_FENCE = re.compile(r"```[a-zA-Z0-9_+-]*\n(.*?)```", re.S)
_CODE = re.compile(r"`([^`\n]+)`")


def _doc_html(text: str) -> str:
    """A rule's documentation section (Markdown paragraphs, fenced examples, inline code) as HTML."""
    parts = []
    position = 0
    for match in _FENCE.finditer(text):
        parts.extend(_paragraphs(text[position:match.start()]))
        parts.append(f"<pre><code>{html.escape(match.group(1).rstrip())}</code></pre>")
        position = match.end()
    parts.extend(_paragraphs(text[position:]))
    return "".join(parts)


def _paragraphs(text: str) -> list[str]:
    blocks = [html.escape(" ".join(block.split())) for block in re.split(r"\n\s*\n", text) if block.strip()]
    return ["<p>" + _CODE.sub(r"<code>\1</code>", block) + "</p>" for block in blocks]


def _rule_html(rule: Rule) -> str:
    meta = [f"Severity: {rule.severity}", f"Confidence: {rule.confidence}"]
    if rule.cwe:
        meta.append("CWE: " + ", ".join(rule.cwe))
    if rule.masvs:
        meta.append("OWASP MASVS: " + ", ".join(rule.masvs))
    if rule.hipaa:
        meta.append("HIPAA: " + rule.hipaa)
    parts = [f'<article class="rule" id="rule-{rule.id}"><h3>{html.escape(rule.id)} {html.escape(rule.slug)}: '
             f"{html.escape(rule.title)}</h3><p class=meta>{html.escape(' · '.join(meta))}</p>"]
    for key, heading in DOC_SECTIONS:
        parts.append(f"<h4>{html.escape(heading)}</h4>")
        if key == "references":
            # references stay text: the page links to nothing outside itself
            parts.append("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in rule.references) + "</ul>")
        else:
            parts.append(_doc_html(str(getattr(rule, key))))
    parts.append("</article>")
    return "".join(parts)


def _rules(evidence: Evidence) -> Iterator[str]:
    yield '<section id="rules"><h2>Rule documentation</h2>'
    cited = {finding.rule for repository in evidence.repositories for finding in repository.findings}
    unknown = sorted(cited - set(evidence.rules))
    if not evidence.rules:
        yield "<p>No finding cites a rule.</p>"
    for rule in evidence.rules.values():
        yield _rule_html(rule)
    if unknown:
        yield ("<p>Not in this pinlint's catalogue (results from another version): "
               + ", ".join(esc(rule_id) for rule_id in unknown) + "</p>")
    yield "</section>\n"


def _method(evidence: Evidence) -> Iterator[str]:
    yield '<section id="method"><h2>Method</h2>'
    yield ("<p>pinlint reads a repository's files without running, importing or fetching anything from it. "
           "Android and iOS configuration (network security config, manifests, Gradle, plists), cross-platform "
           "configuration (Expo, Cordova, Capacitor), app code (Kotlin, Java, Swift, Objective-C, Dart, C#, "
           "JavaScript/TypeScript, Python) and certificates are parsed with the platform's semantics; "
           "a file no parser claims (images, binaries, archives, other languages) is not read. XML entities "
           "and DTDs are refused, links are not followed, files over the size limit are reported and skipped; "
           "each repository's section lists what its scan could not read.</p>")
    if evidence.never_scanned:
        yield ("<p>Folders never entered: " + ", ".join(f'<span class="mono">{esc(name)}</span>'
                                                        for name in evidence.never_scanned) + ".</p>")
    yield ("<p>Folders were scanned by this report with the same pipeline and policy as <code>pinlint check"
           "</code>; result files were read as written by <code>pinlint check</code>, <code>pinlint inventory"
           "</code> and <code>pinlint live-check</code> (JSON version 1), and their SHA-256 digests are in the "
           "scope above. Only a live-check result comes from the network; nothing else in this report does.</p>")
    yield "</section>\n"
