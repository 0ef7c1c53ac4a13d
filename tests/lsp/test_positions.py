"""Character columns become UTF-16 code units (or the negotiated encoding's) against the line's text."""

from __future__ import annotations

import pytest

from pinlint.lsp.positions import UTF8, UTF16, UTF32, column_to_units, split_lines, units_to_column

LINE = 'val 😀 = "é"; val u = "http://x.example.com/"'


def test_a_character_outside_the_basic_plane_is_two_utf16_units() -> None:
    column = LINE.index('"http') + 1  # 1-based character column, as findings carry it
    assert column_to_units(LINE, column, UTF16) == column  # 😀 counts twice, minus the 1-based start
    assert column_to_units(LINE, column, UTF32) == column - 1
    assert column_to_units(LINE, column, UTF8) == len(LINE[:column - 1].encode("utf-8"))


@pytest.mark.parametrize("encoding", [UTF8, UTF16, UTF32])
def test_units_to_column_inverts(encoding: str) -> None:
    for column in range(1, len(LINE) + 2):
        assert units_to_column(LINE, column_to_units(LINE, column, encoding), encoding) == column


def test_a_column_past_the_line_is_clamped() -> None:
    assert column_to_units("abc", 10) == 3


def test_lines_split_as_lsp_counts_them() -> None:
    assert split_lines("a\r\nb\rc\nd\u2028e") == ["a", "b", "c", "d\u2028e"]
    assert split_lines("x\n") == ["x", ""]
