"""Start-up: the command line loads a command's code only when that command runs.

A pre-commit run scans one or two files, so importing the command line is most of its time; these tests
pin down what ``import pinlint.cli`` and ``pinlint check`` load (module names, never timings).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pinlint.cli.app import LAZY_COMMANDS, main

ROOT = Path(__file__).resolve().parents[2]


def loaded_after(code: str, cwd: Path = ROOT) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=cwd,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return set(json.loads(result.stdout.splitlines()[-1]))


def loaded_by_check(cwd: Path, *arguments: str) -> set[str]:
    """The modules a fresh interpreter has loaded after ``pinlint check ARGUMENTS`` in ``cwd``."""
    return loaded_after(
        "import contextlib\nfrom pinlint.cli.app import main\n"
        f"with contextlib.suppress(SystemExit):\n    main(['check', *{list(arguments)!r}])", cwd=cwd)


def test_importing_the_command_line_loads_no_scan_code() -> None:
    loaded = loaded_after("import pinlint.cli")
    heavy = {"pinlint.pipeline", "pinlint.config.loader", "pinlint.model.facts", "pinlint.rules", "yaml",
             "pinlint.cli.certs", "pinlint.cli.report", "pinlint.cli.live", "pinlint.cli.lsp", "pinlint.evidence",
             "cryptography", "lxml"}
    assert not heavy & loaded


def test_check_loads_no_other_command(tmp_path: Path) -> None:
    (tmp_path / "Main.kt").write_text('val url = "https://api.carenote-health.com"\n')
    loaded = loaded_by_check(tmp_path, "Main.kt", "--no-config")
    assert "pinlint.pipeline" in loaded
    assert not {"pinlint.cli.certs", "pinlint.cli.report", "pinlint.cli.live", "pinlint.cli.lsp",
                "pinlint.evidence.model", "zipfile"} & loaded
    # no Android configuration or compiled code in the scan: their models and resolvers stay unloaded
    assert not {"pinlint.model.android", "pinlint.resolve.android", "pinlint.model.bytecode",
                "pinlint.resolve.bytecode"} & loaded


def test_a_kotlin_url_finding_loads_neither_android_configuration_nor_trust_path_code(tmp_path: Path) -> None:
    # the statement lowering and path search judge trust callbacks: a file without one never needs them
    (tmp_path / "Api.kt").write_text('val url = "http://api.carenote-health.com/v1"\n')
    loaded = loaded_by_check(tmp_path, "Api.kt", "--no-config")
    assert "pinlint.checks.cleartext" in loaded  # the URL was found and judged
    assert not {"pinlint.model.android", "pinlint.resolve.android", "pinlint.discover.android",
                "pinlint.parsers.code.codeutil", "pinlint.parsers.code.jvm.lowering"} & loaded


@pytest.mark.parametrize("name, code, grammar", [
    ("Api.kt", 'val url = "http://api.carenote-health.com/v1"\n', "tree_sitter_kotlin"),
    ("Api.java", 'class Api { String url = "http://api.carenote-health.com/v1"; }\n', "tree_sitter_java"),
    ("api.js", 'fetch("http://api.carenote-health.com/v1");\n', "tree_sitter_javascript"),
])
def test_a_grammar_is_loaded_without_its_package_query_helpers(tmp_path: Path, name: str, code: str,
                                                               grammar: str) -> None:
    # the grammar packages' __init__ imports importlib.resources (and with it tempfile, shutil, random,
    # bz2, lzma) for query files pinlint never reads; only their compiled part is loaded
    (tmp_path / name).write_text(code)
    loaded = loaded_by_check(tmp_path, name, "--no-config")
    assert f"{grammar}._binding" in loaded  # the file was parsed
    assert not {grammar, "importlib.resources", "tempfile", "shutil", "bz2", "lzma"} & loaded


def test_the_gradle_wrapper_and_a_signing_keystore_load_no_network_or_certificate_code(tmp_path: Path) -> None:
    # every Android tree holds both: the wrapper JAR is read as an archive, and a keystore beside the build
    # scripts is not packaged into the app, so neither needs the HTTP stack or cryptography
    import zipfile

    (tmp_path / "gradle" / "wrapper").mkdir(parents=True)
    with zipfile.ZipFile(tmp_path / "gradle" / "wrapper" / "gradle-wrapper.jar", "w") as jar:
        jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        jar.writestr("AndroidManifest.xml", "<manifest/>")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "debug.keystore").write_bytes(b"\xfe\xed\xfe\xed" + bytes(64))
    loaded = loaded_by_check(tmp_path, ".", "--no-config")
    assert "zipfile" in loaded  # the JAR was read
    assert not {"urllib.request", "http.client", "ssl", "email", "cryptography"} & loaded


def test_a_warm_run_reads_the_rule_catalogue_from_its_cache(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Main.kt").write_text('val url = "http://api.carenote-health.com"\n')
    run = "import contextlib\nfrom pinlint.cli.app import main\nwith contextlib.suppress(SystemExit):\n" \
          "    main(['check', 'Main.kt', '--no-config', '--format', 'json'])"
    cache = tmp_path / "cache"
    code = f"import os\nos.environ['XDG_CACHE_HOME'] = {str(cache)!r}\n{run}"
    assert "yaml" in loaded_after(code, cwd=tmp_path)  # the first run reads the YAML and writes the cache
    assert len(list((cache / "pinlint").glob("rules-*.json"))) == 1
    assert "yaml" not in loaded_after(code, cwd=tmp_path)


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_every_lazy_command_is_the_command_of_that_name(name: str) -> None:
    command = main.get_command(click.Context(main), name)
    assert isinstance(command, click.Command)
    assert command.name == name


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = result.output.split("Commands:")[1]
    for name in [*LAZY_COMMANDS, "check", "baseline", "rules", "explain"]:
        assert f"  {name} " in listed
