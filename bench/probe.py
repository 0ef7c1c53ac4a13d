#!/usr/bin/env python3
"""What one pinlint scan reads and parses: the input of the floor (``bench/floor.py``).

Usage: ``python bench/probe.py TREE MANIFEST.json [pinlint check options]``

Runs ``pinlint check TREE --jobs 1`` in this process, with functions wrapped to take notes: every folder
discovery lists (``os.scandir`` called from ``pinlint.discover.walk``), every file discovery hands to the
pipeline (``pipeline.examine``) and every file handed to a tree-sitter grammar (``treesitter.parse``,
fragments such as macro bodies left out: they are parsed inside a file already counted). Writes them as
JSON: ``{"directories": [path, ...], "candidates": [path, ...], "parsed": [[path, language, bytes], ...]}``.
Nothing is timed here; the notes only tell the floor which folders to list, which files to read and which
to parse.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path
from typing import Any


def main() -> int:
    tree, manifest, extra = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    from pinlint import pipeline
    from pinlint.cli.app import main as pinlint_main
    from pinlint.discover import walk
    from pinlint.parsers.code import treesitter

    directories: list[str] = []
    candidates: list[str] = []
    parsed: list[list[Any]] = []
    current: list[str] = [""]
    examine, parse_source, parse, scandir = pipeline.examine, pipeline.parse_source, treesitter.parse, os.scandir

    def noting_scandir(path: Any) -> Any:
        if sys._getframe(1).f_code is walk.walk.__code__:
            directories.append(os.fsdecode(path))
        return scandir(path)

    def noting_examine(candidate: Any, *args: Any, **kwargs: Any) -> Any:
        candidates.append(candidate.location)
        return examine(candidate, *args, **kwargs)

    def noting_parse_source(source: Any, *args: Any, **kwargs: Any) -> Any:
        current[0] = str(source.path)
        return parse_source(source, *args, **kwargs)

    def noting_parse(data: bytes, language: str, fragment: bool = False, **options: Any) -> Any:
        if not fragment:
            parsed.append([current[0], language, len(data)])
        return parse(data, language, fragment, **options)

    pipeline.examine = noting_examine
    pipeline.parse_source = noting_parse_source
    treesitter.parse = noting_parse  # type: ignore[assignment]
    os.scandir = noting_scandir  # type: ignore[assignment]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        pinlint_main(["check", str(tree), "--jobs", "1", "--format", "json", "--today", "2026-01-15", *extra])
    notes = {"directories": directories, "candidates": candidates, "parsed": parsed}
    manifest.write_text(json.dumps(notes), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
