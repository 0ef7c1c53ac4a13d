"""Discover the files to scan: walk the given paths without following links out of the root.

The walk is iterative (no recursion limit on deep trees), skips excluded directories without entering
them, detects link loops, and never leaves the scan root through a symbolic link. Symbolic links and
anything that is not a regular file or folder (a FIFO, socket or device, which could block a read or
never end) are reported as skipped. ``open_regular`` opens a discovered file again without following a
link or blocking, so a file swapped for a link or a FIFO after discovery is refused too.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pinlint.discover.scope import PRECOMMIT_EXCLUDED_DIRS, SILENT, skip_reason

#: Directories the precommit profile leaves out unless named explicitly (``scope``: audit enters them).
DEFAULT_EXCLUDED_DIRS = PRECOMMIT_EXCLUDED_DIRS


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to consider. ``display`` is the POSIX path reported in findings.

    ``location`` is the file's path on disk as a string: most files of a tree are only named and
    prefiltered, and a ``Path`` object for each of them cost more than the walk itself.
    """

    location: str
    display: str
    explicit: bool = False
    #: Read everything a parser can read, however costly (the audit profile: minified bundles too).
    thorough: bool = False

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def name(self) -> str:
        """The file name (the last part of ``location``)."""
        return os.path.basename(self.location)


@dataclass(frozen=True, slots=True)
class Skipped:
    display: str
    reason: str


def display_path(path: Path, relative_to: Path) -> str:
    """The path relative to ``relative_to`` when inside it, else absolute; always POSIX.

    A name that is not valid UTF-8 is shown with U+FFFD for the bad bytes, so every report can be written.
    """
    try:
        shown = path.relative_to(relative_to).as_posix()
    except ValueError:
        shown = path.as_posix()
    return printable_name(shown)


def printable_name(name: str) -> str:
    """``name`` with the bytes that are not valid UTF-8 (surrogate escapes) shown as U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _child(parent: str, name: str) -> str:
    """``parent/name`` for display paths, where the scan root itself displays as ``.``."""
    return name if parent == "." else f"{parent}/{name}"


def walk(
    targets: list[Path],
    relative_to: Path,
    is_excluded: Callable[[str, bool], bool] = lambda _path, _is_dir: False,
    on_skip: Callable[[Skipped], None] = lambda _skipped: None,
    seen: set[str] | None = None,
    vendored: bool = False,
    on_folder: Callable[[Skipped], None] = lambda _skipped: None,
    on_excluded: Callable[[Skipped], None] = lambda _skipped: None,
) -> Iterator[Candidate]:
    """Yield each regular file under ``targets`` once, in a stable (sorted) order.

    Folders are entered as ``scope.skip_reason`` says (``vendored``: the audit profile's scope); each
    folder left out for its name is passed to ``on_folder``, unless it is version-control or editor
    state. A target is entered whatever its name.

    ``seen`` holds the real paths already yielded; pass the same set to several walks to share it.
    Below a target no link is followed, so real paths are built by joining names, not by asking the
    file system for each file. ``on_excluded`` hears of each folder and file left out on purpose (the
    default excluded folders, the policy's patterns), for ``--show-files``.
    """
    seen_real: set[str] = set() if seen is None else seen
    for target in targets:
        absolute = Path(os.path.abspath(target))
        if absolute.is_file() and not absolute.is_symlink():
            real = str(absolute.resolve())
            if real not in seen_real:
                seen_real.add(real)
                yield Candidate(str(absolute), display_path(absolute, relative_to), explicit=True)
            continue
        if absolute.is_symlink():
            on_skip(Skipped(display_path(absolute, relative_to), "symbolic link not followed"))
            continue
        if not absolute.is_dir():
            on_skip(Skipped(display_path(absolute, relative_to), "not a file or directory"))
            continue
        # (directory, its real path, its display path, its path relative to the target)
        stack: list[tuple[str, str, str, str]] = [
            (str(absolute), str(absolute.resolve()), display_path(absolute, relative_to), "."),
        ]
        root_stat = absolute.stat()
        #: (device, inode) of every directory entered: a bind mount or junction back up is entered once.
        visited = {(root_stat.st_dev, root_stat.st_ino)}
        while stack:
            directory, real_dir, shown_dir, rel_dir = stack.pop()
            try:
                with os.scandir(directory) as listing:
                    entries = sorted(listing, key=lambda entry: entry.name)
            except OSError as error:
                on_skip(Skipped(shown_dir, f"cannot list directory: {error.strerror}"))
                continue
            subdirs: list[tuple[str, str, str, str]] = []
            siblings = {entry.name for entry in entries}
            for entry in entries:
                name = entry.name
                shown = _child(shown_dir, printable_name(name))
                rel_to_root = _child(rel_dir, name)
                try:
                    if entry.is_symlink():
                        on_skip(Skipped(shown, "symbolic link not followed"))
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        reason = skip_reason(name, siblings, vendored)
                        if reason is not None:
                            if reason != SILENT:
                                on_folder(Skipped(shown, reason))
                            why = reason or "version control or tool state"
                            on_excluded(Skipped(shown + "/", f"folder left out: {why}"))
                            continue
                        if is_excluded(rel_to_root, True):
                            on_excluded(Skipped(shown + "/", "excluded by the policy's exclude patterns"))
                            continue
                        status = entry.stat(follow_symlinks=False)
                        if (status.st_dev, status.st_ino) in visited:
                            continue
                        visited.add((status.st_dev, status.st_ino))
                        subdirs.append((entry.path, f"{real_dir}/{name}", shown, rel_to_root))
                    elif entry.is_file(follow_symlinks=False):
                        if is_excluded(rel_to_root, False):
                            on_excluded(Skipped(shown, "excluded by the policy's exclude patterns"))
                            continue
                        real = f"{real_dir}/{name}"
                        if real in seen_real:
                            continue
                        seen_real.add(real)
                        yield Candidate(entry.path, shown)
                    else:
                        on_skip(Skipped(shown, "not a regular file (a FIFO, socket or device); not read"))
                except OSError as error:
                    on_skip(Skipped(shown, f"cannot stat: {error.strerror}"))
            stack.extend(reversed(subdirs))


#: ``os.open`` flags that refuse a final symbolic link and never wait on a FIFO (0 where not supported).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class NotRegularFile(OSError):
    """The path is no longer a regular file (a link, FIFO or device swapped in after discovery)."""


def open_regular(path: str | Path) -> BinaryIO:
    """``path`` opened for binary reading, only if it is a regular file and not a symbolic link.

    Raises ``OSError`` (``NotRegularFile`` for a link, FIFO, device or folder) instead of following or
    blocking.
    """
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotRegularFile(errno.ELOOP, "symbolic link not followed") from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file")
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
