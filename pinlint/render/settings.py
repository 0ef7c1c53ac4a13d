"""``pinlint check --show-settings`` and ``--show-files``: the effective policy with where each value came
from, and what a scan would read and why each other file is left out. Pure functions over values the CLI
and the pipeline computed; nothing here reads a file or decides a rule."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from pinlint.config.policy import Policy
from pinlint.pipeline import FileStatus
from pinlint.rules import Rule


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]" if value else "[]"
    return json.dumps(value) if isinstance(value, str) and not value else str(value)


def _origin(policy: Policy, key: str) -> str:
    return policy.origins.get(key, "default")


def render_settings(policy: Policy, *, profile: str, profile_origin: str, today: date, today_origin: str,
                    rules: dict[str, Rule], paths: Sequence[str], baseline: str | None) -> str:
    """Every setting of the scan, one per line, each with where it came from (a file and line, an option,
    or ``default``)."""
    source = policy.source or "none (no policy file found; defaults apply)"
    lines = [
        f"paths: {' '.join(paths)}",
        f"policy file: {source}",
        f"profile: {profile} ({profile_origin})",
        f"today: {today.isoformat()} ({today_origin})",
        f"select: {_value(policy.select) if policy.select else 'every rule'} ({_origin(policy, 'select')})",
        f"ignore: {_value(policy.ignore)} ({_origin(policy, 'ignore')})",
        f"fail-on: {policy.fail_on} ({_origin(policy, 'fail-on')})",
        f"max-file-size: {policy.max_file_size} ({_origin(policy, 'max-file-size')})",
        f"exclude: {_value(policy.exclude)} ({_origin(policy, 'exclude')})",
        f"sensitive-hosts: {_value(policy.sensitive_hosts)} ({_origin(policy, 'sensitive-hosts')})",
        f"baseline: {baseline or 'none'}",
        f"rules that run ({len(rules)}):",
    ]
    for rule in rules.values():
        severity = policy.severity.get(rule.id) or rule.severity
        origin = _origin(policy, f"severity.{rule.id}")
        lines.append(f"  {rule.id} {rule.slug}: severity {severity} ({origin})")
        configured = policy.options.get(rule.id, {})
        for option, default in rule.option_defaults().items():
            value = configured.get(option, default)
            lines.append(f"    {option}: {_value(value)} ({_origin(policy, f'options.{rule.id}.{option}')})")
    return "\n".join(lines) + "\n"


def render_files(statuses: Sequence[FileStatus]) -> str:
    """``scanned PATH: readers`` or ``skipped PATH: reason``, in walk order, then the counts."""
    lines = [f"{'scanned' if status.scanned else 'skipped'} {status.display}: {status.reason}" for status in statuses]
    scanned = sum(1 for status in statuses if status.scanned)
    lines.append(f"{scanned} file{'s' if scanned != 1 else ''} would be scanned, "
                 f"{len(statuses) - scanned} left out.")
    return "\n".join(lines) + "\n"
