"""Baselines: the findings a project has accepted for now, so a check reports only new ones.

A baseline is a versioned JSON file of fingerprints. A fingerprint hashes the rule, the file path and what
the finding is about (hosts, pins, the shape of a trust handler), never a line number, so a baseline
survives edits that move lines. Each entry also carries the rule, path, subject and message so reviewers
can read what was accepted, and a count for findings that repeat with the same fingerprint. Paths are as
reported, relative to the folder pinlint runs in: write and use a baseline from the same folder (the
repository root, as pre-commit and CI do).

```json
{"pinlint-baseline": 1, "findings": [{"fingerprint": "…", "rule": "PIN101", "path": "app/…",
  "subject": ["android-nsc", "any", "api.example.com"], "message": "…", "count": 1}]}
```
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pinlint import __version__
from pinlint.model.findings import Finding, Suppression

VERSION = 1
FORMAT_KEY = "pinlint-baseline"
MAX_BASELINE_BYTES = 64 * 1024 * 1024
_FINGERPRINT = re.compile(r"^[0-9a-f]{16,64}$")


class BaselineError(Exception):
    """A baseline file pinlint cannot use; the message is one line."""


@dataclass
class Baseline:
    """Accepted fingerprints with how many findings each may absorb."""

    source: str
    counts: Counter[str] = field(default_factory=Counter)

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """Mark findings in the baseline as suppressed (``kind="baseline"``); the rest are new."""
        remaining = Counter(self.counts)
        marked: list[Finding] = []
        for finding in findings:
            if finding.suppression is None and remaining[finding.fingerprint] > 0:
                remaining[finding.fingerprint] -= 1
                finding = replace(finding, suppression=Suppression("baseline", f"in baseline {self.source}"))
            marked.append(finding)
        return marked


def render(findings: Iterable[Finding]) -> str:
    """The baseline JSON for the findings not already suppressed, sorted for stable diffs."""
    entries: dict[str, dict[str, Any]] = {}
    for finding in findings:
        if finding.suppression is not None:
            continue
        entry = entries.get(finding.fingerprint)
        if entry is None:
            entries[finding.fingerprint] = {
                "fingerprint": finding.fingerprint,
                "rule": finding.rule_id,
                "path": finding.span.path,
                "subject": list(finding.subject),
                "message": finding.message,
                "count": 1,
            }
        else:
            entry["count"] += 1
    document = {
        FORMAT_KEY: VERSION,
        "generated-by": f"pinlint {__version__}",
        "findings": sorted(entries.values(), key=lambda e: (e["path"], e["rule"], e["fingerprint"])),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def load(path: Path) -> Baseline:
    """Read a baseline file. Raises BaselineError with a one-line message."""
    try:
        if path.stat().st_size > MAX_BASELINE_BYTES:
            raise BaselineError(f"{path}: too large for a baseline file")
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such file") from None
    except OSError as error:
        raise BaselineError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from None
    except RecursionError:
        raise BaselineError(f"{path}: nested too deeply to be a baseline") from None
    if not isinstance(document, dict) or FORMAT_KEY not in document:
        raise BaselineError(f"{path}: not a pinlint baseline (no '{FORMAT_KEY}' key)")
    if document[FORMAT_KEY] != VERSION:
        raise BaselineError(f"{path}: baseline version {document[FORMAT_KEY]!r} is not supported "
                            f"(this pinlint reads {VERSION})")
    entries = document.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: 'findings' must be a list")
    counts: Counter[str] = Counter()
    for index, entry in enumerate(entries):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not _FINGERPRINT.match(fingerprint):
            raise BaselineError(f"{path}: findings[{index}] has no valid 'fingerprint'")
        count = entry.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise BaselineError(f"{path}: findings[{index}] 'count' must be a positive whole number")
        counts[fingerprint] += count
    return Baseline(str(path), counts)
