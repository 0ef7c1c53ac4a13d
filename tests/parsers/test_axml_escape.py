"""The binary XML reader's own escaping writes what ``xml.sax.saxutils`` writes (the reference it replaces,
whose import brings in the HTTP stack)."""

from __future__ import annotations

from xml.sax.saxutils import escape as reference_escape
from xml.sax.saxutils import quoteattr as reference_quoteattr

from hypothesis import given
from hypothesis import strategies as st

from pinlint.parsers.binary.axml import escape, quoteattr

TEXT = st.text(alphabet=st.sampled_from("ab&<>\"'\n\r\t é\u2028"), max_size=12) | st.text(max_size=20)


@given(TEXT)
def test_escape_matches_saxutils(text: str) -> None:
    assert escape(text) == reference_escape(text)


@given(TEXT)
def test_quoteattr_matches_saxutils(text: str) -> None:
    assert quoteattr(text) == reference_quoteattr(text)
