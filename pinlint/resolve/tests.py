"""Test code: facts from test sources carry the ``test`` variant, so no resolution counts them as the app's.

The pipeline lists the test sources of the scan (``store.attributes["test_paths"]``, decided by
``pinlint.vocab.testcode``). A pin set in a unit test does not pin the app's host (PIN111), is not compared
with the app's pins (PIN110) and is not in the inventory; a trust switch in a test is still a fact, so
``--include-tests`` can show it. Findings whose every location is in test code are set aside by triage.
Runs first, so the resolvers after it see the marks.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace

from pinlint.model.facts import FactStore

TEST_VARIANT = "test"


def resolve(store: FactStore) -> None:
    test_paths = store.attributes.get("test_paths") or set()
    if not test_paths:
        return
    for index, fact in enumerate(store.facts):
        span = getattr(fact, "span", None)
        if span is None or span.path not in test_paths or not is_dataclass(fact) or isinstance(fact, type):
            continue
        names = {item.name for item in fields(fact)}
        if "variant" in names and vars_of(fact).get("variant", "") is None:
            store.facts[index] = replace(fact, variant=TEST_VARIANT)


def vars_of(fact: object) -> dict[str, object]:
    """The field values of a (slotted) dataclass fact."""
    return {item.name: getattr(fact, item.name) for item in fields(fact)}  # type: ignore[arg-type]
