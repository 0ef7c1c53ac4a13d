"""The ``--today`` option's value: the reference date every date judgement takes."""

from __future__ import annotations

from datetime import date

import click


def parse_optional_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` value as a date, or None when the option was not given."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date in YYYY-MM-DD form") from None


def parse_today(ctx: click.Context, param: click.Parameter, value: str | None) -> date:
    """A ``YYYY-MM-DD`` value as a date, or today's date when the option was not given."""
    return parse_optional_date(ctx, param, value) or date.today()
