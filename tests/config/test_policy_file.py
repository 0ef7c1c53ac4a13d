"""The policy file: discovery, validation with file and line, safety, extends, exclude, overrides."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from pinlint.cli.app import main
from pinlint.cli.options import scan_options
from pinlint.config.loader import ConfigError, load_config, resolve_policy
from tests import fake_pins
from tests.fake_pins import PIN_A, document, pin_set


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with one single-pin config (one PIN101) and the fake parser installed."""
    fake_pins.install(monkeypatch)
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "app").mkdir()
    (root / "app" / "pins.xml").write_text(document(pin_set("api.example.com", PIN_A)))
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--today", "2026-01-15", *args])


def findings(*args: str) -> list[dict[str, object]]:
    result = run("--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    found: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return found


def one_line_error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


# ------------------------------------------------------------------------------------------- safety


@pytest.mark.parametrize("tag", ["!!python/object/apply:builtins.open", "!!python/object/new:builtins.open"])
def test_python_tag_exits_2_with_one_line_and_runs_nothing(project: Path, tmp_path: Path, tag: str) -> None:
    # The payload is real: an unsafe loader runs it and creates the file.
    proof = tmp_path / "proof-unsafe-loader-ran"
    yaml.unsafe_load(f'x: {tag} ["{proof}", "w"]\n')
    assert proof.exists()

    target = tmp_path / "pwned"
    (project / ".pinlint.yaml").write_text(f'select: [PIN]\nx: {tag} ["{target}", "w"]\n')
    line = one_line_error(run("app"))
    assert line.startswith("pinlint: .pinlint.yaml:2: ")
    assert "python/object" in line and "not allowed" in line
    assert not target.exists()


@pytest.mark.parametrize("text, expected", [
    ("key: !!python/name:os.system\n", ".pinlint.yaml:1: YAML tag '!!python/name:os.system'"),
    ("select: !Ref other\n", ".pinlint.yaml:1: YAML tag '!Ref'"),
    ("select: [PIN\n", ".pinlint.yaml:2: not valid YAML"),
    ("select: PIN\n  bad: indent\n", ".pinlint.yaml:2: not valid YAML"),
    ("- a\n- b\n", ".pinlint.yaml:1: the policy must be a mapping"),
    ("select: [PIN]\nselect: [CLR]\n", ".pinlint.yaml:2: duplicate key 'select'"),
    ("---\na: 1\n---\nb: 2\n", "not valid YAML"),
    ("\xff\xfe", "not UTF-8"),
])
def test_malformed_policy_exits_2_with_one_line(project: Path, text: str, expected: str) -> None:
    (project / ".pinlint.yaml").write_bytes(text.encode("latin-1"))
    assert expected in one_line_error(run("app"))


def test_alias_bomb_is_refused_quickly(project: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    (project / ".pinlint.yaml").write_text("\n".join(lines) + "\n")
    assert ".pinlint.yaml:2: YAML aliases (*name) are not allowed" in one_line_error(run("app"))


# ------------------------------------------------------------------------------------------- validation


@pytest.mark.parametrize("text, expected", [
    ("select: [PIN]\nfail_on: high\nbogus: 1\n", ".pinlint.yaml:3: unknown key 'bogus'"),
    ("severity:\n  PIN101: high\n  NOPE999: low\n",
     ".pinlint.yaml:3: severity.NOPE999: unknown rule 'NOPE999'"),
    ("severity:\n  PIN101: urgent\n", ".pinlint.yaml:2: severity.PIN101: 'urgent' is not one of"),
    ("options:\n  PIN101:\n    minimum_pin: 3\n",
     ".pinlint.yaml:3: options.PIN101.minimum_pin: PIN101 has no option 'minimum_pin' "
     "(its options: minimum_pins)"),
    ("options:\n  missing-backup-pin:\n    minimum_pins: three\n",
     ".pinlint.yaml:3: options.missing-backup-pin.minimum_pins: expected a value like the default 2"),
    ("options:\n  PIN101:\n    minimum_pins: true\n", ".pinlint.yaml:3: options.PIN101.minimum_pins"),
    ("select:\n  - PIN\n  - XYZ\n", ".pinlint.yaml:3: select.1: unknown rule 'XYZ'"),
    ("fail-on: sometimes\n", ".pinlint.yaml:1: fail-on: 'sometimes' is not one of"),
    ("max-file-size: -1\n", ".pinlint.yaml:1: max-file-size: expected a positive number of bytes"),
    ("sensitive_hosts:\n  - https://api.example.com/v1\n", ".pinlint.yaml:2: sensitive-hosts.0: "),
    ("sensitive-hosts: [ok.example.com, 'bad host']\n", "'bad host' is not a host name"),
    ("exclude: vendor/\n", ".pinlint.yaml:1: exclude: expected a list of strings"),
    ("extends: missing.yaml\n", ".pinlint.yaml:1: extends: no such file"),
])
def test_invalid_values_name_key_and_line(project: Path, text: str, expected: str) -> None:
    (project / ".pinlint.yaml").write_text(text)
    assert expected in one_line_error(run("app"))


def test_valid_policy_maps_onto_policy(tmp_path: Path) -> None:
    path = tmp_path / ".pinlint.yaml"
    path.write_text(
        "select: [PIN]\nignore: [missing-backup-pin]\nseverity:\n  missing-backup-pin: low\n"
        "options:\n  missing-backup-pin:\n    minimum_pins: 3\nexclude: [vendor/]\n"
        "sensitive_hosts: [API.Example.com, '*.phi.example.org']\nfail-on: high\nmax_file_size: 1000\n"
    )
    policy = load_config(path)
    assert policy.select == ["PIN"]
    assert policy.ignore == ["missing-backup-pin"]
    assert policy.severity == {"PIN101": "low"}
    assert policy.options == {"PIN101": {"minimum_pins": 3}}
    assert policy.exclude == ["vendor/"] and policy.exclude_root == str(tmp_path)
    assert policy.sensitive_hosts == ["api.example.com", "*.phi.example.org"]
    assert policy.fail_on == "high" and policy.max_file_size == 1000


def test_empty_policy_file_is_the_default_policy(tmp_path: Path) -> None:
    (tmp_path / ".pinlint.yaml").write_text("# nothing yet\n")
    policy = load_config(tmp_path / ".pinlint.yaml")
    assert policy.select == [] and policy.fail_on == "low"


# ------------------------------------------------------------------------------------------- discovery


def test_discovery_walks_up_to_the_repository_root_only(tmp_path: Path) -> None:
    outside = tmp_path / "outer"
    repo = outside / "repo"
    deep = repo / "app" / "src"
    deep.mkdir(parents=True)
    (repo / ".git").mkdir()
    (outside / ".pinlint.yaml").write_text("fail-on: critical\n")
    policy, _ = resolve_policy([deep])
    assert policy.fail_on == "low"  # the file above the repository root is not read
    (repo / ".pinlint.yaml").write_text("fail-on: high\n")
    assert resolve_policy([deep])[0].fail_on == "high"
    (repo / "app" / ".pinlint.yaml").write_text("fail-on: medium\n")
    assert resolve_policy([deep])[0].fail_on == "medium"  # the closest file wins


def test_pyproject_table_is_read_and_yaml_wins_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.pinlint]\nfail-on = "high"\n'
                                             'severity = { PIN101 = "low" }\n')
    policy, _ = resolve_policy([tmp_path])
    assert policy.fail_on == "high" and policy.severity == {"PIN101": "low"}
    (tmp_path / ".pinlint.yaml").write_text("fail-on: critical\n")
    assert resolve_policy([tmp_path])[0].fail_on == "critical"


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert resolve_policy([tmp_path])[0].fail_on == "low"


def test_pyproject_errors_name_file_and_line(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.pinlint]\nselect = ["PIN"]\nbogus = 1\n')
    assert "pyproject.toml:6: unknown key 'bogus'" in one_line_error(run("app"))
    (project / "pyproject.toml").write_text('[tool.pinlint]\nselect = [\n')
    assert "pyproject.toml: not valid TOML" in one_line_error(run("app"))


# ------------------------------------------------------------------------------------------- extends


def test_extends_merges_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # one repository: extends stays inside the project
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "base.yaml").write_text(
        "fail-on: medium\nseverity:\n  PIN101: low\noptions:\n  PIN101:\n    minimum_pins: 3\n"
        "sensitive-hosts: [base.example.com]\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / ".pinlint.yaml").write_text(
        "extends: ../shared/base.yaml\nfail-on: high\nsensitive-hosts: [own.example.com]\n")
    policy = load_config(project / ".pinlint.yaml")
    assert policy.fail_on == "high"  # this file wins
    assert policy.severity == {"PIN101": "low"} and policy.options == {"PIN101": {"minimum_pins": 3}}
    assert policy.sensitive_hosts == ["own.example.com"]  # lists replace


def test_extends_loop_and_bad_base_are_errors(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    with pytest.raises(ConfigError, match="loops back"):
        load_config(tmp_path / "a.yaml")
    (tmp_path / "b.yaml").write_text("fail-on: high\nbogus: 1\n")
    with pytest.raises(ConfigError, match=r"b\.yaml:2: unknown key 'bogus'"):
        load_config(tmp_path / "a.yaml")


# ------------------------------------------------------------------------------------------- exclude


def test_exclude_patterns_skip_files_and_folders(project: Path) -> None:
    (project / "vendor" / "sdk").mkdir(parents=True)
    (project / "vendor" / "sdk" / "pins.xml").write_text(document(pin_set("vendor.example.com", PIN_A)))
    (project / "app" / "keep.xml").write_text(document(pin_set("keep.example.com", PIN_A)))
    (project / "app" / "old.xml").write_text(document(pin_set("old.example.com", PIN_A)))
    assert len(findings(".")) == 4
    (project / ".pinlint.yaml").write_text("exclude:\n  - vendor/\n  - 'app/*.xml'\n  - '!app/keep.xml'\n")
    assert sorted(f["path"] for f in findings(".")) == ["app/keep.xml"]
    # Files named on the command line (as pre-commit passes them) are excluded too.
    assert findings("vendor/sdk/pins.xml", "app/old.xml") == []


def test_exclude_patterns_are_relative_to_the_policy_file(
    project: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    (project / ".pinlint.yaml").write_text("exclude: [/pins.xml]\n")  # anchored at the repository root
    monkeypatch.chdir(project / "app")
    assert len(findings(".")) == 1
    (project / ".pinlint.yaml").write_text("exclude: [/app/pins.xml]\n")
    assert findings(".") == []


# ------------------------------------------------------------------------------------------- command line


def test_command_line_overrides_the_policy_file(project: Path) -> None:
    (project / ".pinlint.yaml").write_text("fail-on: critical\n")
    assert run("app").exit_code == 0  # a high finding under fail-on critical
    assert run("app", "--fail-on", "high").exit_code == 1
    (project / ".pinlint.yaml").write_text("select: [PIN101]\nignore: [PIN1]\n")
    options = scan_options([project / "app"], today=date(2026, 1, 15), select=["missing-backup-pin"],
                           ignore=["PIN102"], fail_on=None, config_path=None, no_config=False,
                           profile="precommit")
    assert options.policy.select == ["missing-backup-pin"]  # --select replaces the file's select
    assert options.policy.ignore == ["PIN1", "PIN102"]  # --ignore adds to the file's ignore
    assert findings("app") == []
    (project / ".pinlint.yaml").write_text("options:\n  PIN101:\n    minimum_pins: 1\n")
    assert findings("app") == []
    assert len(findings("app", "--no-config")) == 1


def test_explicit_config_and_no_config(project: Path, tmp_path: Path) -> None:
    (project / ".pinlint.yaml").write_text("bogus: 1\n")
    assert run("app").exit_code == 2
    assert len(findings("app", "--no-config")) == 1
    other = tmp_path / "team-policy.yaml"
    other.write_text("ignore: [PIN101]\n")
    assert findings("app", "--config", str(other)) == []
    assert "cannot be used together" in one_line_error(run("app", "--config", str(other), "--no-config"))
    assert "no such file" in one_line_error(run("app", "--config", str(tmp_path / "absent.yaml")))
