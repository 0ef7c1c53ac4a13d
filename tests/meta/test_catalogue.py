"""Meta-tests: the rule catalogue, the checks and the fixtures stay one to one."""

from __future__ import annotations

import inspect

import pytest

from pinlint.rules import catalogue, lookup
from tests.checks.test_fixtures import expected_markers
from tests.conftest import FIXTURES

RULES = sorted(catalogue().values(), key=lambda rule: rule.id)


def test_catalogue_is_not_empty() -> None:
    assert len(RULES) >= 1


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_has_a_check_with_user_docs(rule) -> None:  # type: ignore[no-untyped-def]
    check = rule.load_check()
    assert callable(check)
    assert inspect.getdoc(check), f"{rule.check} needs a docstring"
    assert rule.id in (inspect.getdoc(check) or ""), f"{rule.check} docstring should name {rule.id}"
    for section in (rule.what_it_does, rule.why_bad, rule.example, rule.use_instead):
        assert section.strip()
    assert rule.references


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_has_a_fixture_that_fires(rule) -> None:  # type: ignore[no-untyped-def]
    folders = [path for path in FIXTURES.iterdir() if path.is_dir() and path.name.startswith(rule.id + "-")]
    assert folders, f"no fixtures/{rule.id}-{rule.slug}/ folder"
    fired = {rule_id for folder in folders for (_path, _line, rule_id) in expected_markers(folder)}
    assert rule.id in fired, f"no expect marker for {rule.id} in its fixture folder"


def test_checks_are_not_shared_between_rules() -> None:
    targets = [rule.check for rule in RULES]
    assert len(targets) == len(set(targets))


def test_lookup_by_id_and_slug() -> None:
    for rule in RULES:
        assert lookup(rule.id) is rule
        assert lookup(rule.slug) is rule
        assert lookup(rule.id.lower()) is rule
