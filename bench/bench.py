#!/usr/bin/env python3
"""Benchmark pinlint as whole processes, side by side with mobsfscan when it is installed.

Usage:
    python bench/bench.py TREE [--runs 5] [--mobsfscan PATH] [--single-file FILE]
                              [--scaling 1000,10000,100000] [--jobs N] [--json OUT]

For each command it runs the process ``--runs`` times and reports the median wall time, the median CPU time
(user + system of the process and its children) and the peak resident memory of the whole process tree
(sampled from /proc every 10 ms, so worker processes and semgrep children are counted). Cases:

- ``tree``: the whole TREE (pinlint check TREE; mobsfscan TREE);
- ``single``: one Kotlin file (the pre-commit case), picked from TREE unless ``--single-file`` names one;
- ``scaling``: synthetic trees of the given sizes, pinlint only, to show cost grows linearly.

mobsfscan is looked for in ``--mobsfscan``, then ``$MOBSFSCAN``, then ``bench/.mobsfscan-venv/bin/mobsfscan``
(create it with ``python3 -m venv bench/.mobsfscan-venv && bench/.mobsfscan-venv/bin/pip install
mobsfscan==1.1.0``: a separate environment, so its pinned dependencies never meet pinlint's). Without it the
peer columns are left out. Timing belongs here, never in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass
class Measurement:
    wall: float
    cpu: float
    peak_rss_mb: float
    exit_code: int


@dataclass
class Summary:
    case: str
    tool: str
    runs: int
    wall_median: float
    cpu_median: float
    peak_rss_mb: float
    exit_codes: list[int]


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (reads /proc; Linux only)."""
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
    found: list[int] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        for child in parents.get(current, []):
            found.append(child)
            stack.append(child)
    return found


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_once(command: list[str]) -> Measurement:
    before = os.times()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            total = _rss_kb(process.pid) + sum(_rss_kb(child) for child in _children(process.pid))
            peak = max(peak, total)
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    exit_code = process.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Measurement(wall, cpu, peak / 1024, exit_code)


def measure(case: str, tool: str, command: list[str], runs: int) -> Summary:
    results = [run_once(command) for _ in range(runs)]
    return Summary(
        case=case, tool=tool, runs=runs,
        wall_median=statistics.median(r.wall for r in results),
        cpu_median=statistics.median(r.cpu for r in results),
        peak_rss_mb=max(r.peak_rss_mb for r in results),
        exit_codes=sorted({r.exit_code for r in results}),
    )


def find_mobsfscan(explicit: str | None) -> str | None:
    for candidate in (explicit, os.environ.get("MOBSFSCAN"), str(HERE / ".mobsfscan-venv" / "bin" / "mobsfscan")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def pick_kotlin_file(tree: Path) -> Path | None:
    best: tuple[int, Path] | None = None
    for path in sorted(tree.rglob("*.kt")):
        if "/build/" in path.as_posix():
            continue
        size = path.stat().st_size
        if 2_000 <= size <= 20_000 and (best is None or size > best[0]):
            best = (size, path)
            if size > 8_000:
                break
    return best[1] if best else None


SYNTHETIC_KOTLIN = """package com.example.feature{n}

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

SYNTHETIC_TRUST = """package com.example.net{n}

import javax.net.ssl.HostnameVerifier

val verifier{n} = HostnameVerifier {{ _, _ -> true }}
val base{n} = "http://api{n}.example.org/v1"
"""


def make_synthetic_tree(root: Path, files: int) -> None:
    """A tree of ``files`` files: mostly plain Kotlin and layout XML, 1% with trust shapes."""
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


def pinlint_command(target: Path, jobs: int | None) -> list[str]:
    command = [sys.executable, "-m", "pinlint", "check", str(target), "--format", "json", "--today", "2026-01-15"]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    return command


def print_table(summaries: list[Summary]) -> None:
    print(f"{'case':<16} {'tool':<10} {'runs':>4} {'wall s':>9} {'cpu s':>9} {'peak MB':>9}  exit")
    for s in summaries:
        print(f"{s.case:<16} {s.tool:<10} {s.runs:>4} {s.wall_median:>9.3f} {s.cpu_median:>9.3f} "
              f"{s.peak_rss_mb:>9.1f}  {s.exit_codes}")


def print_ratios(summaries: list[Summary]) -> None:
    by_key = {(s.case, s.tool): s for s in summaries}
    for case in ("tree", "single"):
        ours, peer = by_key.get((case, "pinlint")), by_key.get((case, "mobsfscan"))
        if ours and peer:
            print(f"{case}: pinlint is {peer.wall_median / ours.wall_median:.1f}x faster (wall), "
                  f"{peer.cpu_median / max(ours.cpu_median, 1e-9):.1f}x less CPU, "
                  f"peak memory {ours.peak_rss_mb:.0f} MB vs {peer.peak_rss_mb:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mobsfscan")
    parser.add_argument("--single-file", type=Path)
    parser.add_argument("--scaling", default="1000,10000", help="comma-separated synthetic tree sizes ('' to skip)")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--json", type=Path, help="also write the summaries as JSON")
    args = parser.parse_args()
    if not args.tree.is_dir():
        parser.error(f"{args.tree} is not a directory")

    mobsfscan = find_mobsfscan(args.mobsfscan)
    single = args.single_file or pick_kotlin_file(args.tree)
    summaries: list[Summary] = []
    files = sum(1 for path in args.tree.rglob("*") if path.is_file() and ".git" not in path.parts)
    print(f"tree: {args.tree} ({files} files); cores: {os.cpu_count()}; python {sys.version.split()[0]}")
    summaries.append(measure("tree", "pinlint", pinlint_command(args.tree, args.jobs), args.runs))
    if single:
        print(f"single file: {single}")
        summaries.append(measure("single", "pinlint", pinlint_command(single, args.jobs), args.runs))
    if mobsfscan:
        peer_runs = max(1, min(args.runs, 3))
        summaries.append(measure("tree", "mobsfscan", [mobsfscan, "--json", str(args.tree)], peer_runs))
        if single:
            summaries.append(measure("single", "mobsfscan", [mobsfscan, "--json", str(single)], peer_runs))
    else:
        print("mobsfscan not found: peer columns left out (see the module docstring)")
    for size in [int(part) for part in args.scaling.split(",") if part.strip()]:
        folder = Path(tempfile.mkdtemp(prefix=f"pinlint-bench-{size}-"))
        try:
            make_synthetic_tree(folder, size)
            summaries.append(measure(f"synthetic-{size}", "pinlint", pinlint_command(folder, args.jobs),
                                     max(1, min(args.runs, 3))))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print_table(summaries)
    print_ratios(summaries)
    scaling = [s for s in summaries if s.case.startswith("synthetic-")]
    if len(scaling) >= 2:
        first, last = scaling[0], scaling[-1]
        size_ratio = int(last.case.split("-")[1]) / int(first.case.split("-")[1])
        print(f"scaling: {size_ratio:.0f}x the files took {last.wall_median / first.wall_median:.1f}x the wall time")
    if args.json:
        args.json.write_text(json.dumps([asdict(s) for s in summaries], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
