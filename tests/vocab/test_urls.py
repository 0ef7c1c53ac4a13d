"""When a URL's host is complete before a literal's first interpolation (the text before it names the host)."""

from __future__ import annotations

import pytest

from pinlint.vocab.urls import host_complete


@pytest.mark.parametrize(("prefix", "complete"), [
    ("https://api.example.com/v1/", True),
    ("http://10.0.2.2:8080/", True),
    ("ws://live.example.com?token=", True),
    ("https://api.example.com#", True),
    ("https://api.", False),  # the host is still being written
    ("https://api.example.com:", False),  # the port follows
    ("https://", False),
    ("http:///path", False),  # no host at all
    ("api.example.com/", False),  # no scheme
])
def test_host_complete(prefix: str, complete: bool) -> None:
    assert host_complete(prefix) is complete
