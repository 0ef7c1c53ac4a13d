"""The source lines findings point at, read once per file after the checks, for renderers to quote.

Renderers read no file: the pipeline hands them these lines in the ``ScanResult``. A file is opened the
way discovery opens every file (no link followed, no FIFO waited on), read up to ``MAX_SOURCE_BYTES``;
a binary or unreadable file gives no lines. An editor buffer (overlay) is quoted instead of the disk.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from pinlint.discover.walk import open_regular
from pinlint.model.findings import Finding

#: The most of a file read to find the lines to quote.
MAX_SOURCE_BYTES = 5 * 1024 * 1024


def _lines(data: bytes) -> list[str] | None:
    if b"\x00" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace").splitlines()


def _read(path: Path) -> list[str] | None:
    try:
        with open_regular(path) as handle:
            data = handle.read(MAX_SOURCE_BYTES)
    except (OSError, ValueError):
        return None
    return _lines(data)


def quote_lines(findings: Iterable[Finding], paths: Mapping[str, Path],
                overlays: Mapping[str, bytes] | None = None) -> dict[str, dict[int, str]]:
    """``{display path: {line number: text}}`` for every line a finding starts on, in files of the scan
    (``paths``: display path -> file). Lines of files outside ``paths`` (archive members) are not quoted."""
    wanted: dict[str, set[int]] = {}
    for finding in findings:
        wanted.setdefault(finding.span.path, set()).add(finding.span.line)
    quoted: dict[str, dict[int, str]] = {}
    for display, numbers in wanted.items():
        path = paths.get(display)
        if path is None:
            continue
        overlay = (overlays or {}).get(os.path.abspath(path))
        lines = _lines(overlay[:MAX_SOURCE_BYTES]) if overlay is not None else _read(path)
        if lines is None:
            continue
        quoted[display] = {number: lines[number - 1] for number in sorted(numbers) if 1 <= number <= len(lines)}
    return quoted
