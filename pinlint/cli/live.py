"""``pinlint live-check``: compare the pins in the tree with the chains the servers present today.

The hosts and pins come from the same scan as ``inventory`` (same policy, excludes, variants), or only
the hosts named with ``--host``. This is the only command that opens network connections, and only to the
hosts it reports.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import NoReturn

import click

from pinlint.cli.dates import parse_optional_date
from pinlint.cli.options import InvocationError, policy_options, project_root, scan_options
from pinlint.model.findings import SEVERITIES

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json", "sarif", "markdown")


def _fail(message: str) -> NoReturn:
    click.echo(f"pinlint: {message}", err=True)
    sys.exit(EXIT_USAGE)




@click.command("live-check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--host", "hosts", multiple=True, metavar="HOST[:PORT]",
              help="Check only these hosts (repeatable); needed for pinned wildcards and subdomains.")
@click.option("--connect-to", "connect_to", multiple=True, metavar="HOST[:PORT]=ADDR[:PORT]",
              help="Connect to ADDR instead of HOST (staging, one point of presence, a test server); SNI and "
                   "the name check still use HOST. Repeatable.")
@click.option("--port", type=click.IntRange(1, 65535), default=443, show_default=True,
              help="Port for hosts named without one.")
@click.option("--timeout", type=click.FloatRange(0.1, 120), default=5.0, show_default=True,
              help="Seconds allowed for each connection step of each host.")
@click.option("--warn-days", type=click.IntRange(min=0), default=30, show_default=True,
              help="Report leaves, intermediates and pin sets that expire within this many days.")
@click.option("--today", callback=parse_optional_date, metavar="YYYY-MM-DD",
              help="Reference date for expiry (default: now).")
@click.option("--ca-file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Trust store to validate the chains against (PEM roots; default: certifi's Mozilla roots).")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Report drift from the chains recorded in FILE (see --write-baseline).")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Record today's chains in FILE (whole or not at all).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the report to FILE (whole or not at all) instead of standard output.")
@click.option("--fail-on", type=click.Choice(list(SEVERITIES)), default=None,
              help="Lowest severity that makes the exit code 1 (default: the policy's, else low). An "
                   "unreachable host is info.")
@policy_options
def live_check(
    paths: tuple[Path, ...],
    hosts: tuple[str, ...],
    connect_to: tuple[str, ...],
    port: int,
    timeout: float,
    warn_days: int,
    today: date | None,
    ca_file: Path | None,
    baseline_path: Path | None,
    write_baseline_path: Path | None,
    output_format: str,
    output: Path | None,
    fail_on: str | None,
    config_path: Path | None,
    no_config: bool,
    max_file_size: int | None,
    profile: str,
) -> None:
    """Connect to the hosts pinned in PATHS and judge the chains they present today.

    For each host and each platform and mechanism that pins it: would it accept the chain, and why; is
    the chain valid for the host against the trust store; expiry of the leaf, the intermediates and the pin
    sets; whether each pin set holds a key in reserve (a pin not in today's chain); drift from a recorded
    baseline; servers that send the leaf alone. Exit 0 nothing at or above --fail-on, 1 a problem at or
    above it, 2 usage errors.
    """
    from pinlint.certs.drift import ChainBaselineError, parse_baseline, render_baseline
    from pinlint.certs.roots import public_roots
    from pinlint.cli.certs import load_certificate_file
    from pinlint.cli.output_file import emit
    from pinlint.cli.output_file import write_report as write_atomically
    from pinlint.live.check import live_result
    from pinlint.live.connect import fetch_all
    from pinlint.live.targets import TargetError, build_targets, parse_connect_to, parse_host, pinned_names
    from pinlint.pipeline import run
    from pinlint.render import RunInfo

    missing = [str(path) for path in paths if not os.path.lexists(path)]
    if missing:
        raise click.UsageError(f"no such file or directory: {', '.join(missing)}")
    targets = list(paths) or [Path(".")]
    try:
        redirects = [parse_connect_to(value) for value in connect_to]
        named = [parse_host(value) for value in hosts]
    except TargetError as error:
        raise click.UsageError(str(error)) from None
    moment = datetime.combine(today, time(12), timezone.utc) if today else datetime.now(timezone.utc)
    reference = today or moment.date()
    root = project_root(targets)
    try:
        inputs = scan_options(targets, today=reference, select=[], ignore=[], fail_on=fail_on,
                              config_path=config_path, no_config=no_config, profile=profile,
                              max_file_size=max_file_size, relative_to=root)
    except InvocationError as error:
        _fail(str(error))
    baseline = None
    if baseline_path is not None:
        try:
            baseline = parse_baseline(baseline_path.read_text(encoding="utf-8"))
        except OSError as error:
            _fail(f"cannot read {baseline_path}: {error.strerror or error}")
        except (ChainBaselineError, UnicodeDecodeError) as error:
            _fail(f"{baseline_path}: {error}")
    if ca_file is not None:
        roots, store_name = load_certificate_file(ca_file), str(ca_file)
    else:
        roots, store_name = list(public_roots()), "certifi (Mozilla roots)"
        if not roots:
            _fail("no trust store: certifi's roots cannot be read; name one with --ca-file")
    facts = run(inputs).facts  # the same scan as check and inventory: policy, excludes, profile
    pinned, patterns = pinned_names(facts)
    wanted = named or [(name, None) for name in pinned]
    needs_host = [] if named else patterns
    presented = fetch_all(build_targets(wanted, port, redirects), timeout)
    result = live_result(facts, presented, reference, warn_days=warn_days, roots=roots, trust_store=store_name,
                         needs_host=needs_host, baseline=baseline, moment=moment)
    policy_fail_on = inputs.policy.fail_on
    code = EXIT_PROBLEMS if result.failing(policy_fail_on) else EXIT_OK
    run_info = RunInfo(exit_code=code, fail_on=policy_fail_on, command_line=tuple(sys.argv),
                       source_root=str(root.resolve()))
    from importlib import import_module

    render = import_module(f"pinlint.render.live_{output_format}").render
    text: str = render(result, run_info)
    if write_baseline_path is not None:
        chains = {host.target.label: host.judgement.chain for host in result.hosts if host.judgement}
        kept = {label: chain for label, chain in (baseline or {}).items() if label not in chains}
        try:
            write_atomically(write_baseline_path, render_baseline(chains, kept))
        except OSError as error:
            _fail(f"cannot write {write_baseline_path}: {error.strerror or error}")
    try:
        emit(text, output)
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror or error}")
    sys.exit(code)
