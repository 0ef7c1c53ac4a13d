"""The rule catalogue's cache: the same rules as the YAML files, and never a stale or damaged copy."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pinlint import rules


@pytest.fixture
def rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the shipped rule files, read instead of them, with a cache folder of the test's own."""
    folder = tmp_path / "rules"
    shutil.copytree(rules._rules_dir(), folder)
    monkeypatch.setattr(rules, "_rules_dir", lambda: folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rules.catalogue.cache_clear()
    yield folder
    rules.catalogue.cache_clear()


def fresh() -> dict[str, rules.Rule]:
    rules.catalogue.cache_clear()
    return rules.catalogue()


def test_the_cached_catalogue_is_the_catalogue_of_the_yaml_files(rules_copy: Path) -> None:
    from_yaml = fresh()
    assert rules.cache_file().is_file()
    assert fresh() == from_yaml


def test_a_changed_rule_file_is_read_again(rules_copy: Path) -> None:
    fresh()
    path = rules_copy / "PIN101-missing-backup-pin.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("severity: high", "severity: low", 1), encoding="utf-8")
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    assert fresh()["PIN101"].severity == "low"


def test_a_damaged_cache_is_ignored_and_replaced(rules_copy: Path) -> None:
    expected = fresh()
    for damage in ("{", json.dumps({"signature": "x", "rules": []}), json.dumps([1, 2])):
        rules.cache_file().write_text(damage, encoding="utf-8")
        assert fresh() == expected
    assert json.loads(rules.cache_file().read_text(encoding="utf-8"))["rules"]


def test_a_cache_that_cannot_be_written_costs_nothing_but_time(rules_copy: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert fresh()["PIN101"].id == "PIN101"
