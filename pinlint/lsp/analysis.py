"""One open file through the scan ``pinlint check`` runs, with the editor's buffers as an overlay.

The file is scanned as the pre-commit hook scans a staged file: alone, with the files that give it its
project context (a network security config's manifest and Gradle file) parsed as context, under the
policy ``pinlint check`` would find for it, in the precommit profile (reasoned inline suppressions obeyed,
low-confidence findings hidden).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pinlint.config.loader import ConfigError, resolve_policy
from pinlint.discover.walk import display_path
from pinlint.model.facts import Note
from pinlint.model.findings import Finding
from pinlint.pipeline import ScanInputs, run
from pinlint.rules import Rule

PROFILE = "precommit"


class PolicyUnusable(Exception):
    """The project's policy file cannot be used; the message says why (as ``pinlint check`` would)."""


@dataclass(frozen=True)
class FileReport:
    """What the scan says about one file."""

    path: Path
    #: Findings in the file that no reasoned suppression covers.
    findings: list[Finding]
    #: Notices placed in the file (unused or reasonless suppressions).
    notices: list[Note]
    rules: dict[str, Rule]
    #: Files read as the file's context: when one of them changes, the file is checked again.
    context: frozenset[Path] = frozenset()
    #: Internal errors of the scan, for the editor's log.
    errors: list[str] = field(default_factory=list)


def analyse(path: Path, root: Path, overlays: Mapping[str, bytes], today: date) -> FileReport:
    """Scan ``path`` (absolute) as part of the project at ``root``, reading the open buffers ``overlays``
    (``pinlint.pipeline.overlay_key`` keys) instead of their files. Raises ``PolicyUnusable``."""
    try:
        policy, notices = resolve_policy([path], profile=PROFILE)
    except ConfigError as error:
        raise PolicyUnusable(str(error)) from None
    result = run(ScanInputs(paths=[path], today=today, policy=policy, profile=PROFILE, relative_to=root,
                            overlays=overlays, jobs=1, notices=notices, hide_low_confidence=True))
    shown = display_path(path, root)
    context_paths = result.facts.attributes.get("context_paths", set())
    return FileReport(
        path=path,
        findings=[f for f in result.findings if f.span.path == shown and f.suppression is None],
        notices=[note for note in result.notices if note.span.path == shown],
        rules=result.rules,
        context=frozenset(root / display for display in context_paths),
        errors=list(result.errors),
    )
