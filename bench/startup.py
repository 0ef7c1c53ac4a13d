#!/usr/bin/env python3
"""Start-up and one-file runs: what a pre-commit hook pays on every commit.

Usage: ``python bench/startup.py FILE... [--runs 7] [--code-root DIR] [--json OUT]``

Times, each in a fresh interpreter, ``python -c pass`` (the interpreter alone), ``import pinlint.cli``
and ``pinlint check --profile precommit FILE`` for every FILE (a staged file, run from its folder), and
reports wall time, CPU time (user + system, from the child's resource usage) and peak resident memory,
best and median of the runs. Every case runs twice over:

- ``bytecode``: with Python's bytecode cache, as an installed pinlint has it (pip compiles the package):
  the cache is written to a folder of this run's own (``PYTHONPYCACHEPREFIX``) by one untimed run first;
- ``source``: with no bytecode at all (an empty cache prefix and ``PYTHONDONTWRITEBYTECODE=1``), as a
  checkout run with ``PYTHONDONTWRITEBYTECODE`` set pays it: every module is compiled on every run.

``--code-root`` runs the pinlint found there (default: this checkout), so two versions can be compared.
On a shared machine wall times vary with the load; CPU times are the steadier figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def measure(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak resident MB and exit code of one run of ``command``."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def case(name: str, command: list[str], env: dict[str, str], cwd: Path, runs: int) -> dict[str, Any]:
    measure(command, env, cwd)  # untimed: writes the bytecode cache where one is kept, warms the page cache
    samples = [measure(command, env, cwd) for _ in range(runs)]
    walls, cpus, rss = [s[0] for s in samples], [s[1] for s in samples], [s[2] for s in samples]
    return {"case": name, "runs": runs, "wall_best": min(walls), "wall_median": statistics.median(walls),
            "cpu_best": min(cpus), "cpu_median": statistics.median(cpus), "rss_mb": max(rss),
            "exit": samples[-1][3]}


def environment(code_root: Path, prefix: str, bytecode: bool) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "PYTHONPATH")}
    env.update({"PYTHONPATH": str(code_root), "PYTHONPYCACHEPREFIX": prefix, "NO_COLOR": "1"})
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--code-root", type=Path, default=ROOT)
    parser.add_argument("--json", type=Path)
    arguments = parser.parse_args()
    results: list[dict[str, Any]] = []
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores")
    print("| mode | case | wall s best / median | CPU s best / median | peak MB | exit |")
    print("|---|---|---:|---:|---:|---:|")
    for mode in ("bytecode", "source"):
        with tempfile.TemporaryDirectory(prefix="pinlint-pyc-") as prefix:
            env = environment(arguments.code_root.resolve(), prefix, mode == "bytecode")
            cases = [("python -c pass", [sys.executable, "-c", "pass"], Path.cwd()),
                     ("import pinlint.cli", [sys.executable, "-c", "import pinlint.cli"], Path.cwd())]
            cases += [(f"check {path.name}", [sys.executable, "-m", "pinlint", "check", "--profile", "precommit",
                                              path.name], path.resolve().parent) for path in arguments.files]
            for name, command, cwd in cases:
                row = {"mode": mode, **case(name, command, env, cwd, arguments.runs)}
                results.append(row)
                print(f"| {mode} | {name} | {row['wall_best']:.3f} / {row['wall_median']:.3f} "
                      f"| {row['cpu_best']:.3f} / {row['cpu_median']:.3f} | {row['rss_mb']:.0f} | {row['exit']} |",
                      flush=True)
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
