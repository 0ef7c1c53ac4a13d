"""The policy's ``exclude`` patterns (gitignore syntax) applied to the walk.

Patterns are relative to the folder of the policy file that lists them (``Policy.exclude_root``), or to the
scan's folder when they come from elsewhere. They apply to files named on the command line too, so a
pre-commit run skips an excluded file exactly as a full scan does.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from pinlint.config.policy import Policy
from pinlint.discover.walk import Candidate, Skipped, walk


def matcher(policy: Policy, relative_to: Path) -> Callable[[Path, bool], bool] | None:
    """A test ``(absolute path, is_dir) -> excluded``, or None when the policy excludes nothing."""
    if not policy.exclude:
        return None
    import pathspec  # only when the policy excludes something: it is slow to import

    spec = pathspec.GitIgnoreSpec.from_lines(policy.exclude)
    root = Path(os.path.abspath(policy.exclude_root or relative_to))

    def excluded(path: Path, is_dir: bool) -> bool:
        try:
            relative = Path(os.path.abspath(path)).relative_to(root).as_posix()
        except ValueError:
            return False
        if relative in ("", "."):
            return False
        return spec.match_file(relative + "/" if is_dir else relative)

    return excluded


def candidates(
    targets: Sequence[Path], relative_to: Path, policy: Policy, on_skip: Callable[[Skipped], None],
    vendored: bool = False, on_folder: Callable[[Skipped], None] = lambda _skipped: None,
    on_excluded: Callable[[Skipped], None] = lambda _skipped: None,
) -> list[Candidate]:
    """Every file to scan under ``targets``, without the excluded ones (excluded folders are not entered).

    ``vendored`` and ``on_folder``: which folders the walk enters by name, and each one it leaves out
    (``discover.scope``). ``on_excluded`` hears of every folder and file left out on purpose (by name or by
    the policy's patterns), for ``--show-files``.
    """
    excluded = matcher(policy, relative_to)
    if excluded is None:
        return list(walk(list(targets), relative_to, on_skip=on_skip, vendored=vendored, on_folder=on_folder,
                         on_excluded=on_excluded))
    found: list[Candidate] = []
    seen: set[str] = set()
    for target in targets:
        base = Path(os.path.abspath(target))

        def in_target(relative: str, is_dir: bool, base: Path = base) -> bool:
            return excluded(base / relative, is_dir)

        for candidate in walk([target], relative_to, is_excluded=in_target, on_skip=on_skip, seen=seen,
                              vendored=vendored, on_folder=on_folder, on_excluded=on_excluded):
            # the walk tested every file below a folder already; a file named alone is tested here
            if candidate.explicit and excluded(candidate.path, False):
                on_excluded(Skipped(candidate.display, "excluded by the policy's exclude patterns"))
                continue
            found.append(candidate)
    return found
