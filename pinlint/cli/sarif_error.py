"""``python -m pinlint.cli.sarif_error FILE``: a SARIF report that says pinlint could not run.

The GitHub Action calls it when ``pinlint check`` exits 2 (a usage error, or a policy or baseline file it
cannot use), so the upload that follows gets a valid SARIF file carrying the error as a notification
instead of failing for want of a file. The message is read from the file named by ``PINLINT_ERROR_FILE``
(pinlint's standard error), the exit code from ``PINLINT_EXIT_CODE``, the category from
``PINLINT_CATEGORY``. The file is written whole or not at all.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pinlint.cli.output_file import write_report as write_atomically
from pinlint.model.facts import FactStore
from pinlint.model.result import ScanResult
from pinlint.render import RunInfo
from pinlint.render.sarif_format import render

MAX_MESSAGE_CHARS = 2000


def error_report(message: str, exit_code: int, category: str | None) -> str:
    """The SARIF text of a run that found nothing because it could not start: ``message`` is its
    error notification and ``executionSuccessful`` is false."""
    text = " ".join(message.split())[:MAX_MESSAGE_CHARS] or f"pinlint exited with {exit_code}"
    result = ScanResult(findings=[], rules={}, errors=[text], files_scanned=0, skipped=[], facts=FactStore())
    root = str(Path.cwd().resolve())
    return render(result, RunInfo(exit_code=exit_code, category=category or None, source_root=root))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m pinlint.cli.sarif_error FILE", file=sys.stderr)
        return 2
    message = ""
    error_file = os.environ.get("PINLINT_ERROR_FILE")
    if error_file:
        try:
            message = Path(error_file).read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            message = f"pinlint failed, and its error output cannot be read: {error.strerror or error}"
    try:
        exit_code = int(os.environ.get("PINLINT_EXIT_CODE", "2"))
    except ValueError:
        exit_code = 2
    write_atomically(Path(argv[0]), error_report(message, exit_code, os.environ.get("PINLINT_CATEGORY")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
