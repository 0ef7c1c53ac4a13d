"""The end of the text report: notices (suppressions, policy files) and, in the audit profile, a summary
per platform of what the audited tree does and what was found."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from pinlint.model.facts import LinkedLibrary, Note, PinSet
from pinlint.model.findings import SEVERITIES, Finding
from pinlint.vocab.libraries import NOTABLE_LIBRARIES

if TYPE_CHECKING:
    from pinlint.model.result import ScanResult

#: The platform a file most likely serves, by suffix, when no fact at the finding's place says so.
_PLATFORM_BY_SUFFIX = {
    **dict.fromkeys((".kt", ".kts", ".java", ".gradle"), "android"),
    **dict.fromkeys((".swift", ".m", ".mm", ".h", ".plist", ".entitlements", ".pbxproj"), "ios"),
    ".dart": "flutter",
    ".cs": "dotnet",
    **dict.fromkeys((".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx"), "javascript"),
    ".py": "python",
}


@dataclass
class PlatformSummary:
    platform: str
    severities: Counter[str] = field(default_factory=Counter)
    suppressed: int = 0
    pinned_hosts: set[str] = field(default_factory=set)
    #: Distinct pins found by their shape in compiled binaries' strings (their hosts unknown).
    binary_pins: set[str] = field(default_factory=set)
    #: Pinning and networking libraries that compiled binaries link (``TrustKit``).
    linked: set[str] = field(default_factory=set)

    def line(self) -> str:
        active = sum(self.severities.values())
        if active:
            counts = self.severities
            breakdown = ", ".join(f"{counts[s]} {s}" for s in reversed(SEVERITIES) if counts[s])
            found = f"{active} problem{'s' if active != 1 else ''} ({breakdown})"
        else:
            found = "no problems"
        parts = [found]
        if self.suppressed:
            parts.append(f"{self.suppressed} suppressed")
        if self.pinned_hosts:
            hosts = sorted(self.pinned_hosts)
            shown = ", ".join(hosts[:5]) + (f" and {len(hosts) - 5} more" if len(hosts) > 5 else "")
            parts.append(f"pins {shown}")
        elif not self.binary_pins:
            parts.append("no pinning found")
        if self.binary_pins:
            count = len(self.binary_pins)
            parts.append(f"{count} pin{'s' if count != 1 else ''} found in compiled binaries (hosts unknown)")
        if self.linked:
            parts.append("binaries link " + ", ".join(sorted(self.linked)))
        return f"  {self.platform:<11} " + "; ".join(parts)


def _platform_guess(path: str) -> str:
    pure = PurePosixPath(path)
    if pure.suffix == ".xml":
        return "ios" if pure.name.endswith(".plist") else "android"
    return _PLATFORM_BY_SUFFIX.get(pure.suffix.lower(), "other")


def platform_of(finding: Finding, places: dict[tuple[str, int], str]) -> str:
    """The platform of the fact at the finding's place, else a guess from the file type."""
    return places.get((finding.span.path, finding.span.line)) or _platform_guess(finding.span.path)


def fact_places(result: ScanResult) -> dict[tuple[str, int], str]:
    """The platform of the facts at each (path, line) of the scan."""
    places: dict[tuple[str, int], str] = {}
    for fact in result.facts:
        span = getattr(fact, "span", None)
        owner = getattr(fact, "platform", None)
        if span is not None and isinstance(owner, str) and owner != "any":
            places.setdefault((span.path, span.line), owner)
    return places


def platform_summaries(result: ScanResult) -> list[PlatformSummary]:
    places = fact_places(result)
    summaries: dict[str, PlatformSummary] = {}
    for finding in result.findings:
        platform = platform_of(finding, places)
        summary = summaries.setdefault(platform, PlatformSummary(platform))
        if finding.suppression is None:
            summary.severities[finding.severity or "medium"] += 1
        else:
            summary.suppressed += 1
    context = result.facts.attributes.get("context_paths", set())
    for pin_set in result.facts.of(PinSet):
        if pin_set.span.path in context or not pin_set.enforced:
            continue
        summary = summaries.setdefault(pin_set.platform, PlatformSummary(pin_set.platform))
        if pin_set.found_in_binary:  # pins found in a binary's strings guard no known host
            summary.binary_pins.update(pin.value for pin in pin_set.pins)
        else:
            summary.pinned_hosts.update(pin_set.hosts or ("(every host)",))
    for library in result.facts.of(LinkedLibrary):
        if library.name in NOTABLE_LIBRARIES:
            summaries.setdefault(library.platform, PlatformSummary(library.platform)).linked.add(library.name)
    return [summaries[name] for name in sorted(summaries)]


def notice_line(note: Note) -> str:
    span = note.span
    where = f"{span.path}:{span.line}: " if span.path else ""
    return f"warning: {where}{note.text}"


def notice_lines(result: ScanResult) -> list[str]:
    """The notices, one ``warning:`` line each: written to standard error whatever the format."""
    return [notice_line(note) for note in result.notices]


def text_lines(result: ScanResult) -> list[str]:
    """Lines closing the text report: in the audit profile, the per-platform summary. (The notices go to
    standard error: ``notice_lines``.)"""
    lines: list[str] = []
    if result.profile == "audit":
        lines.append("Per-platform summary (audit profile):")
        summaries = platform_summaries(result)
        lines.extend(summary.line() for summary in summaries)
        if not summaries:
            lines.append("  nothing found for any platform")
    return lines
