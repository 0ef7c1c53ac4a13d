"""Reading a baseline file, on the input side beside the policy file: bounded in size, UTF-8 JSON.

Triage receives the parsed document (``pinlint.triage.baseline.from_document``) and never opens a file.
Entries are keyed by the path from the project root, so ``rooted`` maps the scan's display paths to it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

MAX_BASELINE_BYTES = 64 * 1024 * 1024


class BaselineFileError(Exception):
    """A baseline file pinlint cannot read as JSON; the message is one line."""


def read_document(path: Path) -> object:
    """The JSON document in the baseline file at ``path``. Raises BaselineFileError with a one-line message."""
    try:
        if path.stat().st_size > MAX_BASELINE_BYTES:
            raise BaselineFileError(f"{path}: too large for a baseline file")
        with path.open("rb") as handle:
            data = handle.read(MAX_BASELINE_BYTES + 1)
        if len(data) > MAX_BASELINE_BYTES:
            raise BaselineFileError(f"{path}: too large for a baseline file")
        return json.loads(data.decode("utf-8-sig"))
    except FileNotFoundError:
        raise BaselineFileError(f"{path}: no such file") from None
    except OSError as error:
        raise BaselineFileError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise BaselineFileError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise BaselineFileError(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from None
    except RecursionError:
        raise BaselineFileError(f"{path}: nested too deeply to be a baseline") from None


def _same(path: str) -> str:
    return path


def rooted(root: str, relative_to: str) -> Callable[[str], str]:
    """A map from display paths (relative to ``relative_to``) to POSIX paths from the project ``root``."""
    root_abs, base = os.path.abspath(root), os.path.abspath(relative_to)
    if root_abs == base:
        return _same

    def to_root(display: str) -> str:
        relative = os.path.relpath(os.path.join(base, display), root_abs).replace(os.sep, "/")
        return display if relative.startswith("../") else relative

    return to_root
