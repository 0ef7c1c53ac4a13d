#!/usr/bin/env python3
"""Time and peak memory of every attack in the hostile corpus, each scanned alone in a child process.

Usage (from a clone): python bench/hostile.py [--only NAME,...]

The numbers depend on the machine and its load; the test suite asserts only the guards (an address-space
limit, a time-out, and a peak resident memory under 1 GB), never a speed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile_corpus import ATTACKS, run_attack  # noqa: E402


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--only", default="", help="comma-separated attack names (default: all)")
    options = arguments.parse_args()
    wanted = {name.strip() for name in options.only.split(",") if name.strip()}
    print(f"{'attack':<52} {'exit':>4} {'seconds':>8} {'peak MB':>8}")
    for attack in ATTACKS:
        if wanted and attack.name not in wanted:
            continue
        with tempfile.TemporaryDirectory(prefix="pinlint-hostile-") as folder:
            run = run_attack(attack, Path(folder))
        print(f"{attack.name:<52} {run.returncode:>4} {run.seconds:>8.2f} {run.peak_kb / 1024:>8.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
