#!/usr/bin/env python3
"""Benchmark pinlint as whole processes, side by side with mobsfscan when it is installed.

Usage (from a clone, with pinlint installed in the running Python):

    python bench/bench.py TREE [--runs 5] [--peer-runs 3] [--peer-tree-runs 1] [--mobsfscan PATH] [--no-peer]
                               [--single-file FILE] [--scaling 1000,10000,100000] [--jobs N] [--json OUT]

Every command is a separate process, run ``--runs`` times (mobsfscan ``--peer-runs`` times on one file and
``--peer-tree-runs`` times on the tree: it is slow) after one untimed warm-up, so both tools start with
their bytecode compiled and the tree in the page cache, as on a developer's machine. For each command the
table gives the median wall time with the fastest and slowest run (the spread shows how noisy the machine
was), the median CPU time (user + system of the process and all its children: less sensitive to other load
than wall time), and the peak memory of the whole process tree (resident memory of the process and every
descendant, summed, sampled every 10 ms from /proc; forked workers share pages, so this overstates pinlint's
use when ``--jobs`` > 1).

Cases:

- ``single``: one Kotlin file, as a pre-commit hook passes a staged file (the first mid-sized ``.kt`` in
  TREE unless ``--single-file`` names one); ``single-parsed``: a Kotlin file that pinlint's prefilter
  sends to the grammar (the slow path of a one-file run);
- ``tree``: the whole TREE with ``--jobs N`` (default: one worker per core) and with ``--jobs 1``; the
  two reports are compared byte for byte;
- ``synthetic-N``: generated trees of N files (pinlint only), to show cost grows linearly.

mobsfscan is looked for in ``--mobsfscan``, then ``$MOBSFSCAN``, then ``bench/.mobsfscan-venv``.
Install it in a virtual environment of its own, so its pinned dependencies never meet pinlint's::

    python3 -m venv bench/.mobsfscan-venv
    bench/.mobsfscan-venv/bin/pip install mobsfscan==1.1.0

The benchmark puts that environment's ``bin`` first on ``PATH`` when it runs mobsfscan: mobsfscan runs
the ``semgrep`` installed next to it, and without it scans nothing while still exiting normally. A
mobsfscan run whose JSON reports ``semgrep not found`` (or any other error) makes the benchmark refuse
to print a ratio. Timing belongs here, never in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE_SECONDS = 0.01
#: How often the sampler looks for new descendants (a /proc scan costs more than reading known ones).
RESCAN_SECONDS = 0.05


@dataclass
class Measurement:
    wall: float
    cpu: float
    peak_rss_mb: float
    exit_code: int
    stdout: bytes
    #: Peak proportional set size of the process tree: pages shared by forked workers counted once in all.
    peak_pss_mb: float = 0.0


@dataclass
class Summary:
    case: str
    tool: str
    runs: int
    wall_median: float
    wall_min: float
    wall_max: float
    cpu_median: float
    peak_rss_mb: float
    exit_codes: list[int]
    #: The process tree's peak proportional set size (``Measurement.peak_pss_mb``), the largest of the runs.
    peak_pss_mb: float = 0.0
    findings: int | None = None
    #: Reasons the runs cannot be compared (no ratio is printed for them).
    problems: list[str] = field(default_factory=list)
    #: Things worth knowing that do not invalidate the runs.
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------- measuring


def _parents() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc (Linux only)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return parents


def _descendants(pid: int) -> list[int]:
    parents = _parents()
    found: list[int] = []
    stack = [pid]
    while stack:
        for child in parents.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss_bytes(pid: int) -> int:
    """The proportional set size of ``pid``: its private pages, plus its share of pages other processes map too
    (a forked worker's inherited pages count half to it and half to its parent). 0 where the kernel lacks it."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def run_once(command: list[str], env: dict[str, str]) -> Measurement:
    """Run ``command`` to the end: wall and CPU time, peak memory of its process tree, its output.

    Peak memory is sampled two ways: the sum of the resident sizes (RSS) of the process and its
    descendants, which counts a page that forked workers share with their parent once per process, and
    the sum of their proportional set sizes (PSS), which counts it once in all: the memory the tree
    really takes. For one process the two differ only by the shared libraries' pages."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env)
        peak = peak_pss = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak, peak_pss
            known: list[int] = []
            next_scan = 0.0
            while not done.is_set():
                now = time.perf_counter()
                if now >= next_scan:
                    known = _descendants(process.pid)
                    next_scan = now + RESCAN_SECONDS
                peak = max(peak, _rss_bytes(process.pid) + sum(_rss_bytes(child) for child in known))
                peak_pss = max(peak_pss, _pss_bytes(process.pid) + sum(_pss_bytes(child) for child in known))
                done.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        out.seek(0)
        stdout = out.read()
    # ru_maxrss (KiB on Linux) is the largest single process: a floor when the sampler missed a short peak
    peak = max(peak, usage.ru_maxrss * 1024)
    return Measurement(wall, usage.ru_utime + usage.ru_stime, peak / 2**20, process.returncode, stdout,
                       peak_pss / 2**20)


def measure(case: str, tool: str, command: list[str], runs: int, env: dict[str, str],
            warm_up: bool = True) -> tuple[Summary, list[Measurement]]:
    print(f"  {case:<16} {tool:<10} x{runs}{' (+1 warm-up)' if warm_up else ''}: {' '.join(command)}",
          flush=True)
    if warm_up:
        run_once(command, env)
    results = [run_once(command, env) for _ in range(runs)]
    walls = [r.wall for r in results]
    summary = Summary(
        case=case, tool=tool, runs=runs,
        wall_median=statistics.median(walls), wall_min=min(walls), wall_max=max(walls),
        cpu_median=statistics.median(r.cpu for r in results),
        peak_rss_mb=max(r.peak_rss_mb for r in results),
        exit_codes=sorted({r.exit_code for r in results}),
        peak_pss_mb=max(r.peak_pss_mb for r in results),
    )
    print(f"    -> wall {summary.wall_median:.3f} s (median; {summary.wall_min:.3f}-{summary.wall_max:.3f}), "
          f"CPU {summary.cpu_median:.2f} s, peak {summary.peak_rss_mb:.1f} MB", flush=True)
    return summary, results


# ---------------------------------------------------------------------------------------------- tools


def find_mobsfscan(explicit: str | None) -> str | None:
    for candidate in (explicit, os.environ.get("MOBSFSCAN"), str(HERE / ".mobsfscan-venv" / "bin" / "mobsfscan")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def peer_env(base: dict[str, str], mobsfscan: str) -> dict[str, str]:
    """mobsfscan's environment: its own ``bin`` first on PATH, so it finds the semgrep installed with it."""
    env = dict(base)
    env["PATH"] = os.pathsep.join([str(Path(mobsfscan).parent), env.get("PATH", "")])
    return env


def mobsfscan_problems(results: list[Measurement]) -> tuple[list[str], list[str], int | None]:
    """What makes mobsfscan's runs unusable (``semgrep not found``: it scanned nothing), other errors it
    reported (semgrep's per-file parse errors, kept as notes), and the number of its rules that matched."""
    problems: set[str] = set()
    notes: set[str] = set()
    matched: int | None = None
    for result in results:
        try:
            report = json.loads(result.stdout or b"{}")
        except json.JSONDecodeError:
            problems.add(f"output is not JSON (exit code {result.exit_code})")
            continue
        for error in report.get("errors") or []:
            text = error if isinstance(error, str) else json.dumps(error)
            if "semgrep not found" in text.lower():
                problems.add("semgrep not found: mobsfscan scanned nothing")
            else:
                notes.add(f"mobsfscan reported: {text[:160]}")
        matched = len(report.get("results") or {})
    return sorted(problems), sorted(notes)[:5], matched


def pinlint_findings(results: list[Measurement]) -> tuple[list[str], int | None]:
    problems: list[str] = []
    count: int | None = None
    for result in results:
        if result.exit_code not in (0, 1):
            problems.append(f"exit code {result.exit_code}")
            continue
        report = json.loads(result.stdout)
        count = len(report["findings"])
        if report.get("errors"):
            problems.append(f"pinlint reported errors: {report['errors'][:2]}")
    return sorted(set(problems)), count


def pinlint_command(target: Path, jobs: int | None) -> list[str]:
    command = [sys.executable, "-m", "pinlint", "check", str(target), "--format", "json", "--today", "2026-01-15"]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    return command


# ---------------------------------------------------------------------------------------------- inputs


def _source_files(tree: Path, suffix: str) -> list[Path]:
    skip = {".git", "build", ".gradle", "node_modules"}
    found: list[Path] = []
    for folder, dirs, files in os.walk(tree):
        dirs[:] = sorted(d for d in dirs if d not in skip)
        found.extend(Path(folder) / name for name in sorted(files) if name.endswith(suffix))
    return found


def pick_kotlin_files(tree: Path) -> tuple[Path | None, Path | None]:
    """A mid-sized Kotlin file pinlint's prefilter skips, and one it parses (first found of each)."""
    from pinlint.parsers import prefilter_of
    from pinlint.parsers.code import lang_jvm

    prefilter = prefilter_of(lang_jvm)
    plain: Path | None = None
    parsed: Path | None = None
    for path in _source_files(tree, ".kt"):
        if not 3_000 <= path.stat().st_size <= 20_000:
            continue
        wanted = prefilter is None or prefilter.wants(path.read_bytes())
        if wanted and parsed is None:
            parsed = path
        if not wanted and plain is None:
            plain = path
        if plain and parsed:
            break
    return plain, parsed


HEADER = """/*
 * Copyright 2024 Example
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may obtain a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
 */
"""

SYNTHETIC_KOTLIN = HEADER + """package com.example.feature{n}

import okhttp3.OkHttpClient

class Repository{n}(private val client: OkHttpClient) {{
    fun load(id: Int): String = "item-$id"
}}
"""

SYNTHETIC_XML = """<?xml version="1.0" encoding="utf-8"?>
<LinearLayout xmlns:android="http://schemas.android.com/apk/res/android"
    android:layout_width="match_parent" android:layout_height="wrap_content">
    <TextView android:id="@+id/title{n}" android:layout_width="wrap_content" android:layout_height="wrap_content"/>
</LinearLayout>
"""

SYNTHETIC_TRUST = HEADER + """package com.example.net{n}

import javax.net.ssl.HostnameVerifier

val verifier{n} = HostnameVerifier {{ _, _ -> true }}
val base{n} = "http://api{n}.example.org/v1"
"""


def make_synthetic_tree(root: Path, files: int) -> None:
    """A tree of ``files`` files in modules of 500: half Kotlin (licence headers), half layout XML, and
    1% Kotlin with a trust-all verifier and a cleartext URL (findings every run must produce)."""
    for index in range(files):
        folder = root / f"module{index // 500}" / "src" / "main"
        if index % 100 == 0:
            path, text = folder / "java" / f"Net{index}.kt", SYNTHETIC_TRUST.format(n=index)
        elif index % 2:
            path, text = folder / "java" / f"Repository{index}.kt", SYNTHETIC_KOTLIN.format(n=index)
        else:
            path, text = folder / "res" / "layout" / f"layout_{index}.xml", SYNTHETIC_XML.format(n=index)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------------------------- reporting


def machine() -> dict[str, str]:
    model = platform.processor() or platform.machine()
    memory = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as handle:
            total_kb = int(handle.readline().split()[1])
            memory = f"{total_kb / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = " ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {"cores": str(os.cpu_count()), "cpu": model, "memory": memory, "python": sys.version.split()[0],
            "system": f"{platform.system()} {platform.release()}", "load average": load}


def print_table(summaries: list[Summary]) -> None:
    print()
    print(f"{'case':<18} {'tool':<11} {'runs':>4} {'wall s (median)':>15} {'wall min-max':>15} "
          f"{'CPU s':>8} {'peak MB':>8}  findings  exit")
    print(f"{'':<78}(mobsfscan: rules matched)")
    for s in summaries:
        spread = f"{s.wall_min:.2f}-{s.wall_max:.2f}"
        findings = "" if s.findings is None else str(s.findings)
        print(f"{s.case:<18} {s.tool:<11} {s.runs:>4} {s.wall_median:>15.3f} {spread:>15} "
              f"{s.cpu_median:>8.2f} {s.peak_rss_mb:>8.1f}  {findings:>8}  {s.exit_codes}")
        for problem in s.problems:
            print(f"{'':<18} ! {problem}")
        for note in s.notes:
            print(f"{'':<18} - {note}")


def print_ratios(summaries: list[Summary], targets: dict[str, float]) -> bool:
    """The ratios against mobsfscan and whether each target is met; False when one is not."""
    by_key = {(s.case, s.tool): s for s in summaries}
    print()
    met = True
    for case, target in targets.items():
        ours, peer = by_key.get((case, "pinlint")), by_key.get((case, "mobsfscan"))
        if not ours or not peer:
            continue
        if peer.problems:
            print(f"{case}: no ratio: the mobsfscan runs were not valid ({'; '.join(peer.problems)})")
            met = False
            continue
        wall = peer.wall_median / ours.wall_median
        cpu = peer.cpu_median / max(ours.cpu_median, 1e-9)
        memory_ok = ours.peak_rss_mb < peer.peak_rss_mb
        verdict = "met" if wall >= target and memory_ok else "NOT met"
        met = met and verdict == "met"
        print(f"{case}: pinlint is {wall:.1f}x faster (wall, medians; target {target:.0f}x), {cpu:.1f}x less CPU; "
              f"peak memory {ours.peak_rss_mb:.0f} MB vs {peer.peak_rss_mb:.0f} MB -> {verdict}")
    return met


def print_scaling(summaries: list[Summary]) -> None:
    scaling = [s for s in summaries if s.case.startswith("synthetic-")]
    if len(scaling) < 2:
        return
    print()
    first = scaling[0]
    base_files = int(first.case.split("-")[1])
    for s in scaling:
        files = int(s.case.split("-")[1])
        per_file = 1e6 * s.wall_median / files
        print(f"scaling: {files:>7} files: {s.wall_median:7.2f} s wall, {s.cpu_median:7.2f} s CPU, "
              f"{per_file:6.0f} us/file wall; {files / base_files:5.0f}x the files took "
              f"{s.wall_median / first.wall_median:5.1f}x the wall time")


# -------------------------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree", type=Path)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each pinlint command")
    parser.add_argument("--peer-runs", type=int, default=3, help="timed runs of mobsfscan on one file")
    parser.add_argument("--peer-tree-runs", type=int, default=1,
                        help="timed runs of mobsfscan on the tree (minutes each on a small machine)")
    parser.add_argument("--mobsfscan", help="the mobsfscan executable (in its own virtual environment)")
    parser.add_argument("--no-peer", action="store_true", help="do not run mobsfscan even when found")
    parser.add_argument("--single-file", type=Path, help="the file of the one-file case")
    parser.add_argument("--scaling", default="1000,10000,100000", help="synthetic tree sizes ('' to skip)")
    parser.add_argument("--jobs", type=int, help="pinlint --jobs for the tree (default: pinlint's own)")
    parser.add_argument("--json", type=Path, help="also write the machine and the summaries as JSON")
    args = parser.parse_args()
    if not args.tree.is_dir():
        parser.error(f"{args.tree} is not a directory")

    cache = Path(tempfile.mkdtemp(prefix="pinlint-bench-pycache-"))
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    # compiled bytecode is kept, as an installed package keeps it, but outside both tools' folders
    env["PYTHONPYCACHEPREFIX"] = str(cache)

    mobsfscan = None if args.no_peer else find_mobsfscan(args.mobsfscan)
    info = machine()
    files = sum(1 for _ in _source_files(args.tree, ""))
    print(f"tree: {args.tree} ({files} files outside .git and build folders)")
    print("machine: " + "; ".join(f"{key} {value}" for key, value in info.items()))
    if mobsfscan is None:
        print("mobsfscan not found (see the module docstring): its columns are left out")

    plain, parsed = pick_kotlin_files(args.tree)
    singles = [("single", args.single_file or plain)]
    if args.single_file is None:
        singles.append(("single-parsed", parsed))
    summaries: list[Summary] = []
    try:
        for case, single in singles:
            if single is None:
                continue
            print(f"{case}: {single}")
            summary, results = measure(case, "pinlint", pinlint_command(single, None), args.runs, env)
            summary.problems, summary.findings = pinlint_findings(results)
            summaries.append(summary)
            if mobsfscan:
                summary, results = measure(case, "mobsfscan", [mobsfscan, "--json", str(single)],
                                           args.peer_runs, peer_env(env, mobsfscan))
                summary.problems, summary.notes, summary.findings = mobsfscan_problems(results)
                summaries.append(summary)

        summary, tree_results = measure("tree", "pinlint", pinlint_command(args.tree, args.jobs), args.runs, env)
        summary.problems, summary.findings = pinlint_findings(tree_results)
        summaries.append(summary)
        summary, serial_results = measure("tree --jobs 1", "pinlint", pinlint_command(args.tree, 1),
                                          max(1, min(args.runs, 3)), env, warm_up=False)
        summary.problems, summary.findings = pinlint_findings(serial_results)
        outputs = {result.stdout for result in tree_results + serial_results}
        if len(outputs) != 1:
            summary.problems.append("the JSON reports differ between runs or between --jobs values")
        summaries.append(summary)
        identical = len(outputs) == 1
        if mobsfscan:
            # the one-file runs above were mobsfscan's warm-up; a second whole-tree pass would double its cost
            summary, results = measure("tree", "mobsfscan", [mobsfscan, "--json", str(args.tree)],
                                       args.peer_tree_runs, peer_env(env, mobsfscan), warm_up=False)
            summary.problems, summary.notes, summary.findings = mobsfscan_problems(results)
            summaries.append(summary)

        for size in [int(part) for part in args.scaling.split(",") if part.strip()]:
            folder = Path(tempfile.mkdtemp(prefix=f"pinlint-bench-{size}-"))
            try:
                started = time.perf_counter()
                make_synthetic_tree(folder, size)
                print(f"synthetic-{size}: generated in {time.perf_counter() - started:.1f} s")
                summary, results = measure(f"synthetic-{size}", "pinlint", pinlint_command(folder, args.jobs),
                                           max(1, min(args.runs, 3)), env)
                summary.problems, summary.findings = pinlint_findings(results)
                expected = 2 * len(range(0, size, 100))  # a trust-all verifier and a cleartext URL each
                if summary.findings is not None and summary.findings < expected:
                    summary.problems.append(f"expected at least {expected} findings")
                summaries.append(summary)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    print_table(summaries)
    print(f"\nfindings identical for --jobs 1 and --jobs {args.jobs or 'default'} (and across runs): "
          f"{'yes' if identical else 'NO'}")
    met = print_ratios(summaries, {"tree": 20.0, "single": 15.0, "single-parsed": 15.0})
    print_scaling(summaries)
    info["load average after"] = machine()["load average"]
    print(f"\nload average before: {info['load average']}; after: {info['load average after']} "
          f"(cores: {info['cores']}); a load above the core count means other work shared the machine")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "summaries": [asdict(s) for s in summaries]}, indent=2),
                             encoding="utf-8")
    return 0 if met and identical else 1


if __name__ == "__main__":
    sys.exit(main())
