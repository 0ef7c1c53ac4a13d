"""Helpers for the cross-platform front-end tests: parse a snippet and select facts."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from pinlint import parsers
from pinlint.model.facts import Endpoint, ParseError, PinSet
from pinlint.parsers import SourceFile
from tests.trust_verdicts import HOSTNAME_OFF, PIN_FAIL_OPEN, TRUST_ALL, verdicts

__all__ = [
    "HOSTNAME_OFF",
    "PIN_FAIL_OPEN",
    "TRUST_ALL",
    "endpoints",
    "errors",
    "handlers",
    "parse",
    "pin_sets",
]


def parse(module: str, name: str, code: str | bytes, thorough: bool = False) -> list[Any]:
    parser = importlib.import_module(parsers.module_named(module))
    data = code.encode() if isinstance(code, str) else code
    assert parser.accepts(name, data[:4096])
    return list(parser.parse(SourceFile(Path(name), name, data, thorough=thorough)))


def handlers(facts: list[Any]) -> list[tuple[int, str]]:
    """(line, rule id) of each trust finding the facts lead to."""
    return [(verdict.span.line, verdict.kind) for verdict in verdicts(facts)]


def endpoints(facts: list[Any]) -> list[tuple[int, str]]:
    return [
        (fact.span.line, fact.url)
        for fact in facts
        if isinstance(fact, Endpoint) and fact.scheme in ("http", "ws") and not fact.local
    ]


def pin_sets(facts: list[Any]) -> list[PinSet]:
    return [fact for fact in facts if isinstance(fact, PinSet)]


def errors(facts: list[Any]) -> list[ParseError]:
    return [fact for fact in facts if isinstance(fact, ParseError)]
