"""Rule behaviour through fixture files with inline markers, checked both ways.

Every top-level folder of ``fixtures/`` (except those starting with ``_``) is scanned as one project.
A marker ``expect: PIN101`` (several ids comma-separated) in the file's own comment syntax says the rule
fires on that line; ``expect-next: PIN101`` says it fires on the next line. Every finding must be
marked and every marker must fire. Markers are read with a plain regex, independent of the parsers.

A folder may hold ``pinlint-fixture.yaml`` with policy settings the scan of that folder uses (today:
``sensitive-hosts``, as in ``.pinlint.yaml``), for rules that only act on a project's policy.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from pinlint.config.policy import Policy
from tests.conftest import FIXTURES, scan_path

MARKER = re.compile(r"\bexpect(?P<next>-next)?:\s*(?P<ids>[A-Z]{3}\d{3}(?:\s*,\s*[A-Z]{3}\d{3})*)")

Expectation = tuple[str, int, str]


def fixture_projects() -> list[Path]:
    return sorted(path for path in FIXTURES.iterdir() if path.is_dir() and not path.name.startswith("_"))


def expected_markers(project: Path) -> set[Expectation]:
    expected: set[Expectation] = set()
    for path in sorted(project.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if b"\x00" in data[:8192]:
            continue
        for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
            for match in MARKER.finditer(line):
                target = number + 1 if match.group("next") else number
                for rule_id in re.split(r"\s*,\s*", match.group("ids")):
                    expected.add((path.relative_to(project).as_posix(), target, rule_id))
    return expected


FIXTURE_POLICY = "pinlint-fixture.yaml"


def fixture_policy(project: Path) -> Policy:
    """The folder's ``pinlint-fixture.yaml`` settings, else the default policy."""
    path = project / FIXTURE_POLICY
    if not path.is_file():
        return Policy()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    hosts = data.get("sensitive-hosts") or data.get("sensitive_hosts") or []
    return Policy(sensitive_hosts=[str(host) for host in hosts])


@pytest.mark.parametrize("project", fixture_projects(), ids=lambda path: path.name)
def test_fixture_markers(project: Path) -> None:
    result = scan_path(project, policy=fixture_policy(project))
    actual = {(finding.span.path, finding.span.line, finding.rule_id) for finding in result.findings}
    expected = expected_markers(project)
    unexpected = sorted(actual - expected)
    missing = sorted(expected - actual)
    details = {(f.span.path, f.span.line, f.rule_id): f.message for f in result.findings}
    assert not unexpected and not missing, (
        "findings without markers:\n" + "\n".join(f"  {item} {details.get(item, '')}" for item in unexpected)
        + "\nmarkers that did not fire:\n" + "\n".join(f"  {item}" for item in missing)
    )
