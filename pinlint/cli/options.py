"""From command-line values to ``ScanInputs``: the policy file, command-line overrides, baseline, profile.

Command-line values win over the policy file: ``--select`` replaces the file's ``select``, ``--ignore``
adds to its ``ignore``, ``--fail-on`` replaces its ``fail-on``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pinlint.triage import PROFILES

if TYPE_CHECKING:
    from pinlint.pipeline import ScanInputs

F = TypeVar("F", bound=Callable[..., Any])


class InvocationError(Exception):
    """A policy or baseline file pinlint cannot use: one line, exit code 2."""


def policy_options(function: F) -> F:
    """``--config``, ``--no-config``, ``--max-file-size`` and ``--profile``: every command that scans a project."""
    for option in reversed((
        click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
                     help="Policy file to use instead of the discovered .pinlint.yaml / pyproject.toml."),
        click.option("--no-config", is_flag=True, default=False, help="Read no policy file."),
        click.option("--max-file-size", type=click.IntRange(min=1), default=None, metavar="BYTES",
                     help="Largest file read (default 5242880, or the policy's max-file-size); larger files "
                          "are reported (CFG901) and skipped."),
        click.option("--profile", type=click.Choice(PROFILES), default="precommit", show_default=True,
                     help="precommit: obey the tree's policy and suppressions, hide low-confidence findings. "
                          "audit (vendor code): list them without obeying, show everything, "
                          "summarise per platform."),
    )):
        function = option(function)
    return function


def scan_options(
    targets: list[Path],
    *,
    today: date,
    select: list[str],
    ignore: list[str],
    fail_on: str | None,
    config_path: Path | None,
    no_config: bool,
    profile: str,
    baseline_path: Path | None = None,
    max_file_size: int | None = None,
    relative_to: Path | None = None,
    include_vendored: bool = False,
) -> ScanInputs:
    """Everything a scan needs. Raises InvocationError for an unusable policy or baseline file."""
    from pinlint.config.loader import ConfigError, project_folder, resolve_policy
    from pinlint.pipeline import ScanInputs

    if config_path is not None and no_config:
        raise InvocationError("--config and --no-config cannot be used together")
    try:
        policy, notices = resolve_policy(targets, config=config_path, no_config=no_config, profile=profile)
    except ConfigError as error:
        raise InvocationError(str(error)) from None
    if select:
        policy.select = select
        policy.origins["select"] = "--select"
    if ignore:
        policy.ignore = [*policy.ignore, *ignore]
        policy.origins["ignore"] = f"--ignore (added to {policy.origins['ignore']})" if "ignore" in policy.origins \
            else "--ignore"
    if fail_on:
        policy.fail_on = fail_on
        policy.origins["fail-on"] = "--fail-on"
    if max_file_size is not None:
        policy.max_file_size = max_file_size
        policy.origins["max-file-size"] = "--max-file-size"
    if include_vendored:
        policy.include_vendored = True
        policy.origins["include-vendored"] = "--include-vendored"
    loaded = None
    if baseline_path is not None:  # the baseline's reader loads only for a run that names one
        from pinlint.config.baseline_file import BaselineFileError, rooted
        from pinlint.config.baseline_file import read_document as read_baseline
        from pinlint.triage import baseline as baselines

        try:
            loaded = baselines.from_document(read_baseline(baseline_path), str(baseline_path))
        except (BaselineFileError, baselines.BaselineError) as error:
            raise InvocationError(str(error)) from None
        loaded.root_path = rooted(str(project_folder(targets)), str(relative_to or Path.cwd()))
    return ScanInputs(paths=targets, today=today, policy=policy, profile=profile, baseline=loaded,
                      notices=notices, hide_low_confidence=profile == "precommit",
                      relative_to=relative_to or Path.cwd())


def project_root(paths: list[Path]) -> Path:
    """The folder a project command shows paths relative to: the folder named alone, else the current one."""
    if len(paths) == 1 and paths[0].is_dir():
        return paths[0]
    return Path.cwd()
