"""Cross-file resolution: the project step between parsing and checks.

Each resolver reads the facts of the whole scan and adds derived facts: the test resolver marks facts from
test code (``test`` variant) so no other resolver counts them as the app's; the Android resolver joins
manifests, Gradle targetSdk and network security configs into per-scope policies; the certificate
resolver classifies every pin against the certificates found in the tree. Resolvers run in order, once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from pinlint.model.facts import FactStore

RESOLVER_MODULES: tuple[str, ...] = (
    "pinlint.resolve.tests",
    "pinlint.resolve.android",
    "pinlint.resolve.bytecode",
    "pinlint.resolve.certificates",
)


def resolvers() -> list[Callable[[FactStore], None]]:
    return [importlib.import_module(name).resolve for name in RESOLVER_MODULES]


def run_all(store: FactStore) -> None:
    for resolve in resolvers():
        resolve(store)
