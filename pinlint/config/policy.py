"""The policy a scan applies: which rules run, their severities and options, and project settings.

A Policy is built from defaults, then the project's config file (``pinlint.config.loader``), then the command
line. Checks see only the resolved values through ``CheckContext``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    #: The policy file these values came from, as the user knows its path; None when no file was read.
    source: str | None = None
    #: Where each value that is not a default came from: ``"fail-on"`` -> ``".pinlint.yaml:12"`` or
    #: ``"--fail-on"``; ``"severity.PIN104"``, ``"options.PIN104.warning_days"`` per rule (``--show-settings``).
    origins: dict[str, str] = field(default_factory=dict)
