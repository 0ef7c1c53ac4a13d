"""The hostile corpus, scanned by the real command line in a child process.

Asserted for every run: exit code 0 or 1 (2 is for usage and policy errors only), no traceback, the
expected CFG901/CFG902 finding or reported skip for every hostile file, the secret outside the tree in no
output, no network access (no socket is even created, and a local listener named by the corpus is never
contacted), nothing run or imported from the tree, and a peak memory under 1 GB. The child installs an
audit hook before pinlint starts and reports what it saw; a crash (a native parser blowing its stack)
fails the test instead of killing pytest.

Unreadable files: the tests may run as root, where ``chmod 000`` does not stop a read, so unreadability is
tested with a FIFO named like a configuration file (it would block a read for ever), a folder named like
a file, and files removed or replaced between discovery and reading; ``chmod 000`` is tested only when not
running as root.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest

from pinlint.discover.walk import Candidate
from pinlint.pipeline import parse_candidate
from tests.hostile_corpus import (
    ATTACKS,
    PEAK_RSS_LIMIT_KB,
    PWNED,
    SECRET,
    Attack,
    Expectation,
    build,
    run_attack,
)
from tests.output_samples import no_validator

#: Minutes, not seconds: left out of the inner loop (``pytest -m "not slow"``), always run by CI.
pytestmark = pytest.mark.slow

#: Runs pinlint's command line behind an audit hook that records network use, process creation, opens
#: outside the tree and modules imported from the tree, then writes them and the peak memory to a file.
BOOTSTRAP = r"""
import atexit, json, os, resource, sys
REPORT, ROOT, OUTSIDE = (os.environ[name] for name in
                         ("HOSTILE_REPORT", "HOSTILE_ROOT", "HOSTILE_OUTSIDE"))
events = []
busy = []

def under(path, folder):
    try:
        real = os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return False
    return real == folder or real.startswith(folder + os.sep)

def hook(event, args):
    if busy:
        return
    busy.append(1)
    try:
        if event.startswith("socket.") or event in (
                "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile"):
            events.append([event, repr(args)[:300]])
        elif event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes)):
            if under(args[0], OUTSIDE):
                events.append([event, repr(args[0])])
    finally:
        busy.pop()

sys.addaudithook(hook)

def report():
    imported = sorted(name for name, module in list(sys.modules.items())
                      if getattr(module, "__file__", None) and under(module.__file__, ROOT))
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    with open(REPORT, "w") as handle:
        json.dump({"events": events, "imported": imported, "peak_kb": peak}, handle)

atexit.register(report)
sys.argv = ["pinlint", *sys.argv[1:]]
from pinlint.cli.app import main
main()
"""

#: Peak resident memory allowed for a scan of the corpus (a requirement, not a timing).
PEAK_MEMORY_LIMIT_KB = 1024 * 1024
VALIDATORS = [Path(os.environ.get("PINLINT_SARIF_VALIDATOR", "/nonexistent")),
              Path(__file__).resolve().parents[3] / "shared/tools/validate-sarif"]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    report: dict[str, object]


@dataclass
class Corpus:
    root: Path
    outside: Path
    expectations: list[Expectation]
    listener: socket.socket
    runs: dict[str, Run]
    output_file: Path


def run_cli(args: list[str], root: Path, outside: Path, report: Path) -> Run:
    env = {**os.environ, "HOSTILE_REPORT": str(report), "HOSTILE_ROOT": os.path.realpath(root),
           "HOSTILE_OUTSIDE": os.path.realpath(outside), "NO_COLOR": "1"}
    report.unlink(missing_ok=True)
    process = subprocess.run([sys.executable, "-c", BOOTSTRAP, *args], cwd=root, env=env, capture_output=True,
                             timeout=300)
    data = json.loads(report.read_text()) if report.exists() else {}
    return Run(process.returncode, process.stdout.decode("utf-8", "replace"),
               process.stderr.decode("utf-8", "replace"), data)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    base = tmp_path_factory.mktemp("hostile")
    root, outside = base / "tree", base / "outside"
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.setblocking(False)
    expectations = build(root, outside, listener.getsockname()[1])
    output_file = base / "report.sarif"
    output_file.write_text("previous report\n")
    common = ["check", ".", "--profile", "audit", "--today", "2026-01-15"]
    runs = {
        "json": run_cli([*common, "--format", "json"], root, outside, base / "json.report"),
        "sarif": run_cli([*common, "--format", "sarif", "--output", str(output_file)], root, outside,
                         base / "sarif.report"),
        "text": run_cli([*common, "--format", "text"], root, outside, base / "text.report"),
        "github": run_cli([*common, "--format", "github"], root, outside, base / "github.report"),
    }
    yield Corpus(root, outside, expectations, listener, runs, output_file)
    listener.close()
    shutil.rmtree(base, ignore_errors=True)


def json_findings(corpus: Corpus) -> dict[str, list[tuple[str, str]]]:
    document = json.loads(corpus.runs["json"].stdout)
    found: dict[str, list[tuple[str, str]]] = {}
    for finding in document["findings"]:
        found.setdefault(finding["path"], []).append((finding["rule"], finding["message"]))
    return found


def test_every_run_exits_cleanly(corpus: Corpus) -> None:
    for name, run in corpus.runs.items():
        assert run.returncode in (0, 1), (name, run.returncode, run.stderr[-2000:])
        assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, name
        assert "internal error" not in run.stderr + run.stdout, (name, run.stderr[-2000:])
        assert run.report, f"{name}: the child process reported nothing (did it crash?)"


def test_every_hostile_file_is_reported(corpus: Corpus) -> None:
    found = json_findings(corpus)
    errors = json.loads(corpus.runs["json"].stdout)["errors"]
    missing = []
    for expectation in corpus.expectations:
        got = found.get(expectation.path, [])
        if expectation.kind == "finding":
            if not any(rule in expectation.rules and expectation.reason.lower() in message.lower()
                       for rule, message in got):
                missing.append((expectation, got))
        elif expectation.kind == "skip" and not any(
                error.startswith(f"{expectation.path}: ") and expectation.reason in error for error in errors):
            missing.append((expectation, errors))
    assert not missing, missing


def test_names_cannot_inject_lines_or_workflow_commands(corpus: Corpus) -> None:
    for name in ("text", "github"):
        lines = corpus.runs[name].stdout.splitlines()
        assert not [line for line in lines if line.startswith(("::error ::injected", "::injected"))], name
        assert any("injected.kt" in line for line in lines), name
        assert any("bad\ufffd\ufffdname.kt" in line for line in lines), name


def test_no_finding_is_an_internal_error(corpus: Corpus) -> None:
    messages = [message for got in json_findings(corpus).values() for _rule, message in got]
    assert messages
    assert not [message for message in messages if "internal error" in message]


def test_unreadable_and_refused_files_say_why(corpus: Corpus) -> None:
    found = json_findings(corpus)
    assert any("over the" in message and "limit" in message
               for _rule, message in found["huge/src/main/res/xml/network_security_config.xml"])
    for path, got in found.items():
        for rule, message in got:
            if rule in ("CFG901", "CFG902"):
                assert len(message) > len("cannot parse: ") + 8, (path, message)


def test_nothing_from_outside_the_tree_is_read_or_shown(corpus: Corpus) -> None:
    for name, run in corpus.runs.items():
        assert SECRET not in run.stdout and SECRET not in run.stderr, name
        events = run.report["events"]
        assert isinstance(events, list)
        assert not [event for event in events if event[0] in ("open", "os.listdir", "os.scandir")], events
    assert SECRET not in corpus.output_file.read_text(encoding="utf-8")


def test_no_network_access(corpus: Corpus) -> None:
    for name, run in corpus.runs.items():
        events = run.report["events"]
        assert isinstance(events, list)
        assert not [event for event in events if event[0].startswith("socket.")], (name, events)
    with pytest.raises(BlockingIOError):
        connection, _address = corpus.listener.accept()
        connection.close()


def test_nothing_from_the_tree_is_run_or_imported(corpus: Corpus) -> None:
    for name, run in corpus.runs.items():
        events = run.report["events"]
        assert isinstance(events, list)
        assert not [event for event in events if not event[0].startswith(("socket.", "open", "os."))
                    or event[0].startswith(("os.system", "os.exec", "os.posix_spawn", "os.spawn"))], (name, events)
        assert run.report["imported"] == [], name
    created = [path for path in corpus.root.parent.rglob(f"{PWNED}*")]
    assert created == []
    assert not list(Path.cwd().glob(f"{PWNED}*"))


def test_peak_memory_is_bounded(corpus: Corpus) -> None:
    for name, run in corpus.runs.items():
        peak = run.report["peak_kb"]
        assert isinstance(peak, int)
        assert 0 < peak < PEAK_MEMORY_LIMIT_KB, (name, peak)


def test_output_file_is_replaced_whole(corpus: Corpus) -> None:
    assert corpus.runs["sarif"].stdout == ""
    document = json.loads(corpus.output_file.read_text(encoding="utf-8"))
    assert document["version"] == "2.1.0"
    leftovers = [path.name for path in corpus.output_file.parent.iterdir() if path.name.endswith(".tmp")]
    assert leftovers == []


def test_sarif_uris_are_percent_encoded(corpus: Corpus) -> None:
    document = json.loads(corpus.output_file.read_text(encoding="utf-8"))
    uris = [location["physicalLocation"]["artifactLocation"]["uri"]
            for result in document["runs"][0]["results"] for location in result.get("locations", [])]
    assert uris
    for uri in uris:
        assert not set(uri) & set(" #?\\\"<>{}|^`"), uri
        assert all(ord(char) < 128 for char in uri), uri
    odd = [expectation.path for expectation in corpus.expectations if expectation.path.startswith("odd name/")]
    assert odd and odd[0] in {unquote(uri) for uri in uris}


def test_sarif_is_valid(corpus: Corpus) -> None:
    validator = next((path for path in VALIDATORS if path.is_file()), None)
    if validator is None:
        no_validator("no SARIF validator available")
    result = subprocess.run([str(validator), str(corpus.output_file)], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()


# --------------------------------------------------------------------------- policy files and races


def test_policy_file_with_python_tags_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".pinlint.yaml").write_text(
        f'select: !!python/object/apply:os.system ["touch {PWNED}"]\n'
        f'ignore: !!python/object/new:subprocess.Popen [["touch", "{PWNED}-2"]]\n')
    (tmp_path / "a.kt").write_text('val u = "http://a.example"\n')
    outside = tmp_path / "outside"
    outside.mkdir()
    run = run_cli(["check", "."], tmp_path, outside, tmp_path / "report.json")
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "YAML tag" in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.glob(f"{PWNED}*"))
    assert run.report["events"] == []


@pytest.mark.parametrize("content", [
    "select: " + "[" * 50_000 + "]" * 50_000 + "\n",
    "[tool.pinlint]\nselect = " + "[" * 50_000 + "]" * 50_000 + "\n",
])
def test_deeply_nested_policy_file_is_a_config_error(tmp_path: Path, content: str) -> None:
    (tmp_path / ".git").mkdir()
    name = "pyproject.toml" if content.startswith("[tool") else ".pinlint.yaml"
    (tmp_path / name).write_text(content)
    run = run_cli(["check", "."], tmp_path, tmp_path / ".git", tmp_path / "report.json")
    assert run.returncode == 2
    assert "nested too deeply" in run.stderr and "internal error" not in run.stderr


def test_max_file_size_option(tmp_path: Path) -> None:
    config = tmp_path / "app/src/main/res/xml/network_security_config.xml"
    config.parent.mkdir(parents=True)
    config.write_bytes(b'<network-security-config><base-config cleartextTrafficPermitted="true"/>'
                       b"</network-security-config>" + b" " * 2000)
    small = run_cli(["check", ".", "--format", "json", "--max-file-size", "1000"], tmp_path, tmp_path / "app",
                    tmp_path / "report.json")
    assert small.returncode == 1
    rules = [(finding["rule"], finding["message"]) for finding in json.loads(small.stdout)["findings"]]
    assert len(rules) == 1 and rules[0][0] == "CFG901" and "1000-byte limit" in rules[0][1]
    large = run_cli(["check", ".", "--format", "json", "--max-file-size", "100000"], tmp_path, tmp_path / "app",
                    tmp_path / "report.json")
    assert [finding["rule"] for finding in json.loads(large.stdout)["findings"]] == ["CLR201"]
    bad = run_cli(["check", ".", "--max-file-size", "0"], tmp_path, tmp_path / "app", tmp_path / "report.json")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def _candidate(tmp_path: Path) -> Candidate:
    path = tmp_path / "res/xml/network_security_config.xml"
    path.parent.mkdir(parents=True)
    path.write_bytes(b'<network-security-config><base-config cleartextTrafficPermitted="true"/>'
                     b"</network-security-config>")
    return Candidate(str(path), "res/xml/network_security_config.xml")


def _reasons(facts: list[object]) -> list[str]:
    return [str(getattr(fact, "reason", "")) for fact in facts]


def test_file_removed_after_discovery(tmp_path: Path) -> None:
    candidate = _candidate(tmp_path)
    candidate.path.unlink()
    reasons = _reasons(parse_candidate(candidate, 5_000_000))
    assert len(reasons) == 1 and reasons[0].startswith("cannot read file") and "No such file" in reasons[0]


def test_file_replaced_by_a_fifo_after_discovery_does_not_block(tmp_path: Path) -> None:
    candidate = _candidate(tmp_path)
    candidate.path.unlink()
    os.mkfifo(candidate.path)
    reasons = _reasons(parse_candidate(candidate, 5_000_000))
    assert reasons == ["cannot read file: not a regular file"]


def test_file_replaced_by_a_link_after_discovery_is_not_followed(tmp_path: Path) -> None:
    candidate = _candidate(tmp_path)
    secret = tmp_path / "secret.xml"
    secret.write_text(f"<network-security-config><!-- {SECRET} --></network-security-config>")
    candidate.path.unlink()
    candidate.path.symlink_to(secret)
    facts = parse_candidate(candidate, 5_000_000)
    assert _reasons(facts) == ["cannot read file: symbolic link not followed"]
    assert SECRET not in repr(facts)


def test_file_grown_past_the_limit_is_not_read_whole(tmp_path: Path) -> None:
    candidate = _candidate(tmp_path)
    with candidate.path.open("ab") as handle:
        handle.write(b" " * 5000)
    reasons = _reasons(parse_candidate(candidate, 1000))
    assert len(reasons) == 1 and "over the 1000-byte limit" in reasons[0]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their mode")
def test_file_without_read_permission(tmp_path: Path) -> None:
    candidate = _candidate(tmp_path)
    candidate.path.chmod(0)
    try:
        reasons = _reasons(parse_candidate(candidate, 5_000_000))
    finally:
        candidate.path.chmod(0o644)
    assert len(reasons) == 1 and "Permission denied" in reasons[0]


def test_a_parser_that_never_finishes_is_cut_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pinlint import pipeline as engine
    from pinlint.parsers.config import gradle

    def forever(_source: object) -> list[object]:
        while True:
            try:
                time.sleep(0.01)
            except Exception:  # a parser's own broad handler must not swallow the limit
                continue

    monkeypatch.setattr(gradle, "parse", forever)
    monkeypatch.setattr(engine, "ANALYSIS_SECONDS_BASE", 0.3)
    path = tmp_path / "build.gradle"
    path.write_text("android { }\n")
    began = time.monotonic()
    reasons = _reasons(parse_candidate(Candidate(str(path), "build.gradle"), 5_000_000))
    assert time.monotonic() - began < 10
    assert reasons == ["gradle: analysis took longer than 0 s; not analysed"]


# --------------------------------------------------------------------------------------------- attacks


@pytest.mark.parametrize("attack", ATTACKS, ids=[attack.name for attack in ATTACKS])
def test_attack_is_answered_safely_within_bounds(attack: Attack, tmp_path: Path) -> None:
    run = run_attack(attack, tmp_path)
    everything = run.stdout + run.stderr
    assert run.returncode in attack.exit_codes, (run.returncode, run.stderr[-2000:])
    assert "Traceback" not in everything and "internal error" not in everything, everything[-2000:]
    assert 0 < run.peak_kb < PEAK_RSS_LIMIT_KB, run.peak_kb
    assert SECRET not in everything
    assert not [event for event in run.events if event[0] != "open"], run.events
    assert not [event for event in run.events if "secret" in event[1] or "policy" in event[1]], run.events
    for text in attack.never:
        assert text not in everything, text
    for text in attack.stderr:
        assert text in run.stderr, (text, run.stderr[-2000:])
    for text in attack.stdout:
        assert text in run.stdout, (text, run.stdout[-2000:])
    if attack.findings:
        reported = {(finding["path"], finding["rule"]) for finding in json.loads(run.stdout)["findings"]}
        assert set(attack.findings) <= reported, reported
    if attack.extra is not None:
        attack.extra(tmp_path / "tree", run.stdout, run.stderr)
