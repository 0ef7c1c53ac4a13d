"""Compare ``pinlint check`` output of the working tree with the code of a git ref, fixture by fixture.

A restructuring must not change what pinlint reports. This script runs ``check --format json
--profile audit --today DATE`` (other formats with ``--format``) on every fixture folder twice: once with the
code of ``REF`` (exported with ``git archive`` into a temporary folder, never checked out) and once
with the code of this working tree. Both runs read the same fixture files (this tree's), so only the
code differs. It prints each folder whose output or exit code differs, with a unified diff, and exits
1 when any does, 0 when every output is identical.

    python scripts/compare_outputs.py main            # this tree against main
    python scripts/compare_outputs.py HEAD~3 --today 2026-01-15 fixtures/sample-app
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Runs in a child process whose ``pinlint`` package is the code under comparison: every folder through
#: click's test runner in one process (one interpreter start for all folders), JSON lines out.
DRIVER = """
import json, sys
request = json.loads(sys.stdin.read())
sys.path.insert(0, request["code_root"])
from click.testing import CliRunner
try:
    from pinlint.cli.app import main
except ImportError:
    from pinlint.cli import main
runner = CliRunner()
for folder in request["folders"]:
    outcome = runner.invoke(main, ["check", folder, *request["options"]])
    if not sys.modules["pinlint"].__file__.startswith(request["code_root"]):
        raise SystemExit("pinlint was imported from the wrong folder")
    print(json.dumps({"folder": folder, "stdout": outcome.stdout, "exit": outcome.exit_code}), flush=True)
"""


def fixture_folders() -> list[str]:
    return sorted(f"fixtures/{entry.name}" for entry in (ROOT / "fixtures").iterdir() if entry.is_dir())


def export(ref: str, into: Path) -> Path:
    """The ``pinlint`` package and ``rules`` of ``ref``, extracted member by member into ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref, "pinlint", "rules"],
                             check=True, capture_output=True).stdout
    archive_path = into / "ref.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as bundle:
        for member in bundle.getmembers():
            if member.isfile() or member.isdir():
                bundle.extract(member, into, set_attrs=False)
    return into


def outputs(code_root: Path, folders: list[str], options: list[str]) -> dict[str, tuple[str, int]]:
    environment = {**os.environ, "PYTHONPATH": str(code_root), "NO_COLOR": "1"}
    request = json.dumps({"folders": folders, "options": options, "code_root": str(code_root)})
    finished = subprocess.run([sys.executable, "-c", DRIVER], input=request, capture_output=True, text=True,
                              cwd=ROOT, env=environment)
    if finished.returncode != 0:
        raise SystemExit(f"the run with the code in {code_root} failed:\n{finished.stderr}")
    found: dict[str, tuple[str, int]] = {}
    for line in finished.stdout.splitlines():
        record = json.loads(line)
        found[record["folder"]] = (record["stdout"], record["exit"])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ref", help="git ref whose code gives the expected output (for example main)")
    parser.add_argument("folders", nargs="*", help="folders to scan (default: every fixture folder)")
    parser.add_argument("--today", default="2026-12-03", help="reference date passed to check")
    parser.add_argument("--profile", default="audit", help="profile passed to check")
    parser.add_argument("--format", default="json", help="output format passed to check (json, text, sarif...)")
    arguments = parser.parse_args()
    folders = arguments.folders or fixture_folders()
    options = ["--format", arguments.format, "--profile", arguments.profile, "--today", arguments.today]
    with tempfile.TemporaryDirectory(prefix="pinlint-compare-") as temporary:
        before = outputs(export(arguments.ref, Path(temporary)), folders, options)
    after = outputs(ROOT, folders, options)
    differing = 0
    for folder in folders:
        old, new = before.get(folder, ("", -1)), after.get(folder, ("", -1))
        if old == new:
            continue
        differing += 1
        print(f"== {folder}: exit {old[1]} -> {new[1]}")
        sys.stdout.writelines(difflib.unified_diff(old[0].splitlines(True), new[0].splitlines(True),
                                                   f"{arguments.ref}/{folder}", f"working tree/{folder}"))
    print(f"{len(folders) - differing} of {len(folders)} folders identical to {arguments.ref}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
