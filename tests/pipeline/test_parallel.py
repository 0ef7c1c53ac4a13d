"""Parallel scanning gives the same report as a serial one, byte for byte, and reads only what it must."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO

import pytest

from pinlint import pipeline as engine
from pinlint.discover.walk import Candidate, walk
from pinlint.pipeline import PARALLEL_FILES, ScanOptions, scan
from pinlint.render import RunInfo, renderer
from tests.conftest import FIXTURE_TODAY, ROOT

HEADER = """/*
 * Licensed under the Apache License, Version 2.0
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
"""

TRUST = HEADER + """package com.example.net{n}

import javax.net.ssl.HostnameVerifier

val verifier{n} = HostnameVerifier {{ _, _ -> true }}
val base{n} = "http://api{n}.example.org/v1"
"""

SUPPRESSED = HEADER + """package com.example.quiet{n}

val base{n} = "http://quiet{n}.example.org/" // pinlint: ignore[CLR203] test double talks to a local stub
"""

PLAIN = HEADER + """package com.example.feature{n}

class Repository{n} {{ fun load(id: Int): String = "item-$id" }}
"""

NSC = """<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <base-config cleartextTrafficPermitted="true"/>
    <domain-config>
        <domain includeSubdomains="true">api.example.org</domain>
        <pin-set expiration="2020-01-01">
            <pin digest="SHA-256">7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=</pin>
        </pin-set>
    </domain-config>
</network-security-config>
"""

MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.example{n}">
    <application android:networkSecurityConfig="@xml/network_security_config"
                 android:usesCleartextTraffic="true"/>
</manifest>
"""


def make_tree(root: Path, files: int) -> None:
    """A multi-module app: plain sources, a few with trust shapes and suppressions, manifests and configs."""
    for index in range(files):
        module = root / f"module{index // 100}" / "src" / "main"
        if index % 100 == 0:
            (module / "res" / "xml").mkdir(parents=True, exist_ok=True)
            (module / "res" / "xml" / "network_security_config.xml").write_text(NSC, encoding="utf-8")
            (module / "AndroidManifest.xml").write_text(MANIFEST.format(n=index), encoding="utf-8")
        folder = module / "java" / f"p{index % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        if index % 37 == 0:
            text, name = TRUST.format(n=index), f"Net{index}.kt"
        elif index % 53 == 0:
            text, name = SUPPRESSED.format(n=index), f"Quiet{index}.kt"
        else:
            text, name = PLAIN.format(n=index), f"Repository{index}.kt"
        (folder / name).write_text(text, encoding="utf-8")


TREE_FILES = 1650


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parallel")
    make_tree(root, TREE_FILES)
    return root


@pytest.fixture
def pool_for_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool starts however few bytes the kept files hold (the test tree's files are small)."""
    monkeypatch.setattr(engine, "PARALLEL_BYTES", 1)


def _json_report(root: Path, jobs: int) -> str:
    options = ScanOptions(targets=[root], today=FIXTURE_TODAY, relative_to=root, jobs=jobs)
    result = scan(options)
    return renderer("json")(result, RunInfo(command_line=("pinlint",), source_root="."))


def test_tree_has_enough_kept_files_for_the_process_pool(big_tree: Path) -> None:
    prepared = [engine.prepare(candidate, 1_000_000) for candidate in walk([big_tree], big_tree)]
    assert sum(isinstance(item, engine.Pending) for item in prepared) > PARALLEL_FILES


@pytest.mark.usefixtures("pool_for_any_size")
def test_jobs_1_and_jobs_2_give_the_same_json_byte_for_byte(big_tree: Path) -> None:
    serial = _json_report(big_tree, jobs=1)
    parallel = _json_report(big_tree, jobs=2)
    assert serial == parallel
    report = json.loads(serial)
    rules = {finding["rule_id"] if "rule_id" in finding else finding.get("rule") for finding in report["findings"]}
    assert len(report["findings"]) >= 10, "the tree must produce findings for the comparison to mean anything"
    assert len(rules) >= 3
    assert any(finding.get("suppression") for finding in report["findings"]), "suppressions cross the pool too"


@pytest.mark.usefixtures("pool_for_any_size")
def test_parallel_run_really_uses_worker_processes(big_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    parents: set[int] = set()
    original = engine.parse_source

    def recording(*args: object, **kwargs: object) -> list[object]:
        parents.add(os.getpid())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "parse_source", recording)
    candidates = list(walk([big_tree], big_tree))
    results = engine.examine_all(candidates, 1_000_000, jobs=2)
    assert len(results) == len(candidates)
    # the workers are forked after the patch, so they record too, but into their own copy of the set:
    # the parent parses nothing when the pool is used (it only reads and prefilters)
    assert os.getpid() not in parents


def test_small_kept_files_stay_in_this_process(big_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Below ``PARALLEL_BYTES`` of files to parse, no worker is started, whatever ``jobs`` says."""
    import concurrent.futures

    def no_pool(*_args: object, **_kwargs: object) -> None:
        pytest.fail("a process pool was started for a few small files")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    candidates = list(walk([big_tree], big_tree))
    assert engine.examine_all(candidates, 1_000_000, jobs=2) == engine.examine_all(candidates, 1_000_000, jobs=1)


def test_each_file_is_opened_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Facts and suppression comments come from one read: no second pass over the tree."""
    make_tree(tmp_path, 120)
    opened: list[str] = []
    original_open = engine.open_regular

    def counting_open(path: Path) -> BinaryIO:
        opened.append(str(path))
        return original_open(path)

    monkeypatch.setattr(engine, "open_regular", counting_open)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"second read of {self}"))
    scan(ScanOptions(targets=[tmp_path], today=FIXTURE_TODAY, relative_to=tmp_path, jobs=1))
    assert len(opened) == len(set(opened))
    assert len(opened) == len(list(walk([tmp_path], tmp_path)))


def test_big_file_head_only(tmp_path: Path) -> None:
    """A file over the size limit is reported without being read whole."""
    path = tmp_path / "Huge.kt"
    path.write_bytes(b'val u = "http://x.example.org"\n' + b"// padding\n" * 20_000)
    facts = engine.parse_candidate(Candidate(str(path), "Huge.kt"), max_file_size=10_000)
    assert len(facts) == 1 and "over the 10000-byte limit" in str(facts[0])


HEAVY = ("lxml", "cryptography", "yaml", "pathspec", "certifi", "libcst", "sarif_om", "tree_sitter_kotlin",
         "tree_sitter_swift", "tree_sitter_java", "tempfile")

PROBE = """
import json, sys
from pinlint.cli.app import main
try:
    main([sys.argv[1], "--format", "json", "--no-config"], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in {heavy})), file=sys.stderr)
"""


def _modules_after_scanning(path: Path, cache: Path | None = None) -> set[str]:
    """The heavy modules a one-file scan loaded, with the rule catalogue cached under ``cache`` (a fresh folder
    per test unless given: a cold cache reads the YAML, a warm one does not)."""
    code = PROBE.replace("{heavy}", repr(set(HEAVY)))
    cache_home = cache if cache is not None else path.parent / ".probe-cache"
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    completed = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                               cwd=ROOT, check=False, timeout=120, env=environment)
    last = completed.stderr.strip().splitlines()[-1]
    return {name.split(".")[0] for name in json.loads(last)}


def test_one_plain_kotlin_file_loads_no_heavy_library(tmp_path: Path) -> None:
    path = tmp_path / "Plain.kt"
    path.write_text(PLAIN.format(n=1), encoding="utf-8")
    cache = tmp_path / "cache"
    cold = _modules_after_scanning(path, cache)
    # a cold run reads the rule catalogue's YAML and keeps it; everything else stays unloaded
    assert cold <= {"yaml"}, cold
    assert list((cache / "pinlint").glob("rules-*.json")), "the cold run wrote no catalogue cache"
    warm = _modules_after_scanning(path, cache)
    assert not warm, warm


def test_one_layout_xml_loads_no_grammar(tmp_path: Path) -> None:
    path = tmp_path / "res" / "layout" / "main.xml"
    path.parent.mkdir(parents=True)
    path.write_text('<LinearLayout xmlns:android="http://schemas.android.com/apk/res/android"/>\n',
                    encoding="utf-8")
    loaded = _modules_after_scanning(path)
    assert not loaded & {"tree_sitter_kotlin", "tree_sitter_java", "tree_sitter_swift", "cryptography",
                         "libcst"}, loaded


def test_kotlin_file_with_a_trigger_loads_its_grammar_only(tmp_path: Path) -> None:
    path = tmp_path / "Net.kt"
    path.write_text(TRUST.format(n=1), encoding="utf-8")
    loaded = _modules_after_scanning(path)
    assert "tree_sitter_kotlin" in loaded  # the probe can see a grammar load, so the tests above can fail
    assert not loaded & {"lxml", "cryptography", "tree_sitter_swift", "libcst"}, loaded


def test_no_check_reports_anything_without_facts() -> None:
    """The engine skips resolution and checks when no file gave a fact; that is only sound while every
    check, after resolution of an empty project, finds nothing."""
    from pinlint import resolve
    from pinlint.checks.context import CheckContext
    from pinlint.config.policy import Policy
    from pinlint.model.facts import FactStore
    from pinlint.rules import catalogue

    store = FactStore()
    store.attributes["context_paths"] = set()
    resolve.run_all(store)
    for rule in catalogue().values():
        for profile in ("precommit", "audit"):
            ctx = CheckContext(today=FIXTURE_TODAY, policy=Policy(), rule=rule, profile=profile)
            assert list(rule.load_check()(store, ctx)) == [], rule.id


def test_one_file_without_facts_skips_resolvers_and_checks(tmp_path: Path) -> None:
    path = tmp_path / "Plain.kt"
    path.write_text(PLAIN.format(n=1), encoding="utf-8")
    code = (
        "import sys\nfrom pinlint.cli.app import main\n"
        "try:\n    main([sys.argv[1], '--no-config'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "print(sorted(n for n in sys.modules if n.startswith(('pinlint.checks.', 'pinlint.resolve.'))"
        " and n != 'pinlint.checks.context'), file=sys.stderr)\n"
    )
    completed = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                               cwd=ROOT, check=False, timeout=120)
    assert completed.stderr.strip().splitlines()[-1] == "[]"
