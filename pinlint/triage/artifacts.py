"""Per-artifact policy: the policy's ``artifacts`` entries ignore or re-rate findings inside compiled SDKs the
team cannot change (the trust-all manager an analytics SDK ships but never installs), each with its reason.

An entry matches a finding by the artifact's path (a glob over the outer archive's path relative to the scan
root, or over any path), optionally by class (a glob over the class of the finding's logical location,
``com.vendor.analytics.*``) and by rules. ``ignore: true`` marks the finding suppressed (kind ``config``, the
reason as its justification: kept in JSON and SARIF, not counted); ``severity`` re-rates it. Every entry that
applies is listed in the summary with its reason and count, and an entry that matched nothing is noted too.
Entries come only from the policy the run obeys, so a policy file inside an audited tree never changes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pinlint.config.policy import ArtifactRule
from pinlint.model.facts import Note, Span
from pinlint.model.findings import Finding, Suppression


def apply(findings: Iterable[Finding], entries: Iterable[ArtifactRule]) -> tuple[list[Finding], list[Note]]:
    """The findings with every matching entry applied (the first that matches wins), and the summary notes."""
    entries = list(entries)
    counts = [0] * len(entries)
    result: list[Finding] = []
    for finding in findings:
        index = next((number for number, entry in enumerate(entries)
                      if finding.suppression is None and entry.matches(finding)), None)
        if index is None:
            result.append(finding)
            continue
        entry = entries[index]
        counts[index] += 1
        if entry.ignore:
            result.append(replace(finding, suppression=Suppression("config", entry.reason)))
        else:
            result.append(replace(finding, severity=entry.severity))
    notes = [Note(Span(""), f"{entry.describe()}: {count} finding{'s' if count != 1 else ''}")
             for entry, count in zip(entries, counts, strict=True)]
    return result, notes
