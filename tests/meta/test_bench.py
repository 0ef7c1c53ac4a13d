"""The benchmark's own checks (never its timings): a mobsfscan run that could not find semgrep scanned
nothing and must not be compared; mobsfscan runs with its own environment's ``bin`` first on PATH."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pinlint_bench", ROOT / "bench" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["pinlint_bench"] = module
    spec.loader.exec_module(module)
    return module


def _run(bench: ModuleType, report: object, exit_code: int = 0) -> object:
    return bench.Measurement(1.0, 1.0, 10.0, exit_code, json.dumps(report).encode())


def test_semgrep_not_found_makes_the_run_unusable() -> None:
    bench = _bench()
    broken = {"errors": ["semgrep not found. Install with: pip install semgrep"], "results": {"x": {}}}
    problems, _notes, _matched = bench.mobsfscan_problems([_run(bench, broken)])
    assert problems == ["semgrep not found: mobsfscan scanned nothing"]


def test_a_normal_run_is_usable_and_other_errors_are_notes() -> None:
    bench = _bench()
    fine = {"errors": [{"message": "Syntax error at line 3"}], "results": {"a": {}, "b": {}}}
    problems, notes, matched = bench.mobsfscan_problems([_run(bench, fine)])
    assert problems == [] and matched == 2
    assert notes and "Syntax error" in notes[0]


def test_output_that_is_not_json_is_unusable() -> None:
    bench = _bench()
    garbage = bench.Measurement(1.0, 1.0, 1.0, 2, b"Traceback (most recent call last):")
    problems, _notes, _matched = bench.mobsfscan_problems([garbage])
    assert problems and "not JSON" in problems[0]


def test_no_ratio_is_printed_from_unusable_runs(capsys: object) -> None:
    bench = _bench()
    ours = bench.Summary("tree", "pinlint", 1, 1.0, 1.0, 1.0, 1.0, 50.0, [1])
    peer = bench.Summary("tree", "mobsfscan", 1, 30.0, 30.0, 30.0, 30.0, 200.0, [0],
                         problems=["semgrep not found: mobsfscan scanned nothing"])
    assert bench.print_ratios([ours, peer], {"tree": 20.0}) is False
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "no ratio" in printed and "faster" not in printed


def test_mobsfscan_runs_with_its_environment_first_on_path(tmp_path: Path) -> None:
    bench = _bench()
    executable = tmp_path / "venv" / "bin" / "mobsfscan"
    env = bench.peer_env({"PATH": "/usr/bin"}, str(executable))
    assert env["PATH"].split(":")[0] == str(executable.parent)


def test_the_probe_notes_every_file_that_reaches_a_grammar(tmp_path: Path) -> None:
    # the floor parses exactly what the probe notes: a probe that breaks a parser's call would leave the
    # floor with nothing to parse and the benchmark's ratio meaningless
    import subprocess

    tree = tmp_path / "app"
    tree.mkdir()
    (tree / "Net.kt").write_text('val api = "http://api.carenote-health.com/v1"\n')
    (tree / "Trust.swift").write_text('let u = URL(string: "http://api.carenote-health.com")\n')
    (tree / "Plain.kt").write_text("val x = 1\n")
    (tree / "src").mkdir()
    (tree / "src" / "Main.kt").write_text("val y = 2\n")
    (tree / "node_modules" / "sdk").mkdir(parents=True)  # left out by the precommit profile: never listed
    manifest = tmp_path / "manifest.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "probe.py"), str(tree), str(manifest)], check=True,
                   cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    noted = json.loads(manifest.read_text(encoding="utf-8"))
    assert sorted((Path(path).name, language) for path, language, _size in noted["parsed"]) == [
        ("Net.kt", "kotlin"), ("Trust.swift", "swift")]
    assert len(noted["candidates"]) == 4
    # the floor lists the folders discovery listed, and only those
    assert sorted(Path(folder).relative_to(tree).as_posix() for folder in noted["directories"]) == [".", "src"]


def test_forked_workers_shared_pages_count_once_in_the_proportional_peak() -> None:
    # a parent holding 64 MB forks two children that only read it: the resident sizes add up to about three
    # times 64 MB, the proportional set sizes to about 64 MB once
    import os

    bench = _bench()
    program = (
        "import os, time\n"
        "block = bytearray(b\"x\") * (64 << 20)\n"
        "children = []\n"
        "for _ in range(2):\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        total = sum(block[::4096])\n"
        "        time.sleep(0.6)\n"
        "        os._exit(0)\n"
        "    children.append(pid)\n"
        "for pid in children:\n"
        "    os.waitpid(pid, 0)\n"
    )
    measured = bench.run_once([sys.executable, "-c", program], dict(os.environ))
    assert measured.exit_code == 0
    if measured.peak_pss_mb == 0:
        pytest.skip("this kernel has no /proc/PID/smaps_rollup: no proportional set size to compare")
    assert measured.peak_rss_mb > 150
    assert 60 < measured.peak_pss_mb < 110
