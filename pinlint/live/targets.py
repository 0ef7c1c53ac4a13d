"""The hosts ``live-check`` connects to, and where.

Hosts come from the pin sets and bundled trust anchors of the scan (the same facts ``inventory`` lists),
or only from ``--host``. A pattern that stands for many names (``*.example.com``, ``**.example.com``, or a
domain pinned with its subdomains) cannot be probed by guessing a name: the exact name is checked when the
pattern has one, and the subdomains are listed as needing ``--host``.

``--connect-to HOST[:PORT]=ADDR[:PORT]`` sends a host's connection to another address (staging, one point
of presence, a test server); SNI and the name check still use HOST.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pinlint.certs.hosts import normalise
from pinlint.model.facts import FactStore, PinSet, TrustAnchors


class TargetError(ValueError):
    """A ``--host`` or ``--connect-to`` value pinlint cannot use (a usage error)."""


@dataclass(frozen=True)
class Target:
    """One host to check: the name (SNI and name check), its port, and the address actually dialled."""

    host: str
    port: int
    address: str
    address_port: int

    @property
    def label(self) -> str:
        return self.host if self.port == 443 else f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Redirect:
    host: str
    port: int | None
    address: str
    address_port: int | None


def _split_port(text: str, what: str) -> tuple[str, int | None]:
    """``name``, ``name:port``, ``[v6]`` or ``[v6]:port``."""
    value = text.strip()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            raise TargetError(f"{what} '{text}': unclosed '['")
        name, rest = value[1:end], value[end + 1:]
        if rest and not rest.startswith(":"):
            raise TargetError(f"{what} '{text}': expected ':PORT' after ']'")
        port_text = rest[1:] if rest else None
    elif value.count(":") == 1:
        name, port_text = value.split(":")
    else:
        name, port_text = value, None
    if not name:
        raise TargetError(f"{what} '{text}': no host name")
    if port_text is None:
        return name, None
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise TargetError(f"{what} '{text}': the port must be a number from 1 to 65535")
    return name, int(port_text)


def parse_host(text: str) -> tuple[str, int | None]:
    name, port = _split_port(text, "--host")
    if "*" in name:
        raise TargetError(f"--host '{text}': name one concrete host, not a pattern")
    return normalise(name), port


def parse_connect_to(text: str) -> Redirect:
    if text.count("=") != 1:
        raise TargetError(f"--connect-to '{text}': expected HOST[:PORT]=ADDR[:PORT]")
    source, destination = text.split("=")
    host, port = _split_port(source, "--connect-to")
    address, address_port = _split_port(destination, "--connect-to")
    return Redirect(normalise(host), port, address, address_port)


def pinned_names(facts: FactStore) -> tuple[list[str], list[str]]:
    """(concrete host names to check, patterns that need ``--host``), from the release build's pinning."""
    names: list[str] = []
    patterns: list[str] = []

    def add(entry: str, include_subdomains: bool) -> None:
        name = normalise(entry)
        if not name:
            return
        if name.startswith(("*.", "**.")):
            if name not in patterns:
                patterns.append(name)
            base = name.split(".", 1)[1]
            if name.startswith("**.") and base not in names:
                names.append(base)
            return
        if name not in names:
            names.append(name)
        if include_subdomains and f"*.{name}" not in patterns:
            patterns.append(f"*.{name}")

    for pin_set in facts.of(PinSet):
        if pin_set.variant is None:
            for entry in pin_set.hosts:
                add(entry, pin_set.include_subdomains)
    for anchors in facts.of(TrustAnchors):
        if anchors.variant is None and not anchors.debug_only:
            for entry in anchors.hosts:
                add(entry, False)
    return sorted(names), sorted(patterns)


def build_targets(names: Iterable[tuple[str, int | None]], default_port: int,
                  redirects: Sequence[Redirect]) -> list[Target]:
    """One target per distinct host and port, with ``--connect-to`` applied (a port-specific rule first)."""
    targets: list[Target] = []
    for name, port in names:
        chosen = port or default_port
        rule = next((r for r in redirects if r.host == name and r.port == chosen), None) or next(
            (r for r in redirects if r.host == name and r.port is None), None)
        address = rule.address if rule else name
        address_port = (rule.address_port if rule and rule.address_port else chosen)
        target = Target(name, chosen, address, address_port)
        if target not in targets:
            targets.append(target)
    return targets
