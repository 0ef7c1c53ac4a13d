"""Report files (``--output``, baselines, SARIF, JSON): written whole or not at all, only as regular files.

A report is written to a temporary file in the same folder and renamed over the target, so a reader sees
the old report or the new one, never half of one. The rules that keep this safe:

- Only a regular file (or a name that does not exist yet) is written. A device node (``/dev/full``), a
  FIFO, a socket, a folder or a symbolic link is refused with a message: renaming over it would replace
  the node itself (as root, ``/dev/full`` would become a regular file) or, for a link, swap what the
  link's owner expected for something else. ``-`` names standard output.
- The file gets the mode a plain ``open(path, "w")`` would give it: an existing report keeps its mode,
  a new one gets ``0o666`` less the umask (not the ``0600`` of a temporary file).
- The temporary file is removed when the write fails, and on Ctrl-C or SIGTERM (the command line turns
  SIGTERM into an exception, so this cleanup runs). A SIGKILL cannot be caught: the temporary file's
  name holds the writer's process id, and the next write beside it removes those whose writer is gone.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

#: Standard output, where a file name is expected.
STDOUT = "-"


class OutputRefused(OSError):
    """The output path is not a regular file pinlint may replace."""


def _temporary_name(target: str) -> str:
    # os.urandom rather than the secrets module, whose import (hmac, hashlib, OpenSSL) costs 5 ms of every run
    return f".{target}.pinlint-{os.getpid()}-{os.urandom(4).hex()}.tmp"


def _stale_pattern(target: str) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(target)}\.pinlint-(\d+)-[0-9a-f]{{8}}\.tmp")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def remove_stale_temporaries(directory: Path, target: str) -> list[str]:
    """Remove the temporary files a killed pinlint left beside ``target``; the names removed."""
    pattern = _stale_pattern(target)
    removed: list[str] = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        match = pattern.fullmatch(name)
        if match is None or _alive(int(match.group(1))):
            continue
        path = directory / name
        try:
            if stat.S_ISREG(os.lstat(path).st_mode):
                path.unlink()
                removed.append(name)
        except OSError:
            continue
    return removed


def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def check_target(path: Path) -> int:
    """The permission bits the report will get; raises ``OutputRefused`` for anything but a regular file."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return _new_file_mode()
    if stat.S_ISLNK(status.st_mode):
        raise OutputRefused(errno.EINVAL, "is a symbolic link; not replaced (name the file it points to)")
    if not stat.S_ISREG(status.st_mode):
        raise OutputRefused(errno.EINVAL, "not a regular file; --output writes only regular files "
                                          f"(or '{STDOUT}' for standard output)")
    return stat.S_IMODE(status.st_mode)


def write_atomically(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces, in order) to ``path`` whole or not at all. Raises ``OSError``."""
    directory = path.parent if str(path.parent) else Path(".")
    mode = check_target(path)
    remove_stale_temporaries(directory, path.name)
    temporary = directory / _temporary_name(path.name)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n", errors="replace") as stream:
            for piece in [text] if isinstance(text, str) else text:
                stream.write(piece)
        os.chmod(temporary, mode)
        check_target(path)  # swapped for a device or a link while the report was being written
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_report(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces) to ``path`` whole or not at all, only as a regular file
    (``pinlint.cli.output_file``); ``-`` is standard output."""
    import click

    if str(path) == STDOUT:
        for piece in [text] if isinstance(text, str) else text:
            click.echo(piece.encode("utf-8", "replace").decode("utf-8"), nl=False, color=True)
        return
    write_atomically(path, text)


def emit(text: str, output: Path | None) -> None:
    """The report to standard output (``output`` None or ``-``) or, whole or not at all, to ``output``."""
    import click

    # last line of defence: a stray lone surrogate from the scanned tree must not stop the report
    text = text.encode("utf-8", "replace").decode("utf-8")
    if output is None or str(output) == STDOUT:
        # renderers add colour only when asked to; stop click from stripping it off a forced --color
        click.echo(text, nl=False, color=True)
    else:
        write_report(output, text)
