#!/usr/bin/env python3
"""pinlint on real trees, side by side with the floor, semgrep and mobsfscan, in one run.

Usage (from a clone; pinlint importable by the running Python, e.g. ``PYTHONPATH=.``)::

    python bench/trees.py TREE [TREE ...] [--runs 3] [--peers /path/to/peers-venv]
                          [--semgrep-rules /path/to/semgrep-rules] [--findings-dir DIR] [--json OUT]

For each tree, every command is a separate process, run after one untimed warm-up (the tree in the page
cache, bytecode compiled), ``--runs`` times for pinlint and the floor and ``--peer-runs`` times for the
peers (they are slow). The table shows, per tree:

- ``files``: the files pinlint's discovery lists; ``parsed``: those that reached a tree-sitter grammar
  (noted by ``bench/probe.py`` in an untimed run);
- ``floor``: ``bench/floor.py``: interpreter start, the tree-sitter imports, listing every folder discovery
  listed, reading every listed file and parsing exactly the files pinlint parsed: what no Python
  implementation of the job can avoid;
- pinlint ``--jobs 1`` and ``--jobs 2``: median wall time, median CPU time (user + system of the process
  and its children) and peak memory of the process tree (``bench/bench.py`` explains the sampling:
  the sum of resident sizes, which counts the pages forked workers share with their parent once per
  process, and, for ``--jobs 2``, in brackets, the sum of proportional set sizes, which counts them once);
- ``semgrep`` with the transport-security rules of the public semgrep rule set (``--semgrep-rules``: a
  checkout of it; ``bench/semgrep_tls.py`` lists which), and ``mobsfscan`` (its own rules, run by semgrep);
- the ratios: pinlint ``--jobs 1`` CPU over the floor's (target at most 1.5), semgrep's and mobsfscan's
  CPU over pinlint's (target at least 10);
- ``single``: one Kotlin or Swift file of the tree that reaches a grammar, scanned alone as a pre-commit
  hook scans a staged file (wall time, median; target at most 0.10 s).

The machine may be shared: CPU time is the figure to compare (wall time moves with other load); the load
average before and after is printed. ``--findings-dir`` keeps each tree's JSON report (``--jobs 1``) so
two versions of pinlint can be compared finding for finding. Install the peers in a virtual environment
of their own, never beside pinlint::

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install semgrep mobsfscan
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import semgrep_tls  # noqa: E402

import bench as single_bench  # noqa: E402  (the measuring functions)

SINGLE_LANGUAGES = ("kotlin", "swift")


@dataclass
class Row:
    tree: str
    files: int = 0
    parsed: int = 0
    parsed_by_language: dict[str, int] = field(default_factory=dict)
    cells: dict[str, dict[str, float]] = field(default_factory=dict)
    findings: int | None = None
    identical: bool | None = None
    single_file: str = ""
    problems: list[str] = field(default_factory=list)


def cell(summary: single_bench.Summary) -> dict[str, float]:
    return {"wall": summary.wall_median, "cpu": summary.cpu_median, "rss": summary.peak_rss_mb,
            "pss": summary.peak_pss_mb}


def pinlint_command(target: Path, jobs: int | None) -> list[str]:
    return single_bench.pinlint_command(target, jobs)


def pick_single(parsed: list[list[object]]) -> str | None:
    """The median-sized Kotlin (else Swift) file among those that reached a grammar."""
    for language in SINGLE_LANGUAGES:
        files = sorted((int(str(size)), str(path)) for path, lang, size in parsed
                       if lang == language and os.path.isfile(str(path)))
        if files:
            return files[len(files) // 2][1]
    return None


def bench_tree(tree: Path, args: argparse.Namespace, env: dict[str, str], work: Path) -> Row:
    row = Row(tree.name)
    manifest = work / f"{tree.name}.manifest.json"
    single_bench.run_once([sys.executable, str(HERE / "probe.py"), str(tree), str(manifest)], env)
    notes = json.loads(manifest.read_text(encoding="utf-8"))
    row.files, row.parsed = len(notes["candidates"]), len(notes["parsed"])
    for _path, language, _size in notes["parsed"]:
        row.parsed_by_language[language] = row.parsed_by_language.get(language, 0) + 1
    print(f"{tree}: {row.files} files listed, {row.parsed} parsed {row.parsed_by_language}", flush=True)

    summary, _ = single_bench.measure("floor", "floor", [sys.executable, str(HERE / "floor.py"), str(manifest)],
                                      args.runs, env)
    row.cells["floor"] = cell(summary)
    outputs: set[bytes] = set()
    for jobs in (1, 2):
        summary, results = single_bench.measure(f"--jobs {jobs}", "pinlint", pinlint_command(tree, jobs),
                                                args.runs, env)
        problems, row.findings = single_bench.pinlint_findings(results)
        row.problems.extend(problems)
        row.cells[f"j{jobs}"] = cell(summary)
        outputs.update(result.stdout for result in results)
        if jobs == 1 and args.findings_dir:
            args.findings_dir.mkdir(parents=True, exist_ok=True)
            (args.findings_dir / f"{tree.name}.json").write_bytes(results[0].stdout)
    row.identical = len(outputs) == 1
    chosen = pick_single(notes["parsed"])
    if chosen:
        row.single_file = os.path.relpath(chosen, tree)
        summary, _ = single_bench.measure("single", "pinlint", pinlint_command(Path(chosen), None), args.runs, env)
        row.cells["single"] = cell(summary)

    peers = Path(args.peers) if args.peers else None
    if peers and (peers / "bin" / "semgrep").exists() and args.semgrep_rules:
        configs = semgrep_tls.rule_files(Path(args.semgrep_rules))
        command = [str(peers / "bin" / "semgrep"), "scan", "--metrics", "off", "--disable-version-check",
                   "--json", "--jobs", "1", "--timeout", "0"]
        for config in configs:
            command += ["--config", str(config)]
        summary, results = single_bench.measure("semgrep", "semgrep", [*command, str(tree)], args.peer_runs,
                                                single_bench.peer_env(env, str(peers / "bin" / "semgrep")),
                                                warm_up=False)
        row.cells["semgrep"] = cell(summary)
        try:
            report = json.loads(results[-1].stdout or b"{}")
            row.cells["semgrep"]["findings"] = len(report.get("results") or [])
            row.cells["semgrep"]["rules"] = semgrep_tls.rule_count(configs)
        except json.JSONDecodeError:
            row.problems.append("semgrep output is not JSON")
    if peers and (peers / "bin" / "mobsfscan").exists() and not args.no_mobsfscan:
        mobsfscan = str(peers / "bin" / "mobsfscan")
        summary, results = single_bench.measure("mobsfscan", "mobsfscan", [mobsfscan, "--json", str(tree)],
                                                args.peer_runs, single_bench.peer_env(env, mobsfscan),
                                                warm_up=False)
        problems, _notes, matched = single_bench.mobsfscan_problems(results)
        row.problems.extend(f"mobsfscan: {problem}" for problem in problems)
        row.cells["mobsfscan"] = cell(summary)
        if matched is not None:
            row.cells["mobsfscan"]["findings"] = matched
    return row


def ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or not denominator:
        return "-"
    return f"{numerator / denominator:.1f}x"


def print_rows(rows: list[Row]) -> None:
    def get(row: Row, name: str, key: str) -> float | None:
        return row.cells.get(name, {}).get(key)

    def fmt(value: float | None, pattern: str) -> str:
        return "-" if value is None else format(value, pattern)

    print()
    print("| tree | files | parsed | floor CPU s | j1 wall s | j1 CPU s | j1 MB | j2 wall s | j2 CPU s | j2 MB (PSS) "
          "| semgrep CPU s | mobsfscan CPU s | j1/floor | semgrep/j1 | mobsfscan/j1 | single wall s | j1 = j2 |")
    print("|" + "---|" * 17)
    for row in rows:
        j1 = get(row, "j1", "cpu")
        print(f"| {row.tree} | {row.files} | {row.parsed} | {fmt(get(row, 'floor', 'cpu'), '.2f')} "
              f"| {fmt(get(row, 'j1', 'wall'), '.2f')} | {fmt(j1, '.2f')} | {fmt(get(row, 'j1', 'rss'), '.0f')} "
              f"| {fmt(get(row, 'j2', 'wall'), '.2f')} | {fmt(get(row, 'j2', 'cpu'), '.2f')} "
              f"| {fmt(get(row, 'j2', 'rss'), '.0f')} ({fmt(get(row, 'j2', 'pss'), '.0f')}) "
              f"| {fmt(get(row, 'semgrep', 'cpu'), '.1f')} "
              f"| {fmt(get(row, 'mobsfscan', 'cpu'), '.1f')} | {ratio(j1, get(row, 'floor', 'cpu'))} "
              f"| {ratio(get(row, 'semgrep', 'cpu'), j1)} | {ratio(get(row, 'mobsfscan', 'cpu'), j1)} "
              f"| {fmt(get(row, 'single', 'wall'), '.3f')} | {'yes' if row.identical else 'NO'} |")
    for row in rows:
        details = [f"{row.tree}: pinlint findings {row.findings}", f"parsed by language {row.parsed_by_language}"]
        if "semgrep" in row.cells:
            details.append(f"semgrep results {int(row.cells['semgrep'].get('findings', 0))} "
                           f"({int(row.cells['semgrep'].get('rules', 0))} rules)")
        if "mobsfscan" in row.cells:
            details.append(f"mobsfscan rules matched {int(row.cells['mobsfscan'].get('findings', 0))}")
        if row.single_file:
            details.append(f"single: {row.single_file}")
        print("; ".join(details))
        for problem in row.problems:
            print(f"  ! {problem}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of pinlint and of the floor")
    parser.add_argument("--peer-runs", type=int, default=1, help="timed runs of semgrep and mobsfscan")
    parser.add_argument("--peers", help="a virtual environment holding semgrep and mobsfscan")
    parser.add_argument("--no-mobsfscan", action="store_true",
                        help="leave mobsfscan out (it takes many minutes per tree on a small machine)")
    parser.add_argument("--semgrep-rules", help="a checkout of the public semgrep rule set")
    parser.add_argument("--findings-dir", type=Path, help="keep each tree's --jobs 1 JSON report here")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pinlint-trees-"))
    cache = work / "pycache"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    info = single_bench.machine()
    print("machine: " + "; ".join(f"{key} {value}" for key, value in info.items()), flush=True)
    rows: list[Row] = []
    try:
        for tree in args.trees:
            rows.append(bench_tree(tree, args, env, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_rows(rows)
    after = single_bench.machine()["load average"]
    print(f"\nload average before: {info['load average']}; after: {after} (cores: {info['cores']}); CPU time is "
          "the figure to compare on a shared machine")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "rows": [asdict(row) for row in rows]}, indent=2),
                             encoding="utf-8")
    medians = [row.cells.get("j1", {}).get("cpu", 0.0) for row in rows]
    print(f"pinlint --jobs 1 CPU, median over trees: {statistics.median(medians) if medians else 0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
