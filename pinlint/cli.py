"""The command line: ``pinlint check`` (the default), ``pinlint rules``, ``pinlint explain``.

Exit codes: 0 clean, 1 findings at or above the ``--fail-on`` threshold, 2 usage or internal error.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import click

from pinlint import __version__
from pinlint.cli_certs import COMMANDS as CERTIFICATE_COMMANDS
from pinlint.findings import SEVERITIES, severity_rank
from pinlint.policy import Policy

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class DefaultGroup(click.Group):
    """A group that runs ``check`` when the first argument is not a command (``pinlint app/``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def parse_today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date in YYYY-MM-DD form") from None


def split_names(values: tuple[str, ...]) -> list[str]:
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: a temporary file in the same folder, then a rename."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pinlint")
def main() -> None:
    """pinlint: a static policy linter for the transport security of mobile apps.

    Finds pinning that will fail or fail open, cleartext traffic, and trust decisions that accept any
    certificate, in Android and iOS configuration and in app code.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "sarif", "github"]),
              default="text", show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE (whole or not at all) instead of standard output.")
@click.option("--today", callback=parse_today, metavar="YYYY-MM-DD",
              help="Reference date for expiry checks (default: today).")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules (ids, slugs or prefixes; comma-separated).")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules (ids, slugs or prefixes; comma-separated).")
@click.option("--fail-on", type=click.Choice(list(SEVERITIES)), default=None,
              help="Lowest severity that makes the exit code 1 (default: low).")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: when on a terminal).")
def check(
    paths: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    today: date,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    color: bool | None,
) -> None:
    """Scan PATHS (files or directories; default: the current directory)."""
    from pinlint.engine import ScanOptions, UsageError, scan
    from pinlint.output import RunInfo, renderer

    policy = Policy()
    if select:
        policy.select = split_names(select)
    policy.ignore = split_names(ignore)
    if fail_on:
        policy.fail_on = fail_on
    missing = [str(path) for path in paths if not os.path.lexists(path)]
    if missing:
        raise click.UsageError(f"no such file or directory: {', '.join(missing)}")
    targets = list(paths) or [Path(".")]
    try:
        result = scan(ScanOptions(targets=targets, today=today, policy=policy))
    except UsageError as error:
        raise click.UsageError(str(error)) from None
    threshold = severity_rank(policy.fail_on)
    failing = [
        finding for finding in result.findings
        if finding.suppression is None and severity_rank(finding.severity or "medium") >= threshold
    ]
    exit_code = EXIT_FINDINGS if failing else EXIT_CLEAN
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    run = RunInfo(exit_code=exit_code, fail_on=policy.fail_on, color=bool(use_color),
                  command_line=tuple(sys.argv))
    text = renderer(output_format)(result, run)
    try:
        emit(text, output)
    except OSError as error:
        click.echo(f"pinlint: cannot write {output}: {error.strerror or error}", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(exit_code)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(output_format: str) -> None:
    """List every rule with its id, slug, default severity and title."""
    import json

    from pinlint.rules import catalogue

    rules = catalogue()
    if output_format == "json":
        click.echo(json.dumps([
            {"id": r.id, "slug": r.slug, "title": r.title, "severity": r.severity, "confidence": r.confidence,
             "platforms": list(r.platforms), "cwe": list(r.cwe)}
            for r in rules.values()
        ], indent=2))
        return
    for rule in rules.values():
        click.echo(f"{rule.id}  {rule.slug:<32} {rule.severity:<8} {rule.title}")


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print the documentation of RULE (an id such as PIN101, or a slug such as missing-backup-pin)."""
    from pinlint.rules import lookup

    found = lookup(rule)
    if found is None:
        raise click.UsageError(f"unknown rule '{rule}' (see 'pinlint rules')")
    click.echo(found.markdown(), nl=False)


for _command in CERTIFICATE_COMMANDS:
    main.add_command(_command)
