"""Turning syntax nodes into facts: spans, the DEBUG variant, and no facts from unparsable regions."""

from __future__ import annotations

from dataclasses import dataclass, field

from pinlint.model.facts import Span, TlsFloor, accepting
from pinlint.parsers.code.apple.syntax import Syntax
from pinlint.parsers.code.treesitter import Node, has_error_ancestor, span
from pinlint.vocab.tls import TlsVersion
from pinlint.vocab.urls import endpoint_from_literal, joined_host_endpoint


@dataclass
class Emitter:
    """Collects the facts of one file. Nodes inside ERROR regions never yield a fact."""

    path: str
    syntax: Syntax
    debug_rows: list[tuple[int, int]] = field(default_factory=list)
    facts: list[object] = field(default_factory=list)
    _seen: set[tuple[str, int, int, str]] = field(default_factory=set)
    #: The file's tree has no ERROR or MISSING node anywhere, so no node needs its ancestors walked.
    clean: bool = False

    def sound(self, node: Node) -> bool:
        if self.clean:
            return True
        return node.type != "ERROR" and not has_error_ancestor(node)

    def span(self, node: Node) -> Span:
        return span(self.path, node)

    def variant(self, node: Node) -> str | None:
        row = node.start_point[0]
        return "debug" if any(start <= row <= end for start, end in self.debug_rows) else None

    def _once(self, node: Node, key: str) -> bool:
        mark = (key, node.start_point[0], node.start_point[1], node.type)
        if mark in self._seen:
            return False
        self._seen.add(mark)
        return True

    def trust(
        self,
        role: str,
        shape: str,
        evidence: str,
        node: Node,
        origin: str,
        confidence: str | None = None,
        guards: frozenset[str] = frozenset(),
    ) -> None:
        """A decision site of ``role`` that accepts at ``node`` with ``guards`` on the way (none: a flag)."""
        if not self.sound(node) or not self._once(node, "trust:" + role + ":" + ",".join(sorted(guards))):
            return
        self.facts.append(
            accepting(origin, self.syntax.language, role, shape, evidence, self.span(node), guards=guards,
                      platform="ios", confidence=confidence, variant=self.variant(node))
        )

    def tls(self, version: TlsVersion, setting: str, node: Node, origin: str) -> None:
        if not self.sound(node) or not self._once(node, "tls"):
            return
        self.facts.append(
            TlsFloor(
                origin=origin,
                platform="ios",
                min_version=version,
                span=self.span(node),
                setting=setting,
                variant=self.variant(node),
            )
        )

    def endpoint(self, value: str, node: Node) -> None:
        if not self.sound(node) or not self._once(node, "url"):
            return
        found = endpoint_from_literal(value, self.span(node), language=self.syntax.language, platform="ios")
        if found is None:
            return
        variant = self.variant(node)
        if variant is not None:
            from dataclasses import replace

            found = replace(found, variant=variant)
        self.facts.append(found)

    def joined(self, pieces: list[tuple[str, bool]], node: Node) -> None:
        """A cleartext URL whose host is an expression (``"http://\\(host)"``, ``"http://" + host``)."""
        if not self.sound(node) or not self._once(node, "url"):
            return
        found = joined_host_endpoint(pieces, self.span(node), self.syntax.language, "ios", self.variant(node))
        if found is not None:
            self.facts.append(found)

    def add(self, fact: object) -> None:
        self.facts.append(fact)
