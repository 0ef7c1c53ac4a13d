"""The command line: ``pinlint check`` (the default), ``pinlint rules``, ``pinlint explain``.

Exit codes: 0 clean, 1 findings at or above the ``--fail-on`` threshold, 2 usage or internal error,
130 interrupted (Ctrl-C or SIGTERM), 141 when the reader of standard output went away
(``pinlint rules | head -1``), as a program stopped by SIGPIPE reports it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import NoReturn

import click

from pinlint import __version__
from pinlint.cli.dates import parse_today
from pinlint.cli.interrupts import EXIT_INTERRUPTED, Terminated, sigterm_raises
from pinlint.cli.options import InvocationError, policy_options, scan_options
from pinlint.model.severity import SEVERITIES, severity_rank

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: 128 + SIGPIPE: what a shell reports for a program whose output pipe closed (``yes | head -1``).
EXIT_PIPE_CLOSED = 141

#: The commands defined in modules of their own, by name: each module is imported only when its command
#: runs (or ``--help`` lists the commands), so ``pinlint check`` never loads the certificate, report,
#: live-check or editor-server code.
LAZY_COMMANDS = {
    "chain-check": "pinlint.cli.certs:chain_check",
    "init": "pinlint.cli.init:init",
    "inventory": "pinlint.cli.certs:inventory",
    "live-check": "pinlint.cli.live:live_check",
    "lsp": "pinlint.cli.lsp:lsp",
    "pins": "pinlint.cli.certs:pins",
    "report": "pinlint.cli.report:report",
}


def pipe_closed() -> NoReturn:
    """Standard output's reader went away: stop quietly. Later writes (the interpreter's own flush at
    exit) go to the null device instead of raising again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    sys.exit(EXIT_PIPE_CLOSED)


class DefaultGroup(click.Group):
    """A group that runs ``check`` when the first argument is not a command (``pinlint app/``), and says
    which command was meant when the first argument is neither a command nor an existing path."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, importing its module first when it is one of ``LAZY_COMMANDS``."""
        target = LAZY_COMMANDS.get(cmd_name)
        if target is not None and cmd_name not in self.commands:
            import importlib

            module_name, _, attribute = target.partition(":")
            command = getattr(importlib.import_module(module_name), attribute)
            assert isinstance(command, click.Command)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.list_commands(ctx) and args[0] not in ("--help", "-h", "--version"):
            near = self._command_like(ctx, args[0])
            if near is not None:
                ctx.fail(f"no such command '{args[0]}'; did you mean '{near}'?")
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def _command_like(self, ctx: click.Context, word: str) -> str | None:
        """The command ``word`` is a typo of, when it is not a path that exists (``pinlint app`` scans)."""
        import difflib

        if word.startswith("-") or os.path.lexists(word):
            return None
        matches = difflib.get_close_matches(word.lower(), self.list_commands(ctx), n=1, cutoff=0.6)
        return matches[0] if matches else None

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; an unexpected internal error becomes one line on stderr and exit code 2, an
        interruption (Ctrl-C, SIGTERM) the line ``pinlint: interrupted`` and exit code 130."""
        try:
            with sigterm_raises():
                return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            pipe_closed()
        except (KeyboardInterrupt, Terminated):
            click.echo("pinlint: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Exception as error:  # never a traceback for the user
            detail = " ".join(f"{type(error).__name__}: {error}".split())
            click.echo(f"pinlint: internal error: {detail}", err=True)
            ctx.exit(EXIT_ERROR)




def split_names(values: tuple[str, ...]) -> list[str]:
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def write_atomically(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces) to ``path`` whole or not at all (``pinlint.cli.output_file.write_report``)."""
    from pinlint.cli.output_file import write_report

    write_report(path, text)


def emit(text: str, output: Path | None) -> None:
    """The report to standard output or, whole or not at all, to ``output`` (``pinlint.cli.output_file.emit``);
    a closed output pipe stops pinlint quietly (``pipe_closed``)."""
    from pinlint.cli.output_file import STDOUT
    from pinlint.cli.output_file import emit as emit_report

    try:
        emit_report(text, output)
        if output is None or str(output) == STDOUT:
            sys.stdout.flush()
    except BrokenPipeError:
        pipe_closed()


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pinlint")
def main() -> None:
    """pinlint: a static policy linter for the transport security of mobile apps.

    Finds pinning that will fail or fail open, cleartext traffic, and trust decisions that accept any
    certificate, in Android and iOS configuration and in app code.
    """


def wants_color(flag: bool | None, output: Path | None) -> bool:
    """``--color``/``--no-color`` when given; else ``NO_COLOR`` turns colour off and ``FORCE_COLOR`` on
    (each when set and not empty, ``NO_COLOR`` first, as Python itself does); else a terminal gets colour.
    A report written to a file never does unless ``--color`` says so."""
    if flag is not None:
        return flag
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _origin_of(ctx: click.Context, name: str, option: str) -> str:
    source = ctx.get_parameter_source(name)
    return option if source is click.core.ParameterSource.COMMANDLINE else "default"


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "sarif", "github"]),
              default="text", show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE (whole or not at all) instead of standard output.")
@click.option("--today", callback=parse_today, metavar="YYYY-MM-DD",
              help="Reference date for expiry checks (default: today).")
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rules (ids, slugs or prefixes; comma-separated).")
@click.option("--ignore", multiple=True, metavar="RULES",
              help="Skip these rules (ids, slugs or prefixes; comma-separated).")
@click.option("--fail-on", type=click.Choice(list(SEVERITIES)), default=None,
              help="Lowest severity that makes the exit code 1 (default: low).")
@click.option("--color/--no-color", default=None,
              help="Colour the text output (default: on a terminal; NO_COLOR and FORCE_COLOR are honoured).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes for parsing (0: one per core). Output does not depend on it.")
@click.option("--category", metavar="TEXT",
              help="SARIF category (runAutomationDetails.id; '/' appended), for several reports per commit.")
@policy_options
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Report only findings not in this baseline file (see 'pinlint baseline').")
@click.option("--include-vendored", is_flag=True, default=False,
              help="Also scan vendored folders (node_modules, Pods, Carthage, venv, build...), as --profile "
                   "audit always does. Policy: include-vendored: true.")
@click.option("--include-tests", is_flag=True, default=False,
              help="Also analyse test code and report its findings (left out by default: it is not shipped; "
                   "the precommit profile does not parse it), one severity level lower and tagged 'test'.")
@click.option("--statistics", is_flag=True, default=False,
              help="Text format: one line per rule with its count instead of each finding.")
@click.option("--show-settings", is_flag=True, default=False,
              help="Print the effective policy, with where each value came from, and exit.")
@click.option("--show-files", is_flag=True, default=False,
              help="Print what would be scanned and why each other file is left out, and exit.")
@click.option("--quiet", "-q", is_flag=True, default=False,
              help="Only the findings: no summary, hints or warnings.")
@click.option("--verbose", "-v", is_flag=True, default=False,
              help="Also say on standard error which policy file was read, what was skipped and how long it took.")
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    today: date,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    color: bool | None,
    jobs: int,
    category: str | None,
    config_path: Path | None,
    no_config: bool,
    max_file_size: int | None,
    profile: str,
    baseline_path: Path | None,
    include_vendored: bool,
    include_tests: bool,
    statistics: bool,
    show_settings: bool,
    show_files: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Scan PATHS (files or directories; default: the current directory)."""
    import time

    from pinlint import pipeline
    from pinlint.render import RunInfo, renderer
    from pinlint.render.summary import notice_lines

    started = time.monotonic()
    missing = [str(path) for path in paths if not os.path.lexists(path)]
    if missing:
        raise click.UsageError(f"no such file or directory: {', '.join(missing)}")
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together")
    if statistics and output_format != "text":
        raise click.UsageError("--statistics is for the text format (the JSON summary always counts by rule)")
    targets = list(paths) or [Path(".")]
    try:
        options = scan_options(targets, today=today, select=split_names(select), ignore=split_names(ignore),
                               fail_on=fail_on, config_path=config_path, no_config=no_config, profile=profile,
                               baseline_path=baseline_path, max_file_size=max_file_size,
                               include_vendored=include_vendored)
        options.jobs = jobs
        options.include_tests = include_tests
        if show_settings or show_files:
            show(ctx, options, show_settings, show_files, baseline_path)
        result = pipeline.run(options)
    except InvocationError as error:
        fail(str(error))
    except pipeline.UsageError as error:
        raise click.UsageError(str(error)) from None
    policy = options.policy
    threshold = severity_rank(policy.fail_on)
    failing = [
        finding for finding in result.findings
        if finding.suppression is None and severity_rank(finding.severity or "medium") >= threshold
    ]
    exit_code = EXIT_FINDINGS if failing else EXIT_CLEAN
    run = RunInfo(exit_code=exit_code, fail_on=policy.fail_on, color=wants_color(color, output),
                  command_line=tuple(sys.argv), category=category, source_root=str(Path.cwd().resolve()),
                  quiet=quiet, statistics=statistics)
    text = renderer(output_format)(result, run)
    try:
        emit(text, output)
    except OSError as error:
        click.echo(f"pinlint: cannot write {output}: {error.strerror or error}", err=True)
        sys.exit(EXIT_ERROR)
    if not quiet:
        for line in notice_lines(result):
            click.echo(line, err=True)
    if verbose:
        source = policy.source or "none"
        click.echo(f"pinlint: policy file: {source}; profile {profile}; reference date {today.isoformat()}",
                   err=True)
        for skipped in result.skipped:
            click.echo(f"pinlint: skipped {skipped.display}: {skipped.reason}", err=True)
        click.echo(f"pinlint: {result.files_scanned} file{'s' if result.files_scanned != 1 else ''} scanned in "
                   f"{time.monotonic() - started:.2f} s; exit code {exit_code}", err=True)
    sys.exit(exit_code)


def show(ctx: click.Context, options: object, settings: bool, files: bool, baseline_path: Path | None) -> NoReturn:
    """``--show-settings`` / ``--show-files``: print, then exit 0 without scanning."""
    from pinlint import pipeline
    from pinlint.render.settings import render_files, render_settings
    from pinlint.rules import active_rules

    assert isinstance(options, pipeline.ScanInputs)
    parts: list[str] = []
    if settings:
        policy = options.policy
        parts.append(render_settings(
            policy, profile=options.profile, profile_origin=_origin_of(ctx, "profile", "--profile"),
            today=options.today, today_origin=_origin_of(ctx, "today", "--today").replace(
                "default", "default: the current date"),
            rules=active_rules(policy.select, policy.ignore),
            paths=[str(path) for path in options.paths], baseline=str(baseline_path) if baseline_path else None))
    if files:
        parts.append(render_files(pipeline.list_files(options)))
    emit("\n".join(parts), None)
    sys.exit(EXIT_CLEAN)


def fail(message: str) -> NoReturn:
    """Exit 2 with a one-line message (a policy or baseline file pinlint cannot use)."""
    click.echo(f"pinlint: {message}", err=True)
    sys.exit(EXIT_ERROR)


@main.command("baseline")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the baseline to FILE (whole or not at all) instead of standard output.")
@click.option("--today", callback=parse_today, metavar="YYYY-MM-DD",
              help="Reference date for expiry checks (default: today).")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules (comma-separated).")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules (comma-separated).")
@policy_options
@click.option("--include-vendored", is_flag=True, default=False,
              help="Also scan vendored folders (node_modules, Pods, Carthage, venv, build...), as --profile "
                   "audit always does. Policy: include-vendored: true.")
def write_baseline(
    paths: tuple[Path, ...],
    output: Path | None,
    today: date,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: Path | None,
    no_config: bool,
    max_file_size: int | None,
    profile: str,
    include_vendored: bool,
) -> None:
    """Record the current findings of PATHS in a baseline file; 'check --baseline FILE' then reports only
    new ones. Fingerprints hold no line numbers, so the baseline survives edits that move lines; paths are
    recorded from the project root (the folder holding the policy file or .git), so the baseline matches
    from any working folder."""
    from pinlint import pipeline
    from pinlint.triage import baseline

    missing = [str(path) for path in paths if not os.path.lexists(path)]
    if missing:
        raise click.UsageError(f"no such file or directory: {', '.join(missing)}")
    try:
        options = scan_options(list(paths) or [Path(".")], today=today, select=split_names(select),
                               ignore=split_names(ignore), fail_on=None, config_path=config_path,
                               no_config=no_config, profile=profile, max_file_size=max_file_size,
                               include_vendored=include_vendored)
        options.hide_low_confidence = False  # record every finding, so no profile sees them as new
        options.include_tests = True  # test-code findings too, so --include-tests sees none of them as new
        result = pipeline.run(options)
    except InvocationError as error:
        fail(str(error))
    except pipeline.UsageError as error:
        raise click.UsageError(str(error)) from None
    from pinlint.config.baseline_file import rooted
    from pinlint.config.loader import project_folder

    to_root = rooted(str(project_folder(list(paths) or [Path(".")])), str(Path.cwd()))
    try:
        emit(baseline.render(result.findings, to_root), output)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
    recorded = sum(1 for finding in result.findings if finding.suppression is None)
    if output is not None:
        plural = "s" if recorded != 1 else ""
        click.echo(f"pinlint: recorded {recorded} finding{plural} in {output}", err=True)


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
    from pinlint.rules import lookup, unknown_rule_message

    found = lookup(rule)
    if found is None:
        raise click.UsageError(unknown_rule_message(rule))
    click.echo(found.markdown(), nl=False)

