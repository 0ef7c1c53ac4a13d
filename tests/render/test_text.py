"""Text output: exact lines for a fixed result, source lines, colour only when asked, no raw control bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinlint.model.facts import Span
from pinlint.model.findings import Finding
from pinlint.render import RunInfo, printable
from pinlint.render.text_format import render
from tests.output_samples import empty_result, sample_result

EXPECTED = """\
app/bad.xml:3:1: CFG901 [info] cannot parse: mismatched tag
app/src/main/res/xml/network_security_config.xml:5:9: PIN101 [high] \
network security config for api.example.com has 1 valid pin; add a backup
café/ünï.xml:7:3: PIN104 [low] pin set expires in 10 days
ios/My App/Info #1.plist:3:2: CLR201 [medium] cleartext allowed for 100%, all hosts,\\x0ainjected::line
src/Net.kt:12:5: TRU301 [critical] TrustManager accepts every certificate
error: internal error in check PIN105: ValueError('boom')
skipped: linked: symbolic link not followed

Found 5 problems (1 critical, 1 high, 1 medium, 1 low, 1 info) in 5 files; 2 suppressed.
Run 'pinlint explain TRU301' (or any rule id) for what a rule checks and how to fix it
"""


@pytest.fixture(autouse=True)
def empty_workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty directory so no source lines are found unless a test writes them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_snapshot_of_fixed_result() -> None:
    assert render(sample_result(), RunInfo(exit_code=1)) == EXPECTED


def test_clean_result() -> None:
    assert render(empty_result(), RunInfo()) == "No problems found in 0 files.\n"


def test_single_problem_wording() -> None:
    result = empty_result()
    result.files_scanned = 1
    result.findings = [Finding("PIN101", "one", Span("a.xml", 1, 1), severity="high")]
    assert render(result, RunInfo()).splitlines()[-2] == "Found 1 problem (1 high) in 1 file."


def test_source_line_is_shown_under_the_finding() -> None:
    """The renderer quotes the line the scan result carries, escaped, and reads no file."""
    result = sample_result()
    result.source_lines = {"app/bad.xml": {3: "\t  <pin-set>\x1b[2J</c>"}}
    lines = render(result, RunInfo()).splitlines()
    assert lines[0].startswith("app/bad.xml:3:1: CFG901")
    assert lines[1] == "    <pin-set>\\x1b[2J</c>"


def test_no_source_line_without_one_in_the_result(empty_workdir: Path) -> None:
    (empty_workdir / "app").mkdir()
    (empty_workdir / "app" / "bad.xml").write_text("<a>\n<b>\n<pin-set>\n", encoding="utf-8")
    lines = render(sample_result(), RunInfo()).splitlines()
    assert lines[1].startswith("app/src/main/res/xml/network_security_config.xml:5:9")


def test_binary_and_missing_files_give_no_lines_to_quote(empty_workdir: Path) -> None:
    from pinlint.discover.source_lines import quote_lines

    binary = empty_workdir / "bad.xml"
    binary.write_bytes(b"\x00\x01\x02\nline2\nline3\n")
    text = empty_workdir / "good.xml"
    text.write_text("one\ntwo\n", encoding="utf-8")
    findings = [Finding("CFG901", "x", Span(name, 2, 1)) for name in ("bad.xml", "good.xml", "gone.xml")]
    paths = {name: empty_workdir / name for name in ("bad.xml", "good.xml", "gone.xml")}
    assert quote_lines(findings, paths) == {"good.xml": {2: "two"}}
    assert quote_lines(findings, paths, {str(text): b"edited\nbuffer\n"}) == {"good.xml": {2: "buffer"}}


def test_colour_only_when_asked() -> None:
    plain = render(sample_result(), RunInfo(color=False))
    coloured = render(sample_result(), RunInfo(color=True))
    assert "\x1b[" not in plain
    assert "\x1b[31m[high]\x1b[0m" in coloured
    assert "\x1b[1;31m[critical]\x1b[0m" in coloured


def test_printable_escapes_controls_and_bidi() -> None:
    assert printable("a\tb\nc\x1b[31md\u202ee\x85f") == "a b\\x0ac\\x1b[31md\\u202ee\\x85f"
    assert printable("café ünï") == "café ünï"
