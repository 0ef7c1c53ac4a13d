"""The policy file's JSON Schema and the commented starter file ``pinlint init`` writes.

Both are built from the loader's own tables (``KEYS``, the severities) and the rule catalogue (ids,
slugs, each rule's options and defaults), so they cannot drift from what the loader accepts; the schema
also ships as ``pinlint/config/pinlint-policy.schema.json`` (for editors and SchemaStore), and a test
keeps that file equal to ``build_schema()`` and checks both against the loader with the same examples.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pinlint.config.loader import KEYS
from pinlint.config.policy import Policy
from pinlint.model.findings import SEVERITIES
from pinlint.rules import catalogue

SCHEMA_FILE = Path(__file__).with_name("pinlint-policy.schema.json")
#: A rule name, or several separated by commas (ids, slugs, id prefixes such as ``PIN``, or ``ALL``).
_NAMES_PATTERN = r"^\s*[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*\s*,?\s*$"
#: The loader's host check, for ``sensitive-hosts`` (lower case once read).
_LABEL = r"[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?"
_HOST_PATTERN = rf"^\s*(\*\.)?{_LABEL}(\.{_LABEL})*\.?\s*$"


def _value_schema(default: Any) -> dict[str, Any]:
    """The schema of a rule option, from the type of its default (the loader's own rule)."""
    if default is None:
        return {}
    if isinstance(default, bool):
        return {"type": "boolean"}
    if isinstance(default, int):
        return {"type": "integer"}
    if isinstance(default, float):
        return {"type": "number"}
    if isinstance(default, list):
        return {"type": "array", "items": _value_schema(default[0])} if default else {"type": "array"}
    if isinstance(default, str):
        return {"type": "string"}
    return {}


def _rule_names() -> list[str]:
    """Every name the loader takes for a rule in ``severity`` and ``options``: id (either case) or slug."""
    names: list[str] = []
    for rule in catalogue().values():
        names += [rule.id, rule.id.lower(), rule.slug]
    return names


def _top_level_names(key: str) -> list[str]:
    """``fail-on`` and ``fail_on``: in top-level keys ``-`` and ``_`` are interchangeable."""
    return list(dict.fromkeys((key, key.replace("-", "_"))))


def build_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7) of a policy file as the loader reads it."""
    names = {"type": "string", "pattern": _NAMES_PATTERN}
    rule_options: dict[str, Any] = {}
    for rule in catalogue().values():
        declared = {option.name: {**_value_schema(option.default), "description": option.description,
                                  "default": option.default} for option in rule.options}
        entry = {"type": "object", "additionalProperties": False, "properties": declared,
                 "description": f"{rule.id} {rule.slug}: {rule.title}"}
        for name in (rule.id, rule.id.lower(), rule.slug):
            rule_options[name] = entry
    defaults = Policy()
    properties: dict[str, dict[str, Any]] = {
        "extends": {"type": "string", "minLength": 1,
                    "description": "Another policy file, relative to this one, read first."},
        "select": {"description": "Only these rules: ids, slugs or id prefixes (default: every rule).",
                   "oneOf": [names, {"type": "array", "items": names}]},
        "ignore": {"description": "Rules that do not run: ids, slugs or id prefixes.",
                   "oneOf": [names, {"type": "array", "items": names}]},
        "severity": {"type": "object", "description": "Per-rule severity.",
                     "propertyNames": {"enum": _rule_names()},
                     "additionalProperties": {"enum": list(SEVERITIES)}},
        "options": {"type": "object", "description": "Per-rule options, as each rule documents them.",
                    "properties": rule_options, "additionalProperties": False},
        "exclude": {"type": "array", "items": {"type": "string"},
                    "description": "gitignore-style patterns, relative to this file's folder."},
        "sensitive-hosts": {"type": "array", "items": {"type": "string", "pattern": _HOST_PATTERN},
                            "description": "Hosts that carry patient data (PIN111 wants them pinned); host "
                                           "names, '*.' wildcards allowed."},
        "fail-on": {"enum": list(SEVERITIES), "default": defaults.fail_on,
                    "description": "Lowest severity that makes the exit code 1."},
        "max-file-size": {"type": "integer", "minimum": 1, "default": defaults.max_file_size,
                          "description": "Largest file read, in bytes."},
        "include-vendored": {"type": "boolean", "default": defaults.include_vendored,
                             "description": "Also scan vendored and generated folders (node_modules, Pods, "
                                            "build...)."},
    }
    assert set(properties) == set(KEYS), "the schema must describe exactly the loader's keys"
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "pinlint policy file",
        "description": "The policy pinlint applies: .pinlint.yaml, or [tool.pinlint] in pyproject.toml.",
        "type": "object",
        "additionalProperties": False,
        "properties": {name: schema for key, schema in properties.items() for name in _top_level_names(key)},
    }


def schema_text() -> str:
    """The schema as the shipped file holds it."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def _yaml_value(value: Any) -> str:
    return json.dumps(value)


def policy_template() -> str:
    """The commented ``.pinlint.yaml`` that ``pinlint init`` writes: every setting with its default, and
    the sensitive-hosts list to fill in. Read as it is, it is the default policy."""
    defaults = Policy()
    lines = [
        "# pinlint policy: read by 'pinlint check' in this folder and the folders below it.",
        "# Every key is optional. Commented-out values are the defaults; 'pinlint check --show-settings'",
        "# prints the policy in force and where each value came from.",
        "",
        "# Hosts that carry patient data (PHI): PIN111 reports each one that is not pinned, with pinning",
        "# enforced, on every platform the project ships. Host names, not URLs; '*.' wildcards allowed.",
        "# Fill in yours, for example:",
        "#   sensitive-hosts:",
        "#     - api.example-health.com",
        "#     - \"*.fhir.example-health.com\"",
        "sensitive-hosts: []",
        "",
        "# Lowest severity that makes the exit code 1: info, low, medium, high or critical.",
        f"# fail-on: {defaults.fail_on}",
        "",
        "# Rules that run (ids, slugs or prefixes such as PIN); every rule when not set.",
        "# select: [PIN, CLR, TRU, KEY, CFG]",
        "# Rules that do not run.",
        "# ignore: []",
        "",
        "# Severity per rule (info, low, medium, high, critical) instead of the rule's own.",
        "# severity:",
        "#   pin-set-expiring-soon: high",
        "",
        "# Options per rule (see 'pinlint explain RULE'), with their defaults:",
        "# options:",
    ]
    for rule in catalogue().values():
        if not rule.options:
            continue
        lines.append(f"#   {rule.slug}:")
        for option in rule.options:
            lines.append(f"#     {option.name}: {_yaml_value(option.default)}  # {option.description.strip()}")
    lines += [
        "",
        "# Files and folders not scanned: gitignore-style patterns, relative to this file's folder.",
        "# exclude:",
        "#   - third_party/",
        "#   - \"**/src/test/**\"",
        "",
        "# Scan vendored and generated folders too (node_modules, Pods, build...): left out by default.",
        f"# include-vendored: {str(defaults.include_vendored).lower()}",
        "",
        "# Larger files (in bytes) are reported (CFG901) and not read.",
        f"# max-file-size: {defaults.max_file_size}",
        "",
        "# Another policy file to read first (this file's values win).",
        "# extends: ../shared/pinlint-base.yaml",
    ]
    return "\n".join(lines) + "\n"
