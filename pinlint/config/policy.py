"""The policy a scan applies: which rules run, their severities and options, and project settings.

A Policy is built from defaults, then the project's config file (``pinlint.config.loader``), then the command
line. Checks see only the resolved values through ``CheckContext``.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pinlint.model.findings import Finding


@dataclass(frozen=True, slots=True)
class ArtifactRule:
    """One ``artifacts`` entry of the policy."""

    path: str
    reason: str
    classes: str = ""
    rules: tuple[str, ...] = ()
    ignore: bool = False
    severity: str | None = None

    def matches(self, finding: Finding) -> bool:
        outer = finding.span.path.split("!/", 1)[0]
        # the glob is anchored at any folder, so it means the same whatever folder the scan ran from
        if not any(fnmatch.fnmatchcase(candidate, pattern) for candidate in (outer, finding.span.path)
                   for pattern in (self.path, "*/" + self.path.lstrip("/"))):
            return False
        if self.rules and finding.rule_id not in self.rules:
            return False
        if self.classes:
            owner = finding.span.logical.rpartition(".")[0] if finding.span.logical else ""
            if not owner or not fnmatch.fnmatchcase(owner, self.classes):
                return False
        return True

    def describe(self) -> str:
        what = "ignored" if self.ignore else f"re-rated {self.severity}"
        scope = f"{self.path}" + (f" class {self.classes}" if self.classes else "") + (
            f" rules {', '.join(self.rules)}" if self.rules else "")
        return f"policy artifacts entry {scope}: {what} ({self.reason})"


@dataclass
class Policy:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    sensitive_hosts: list[str] = field(default_factory=list)
    fail_on: str = "low"
    #: Largest file read, in bytes; larger ones are reported and skipped.
    max_file_size: int = 5 * 1024 * 1024
    #: Scan vendored folders (node_modules, Pods, build...) in the precommit profile too.
    include_vendored: bool = False
    #: The folder ``exclude`` patterns are relative to (the policy file's folder); None: the scan's folder.
    exclude_root: str | None = None
    #: Findings in compiled artifacts to ignore or re-rate, each with its reason (``pinlint.triage.artifacts``).
    artifacts: list[ArtifactRule] = field(default_factory=list)
    #: The policy file these values came from, as the user knows its path; None when no file was read.
    source: str | None = None
    #: Where each value that is not a default came from: ``"fail-on"`` -> ``".pinlint.yaml:12"`` or
    #: ``"--fail-on"``; ``"severity.PIN104"``, ``"options.PIN104.warning_days"`` per rule (``--show-settings``).
    origins: dict[str, str] = field(default_factory=dict)
