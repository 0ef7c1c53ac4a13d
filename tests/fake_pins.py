"""A test-only parser: ``<pin-set host="...">`` blocks in ``*.xml`` files marked ``fake-pins``, as PinSets.

It stands in for the real parsers so the workflow tests (suppressions, baselines, profiles) have findings
to work on whatever parsers are present.
"""

from __future__ import annotations

import re

from pinlint.model.facts import Pin, PinSet, Span
from pinlint.parsers import SourceFile

NAME = "fake_pins"
MODULE = "tests.fake_pins"

_OPEN = re.compile(r'<pin-set host="(?P<host>[^"]+)"')
_PIN = re.compile(r"<pin>(?P<value>[^<]+)</pin>")


def accepts(name: str, head: bytes) -> bool:
    return name.endswith(".xml") and b"fake-pins" in head


def parse(source: SourceFile) -> list[object]:
    facts: list[object] = []
    host: str | None = None
    start = 0
    pins: list[Pin] = []
    for number, line in enumerate(source.text().splitlines(), start=1):
        opened = _OPEN.search(line)
        if opened:
            host, start, pins = opened.group("host"), number, []
        for match in _PIN.finditer(line):
            pins.append(Pin(match.group("value"), "sha256", Span(source.display, number)))
        if "</pin-set>" in line and host is not None:
            facts.append(PinSet("fake", "android", (host,), tuple(pins), Span(source.display, start, 1)))
            host = None
    return facts


PIN_A = "7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y="
PIN_B = "fwza0LRMXouZHRC8Ei+4PyuldPDcf3UKgO/04cDM1oE="


def install(monkeypatch: object) -> None:
    """Register this parser for one test (``monkeypatch`` is pytest's fixture)."""
    from pinlint import parsers

    modules = (*parsers.PARSER_MODULES, MODULE)
    monkeypatch.setattr(parsers, "PARSER_MODULES", modules)  # type: ignore[attr-defined]


def pin_set(host: str, *pins: str, comment: str = "") -> str:
    """A fake pin-set block; ``comment`` is appended to its first line."""
    body = "".join(f"    <pin>{pin}</pin>\n" for pin in pins)
    return f'  <pin-set host="{host}">{(" " + comment) if comment else ""}\n{body}  </pin-set>\n'


def document(*blocks: str) -> str:
    return "<!-- fake-pins -->\n<config>\n" + "".join(blocks) + "</config>\n"
