"""GitHub workflow-command annotations: exact lines for a fixed result, and escaping of hostile text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pinlint.model.facts import Span
from pinlint.model.findings import Finding
from pinlint.pipeline import ScanResult
from pinlint.render import RunInfo
from pinlint.render.github_format import escape_data, escape_property, render, visible
from tests.output_samples import empty_result, sample_result

EXPECTED = """\
::notice file=app/bad.xml,line=3,col=1,title=pinlint (CFG901)::cannot parse: mismatched tag
::error file=app/src/main/res/xml/network_security_config.xml,line=5,col=9,endLine=5,endColumn=70,\
title=pinlint (PIN101)::network security config for api.example.com has 1 valid pin; add a backup
::notice file=café/ünï.xml,line=7,col=3,endLine=7,endColumn=40,title=pinlint (PIN104)::\
pin set expires in 10 days
::warning file=ios/My App/Info #1.plist,line=3,col=2,title=pinlint (CLR201)::\
cleartext allowed for 100%25, all hosts,%0Ainjected::line
::error file=src/Net.kt,line=12,col=5,endLine=14,endColumn=6,title=pinlint (TRU301)::\
TrustManager accepts every certificate
::notice file=linked,title=pinlint::skipped: symbolic link not followed
::error title=pinlint::internal error in check PIN105: ValueError('boom')
"""


def test_snapshot_of_fixed_result() -> None:
    assert render(sample_result(), RunInfo(exit_code=1)) == EXPECTED


def test_suppressed_findings_are_left_out() -> None:
    text = render(sample_result(), RunInfo())
    assert "suppressed inline" not in text
    assert "suppressed by baseline" not in text


def test_clean_result_prints_nothing() -> None:
    assert render(empty_result(), RunInfo()) == ""


def test_severity_maps_to_command() -> None:
    lines = render(sample_result(), RunInfo()).splitlines()
    commands = {line.split("title=pinlint (")[1][:6]: line.split(" ", 1)[0]
                for line in lines if "title=pinlint (" in line}
    assert commands == {"CFG901": "::notice", "PIN101": "::error", "PIN104": "::notice",
                        "CLR201": "::warning", "TRU301": "::error"}


def test_escaping() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"


def test_hostile_path_and_message_cannot_start_a_command() -> None:
    result: ScanResult = empty_result()
    result.findings = [Finding(
        "PIN101", "line one\n::error file=x::forged\r\n%0A", Span("dir,with:odd\nname.xml", 2, 3),
        severity="high",
    )]
    text = render(result, RunInfo())
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text == (
        "::error file=dir%2Cwith%3Aodd%0Aname.xml,line=2,col=3,title=pinlint (PIN101)::"
        "line one%0A::error file=x::forged%0D%0A%250A\n"
    )


def unescape(text: str) -> str:
    return (text.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r")
            .replace("%25", "%"))


@settings(max_examples=200, deadline=None)
@given(message=st.text(), path=st.text(min_size=1))
def test_any_text_stays_one_annotation_and_round_trips(message: str, path: str) -> None:
    result = empty_result()
    result.findings = [Finding("PIN101", message, Span(path, 1, 1), severity="medium")]
    text = render(result, RunInfo())
    assert text.endswith("\n") and text.count("\n") == 1 and "\r" not in text
    head, _, data = text[:-1].partition("::")[2].partition("::")
    assert unescape(data) == visible(message)
    properties = dict(item.split("=", 1) for item in head.split(" ", 1)[1].split(","))
    assert unescape(properties["file"]) == visible(path)
    assert not [char for char in text[:-1] if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F]


def test_terminal_escapes_from_the_tree_are_not_written_raw() -> None:
    result = empty_result()
    result.findings = [Finding("CLR203", "insecure URL 'http://a\x1b]0;owned\x07.example'",
                               Span("src/\x1b[2Jx\u202e.kt", 1, 1), severity="medium")]
    text = render(result, RunInfo())
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "http://a\\x1b]0;owned\\x07.example" in text and "src/\\x1b[2Jx\\u202e.kt" in text
