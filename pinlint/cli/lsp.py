"""``pinlint lsp``: the language server for editors (``pinlint.lsp``), behind the optional ``lsp`` extra."""

from __future__ import annotations

import sys
from datetime import date

import click

from pinlint.cli.dates import parse_optional_date

EXIT_ERROR = 2




@click.command("lsp")
@click.option("--stdio", is_flag=True, default=False,
              help="Serve on standard input and output (the only transport; accepted because editors pass it).")
@click.option("--today", callback=parse_optional_date, metavar="YYYY-MM-DD",
              help="Reference date for expiry checks (default: the day of each check).")
def lsp(stdio: bool, today: date | None) -> None:
    """Run the language server for editors on standard input and output (needs the lsp extra:
    pip install 'pinlint[lsp]')."""
    try:
        from pinlint.lsp.server import run
    except ImportError as error:
        if (error.name or "").partition(".")[0] not in ("pygls", "lsprotocol", "cattrs"):
            raise
        click.echo("pinlint: the language server needs the lsp extra: pip install 'pinlint[lsp]'", err=True)
        sys.exit(EXIT_ERROR)
    run(today)
