"""Cross-file resolution: the project step between parsing and checks.

Each resolver reads the facts of the whole scan and adds derived facts: the test resolver marks facts from
test code (``test`` variant) so no other resolver counts them as the app's; the Android resolver joins
manifests, Gradle targetSdk and network security configs into per-scope policies; the certificate
resolver classifies every pin against the certificates found in the tree. Resolvers run in order, once.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

from pinlint.model.facts import FactStore

RESOLVER_MODULES: tuple[str, ...] = (
    "pinlint.resolve.tests",
    "pinlint.resolve.android",
    "pinlint.resolve.bytecode",
    "pinlint.resolve.certificates",
)

#: Resolvers that act only on facts of one model module (and do nothing without them): when no parser
#: loaded that module, no such fact exists, and the resolver (with its imports) is not loaded at all.
NEEDS_MODEL: dict[str, str] = {
    "pinlint.resolve.android": "pinlint.model.android",
    "pinlint.resolve.bytecode": "pinlint.model.bytecode",
}


def resolvers() -> list[Callable[[FactStore], None]]:
    """The resolvers this scan's facts can need, in order."""
    return [importlib.import_module(name).resolve for name in RESOLVER_MODULES
            if NEEDS_MODEL.get(name, "pinlint.model.facts") in sys.modules]


def run_all(store: FactStore) -> None:
    for resolve in resolvers():
        resolve(store)
