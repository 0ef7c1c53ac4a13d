"""The token count that keeps syntax trees within the memory bound, read before any grammar runs."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pinlint.discover.walk import Candidate
from pinlint.model.facts import ParseError
from pinlint.parsers.code import treesitter
from pinlint.pipeline import examine


def reference_estimate(data: bytes) -> int:
    """The definition: every run of word characters is one token, every other non-space byte one more."""
    text = data.decode("latin-1")
    words = re.findall(r"[A-Za-z0-9_$\x80-\xff]+", text)
    others = [char for char in text if not re.fullmatch(r"[A-Za-z0-9_$\x80-\xff]", char) and not char.isspace()]
    return len(words) + len(others)


@given(st.binary(max_size=200))
def test_the_estimate_counts_word_runs_and_other_bytes(data: bytes) -> None:
    assert treesitter.token_estimate(data) == reference_estimate(data)


def test_examples() -> None:
    assert treesitter.token_estimate(b"") == 0
    assert treesitter.token_estimate(b"val x = f(1)\n") == 7
    assert treesitter.token_estimate(b"a.b.c") == 5


def test_a_file_over_the_token_limit_is_reported_not_analysed(tmp_path: Path) -> None:
    path = tmp_path / "app.js"
    # a minified shape: one line of short names and operators, a trigger word inside
    path.write_bytes(b'fetch("http://api.carenote-health.com");' + b"a=b+c;" * (treesitter.MAX_TOKENS // 6 + 1))
    facts = examine(Candidate(str(path), "app.js", thorough=True), 20_000_000).facts
    assert [fact.reason for fact in facts if isinstance(fact, ParseError)] == [
        f"cannot parse javascript: about {treesitter.token_estimate(path.read_bytes())} tokens, over the "
        f"{treesitter.MAX_TOKENS}-token limit of the syntax tree; not analysed"]
