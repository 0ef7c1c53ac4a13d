"""Report files: written whole, only as regular files, with the umask's mode; no temporary file left behind
after a failure, Ctrl-C or SIGTERM, and stale ones from a killed run removed by the next write."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pinlint.cli.app import main
from pinlint.cli.interrupts import Terminated, sigterm_raises
from pinlint.cli.output_file import OutputRefused, write_atomically

CLEARTEXT = b'<network-security-config><base-config cleartextTrafficPermitted="true"/></network-security-config>'


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    config = tmp_path / "app/src/main/res/xml/network_security_config.xml"
    config.parent.mkdir(parents=True)
    config.write_bytes(CLEARTEXT)
    return tmp_path


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_report_gets_the_mode_of_a_normal_file(tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        write_atomically(tmp_path / "report.json", "{}\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "report.json").stat().st_mode) == mode
    assert leftovers(tmp_path) == []


def test_an_existing_report_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    target.write_text("old\n")
    target.chmod(0o640)
    write_atomically(target, "new\n")
    assert target.read_text() == "new\n" and stat.S_IMODE(target.stat().st_mode) == 0o640


def test_device_node_is_never_replaced() -> None:
    before = os.stat("/dev/full")
    result = CliRunner().invoke(main, ["check", "--no-config", "--format", "json", "-o", "/dev/full", "/dev/null"])
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr and "Traceback" not in result.output
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_fifo_socket_and_folder_are_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "sock"))
        for target in (fifo, tmp_path / "sock"):
            with pytest.raises(OutputRefused, match="not a regular file"):
                write_atomically(target, "x")
        assert stat.S_ISFIFO(fifo.lstat().st_mode) and stat.S_ISSOCK((tmp_path / "sock").lstat().st_mode)
    assert leftovers(tmp_path) == []


def test_symbolic_link_and_its_target_are_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious\n")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    with pytest.raises(OutputRefused, match="symbolic link"):
        write_atomically(link, "{}")
    assert link.is_symlink() and target.read_text() == "precious\n"


def test_dash_is_standard_output(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    result = CliRunner().invoke(main, ["check", "--no-config", "--format", "json", "-o", "-", "."])
    assert result.exit_code == 1 and '"CLR201"' in result.stdout
    assert not (tree / "-").exists()


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, Terminated, OSError])
def test_no_temporary_file_after_an_interrupted_write(tmp_path: Path, interruption: type[BaseException]) -> None:
    def pieces() -> Iterator[str]:
        yield "half of a report"
        raise interruption

    target = tmp_path / "report.json"
    target.write_text("previous\n")
    with pytest.raises(interruption):
        write_atomically(target, pieces())
    assert target.read_text() == "previous\n" and leftovers(tmp_path) == []


def test_sigterm_during_a_write_removes_the_temporary_file(tmp_path: Path) -> None:
    def pieces() -> Iterator[str]:
        yield "half"
        os.kill(os.getpid(), signal.SIGTERM)
        yield "never"

    with pytest.raises(Terminated), sigterm_raises():
        write_atomically(tmp_path / "report.json", pieces())
    assert not (tmp_path / "report.json").exists() and leftovers(tmp_path) == []


def test_stale_temporary_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    dead = int(finished.stdout)
    stale = tmp_path / f".report.json.pinlint-{dead}-0123abcd.tmp"
    stale.write_text("half")
    live = tmp_path / f".report.json.pinlint-{os.getpid()}-0123abcd.tmp"  # a write in progress: kept
    live.write_text("half")
    other = tmp_path / f".other.json.pinlint-{dead}-0123abcd.tmp"  # another report's: not ours to judge now
    other.write_text("half")
    write_atomically(tmp_path / "report.json", "{}\n")
    assert not stale.exists() and live.exists() and other.exists()


def wait_for_workers(pid: int, limit: float = 60.0) -> None:
    """Wait (boundedly) until the scan has started its worker processes: a signal sent earlier would land in
    start-up, which is not what these tests are about, and a loaded machine can take seconds to get there."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if children.read_text().split():
                time.sleep(0.5)
                return
        time.sleep(0.05)
    raise AssertionError("the scan started no worker process within the limit")


def _default_sigint() -> None:
    """A suite started in the background of a shell inherits an ignored SIGINT, which Python then keeps:
    the scan under test gets Ctrl-C's default, as a terminal gives it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupting_a_parallel_scan_exits_130_without_a_traceback(tmp_path: Path, signum: int) -> None:
    for index in range(2400):
        folder = tmp_path / "src" / f"p{index % 40}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"F{index}.kt").write_text(
            f'class F {{ fun f() {{ val u = "http://a{index}.example"; val v = listOf(1).map {{ it }} }} }}\n' * 30)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    process = subprocess.Popen(
        [sys.executable, "-m", "pinlint", "check", "--no-config", "--jobs", "2", "--format", "json", "-o",
         str(tmp_path / "report.json"), str(tmp_path / "src")],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        preexec_fn=_default_sigint)
    wait_for_workers(process.pid)
    os.killpg(process.pid, signum)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr.decode()[-2000:]
    assert b"Traceback" not in stderr + stdout and stderr.decode().strip() == "pinlint: interrupted"
    assert not (tmp_path / "report.json").exists() and leftovers(tmp_path) == []
