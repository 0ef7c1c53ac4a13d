"""``pinlint init``: write a commented starter ``.pinlint.yaml`` (every default shown, the sensitive-hosts
list to fill in). An existing file is never replaced unless ``--force`` says so."""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_ERROR = 2


@click.command("init")
@click.argument("folder", required=False, default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, default=False, help="Replace an existing .pinlint.yaml.")
def init(folder: Path, force: bool) -> None:
    """Write a commented .pinlint.yaml into FOLDER (default: the current folder).

    It shows every setting with its default and asks for the hosts that carry patient data
    (sensitive-hosts); as written it is the default policy. The JSON Schema of the file ships with pinlint
    (pinlint/config/pinlint-policy.schema.json) for editors.
    """
    from pinlint.cli.output_file import write_report
    from pinlint.config.loader import YAML_NAME
    from pinlint.config.schema import policy_template

    target = folder / YAML_NAME
    if not folder.is_dir():
        click.echo(f"pinlint: no such folder: {folder}", err=True)
        sys.exit(EXIT_ERROR)
    if (target.exists() or target.is_symlink()) and not force:
        click.echo(f"pinlint: {target} already exists; not replaced (--force replaces it)", err=True)
        sys.exit(EXIT_ERROR)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        click.echo(f"pinlint: {target} is not a regular file; not replaced", err=True)
        sys.exit(EXIT_ERROR)
    try:
        write_report(target, policy_template())
    except OSError as error:
        click.echo(f"pinlint: cannot write {target}: {error.strerror or error}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"pinlint: wrote {target}; fill in sensitive-hosts, then run 'pinlint check'", err=True)
