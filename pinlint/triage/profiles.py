"""The step after the checks: inline suppressions, the baseline and the profile, in that order.

Profiles say whose word counts and how much to show:

- ``precommit`` (the default, for a project's own tree): its policy file and reasoned inline suppressions
  are obeyed; the command line hides low-confidence and informational findings (counted in a notice).
  A scan through the library API hides nothing unless asked (``ScanOptions.hide_low_confidence``).
- ``audit`` (for a vendor's tree): policy files and inline suppressions inside the scanned tree are listed,
  not obeyed; every finding is shown; the text report ends with a per-platform summary.

In both profiles a finding whose every location is in test sources (``pinlint.vocab.testcode``) is left out
and counted: test code is not shipped. ``include_tests`` shows them one severity level lower, tagged ``test``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from pinlint.model.facts import Note, Span
from pinlint.model.findings import Finding, lower_severity
from pinlint.triage import PROFILES as PROFILES
from pinlint.triage.suppress import Directive, apply_inline

if TYPE_CHECKING:
    from pinlint.triage.baseline import Baseline

#: The tag (SARIF ``properties.tags``) and message note of a finding shown from test code.
TEST_TAG = "test"
TEST_NOTE = " (test code only, not shipped in the app)"


def in_test_sources(finding: Finding, test_paths: Collection[str]) -> bool:
    """Whether every location of ``finding`` (its span and related spans) is in a test source."""
    paths = [finding.span.path, *(span.path for span in finding.related)]
    return bool(test_paths) and all(path in test_paths for path in paths) and bool(finding.span.path)


def set_aside_tests(
    findings: Iterable[Finding], test_paths: Collection[str], include_tests: bool,
) -> tuple[list[Finding], int]:
    """The findings to keep and how many were left out because they are in test code only.

    With ``include_tests`` nothing is left out: test findings are shown one severity level lower, with
    the ``test`` tag and a note in the message.
    """
    kept: list[Finding] = []
    left_out = 0
    for finding in findings:
        if not in_test_sources(finding, test_paths):
            kept.append(finding)
        elif include_tests:
            kept.append(replace(
                finding, severity=lower_severity(finding.severity or "medium"),
                message=finding.message if finding.message.endswith(TEST_NOTE) else finding.message + TEST_NOTE,
                tags=(*finding.tags, TEST_TAG)))
        else:
            left_out += 1
    return kept, left_out


def is_noise(finding: Finding) -> bool:
    """Low-confidence or informational: left out of a precommit report."""
    return finding.confidence == "low" or finding.severity == "info"


def triage(
    findings: Iterable[Finding],
    scanned: Collection[str],
    active_rules: Iterable[str],
    *,
    profile: str = "precommit",
    baseline: Baseline | None = None,
    hide_low_confidence: bool = False,
    directives: Mapping[str, list[Directive]] | None = None,
    test_paths: Collection[str] = (),
    include_tests: bool = False,
    over_folders: bool | None = None,
    policy_files: Collection[str] = (),
) -> tuple[list[Finding], list[Note]]:
    """The findings to report (suppressed ones kept and marked) and notices about suppressions and policy.

    ``scanned`` holds the display paths of the files scanned and ``directives`` their suppression comments
    (read with the facts, in the same pass). ``over_folders`` says whether the scan was given folders (None:
    say nothing about baseline entries that match no finding). ``policy_files`` are the scanned files that
    are pinlint policy files, listed as not obeyed in the audit profile.
    """
    audit = profile == "audit"
    marked, notices = apply_inline(findings, directives or {}, active_rules, obey=not audit)
    if baseline is not None:
        marked = baseline.apply(marked)
        warning = baseline.warning(scanned, over_folders=over_folders) if over_folders is not None else None
        if warning:
            notices.append(Note(Span(""), warning))
    marked, _left_out = set_aside_tests(marked, test_paths, include_tests)  # counted in the scan summary
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
            for display in policy_files
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
