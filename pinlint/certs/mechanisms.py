"""The pinning that applies to one host, over a scan's resolved facts.

Used by ``pinlint chain-check``: it reads the same resolved ``PinSet``, ``TrustAnchors`` and certificate
facts the checks see (``pinlint.pipeline.run``), so inheritance, bundle defaults and pin classification
are the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from pinlint.certs.basics import bundled_anchor_sources
from pinlint.certs.hosts import covers, specificity
from pinlint.model.facts import FactStore, PinnedCertificate, PinSet, TrustAnchors

#: Mechanisms where every matching host pattern contributes pins (OkHttp collects all matching patterns);
#: everywhere else the most specific matching entry wins.
UNION_ORIGINS = frozenset({"okhttp"})


@dataclass(frozen=True)
class Mechanism:
    """The pinning one mechanism (platform + origin) applies to a host: the sets that decide, or anchors."""

    platform: str
    origin: str
    pin_sets: tuple[PinSet, ...] = ()
    anchors: TrustAnchors | None = None


def _best(host: str, pin_sets: list[PinSet]) -> list[PinSet]:
    def score(pin_set: PinSet) -> int:
        return max(specificity(entry, host) for entry in pin_set.hosts
                   if covers(entry, pin_set.include_subdomains, host))

    scored = [(score(pin_set), pin_set) for pin_set in pin_sets]
    top = max(score for score, _ in scored)
    return [pin_set for score, pin_set in scored if score == top]


def mechanisms_for_host(facts: FactStore, host: str, include_variants: bool = False) -> list[Mechanism]:
    """The pinning mechanisms that decide whether ``host`` is accepted, one per platform and origin."""
    grouped: dict[tuple[str, str], list[PinSet]] = {}
    for pin_set in facts.of(PinSet):
        if pin_set.variant and not include_variants:
            continue
        if any(covers(entry, pin_set.include_subdomains, host) for entry in pin_set.hosts):
            grouped.setdefault((pin_set.platform, pin_set.origin), []).append(pin_set)
    found: list[Mechanism] = []
    for (platform, origin), pin_sets in sorted(grouped.items()):
        chosen = pin_sets if origin in UNION_ORIGINS else _best(host, pin_sets)
        found.append(Mechanism(platform, origin, tuple(sorted(chosen, key=lambda item: item.span))))
    anchors = deciding_anchors(facts, host, include_variants)
    if anchors is not None and bundled_anchor_sources(anchors):
        found.append(Mechanism(anchors.platform, "android-trust-anchors", anchors=anchors))
    return found


def deciding_anchors(facts: FactStore, host: str, include_variants: bool = False) -> TrustAnchors | None:
    """The Android trust anchors that apply to ``host``: the most specific domain list, else the base list."""
    best: tuple[int, TrustAnchors] | None = None
    for anchors in facts.of(TrustAnchors):
        if anchors.debug_only or (anchors.variant and not include_variants):
            continue
        if anchors.hosts:
            scores = [specificity(entry, host) + 1 for entry in anchors.hosts if covers(entry, True, host)]
            if not scores:
                continue
            score = max(scores)
        else:
            score = 0 if anchors.by_default else 1
        if best is None or score > best[0]:
            best = (score, anchors)
    return best[1] if best else None


def pinned_certificates_of(facts: FactStore, owner: PinSet | TrustAnchors) -> list[PinnedCertificate]:
    return [item for item in facts.of(PinnedCertificate) if item.owner == owner]
