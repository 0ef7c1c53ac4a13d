"""``pinlint lsp``: the language server for editors (``pinlint.lsp``), behind the optional ``lsp`` extra."""

from __future__ import annotations

import sys
from datetime import date

import click

EXIT_ERROR = 2


def _today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date in YYYY-MM-DD form") from None


@click.command("lsp")
@click.option("--stdio", is_flag=True, default=False,
              help="Serve on standard input and output (the only transport; accepted because editors pass it).")
@click.option("--today", callback=_today, metavar="YYYY-MM-DD",
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
