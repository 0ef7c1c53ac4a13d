"""Baselines: the findings a project has accepted for now, so a check reports only new ones.

A baseline is a versioned JSON file of fingerprints. A fingerprint hashes the rule, the file path and what
the finding is about (hosts, pins, the shape of a trust handler), never a line number, so a baseline
survives edits that move lines. Each entry also carries the rule, path, subject and message so reviewers
can read what was accepted, and a count for findings that repeat with the same fingerprint.

Entries are keyed by the path from the project root (the folder holding the policy file or ``.git``,
see ``pinlint.config.loader.project_root``), whatever folder pinlint runs in: ``cd app && pinlint check
.. --baseline ../.pinlint-baseline.json`` matches what ``pinlint baseline .`` recorded at the root. A
baseline written before this rule by a run in the project root (as the README said to) has the same keys
and is read unchanged; the file says ``"paths": "project-root"`` now (a key added within version 1).

```json
{"pinlint-baseline": 1, "findings": [{"fingerprint": "…", "rule": "PIN101", "path": "app/…",
  "subject": ["android-nsc", "any", "api.example.com"], "message": "…", "count": 1}]}
```
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from pinlint import __version__
from pinlint.model.findings import Finding, Suppression

VERSION = 1
FORMAT_KEY = "pinlint-baseline"
_FINGERPRINT = re.compile(r"^[0-9a-f]{16,64}$")


class BaselineError(Exception):
    """A baseline file pinlint cannot use; the message is one line."""


PATHS_KEY = "paths"
PATHS_FROM_ROOT = "project-root"


def _same(path: str) -> str:
    return path


def key_of(finding: Finding, root_path: Callable[[str], str] = _same) -> str:
    """The baseline key of ``finding``: its fingerprint computed with its path from the project root."""
    path = root_path(finding.span.path)
    if path == finding.span.path:
        return finding.fingerprint
    return replace(finding, span=replace(finding.span, path=path)).fingerprint


@dataclass
class Baseline:
    """Accepted fingerprints with how many findings each may absorb, and the path each entry is for."""

    source: str
    counts: Counter[str] = field(default_factory=Counter)
    #: fingerprint -> the entry's path (from the project root), for telling stale entries apart
    paths: dict[str, str] = field(default_factory=dict)
    #: display path -> path from the project root (set by the command line for the scan's folders)
    root_path: Callable[[str], str] = _same
    #: fingerprints that matched no finding in the latest ``apply``
    unmatched: list[str] = field(default_factory=list)

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """Mark findings in the baseline as suppressed (``kind="baseline"``); the rest are new."""
        remaining = Counter(self.counts)
        marked: list[Finding] = []
        for finding in findings:
            key = key_of(finding, self.root_path)
            if finding.suppression is None and remaining[key] > 0:
                remaining[key] -= 1
                finding = replace(finding, suppression=Suppression("baseline", f"in baseline {self.source}"))
            marked.append(finding)
        self.unmatched = [key for key, count in self.counts.items() if remaining[key] == count]
        return marked

    def warning(self, scanned: Collection[str], over_folders: bool) -> str | None:
        """What to say about entries that matched nothing: stale entries for files this scan read, or, when
        no entry matched during a scan of folders, that the baseline is for other paths. ``scanned`` holds
        the display paths of the files scanned. None when there is nothing to say (a pre-commit run over a
        few files leaves the other files' entries alone)."""
        if not self.unmatched:
            return None
        in_scan = {self.root_path(display) for display in scanned}
        stale = [key for key in self.unmatched if self.paths.get(key) in in_scan]
        total = len(self.counts)
        if len(self.unmatched) == total and over_folders and not stale:
            sample = sorted({self.paths[key] for key in self.unmatched if key in self.paths})[:1]
            example = f" (such as {sample[0]})" if sample else ""
            return (f"baseline {self.source}: none of its {total} entries matches a finding in this scan; its "
                    f"paths{example} are from the project root: scan the folders it was recorded for")
        if stale:
            plural = "entries match" if len(stale) != 1 else "entry matches"
            return (f"baseline {self.source}: {len(stale)} {plural} no finding in the files scanned (fixed since?); "
                    "'pinlint baseline' records the current findings")
        return None


def render(findings: Iterable[Finding], root_path: Callable[[str], str] = _same) -> str:
    """The baseline JSON for the findings not already suppressed, sorted for stable diffs; entries keyed and
    named by the path from the project root (``root_path`` maps display paths to it)."""
    entries: dict[str, dict[str, Any]] = {}
    for finding in findings:
        if finding.suppression is not None:
            continue
        key = key_of(finding, root_path)
        entry = entries.get(key)
        if entry is None:
            entries[key] = {
                "fingerprint": key,
                "rule": finding.rule_id,
                "path": root_path(finding.span.path),
                "subject": list(finding.subject),
                "message": finding.message,
                "count": 1,
            }
        else:
            entry["count"] += 1
    document = {
        FORMAT_KEY: VERSION,
        "generated-by": f"pinlint {__version__}",
        PATHS_KEY: PATHS_FROM_ROOT,
        "findings": sorted(entries.values(), key=lambda e: (e["path"], e["rule"], e["fingerprint"])),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def from_document(document: object, source: str) -> Baseline:
    """The baseline a parsed JSON ``document`` holds (read from ``source``, which messages name). Raises
    BaselineError with a one-line message."""
    if not isinstance(document, dict) or FORMAT_KEY not in document:
        raise BaselineError(f"{source}: not a pinlint baseline (no '{FORMAT_KEY}' key)")
    if document[FORMAT_KEY] != VERSION:
        raise BaselineError(f"{source}: baseline version {document[FORMAT_KEY]!r} is not supported "
                            f"(this pinlint reads {VERSION})")
    entries = document.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{source}: 'findings' must be a list")
    counts: Counter[str] = Counter()
    paths: dict[str, str] = {}
    for index, entry in enumerate(entries):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not _FINGERPRINT.match(fingerprint):
            raise BaselineError(f"{source}: findings[{index}] has no valid 'fingerprint'")
        count = entry.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise BaselineError(f"{source}: findings[{index}] 'count' must be a positive whole number")
        counts[fingerprint] += count
        if isinstance(entry.get("path"), str):
            paths[fingerprint] = entry["path"]
    return Baseline(source, counts, paths)
