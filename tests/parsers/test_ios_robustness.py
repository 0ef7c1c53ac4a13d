"""Hostile or broken input never raises from the iOS configuration parsers."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pinlint.parsers import SourceFile
from pinlint.parsers.config import capacitor, cordova, expo, plist

SEEDS = [
    b'<?xml version="1.0"?><plist><dict><key>NSAppTransportSecurity</key><dict>',
    b"bplist00",
    b'{"expo": {"ios": {"infoPlist": {"NSAppTransportSecurity": ',
    b'<widget xmlns="http://www.w3.org/ns/widgets"><access origin="',
    b"#if DEBUG\n",
]


def run_all(data: bytes) -> None:
    for module, name in ((plist, "Info.plist"), (expo, "app.json"), (capacitor, "capacitor.config.json"),
                         (cordova, "config.xml")):
        facts = module.parse(SourceFile(Path(name), name, data))
        assert isinstance(facts, list)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SEEDS), st.binary(max_size=200))
def test_random_tails_never_raise(seed: bytes, tail: bytes) -> None:
    run_all(seed + tail)


def test_deeply_nested_input_never_raises() -> None:
    run_all(b'<?xml version="1.0"?><plist>' + b"<array>" * 20000 + b"</array>" * 20000 + b"</plist>")
    run_all(b'{"expo": ' + b"[" * 20000 + b"]" * 20000 + b"}")
