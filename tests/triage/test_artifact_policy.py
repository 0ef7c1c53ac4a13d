"""Per-artifact policy: ignore or re-rate findings in a compiled SDK by artifact path and class, each with a
reason shown in the summary; never taken from a policy file inside the audited tree."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pinlint.cli.app import main
from pinlint.config.loader import ConfigError, load_config


def sdk_jar() -> bytes:
    """The vendor SDK fixture compiled to a JAR with javac and jar."""
    import shutil
    import subprocess
    import tempfile

    if shutil.which("javac") is None or shutil.which("jar") is None:
        pytest.skip("needs javac and jar (Debian: default-jdk-headless); .ci/run installs it")
    from tests.binary_build import build_jar, compile_classes

    work = Path(tempfile.mkdtemp(prefix="artifact-policy-"))
    try:
        return build_jar(work, compile_classes(work)).read_bytes()
    finally:
        subprocess.run(["rm", "-rf", str(work)], check=False)


@pytest.fixture(scope="module")
def jar() -> bytes:
    return sdk_jar()


def project_with(jar: bytes, root: Path) -> Path:
    (root / "app" / "libs").mkdir(parents=True)
    (root / "app" / "libs" / "analytics-1.2.jar").write_bytes(jar)
    with zipfile.ZipFile(io.BytesIO(jar)) as archive, zipfile.ZipFile(root / "app" / "libs" / "other.jar", "w") as out:
        for info in archive.infolist():
            out.writestr(info, archive.read(info))
    return root / "app"


def run(project: Path, *arguments: str) -> dict[str, object]:
    result = CliRunner().invoke(main, ["check", "--format", "json", "--today", "2026-01-15", *arguments,
                                       str(project)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


POLICY = """artifacts:
  - path: "libs/analytics-*.jar"
    class: "com.vendor.sdk.Net$AnyHost"
    rules: [TRU302]
    ignore: true
    reason: "verifier is never installed (vendor ticket SDK-12); reviewed 2026-01"
  - path: "libs/analytics-*.jar"
    class: "com.vendor.sdk.Net$LoggingTrust"
    severity: low
    reason: "debug-only trust manager, stripped by the vendor's release build"
  - path: "libs/unused-*.aar"
    ignore: true
    reason: "matches nothing"
"""


def test_entries_ignore_and_re_rate_by_path_and_class(jar: bytes, tmp_path: Path) -> None:
    project = project_with(jar, tmp_path)
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    data = run(project, "--profile", "audit", "--config", str(policy))
    findings = data["findings"]
    assert isinstance(findings, list)

    def pick(path_end: str) -> dict[str, object]:
        return next(item for item in findings if str(item["path"]).endswith(path_end))

    ignored = pick("analytics-1.2.jar!/com/vendor/sdk/Net$AnyHost.class")
    assert ignored["suppressed"] is True
    assert ignored["suppression"]["justification"].startswith("verifier is never installed")  # type: ignore[index]
    assert pick("analytics-1.2.jar!/com/vendor/sdk/Net$LoggingTrust.class")["severity"] == "low"
    # the same classes in another artifact are untouched
    assert pick("other.jar!/com/vendor/sdk/Net$AnyHost.class")["suppressed"] is False
    assert pick("other.jar!/com/vendor/sdk/Net$LoggingTrust.class")["severity"] == "critical"
    notices = " | ".join(str(notice) for notice in data["notices"])  # type: ignore[union-attr]
    assert "ignored (verifier is never installed" in notices and ": 1 finding" in notices
    assert "re-rated low (debug-only trust manager" in notices
    assert "libs/unused-*.aar: ignored (matches nothing): 0 findings" in notices


def test_a_policy_inside_the_audited_tree_is_not_obeyed(jar: bytes, tmp_path: Path) -> None:
    project = project_with(jar, tmp_path)
    (project / ".git").mkdir()
    (project / ".pinlint.yaml").write_text(POLICY, encoding="utf-8")
    data = run(project, "--profile", "audit")
    findings = data["findings"]
    assert isinstance(findings, list)
    assert not any(item["suppressed"] for item in findings)
    assert {item["severity"] for item in findings if "LoggingTrust" in str(item["path"])} == {"critical"}


@pytest.mark.parametrize(("entry", "message"), [
    ("- path: libs/x.jar\n  ignore: true\n", "needs 'reason'"),
    ("- reason: r\n  ignore: true\n", "needs 'path'"),
    ("- path: libs/x.jar\n  reason: r\n", "exactly one of"),
    ("- path: libs/x.jar\n  reason: r\n  ignore: true\n  severity: low\n", "exactly one of"),
    ("- path: libs/x.jar\n  reason: r\n  severity: fatal\n", "not one of"),
    ("- path: libs/x.jar\n  reason: r\n  ignore: true\n  rules: [NOPE999]\n", "NOPE999"),
    ("- path: libs/x.jar\n  reason: r\n  ignore: true\n  why: x\n", "unknown key 'why'"),
])
def test_entries_are_checked(tmp_path: Path, entry: str, message: str) -> None:
    policy = tmp_path / ".pinlint.yaml"
    policy.write_text("artifacts:\n" + "".join("  " + line + "\n" for line in entry.splitlines()), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(policy)
