"""``pinlint report``: one evidence page (HTML, or Markdown for a ticket) over folders and result files.

A folder is scanned with the same pipeline and policy as ``pinlint check`` (paths shown relative to the
folder, its root); a file is a ``check``, ``inventory`` or ``live-check`` JSON result. Inputs are read
one at a time. Exit codes: 0 the report is written; 2 a usage error, or an input that could not be used
(the report is still written and lists it at the top).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import click

from pinlint.cli.dates import parse_today
from pinlint.cli.options import InvocationError, policy_options, scan_options
from pinlint.evidence.load import InputError, Loaded, read_result
from pinlint.evidence.model import FOLDER

EXIT_WRITTEN, EXIT_ERROR = 0, 2




def folder_labels(inputs: list[Path]) -> dict[Path, str]:
    """Each folder's repository label: its name, or the path as given when two folders share a name."""
    names: dict[str, int] = {}
    folders = [path for path in inputs if path.is_dir()]
    for path in folders:
        name = Path(os.path.abspath(path)).name or path.as_posix()
        names[name] = names.get(name, 0) + 1
    labels = {}
    for path in folders:
        name = Path(os.path.abspath(path)).name or path.as_posix()
        labels[path] = name if names[name] == 1 else path.as_posix()
    return labels


def scan_folder(folder: Path, label: str, *, today: date, config_path: Path | None, no_config: bool,
                profile: str, max_file_size: int | None, baseline_path: Path | None, jobs: int,
                include_tests: bool = False) -> Loaded:
    """The folder's check and inventory documents, from one run of the pipeline ``check`` and ``inventory`` use."""
    import json

    from pinlint.certs.inventory import build_inventory
    from pinlint.evidence.load import digest_record
    from pinlint.model.findings import severity_rank
    from pinlint.pipeline import UsageError, run
    from pinlint.render import RunInfo
    from pinlint.render.inventory import render_json as inventory_json
    from pinlint.render.json_format import render as check_json

    try:
        inputs = scan_options([folder], today=today, select=[], ignore=[], fail_on=None, config_path=config_path,
                              no_config=no_config, profile=profile, baseline_path=baseline_path,
                              max_file_size=max_file_size, relative_to=Path(os.path.abspath(folder)))
    except InvocationError as error:
        raise InputError(f"{folder}: {error}") from None
    inputs.jobs = jobs
    inputs.include_tests = include_tests
    try:
        result = run(inputs)
    except UsageError as error:
        raise InputError(f"{folder}: {error}") from None
    threshold = severity_rank(inputs.policy.fail_on)
    failing = any(finding.suppression is None and severity_rank(finding.severity or "medium") >= threshold
                  for finding in result.findings)
    text = check_json(result, RunInfo(exit_code=1 if failing else 0, fail_on=inputs.policy.fail_on))
    record = digest_record(folder.as_posix(), text.encode("utf-8", "replace"), FOLDER, result.files_scanned)
    inventory = json.loads(inventory_json(build_inventory(result.facts, today), today))
    return Loaded(label, record, (("check", json.loads(text)), ("inventory", inventory)))


@click.command("report")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the report to FILE (whole or not at all) instead of standard output.")
@click.option("--format", "output_format", type=click.Choice(["html", "markdown"]), default="html",
              show_default=True, help="html: one self-contained page; markdown: for a ticket (no chart).")
@click.option("--today", callback=parse_today, metavar="YYYY-MM-DD",
              help="Reference date for expiry (default: today); folders are scanned against it.")
@click.option("--title", default="Transport security evidence report", show_default=True,
              help="The report's title.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes for scanning folders (0: one per core).")
@click.option("--include-tests", is_flag=True, default=False,
              help="Scanned folders: report findings in test code too (one level lower), as 'check' does.")
@policy_options
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Baseline for scanned folders: its findings are listed as accepted risk.")
def report(
    inputs: tuple[Path, ...],
    output: Path | None,
    output_format: str,
    today: date,
    title: str,
    jobs: int,
    include_tests: bool,
    config_path: Path | None,
    no_config: bool,
    max_file_size: int | None,
    profile: str,
    baseline_path: Path | None,
) -> None:
    """Write an evidence report over INPUTS: folders (scanned as 'check' does) and result files of
    'check --format json', 'inventory --format json' and 'live-check --format json'.

    Each repository is a section (with an overview table first when there are several). A result file
    names its repository by the part of its file name before the first dot (acme-ios.check.json ->
    acme-ios), or by its folder when that part is generic (results/acme-ios/check.json); a folder by its
    name.
    """
    from pinlint import __version__
    from pinlint.cli.output_file import write_report as write_atomically
    from pinlint.discover.walk import DEFAULT_EXCLUDED_DIRS
    from pinlint.evidence.aggregate import aggregate
    from pinlint.rules import catalogue

    missing = [str(path) for path in inputs if not os.path.lexists(path)]
    if missing:
        raise click.UsageError(f"no such file or directory: {', '.join(missing)}")
    if config_path is not None and no_config:
        raise click.UsageError("--config and --no-config cannot be used together")
    labels = folder_labels(list(inputs))

    def loaded() -> Iterator[Loaded | InputError]:
        for path in inputs:
            try:
                if path.is_dir():
                    yield scan_folder(path, labels[path], today=today, config_path=config_path,
                                      no_config=no_config, profile=profile, max_file_size=max_file_size,
                                      baseline_path=baseline_path, jobs=jobs, include_tests=include_tests)
                else:
                    yield read_result(path)
            except InputError as error:
                yield error

    evidence = aggregate(loaded(), title=title, today=today, tool_version=__version__, catalogue=catalogue(),
                         never_scanned=DEFAULT_EXCLUDED_DIRS)
    if output_format == "markdown":
        from pinlint.render.report_markdown import render as render_markdown

        pieces: Iterator[str] = (line + "\n" for line in render_markdown(evidence))
    else:
        from pinlint.render.report_html import render as render_html

        pieces = render_html(evidence)
    try:
        if output is None:
            for piece in pieces:
                click.echo(piece.encode("utf-8", "replace").decode("utf-8"), nl=False)
        else:
            write_atomically(output, pieces)
    except OSError as error:
        where = output if output is not None else "standard output"
        click.echo(f"pinlint: cannot write {where}: {error.strerror or error}", err=True)
        sys.exit(EXIT_ERROR)
    for problem in evidence.problems:
        click.echo(f"pinlint: input not used: {problem}", err=True)
    sys.exit(EXIT_ERROR if evidence.problems else EXIT_WRITTEN)
