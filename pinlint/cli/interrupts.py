"""Ctrl-C and SIGTERM: the command stops, cleans up, and exits 130 without a traceback.

SIGTERM's default action ends the process on the spot, leaving a half-written report's temporary file
behind; the command line turns it into ``Terminated``, an exception like ``KeyboardInterrupt``, so the
same cleanup runs for both. Worker processes ignore both signals (their parent stops them), so a Ctrl-C
during a parallel scan prints no worker's traceback.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: The exit code of an interrupted run (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130


class Terminated(BaseException):
    """SIGTERM arrived (a BaseException, so no ``except Exception`` swallows it)."""


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    raise Terminated


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises ``Terminated`` in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
