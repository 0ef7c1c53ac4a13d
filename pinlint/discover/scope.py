"""Which folders a walk enters: vendored code and build output, by profile.

- The precommit profile (a project's own tree) leaves out the folders that hold other people's code or
  generated files (``node_modules``, ``Pods``, ``Carthage``, ``venv``, ``build``, ``dist``...): the project does
  not edit them, and scanning them makes a hook slow and noisy. Each one left out is named in the
  scan's notices, with how to include it (``--include-vendored``, or ``include-vendored: true`` in the
  policy). Version-control and editor folders (``.git``, ``.idea``...) hold no app code and are left
  out without a notice.
- The audit profile (a vendor's tree), and ``--include-vendored``, enter every folder whatever its name
  (``build`` is also a Java package name, and a vendor SDK's own dependencies are part of what ships),
  except folders that are demonstrably build output: ``build`` beside a ``build.gradle(.kts)``,
  ``.gradle`` and ``DerivedData``. Those are named in the notices too.

A folder named on the command line is always scanned, whatever its name.
"""

from __future__ import annotations

from collections.abc import Collection

#: Folders that always hold build output or build-tool state.
BUILD_OUTPUT_DIRS = frozenset({".gradle", "DerivedData"})
#: Gradle's build files: a ``build`` folder beside one is Gradle's output.
GRADLE_BUILD_FILES = frozenset({"build.gradle", "build.gradle.kts"})
#: Folders of other people's code or generated files, left out by the precommit profile.
VENDORED_DIRS = frozenset({
    "build", "node_modules", "Pods", "Carthage", ".dart_tool", ".venv", "venv", ".cxx", ".externalNativeBuild",
    # a bundler's output (webpack, ncc, rollup): megabytes of other people's code in one file
    "dist",
})
#: Version control, editors and tool caches: no app code, left out by the precommit profile silently.
TOOL_STATE_DIRS = frozenset({
    ".git", ".hg", ".svn", ".idea", ".vscode", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    ".tox",
})
#: Every folder name the precommit profile leaves out.
PRECOMMIT_EXCLUDED_DIRS = BUILD_OUTPUT_DIRS | VENDORED_DIRS | TOOL_STATE_DIRS

#: ``skip_reason`` for a folder left out without a notice.
SILENT = ""


def skip_reason(name: str, siblings: Collection[str], vendored: bool) -> str | None:
    """Why the folder ``name`` (whose parent holds ``siblings``) is left out, or None to enter it.

    ``vendored``: enter vendored folders too (the audit profile, ``--include-vendored``). ``SILENT``
    means left out without a notice.
    """
    if name in BUILD_OUTPUT_DIRS:
        return "build output"
    if name == "build" and not GRADLE_BUILD_FILES.isdisjoint(siblings):
        return "Gradle build output (beside build.gradle)"
    if vendored:
        return None
    if name in TOOL_STATE_DIRS:
        return SILENT
    if name in VENDORED_DIRS:
        return "vendored or generated"
    return None
