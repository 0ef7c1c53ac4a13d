"""SARIF 2.1.0 output for code scanning (GitHub code scanning and any other SARIF consumer).

One run per report. ``tool.driver.rules`` lists the rules that ran, with their documentation as help
text; every finding becomes a result with an explicit level, a location relative to ``%SRCROOT%``, and a
line-independent fingerprint under ``partialFingerprints["pinlintFingerprint/v1"]``.
``primaryLocationLineHash`` is deliberately left out: GitHub's upload action computes it from the source.
Suppressed findings are kept, with ``suppressions``, so code scanning shows them as dismissed.
Files that could not be read or parsed are reported as ``invocations[0].toolExecutionNotifications``.

The object model is sarif-om; its serialiser drops every value equal to the model's default (a result
whose level is "warning" would lose its level and inherit the rule's), so the levels are written back
after serialising, and suppressions and property bags are plain mappings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from jschema_to_python.to_json import to_json
from sarif_om import (
    ArtifactLocation,
    Invocation,
    Location,
    Message,
    MultiformatMessageString,
    Notification,
    PhysicalLocation,
    Region,
    ReportingConfiguration,
    ReportingDescriptor,
    Result,
    Run,
    RunAutomationDetails,
    SarifLog,
    Tool,
    ToolComponent,
)

from pinlint import __version__
from pinlint.discover.archives import member_chain
from pinlint.model.facts import Span
from pinlint.model.findings import Finding, Suppression
from pinlint.model.result import ScanResult
from pinlint.render import RunInfo
from pinlint.rules import Rule, lookup

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "pinlintFingerprint/v1"
#: Columns count Unicode code points, as in the text and JSON output (Python's own string indexing);
#: written out, since a consumer's default may be UTF-16 code units.
COLUMN_KIND = "unicodeCodePoints"

#: pinlint severity -> SARIF level.
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
#: pinlint severity -> GitHub security-severity score (a string; GitHub bands: >9 critical, 7-8.9 high,
#: 4-6.9 medium, 0.1-3.9 low).
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
#: pinlint confidence -> GitHub precision.
PRECISION = {"high": "high", "medium": "medium", "low": "low"}

#: GitHub limits: descriptions up to 1024 characters, only the first 10 tags shown.
MAX_DESCRIPTION = 1024
MAX_TAGS = 10

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")


def level_of(severity: str | None) -> str:
    return LEVELS.get(severity or "medium", "warning")


def artifact_uri(path: str) -> tuple[str, str | None]:
    """The percent-encoded URI of a display path, and its base id (``%SRCROOT%`` for relative paths)."""
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return "file://" + quote(posix, safe="/"), None
    if _WINDOWS_DRIVE.match(posix):
        return "file:///" + posix[:2] + quote(posix[2:], safe="/"), None
    relative = str(PurePosixPath(posix)) if posix else "."
    return quote(relative, safe="/"), SRCROOT


def directory_uri(path: str) -> str:
    """A ``file:`` URI for an absolute directory (the CLI resolves it), with the trailing slash SARIF base
    URIs need."""
    uri = Path(path).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def clip(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, marked with an ellipsis when cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def rule_tags(rule: Rule) -> list[str]:
    """``security``, the CWE ids (also in the ``external/cwe/cwe-N`` form code scanning uses), MASVS ids,
    then platforms; at most 10, the number GitHub shows."""
    tags = ["security"]
    for cwe in rule.cwe:
        tags.append(cwe)
        number = cwe.upper().removeprefix("CWE-")
        if number.isdigit():
            tags.append(f"external/cwe/cwe-{number}")
    tags.extend(rule.masvs)
    tags.extend(rule.platforms)
    unique = list(dict.fromkeys(tags))
    return unique[:MAX_TAGS]


def reporting_descriptor(rule: Rule) -> ReportingDescriptor:
    what = rule.what_it_does.strip() or rule.title
    descriptor = ReportingDescriptor(
        id=rule.id,
        name=rule.slug,
        short_description=MultiformatMessageString(text=clip(rule.title)),
        full_description=MultiformatMessageString(text=clip(what), markdown=clip(what)),
        help=MultiformatMessageString(text=rule.markdown(), markdown=rule.markdown()),
        default_configuration=ReportingConfiguration(level=level_of(rule.severity)),
        properties={
            "tags": rule_tags(rule),
            "security-severity": SECURITY_SEVERITY.get(rule.severity, "5.5"),
            "precision": PRECISION.get(rule.confidence, "medium"),
        },
    )
    if rule.help_uri:
        descriptor.help_uri = rule.help_uri
    return descriptor


def region(span: Span) -> Region:
    start_line = max(1, span.line)
    start_col = max(1, span.col)
    found = Region(start_line=start_line, start_column=start_col)
    end_line = span.end_line if span.end_line is not None else (start_line if span.end_col else None)
    if end_line is None or end_line < start_line:
        return found
    found.end_line = end_line
    if span.end_col is not None and (end_line > start_line or span.end_col >= start_col):
        found.end_column = span.end_col
    return found


def location(span: Span, location_id: int | None = None, text: str | None = None) -> Location:
    uri, base = artifact_uri(span.path)
    found = Location(
        physical_location=PhysicalLocation(
            artifact_location=ArtifactLocation(uri=uri, uri_base_id=base),
            region=region(span),
        ),
    )
    if location_id is not None:
        found.id = location_id
    if text:
        found.message = Message(text=text)
    return found


def suppression_dict(suppression: Suppression) -> dict[str, Any]:
    """A SARIF suppression as a plain mapping (sarif-om's class predates the final schema)."""
    entry: dict[str, Any] = {
        "kind": "inSource" if suppression.kind == "inline" else "external",
        "status": "accepted",
    }
    justification = suppression.justification.strip()
    if justification:
        entry["justification"] = justification
    if suppression.span is not None:
        entry["location"] = json.loads(to_json(location(suppression.span)))
    return entry


def sarif_result(finding: Finding, rule_index: int) -> Result:
    found = Result(
        rule_id=finding.rule_id,
        rule_index=rule_index,
        level=level_of(finding.severity),
        message=Message(text=finding.message or finding.rule_id),
        locations=[location(finding.span)],
        partial_fingerprints={FINGERPRINT_KEY: finding.fingerprint},
        properties={"severity": finding.severity or "medium", "confidence": finding.confidence or "medium",
                    **({"tags": list(finding.tags)} if finding.tags else {})},
    )
    if finding.related:
        found.related_locations = [location(span, number) for number, span in enumerate(finding.related, 1)]
    if finding.suppression is not None:
        found.suppressions = [suppression_dict(finding.suppression)]
    return found


def automation_id(category: str | None) -> str | None:
    """``runAutomationDetails.id`` for a category: GitHub reads up to the last ``/`` as the category."""
    text = (category or "").strip()
    if not text:
        return None
    return text if text.endswith("/") else text + "/"


def reported_rules(result: ScanResult) -> list[Rule]:
    """The rules that ran, plus any rule a finding names that is not among them (defensive)."""
    rules = dict(result.rules)
    for finding in result.findings:
        if finding.rule_id not in rules:
            extra = lookup(finding.rule_id)
            if extra is not None:
                rules[extra.id] = extra
    return [rules[rule_id] for rule_id in sorted(rules)]


def notifications(result: ScanResult, rule_index: dict[str, int]) -> list[tuple[Notification, str]]:
    """Files that could not be scanned and internal errors, each with its SARIF level."""
    found: list[tuple[Notification, str]] = []
    for error in result.unreadable:
        rule_id = error.rule_id
        reference: dict[str, Any] = {"id": rule_id}
        if rule_id in rule_index:
            reference["index"] = rule_index[rule_id]
        verb = "refused unsafe XML" if error.unsafe else "could not parse"
        found.append((Notification(
            message=Message(text=f"{verb} {error.span.path}: {error.reason}"),
            locations=[location(error.span)],
            associated_rule=reference,
        ), "warning"))
    for skipped in result.skipped:
        level = "note" if "symbolic link" in skipped.reason else "warning"
        found.append((Notification(
            message=Message(text=f"skipped {skipped.display}: {skipped.reason}"),
            locations=[location(Span(skipped.display))],
        ), level))
    for error_text in result.errors:
        found.append((Notification(message=Message(text=error_text)), "error"))
    for notice in result.notices:
        found.append((Notification(
            message=Message(text=notice.text),
            locations=[location(notice.span)] if notice.span.path else None,
        ), "note"))
    if result.tests_left_out:
        found.append((Notification(message=Message(
            text=f"{result.tests_left_out} finding{'s' if result.tests_left_out != 1 else ''} in test code left "
                 "out (test code is not shipped; --include-tests shows them)")), "note"))
    if result.test_files_not_analysed:
        count = result.test_files_not_analysed
        found.append((Notification(message=Message(
            text=f"{count} test file{'s' if count != 1 else ''} not analysed by the precommit profile (test code "
                 "is not shipped; --include-tests analyses them)")), "note"))
    for finding in result.findings:
        if finding.rule_id not in rule_index:
            found.append((Notification(
                message=Message(text=f"unknown rule {finding.rule_id}, finding left out: {finding.message}"),
            ), "error"))
    return found


def render(result: ScanResult, run: RunInfo) -> str:
    rules = reported_rules(result)
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    findings = [finding for finding in result.findings if finding.rule_id in rule_index]
    notes = notifications(result, rule_index)
    invocation = Invocation(
        execution_successful=run.exit_code in (0, 1) and all(level != "error" for _note, level in notes),
        exit_code=run.exit_code,
    )
    if notes:
        invocation.tool_execution_notifications = [note for note, _level in notes]
    base: dict[str, Any] = (
        {"uri": directory_uri(run.source_root)} if run.source_root
        else {"description": {"text": "The directory pinlint was run from; result paths are relative to it."}}
    )
    sarif_run = Run(
        tool=Tool(driver=ToolComponent(
            name="pinlint",
            version=__version__,
            semantic_version=__version__,
            rules=[reporting_descriptor(rule) for rule in rules],
        )),
        original_uri_base_ids={SRCROOT: base},
        invocations=[invocation],
        results=[sarif_result(finding, rule_index[finding.rule_id]) for finding in findings],
    )
    category = automation_id(run.category)
    if category:
        sarif_run.automation_details = RunAutomationDetails(id=category)
    log = SarifLog(version=SARIF_VERSION, schema_uri=SARIF_SCHEMA, runs=[sarif_run])
    document = json.loads(to_json(log))
    restore_defaults(document["runs"][0], rules, findings, rule_index, [level for _note, level in notes])
    link_archive_members(document["runs"][0], findings)
    ordered = {"$schema": document.pop("$schema"), "version": document.pop("version"), **document}
    return json.dumps(readable_order(ordered), indent=2, ensure_ascii=False) + "\n"


#: Keys shown first, in this order, wherever they occur; the rest keep the serialiser's order.
_KEY_ORDER = (
    "$schema", "tool", "driver", "id", "name", "version", "semanticVersion", "informationUri", "ruleId",
    "ruleIndex", "level", "kind",
    "status", "message", "text", "markdown", "shortDescription", "fullDescription", "defaultConfiguration",
    "help", "helpUri", "locations", "physicalLocation", "artifactLocation", "uri", "uriBaseId", "region",
    "startLine", "startColumn", "endLine", "endColumn", "partialFingerprints", "relatedLocations",
    "suppressions", "automationDetails", "columnKind", "originalUriBaseIds", "invocations", "executionSuccessful",
    "exitCode", "results",
)
_RANK = {key: rank for rank, key in enumerate(_KEY_ORDER)}


def readable_order(value: Any) -> Any:
    """The same document with keys in a reading order (cosmetic; SARIF objects are unordered)."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: _RANK.get(key, len(_RANK)))
        return {key: readable_order(value[key]) for key in keys}
    if isinstance(value, list):
        return [readable_order(item) for item in value]
    return value


def restore_defaults(run: dict[str, Any], rules: list[Rule], findings: Iterable[Finding],
                     rule_index: dict[str, int], notification_levels: list[str]) -> None:
    """Write back what sarif-om's serialiser drops for equalling a default (levels, indexes, column kind)."""
    run["columnKind"] = COLUMN_KIND
    for descriptor, rule in zip(run["tool"]["driver"]["rules"], rules, strict=True):
        descriptor.setdefault("defaultConfiguration", {})["level"] = level_of(rule.severity)
    for sarif, finding in zip(run["results"], findings, strict=True):
        sarif["level"] = level_of(finding.severity)
        sarif["ruleIndex"] = rule_index[finding.rule_id]
    sarif_notes = run["invocations"][0].get("toolExecutionNotifications", [])
    for sarif_note, level in zip(sarif_notes, notification_levels, strict=True):
        sarif_note["level"] = level


def link_archive_members(run: dict[str, Any], findings: list[Finding]) -> None:
    """Results inside archives point at the outer archive (a file of the repository, where code scanning
    shows them) and, as a related location, at the member: ``run.artifacts`` lists the archive and each
    member, nested members linked to their archive by ``parentIndex``. Compiled code gets ``logicalLocations``
    (class and method)."""
    artifacts: list[dict[str, Any]] = []
    index: dict[tuple[str, ...], int] = {}

    def artifact(chain: tuple[str, ...]) -> int:
        known = index.get(chain)
        if known is not None:
            return known
        parent = artifact(chain[:-1]) if len(chain) > 1 else None
        if parent is None:
            uri, base = artifact_uri(chain[0])
            entry: dict[str, Any] = {"location": {"uri": uri, **({"uriBaseId": base} if base else {})}}
        else:
            entry = {"location": {"uri": "/" + quote(chain[-1], safe="/")}, "parentIndex": parent}
        index[chain] = len(artifacts)
        artifacts.append(entry)
        return index[chain]

    for result, finding in zip(run.get("results", []), findings, strict=False):
        primary = result["locations"][0]
        if finding.span.logical:
            primary["logicalLocations"] = [{"fullyQualifiedName": finding.span.logical, "kind": "function"}]
        chain = tuple(member_chain(finding.span.path))
        if len(chain) < 2:
            continue
        member = artifact(chain)
        outer = artifact(chain[:1])
        physical = primary["physicalLocation"]
        region = physical.get("region")
        # an archive has no lines: code scanning still needs a region, so the result sits on its first line
        physical["region"] = {"startLine": 1}
        physical["artifactLocation"] = {**artifacts[outer]["location"], "index": outer}
        related: dict[str, Any] = {
            "id": len(result.get("relatedLocations", [])) + 1,
            "physicalLocation": {"artifactLocation": {"uri": artifacts[member]["location"]["uri"], "index": member}},
            "message": {"text": f"in archive member {finding.span.path}"},
        }
        if region is not None:
            related["physicalLocation"]["region"] = region
        result.setdefault("relatedLocations", []).append(related)
    if artifacts:
        run["artifacts"] = artifacts
