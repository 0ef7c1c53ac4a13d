"""Intermediate facts of compiled JVM code (class files and DEX): what the cross-class resolver needs.

The bytecode readers (``pinlint.parsers.binary``) produce them; ``pinlint.resolve.bytecode`` follows
superclasses and installations across classes with them. Nothing here decides a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from pinlint.model.facts import Span

#: The platform and mechanism of trust facts found in compiled JVM code.
PLATFORM = "android"
ORIGIN = "javax.net.ssl"


@dataclass(frozen=True, slots=True)
class CompiledClass:
    """What the cross-class resolver needs of a class: its parents, the trust methods it defines, and the
    classes it creates in a method that also installs a trust manager, socket factory or verifier."""

    name: str
    super_name: str
    interfaces: tuple[str, ...]
    defines: frozenset[str]
    installs: frozenset[str]
    span: Span
