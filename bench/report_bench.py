"""Benchmark of the organisation-wide fan-in: ``pinlint report`` over many repositories' results.

Generates REPOS repositories' results in a temporary folder (a ``check --format json`` and an
``inventory --format json`` result for each, a ``live-check`` result for every tenth), shaped like real
ones: 0-60 findings (a median near 20, some suppressed or baselined, with the message lengths pinlint
writes), 0-15 pinned hosts with two or three pins, notices and skipped paths. Then runs ``pinlint
report`` on them in a child process, for HTML and Markdown, and prints wall time, CPU time and the
child's peak memory (maximum resident set size). The target: 1,000 repositories in under 10 s and
under 500 MB.

    python bench/report_bench.py [--repos 1000] [--runs 3] [--seed 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RULES = ["PIN101", "PIN102", "PIN104", "PIN107", "CLR201", "CLR203", "CLR204", "TRU301", "TRU302", "TRU304",
         "TRU305", "CFG901"]
SEVERITIES = ["critical", "high", "medium", "low"]
PLATFORMS = ["android", "ios", "flutter", "javascript"]
MESSAGE = ("pin-set for {host} has 1 distinct valid pin; add a backup pin for a key not in the current chain so "
           "a key rotation does not lock users out")


BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _pin(rng: random.Random) -> str:
    return "".join(rng.choice(BASE64) for _ in range(43)) + "="


def check_result(rng: random.Random, name: str) -> dict[str, Any]:
    count = min(60, int(rng.expovariate(1 / 20)))
    findings = []
    for index in range(count):
        rule = rng.choice(RULES)
        host = f"api{index % 7}.{name}.example"
        suppressed = rng.random() < 0.1
        findings.append({
            "rule": rule, "slug": "missing-backup-pin", "severity": rng.choice(SEVERITIES), "confidence": "high",
            "path": f"app/src/main/java/com/{name}/net/Client{index}.kt", "line": rng.randint(1, 900),
            "column": rng.randint(1, 80), "end_line": 1, "end_column": None, "message": MESSAGE.format(host=host),
            "fingerprint": f"{rng.getrandbits(128):032x}", "suppressed": suppressed,
            "suppression": {"kind": rng.choice(["inline", "baseline"]),
                            "justification": "backup key is held offline; rotation plan in SEC-12",
                            "path": None, "line": None} if suppressed else None,
            "platform": rng.choice(PLATFORMS),
        })
    return {
        "version": 1, "tool": {"name": "pinlint", "version": "0.1.0"},
        "scope": {"today": "2026-01-15", "profile": "precommit", "policy_file": ".pinlint.yaml",
                  "exclude": ["third_party/"], "fail_on": "low"},
        "findings": findings, "errors": [], "skipped": [{"path": "app/link", "reason": "symbolic link not followed"}],
        "notices": [{"path": None, "line": None,
                     "message": "2 low-confidence or informational findings hidden by the precommit profile"}],
        "summary": {"files_scanned": rng.randint(50, 8000), "findings": count, "suppressed": 0, "exit_code": 1},
    }


def inventory_result(rng: random.Random, name: str) -> dict[str, Any]:
    hosts = []
    for index in range(rng.randint(0, 15)):
        pins = [{"value": _pin(rng), "algorithm": "sha256", "role": rng.choice(["unknown", "intermediate", "leaf"]),
                 "subject": "CN=Issuing CA", "not_after": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
                for _ in range(rng.randint(1, 3))]
        hosts.append({
            "host": f"api{index}.{name}.example", "platform": rng.choice(PLATFORMS), "mechanism": "pin-set",
            "file": "app/src/main/res/xml/network_security_config.xml", "line": 10 + index, "kind": "any",
            "include_subdomains": True, "pins": pins, "certificates": [],
            "expiration": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "status": "enforced",
            "backup": "yes" if len(pins) > 1 else "missing", "variant": "",
        })
    return {"version": 1, "tool": {"name": "pinlint", "version": "0.1.0"}, "today": "2026-01-15", "hosts": hosts}


def live_result(rng: random.Random, name: str) -> dict[str, Any]:
    hosts = [{
        "host": f"api{index}.{name}.example", "address": f"192.0.2.{index + 1}:443", "error": None,
        "chain": [{"subject": f"CN=api{index}.{name}.example", "issuer": "CN=Issuing CA", "spki_sha256": _pin(rng),
                   "not_after": f"2026-{rng.randint(1, 12):02d}-15"}],
        "chain_valid": True, "name_matches": True, "leaf_days_left": rng.randint(1, 300), "backup_ready": True,
        "drift": [], "platforms": [{"platform": "android", "mechanism": "pin-set", "source": "nsc.xml:10",
                                    "accepted": True, "reason": "pin matches the intermediate"}],
    } for index in range(rng.randint(1, 5))]
    return {"version": 1, "hosts": hosts, "summary": {"hosts": len(hosts)}}


def generate(folder: Path, repos: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    files = []
    for number in range(repos):
        name = f"app{number:04d}"
        documents = {"check": check_result(rng, name), "inventory": inventory_result(rng, name)}
        if number % 10 == 0:
            documents["live"] = live_result(rng, name)
        for kind, document in documents.items():
            path = folder / f"{name}.{kind}.json"
            path.write_text(json.dumps(document, indent=2))
            files.append(path)
    return files


def run(files: list[Path], output: Path, output_format: str) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MB) of one report in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [sys.executable, "-c",
               "import resource, sys\n"
               "from pinlint.cli.app import main\n"
               "try:\n    main()\n"
               "finally:\n"
               "    sys.stderr.write(f'peak-kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\n",
               "report", *map(str, files), "--today", "2026-01-15", "--format", output_format, "-o", str(output)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        sys.exit(f"report failed ({completed.returncode}): {completed.stderr[-2000:]}")
    peak_kb = int(completed.stderr.rsplit("peak-kb ", 1)[1].split()[0])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = arguments.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        files = generate(folder, arguments.repos, arguments.seed)
        size = sum(path.stat().st_size for path in files)
        print(f"{arguments.repos} repositories, {len(files)} result files, {size / 1e6:.1f} MB of JSON")
        print(f"load average before: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
        for output_format, suffix in (("html", "html"), ("markdown", "md")):
            output = folder / f"report.{suffix}"
            for number in range(1, arguments.runs + 1):
                wall, cpu, peak = run(files, output, output_format)
                print(f"{output_format:<8} run {number}: wall {wall:.2f} s, CPU {cpu:.2f} s, peak {peak:.0f} MB, "
                      f"output {output.stat().st_size / 1e6:.1f} MB", flush=True)
        print(f"load average after: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
