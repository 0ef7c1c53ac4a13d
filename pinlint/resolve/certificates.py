"""Placeholder resolver: derives nothing until its issue is built."""

from __future__ import annotations

from pinlint.model import FactStore


def resolve(store: FactStore) -> None:
    return None
