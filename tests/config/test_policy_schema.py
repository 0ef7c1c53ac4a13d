"""The policy file's JSON Schema agrees with the loader, and ``pinlint init`` writes a usable policy."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from pinlint.cli.app import main
from pinlint.config.loader import KEYS, ConfigError, load_config
from pinlint.config.policy import Policy
from pinlint.config.schema import SCHEMA_FILE, build_schema, policy_template, schema_text
from pinlint.rules import catalogue

SCHEMA = json.loads(SCHEMA_FILE.read_text())

#: (policy text, whether the loader takes it): each one must get the same answer from the schema.
EXAMPLES = [
    ("fail-on: high\n", True),
    ("fail_on: high\n", True),
    ("fail-on: severe\n", False),
    ("select: PIN\n", True),
    ("select: [PIN101, missing-backup-pin, CLR]\nignore: [public-ca-pin]\n", True),
    ("select: 12\n", False),
    ("severity:\n  PIN104: high\n  pin104: low\n  missing-backup-pin: critical\n", True),
    ("severity:\n  PIN104: urgent\n", False),
    ("severity:\n  NOPE999: high\n", False),
    ("options:\n  pin-set-expiring-soon:\n    warning_days: 120\n", True),
    ("options:\n  PIN104:\n    warning_days: 120\n", True),
    ("options:\n  pin-set-expiring-soon:\n    warning_days: soon\n", False),
    ("options:\n  pin-set-expiring-soon:\n    window: 3\n", False),
    ("options:\n  cleartext-permitted:\n    allowed_hosts: [10.0.2.2, '*.dev.example.com']\n", True),
    ("options:\n  cleartext-permitted:\n    allowed_hosts: 10.0.2.2\n", False),
    ("options:\n  NOPE999: {}\n", False),
    ("exclude: [third_party/, '**/src/test/**', '!third_party/ours/']\n", True),
    ("exclude: third_party/\n", False),
    ("sensitive-hosts: [api.example-health.com, '*.fhir.example-health.com']\n", True),
    ("sensitive_hosts: [API.Example.com]\n", True),
    ("sensitive-hosts: ['https://api.example.com/']\n", False),
    ("sensitive-hosts: 'api.example.com'\n", False),
    ("max-file-size: 1048576\n", True),
    ("max-file-size: 0\n", False),
    ("max_file_size: big\n", False),
    ("extends: base.yaml\n", True),
    ("include-vendored: true\n", True),
    ("include_vendored: 'yes'\n", False),
    ("colour: blue\n", False),
    ("", True),
]


def test_shipped_schema_is_the_built_one() -> None:
    assert SCHEMA_FILE.read_text() == schema_text(), "run: python -c 'from pinlint.config.schema import *; " \
                                                    "SCHEMA_FILE.write_text(schema_text())'"
    jsonschema.Draft7Validator.check_schema(SCHEMA)


def test_schema_keys_are_the_loaders_keys() -> None:
    spelled = {name for key in KEYS for name in (key, key.replace("-", "_"))}
    assert set(SCHEMA["properties"]) == spelled
    options = SCHEMA["properties"]["options"]["properties"]
    for rule in catalogue().values():
        for name in (rule.id, rule.id.lower(), rule.slug):
            assert set(options[name]["properties"]) == set(rule.option_defaults()), name
    assert build_schema() == SCHEMA


@pytest.mark.parametrize(("text", "accepted"), EXAMPLES)
def test_schema_and_loader_agree(tmp_path: Path, text: str, accepted: bool) -> None:
    (tmp_path / "base.yaml").write_text("fail-on: medium\n")
    path = tmp_path / ".pinlint.yaml"
    path.write_text(text)
    try:
        load_config(path)
        loads = True
    except ConfigError:
        loads = False
    assert loads is accepted, text
    valid = jsonschema.Draft7Validator(SCHEMA).is_valid(yaml.safe_load(text) or {})
    assert valid is accepted, text


def _settings(policy: Policy) -> dict[str, object]:
    values = asdict(policy)
    for key in ("source", "origins", "exclude_root"):
        values.pop(key, None)
    return values


def test_init_writes_the_default_policy_with_comments(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    written = tmp_path / ".pinlint.yaml"
    text = written.read_text()
    assert text == policy_template()
    assert _settings(load_config(written)) == _settings(Policy())
    assert jsonschema.Draft7Validator(SCHEMA).is_valid(yaml.safe_load(text))
    assert "sensitive-hosts: []" in text and "Fill in yours" in text
    for rule in catalogue().values():
        for option, default in rule.option_defaults().items():
            assert f"#     {option}: {json.dumps(default)}" in text


def test_init_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    written = tmp_path / ".pinlint.yaml"
    written.write_text("fail-on: high\n")
    refused = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert refused.exit_code == 2
    assert "already exists; not replaced (--force replaces it)" in refused.stderr
    assert written.read_text() == "fail-on: high\n"
    forced = CliRunner().invoke(main, ["init", "--force", str(tmp_path)])
    assert forced.exit_code == 0
    assert written.read_text() == policy_template()


def test_init_does_not_write_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yaml"
    target.write_text("keep: me\n")
    (tmp_path / ".pinlint.yaml").symlink_to(target)
    for args in (["init", str(tmp_path)], ["init", "--force", str(tmp_path)]):
        assert CliRunner().invoke(main, args).exit_code == 2
    assert target.read_text() == "keep: me\n"
