"""Discover the files to scan: walk the given paths without following links out of the root.

The walk is iterative (no recursion limit on deep trees), skips excluded directories without entering
them, detects link loops, and never leaves the scan root through a symbolic link.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: Directories that hold build outputs, dependencies or tool state, skipped unless named explicitly.
DEFAULT_EXCLUDED_DIRS = frozenset({
    ".git", ".hg", ".svn", ".gradle", ".idea", ".vscode", "build", "node_modules", "Pods", "Carthage",
    ".dart_tool", "DerivedData", ".venv", "venv", "__pycache__", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".tox", ".cxx", ".externalNativeBuild",
})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to consider. ``display`` is the POSIX path reported in findings."""

    path: Path
    display: str
    explicit: bool = False


@dataclass(frozen=True, slots=True)
class Skipped:
    display: str
    reason: str


def display_path(path: Path, relative_to: Path) -> str:
    """The path relative to ``relative_to`` when inside it, else absolute; always POSIX."""
    try:
        return path.relative_to(relative_to).as_posix()
    except ValueError:
        return path.as_posix()


def _child(parent: str, name: str) -> str:
    """``parent/name`` for display paths, where the scan root itself displays as ``.``."""
    return name if parent == "." else f"{parent}/{name}"


def walk(
    targets: list[Path],
    relative_to: Path,
    is_excluded: Callable[[str, bool], bool] = lambda _path, _is_dir: False,
    on_skip: Callable[[Skipped], None] = lambda _skipped: None,
    seen: set[str] | None = None,
) -> Iterator[Candidate]:
    """Yield each regular file under ``targets`` once, in a stable (sorted) order.

    ``seen`` holds the real paths already yielded; pass the same set to several walks to share it.
    Below a target no link is followed, so real paths are built by joining names, not by asking the
    file system for each file.
    """
    seen_real: set[str] = set() if seen is None else seen
    for target in targets:
        absolute = Path(os.path.abspath(target))
        if absolute.is_file() and not absolute.is_symlink():
            real = str(absolute.resolve())
            if real not in seen_real:
                seen_real.add(real)
                yield Candidate(absolute, display_path(absolute, relative_to), explicit=True)
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
            for entry in entries:
                name = entry.name
                shown = _child(shown_dir, name)
                rel_to_root = _child(rel_dir, name)
                try:
                    if entry.is_symlink():
                        on_skip(Skipped(shown, "symbolic link not followed"))
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        if name in DEFAULT_EXCLUDED_DIRS or is_excluded(rel_to_root, True):
                            continue
                        status = entry.stat(follow_symlinks=False)
                        if (status.st_dev, status.st_ino) in visited:
                            continue
                        visited.add((status.st_dev, status.st_ino))
                        subdirs.append((entry.path, f"{real_dir}/{name}", shown, rel_to_root))
                    elif entry.is_file(follow_symlinks=False):
                        if is_excluded(rel_to_root, False):
                            continue
                        real = f"{real_dir}/{name}"
                        if real in seen_real:
                            continue
                        seen_real.add(real)
                        yield Candidate(Path(entry.path), shown)
                except OSError as error:
                    on_skip(Skipped(shown, f"cannot stat: {error.strerror}"))
            stack.extend(reversed(subdirs))
