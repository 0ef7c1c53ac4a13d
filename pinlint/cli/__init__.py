"""The command line: one module per command family (``app`` holds the click group and ``check``)."""

from pinlint.cli.app import main

__all__ = ["main"]
