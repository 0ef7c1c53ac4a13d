"""A real browser renders the evidence report: headless Chromium draws the page to a PNG and prints it to PDF.

The picture must hold content: several times the bytes of the same window showing an empty page, at
the window's size. ``.ci/run`` installs Debian's ``chromium`` when it is missing.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pinlint.cli.app import main
from tests.conftest import FIXTURES

WIDTH, HEIGHT = 1200, 2400


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium is not installed (.ci/run installs Debian's chromium)")


def screenshot(page: Path, picture: Path, profile: Path) -> None:
    command = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
        f"--user-data-dir={profile}", f"--screenshot={picture}", f"--window-size={WIDTH},{HEIGHT}",
        page.as_uri(),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert picture.is_file(), completed.stderr[-2000:]


def png_size(picture: Path) -> tuple[int, int]:
    data = picture.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chromium_renders_the_sample_app_report(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(FIXTURES / "sample-app"), "--today", "2026-01-15",
                                       "-o", str(page)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    empty = tmp_path / "empty.html"
    empty.write_text("<!DOCTYPE html><html><head><title>empty</title></head><body></body></html>")
    picture, blank = tmp_path / "report.png", tmp_path / "empty.png"
    screenshot(page, picture, tmp_path / "profile")
    screenshot(empty, blank, tmp_path / "profile-empty")
    assert png_size(picture) == (WIDTH, HEIGHT)
    assert picture.stat().st_size > 50_000
    assert picture.stat().st_size > 8 * blank.stat().st_size, (picture.stat().st_size, blank.stat().st_size)


def test_chromium_prints_the_report_to_pdf(tmp_path: Path) -> None:
    """The print style sheet: a repository section, the rules and the method each start a page."""
    page = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(FIXTURES / "sample-app"), "--today", "2026-01-15",
                                       "-o", str(page)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "report.pdf"
    command = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
        f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri(),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert pdf.is_file(), completed.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 4
