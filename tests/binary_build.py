"""Builds the compiled fixtures of ``fixtures/_vendor-sdk`` with the real tools, into a temporary folder.

The sources there are the vendor SDK as source code; each builder turns them into what a vendor ships: a JAR
and an AAR (``javac`` and ``jar``), and more in later builders. ``tests/binary_stubs`` holds compile-time
stand-ins for the Android and OkHttp classes the SDK uses; they are never packaged.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
SDK = FIXTURES / "_vendor-sdk"
STUBS = ROOT / "tests" / "binary_stubs"


def missing_tools(*tools: str) -> list[str]:
    return [tool for tool in tools if shutil.which(tool) is None]


def run(*command: str | Path, cwd: Path | None = None) -> None:
    subprocess.run([str(part) for part in command], cwd=cwd, check=True, capture_output=True, timeout=300)


def compile_classes(work: Path) -> Path:
    """The SDK's classes compiled against the stubs (with line numbers, as javac does by default)."""
    stubs = work / "stubs"
    classes = work / "classes"
    stubs.mkdir(parents=True, exist_ok=True)
    classes.mkdir(parents=True, exist_ok=True)
    run("javac", "-d", stubs, *sorted(STUBS.rglob("*.java")))
    run("javac", "--release", "8", "-cp", stubs, "-d", classes, *sorted((SDK / "java").rglob("*.java")))
    return classes


def build_jar(work: Path, classes: Path) -> Path:
    jar = work / "vendor.jar"
    run("jar", "cf", jar, "-C", classes, ".")
    return jar


def build_aar(work: Path, jar: Path) -> Path:
    """An AAR as the Android Gradle plugin lays it out: text manifest and resources, ``classes.jar``."""
    layout = work / "aar"
    layout.mkdir(parents=True, exist_ok=True)
    shutil.copy(SDK / "AndroidManifest.xml", layout / "AndroidManifest.xml")
    shutil.copytree(SDK / "res", layout / "res", dirs_exist_ok=True)
    shutil.copy(jar, layout / "classes.jar")
    aar = work / "vendor.aar"
    run("jar", "cfM", aar, "AndroidManifest.xml", "res", "classes.jar", cwd=layout)
    return aar
