"""The JVM fixtures of rules whose catalogue entries live elsewhere, checked through their checks directly.

``fixtures/PIN105-...``, ``PIN106-...``, ``CLR204-...`` and ``CLR205-...`` hold OkHttp and JSSE shapes
this front end feeds to the shared checks. Running the check functions over the parsed facts verifies the
markers even where the rule's YAML entry is not in this tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from pinlint.checks import cleartext, pins
from pinlint.checks.context import CheckContext
from pinlint.model.facts import FactStore
from pinlint.parsers import SourceFile
from pinlint.parsers.code import lang_jvm
from pinlint.rules import Rule
from tests.checks.test_fixtures import expected_markers
from tests.conftest import FIXTURE_TODAY, FIXTURES

CASES: dict[str, tuple[str, Callable[[FactStore, CheckContext], Iterable[Any]]]] = {
    "PIN105-weak-pin-digest-okhttp": ("PIN105", pins.weak_pin_digest),
    "PIN106-invalid-pin-okhttp": ("PIN106", pins.invalid_pin),
    "CLR204-weak-tls-version-jvm": ("CLR204", cleartext.weak_tls_version),
    "CLR205-weak-cipher-suite-jvm": ("CLR205", cleartext.weak_cipher_suite),
}


def _facts(project: Path) -> FactStore:
    store = FactStore()
    for path in sorted(project.rglob("*")):
        if path.is_file() and lang_jvm.accepts(path.name, b""):
            display = path.relative_to(project).as_posix()
            store.extend(lang_jvm.parse(SourceFile(path, display, path.read_bytes())))
    return store


@pytest.mark.parametrize("folder", sorted(CASES))
def test_markers_match_check_output(folder: str) -> None:
    rule_id, check = CASES[folder]
    project = FIXTURES / folder
    rule = Rule(rule_id, rule_id.lower(), rule_id, "high", "high", (), (), "", (), "", "", "", "", "", ())
    findings = list(check(_facts(project), CheckContext(today=FIXTURE_TODAY, rule=rule)))
    actual = {(finding.span.path, finding.span.line, finding.rule_id) for finding in findings}
    assert actual
    assert actual == expected_markers(project)
