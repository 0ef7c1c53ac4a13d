"""The step after the checks: inline suppressions, the baseline and the profile, in that order.

Profiles say whose word counts and how much to show:

- ``precommit`` (the default, for a project's own tree): its policy file and reasoned inline suppressions
  are obeyed; the command line hides low-confidence and informational findings (counted in a notice).
  A scan through the library API hides nothing unless asked (``ScanOptions.hide_low_confidence``).
- ``audit`` (for a vendor's tree): policy files and inline suppressions inside the scanned tree are listed,
  not obeyed; every finding is shown; the text report ends with a per-platform summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from pinlint.config.loader import is_config_file
from pinlint.model.facts import Note, Span
from pinlint.model.findings import Finding
from pinlint.triage.baseline import Baseline
from pinlint.triage.suppress import Directive, apply_inline, read_directives

PROFILES = ("precommit", "audit")


def is_noise(finding: Finding) -> bool:
    """Low-confidence or informational: left out of a precommit report."""
    return finding.confidence == "low" or finding.severity == "info"


def triage(
    findings: Iterable[Finding],
    sources: Mapping[str, Path],
    active_rules: Iterable[str],
    *,
    profile: str = "precommit",
    baseline: Baseline | None = None,
    max_file_size: int = 5 * 1024 * 1024,
    hide_low_confidence: bool = False,
    directives: Mapping[str, list[Directive]] | None = None,
) -> tuple[list[Finding], list[Note]]:
    """The findings to report (suppressed ones kept and marked) and notices about suppressions and policy.

    ``directives`` are the suppression comments of ``sources`` when already read (the engine reads them
    in the same pass as the facts); without them the files are read here.
    """
    audit = profile == "audit"
    if directives is None:
        directives = read_directives(sources, max_file_size)
    marked, notices = apply_inline(findings, directives, active_rules, obey=not audit)
    if baseline is not None:
        marked = baseline.apply(marked)
    hide = hide_low_confidence and not audit
    shown = [finding for finding in marked if not (hide and is_noise(finding))]
    hidden = len(marked) - len(shown)
    if hidden:
        notices.append(Note(Span(""), f"{hidden} low-confidence or informational finding"
                            f"{'s' if hidden != 1 else ''} hidden by the {profile} profile "
                            "(--profile audit shows them)"))
    if audit:
        notices.extend(
            Note(Span(display), "policy file inside the audited tree is not obeyed in the audit profile")
            for display, path in sources.items() if is_config_file(path)
        )
    return shown, notices


def merge_notices(first: list[Note], second: list[Note]) -> list[Note]:
    """Both lists without repeats, in order."""
    seen: set[tuple[str, int, str]] = set()
    merged: list[Note] = []
    for note in [*first, *second]:
        key = (note.span.path, note.span.line, note.text)
        if key not in seen:
            seen.add(key)
            merged.append(note)
    return merged
