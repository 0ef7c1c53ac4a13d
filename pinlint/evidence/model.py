"""The evidence model: what ``pinlint report`` knows about each repository, whatever the input was.

A folder scanned by the report and the result files of ``check``, ``inventory`` and ``live-check`` all
become these records. They are small (no raw input text), so a report over a thousand repositories
holds only what it shows. Renderers read this model and nothing else.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from pinlint.model.findings import SEVERITIES
from pinlint.rules import Rule

#: Input kinds, as the report names them.
FOLDER, CHECK, INVENTORY, LIVE = "folder", "check", "inventory", "live-check"


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One input: a result file (with its SHA-256 and size) or a folder the report scanned."""

    path: str
    kind: str
    sha256: str = ""
    size: int = 0
    #: For a folder: the number of files the scan considered.
    files_scanned: int | None = None


@dataclass(frozen=True, slots=True)
class FindingRecord:
    rule: str
    slug: str
    severity: str
    confidence: str
    path: str
    line: int
    column: int
    message: str
    fingerprint: str
    platform: str
    #: ``inline``, ``config`` or ``baseline`` when the finding is accepted; empty when it counts.
    suppression_kind: str = ""
    suppression_reason: str = ""
    suppression_place: str = ""

    @property
    def suppressed(self) -> bool:
        return bool(self.suppression_kind)


@dataclass(frozen=True, slots=True)
class PinRecord:
    """One pin, or one bundled certificate, of an inventory entry."""

    value: str
    algorithm: str
    role: str
    subject: str
    not_after: date | None = None


@dataclass(frozen=True, slots=True)
class InventoryRecord:
    host: str
    platform: str
    mechanism: str
    file: str
    line: int
    kind: str
    include_subdomains: bool
    pins: tuple[PinRecord, ...]
    certificates: tuple[PinRecord, ...]
    expiration: date | None
    status: str
    backup: str
    variant: str


@dataclass(frozen=True, slots=True)
class ChainCertificate:
    subject: str
    issuer: str
    spki_sha256: str
    not_after: date | None


@dataclass(frozen=True, slots=True)
class LivePlatform:
    platform: str
    mechanism: str
    source: str
    accepted: bool | None
    reason: str


@dataclass(frozen=True, slots=True)
class LiveHost:
    """One host of a ``live-check`` result: the chain its server presented and each platform's verdict."""

    host: str
    address: str
    error: str
    chain: tuple[ChainCertificate, ...]
    chain_valid: bool | None
    name_matches: bool | None
    leaf_days_left: int | None
    backup_ready: bool | None
    drift: tuple[str, ...]
    platforms: tuple[LivePlatform, ...]


@dataclass(frozen=True, slots=True)
class Notice:
    path: str
    line: int | None
    message: str


@dataclass(frozen=True, slots=True)
class Expiry:
    """One date on the expiry timeline: a pin set's expiration, a bundled certificate's or a live leaf's."""

    day: date
    kind: str  # "pin set" | "certificate" | "live leaf"
    what: str
    where: str


@dataclass
class Repository:
    """One repository's section: everything its inputs said."""

    label: str
    inputs: list[InputRecord] = field(default_factory=list)
    findings: list[FindingRecord] = field(default_factory=list)
    inventory: list[InventoryRecord] = field(default_factory=list)
    live: list[LiveHost] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[Notice] = field(default_factory=list)
    files_scanned: int | None = None
    #: Findings only in test code, left out of the scan's report (None: the input did not say).
    left_out_in_tests: int | None = None
    #: Test code files the scan's precommit profile did not parse (None: the input did not say).
    test_files_not_analysed: int | None = None
    #: What the producing scan recorded about itself (empty when the input did not say).
    tool_version: str = ""
    today: str = ""
    profile: str = ""
    policy_file: str = ""
    excluded: tuple[str, ...] = ()

    def kinds(self) -> set[str]:
        return {item.kind for item in self.inputs}

    def active(self) -> list[FindingRecord]:
        return [finding for finding in self.findings if not finding.suppressed]

    def accepted(self) -> list[FindingRecord]:
        return [finding for finding in self.findings if finding.suppressed]

    def severity_counts(self) -> Counter[str]:
        return Counter(finding.severity for finding in self.active())

    def platform_counts(self) -> dict[str, Counter[str]]:
        """Active findings per platform and severity, with every platform the repository pins on."""
        counts: dict[str, Counter[str]] = {}
        for finding in self.active():
            counts.setdefault(finding.platform, Counter())[finding.severity] += 1
        for entry in self.inventory:
            counts.setdefault(entry.platform, Counter())
        return dict(sorted(counts.items()))

    def pinned_hosts(self) -> list[str]:
        return sorted({entry.host for entry in self.inventory}, key=str.lower)

    def expiries(self) -> list[Expiry]:
        """Every dated item of the repository, each once, in date order."""
        found: dict[tuple[str, str, date], set[str]] = {}
        for entry in self.inventory:
            where = f"{entry.file}:{entry.line}"
            if entry.expiration is not None:
                found.setdefault(("pin set", where, entry.expiration), set()).add(entry.host)
            for item in (*entry.pins, *entry.certificates):
                if item.not_after is not None:
                    name = item.subject or item.value
                    found.setdefault(("certificate", name, item.not_after), set()).add(entry.host)
        for host in self.live:
            if host.chain and host.chain[0].not_after is not None:
                found.setdefault(("live leaf", host.host, host.chain[0].not_after), set()).add(host.host)
        expiries = []
        for (kind, place, day), hosts in found.items():
            names = ", ".join(sorted(hosts, key=str.lower))
            if kind == "pin set":
                expiries.append(Expiry(day, kind, names, place))
            elif kind == "certificate":
                expiries.append(Expiry(day, kind, place, names))
            else:
                expiries.append(Expiry(day, kind, place, "presented by the server"))
        return sorted(expiries, key=lambda item: (item.day, item.kind, item.what))


def severity_order(severity: str) -> int:
    """Critical first."""
    return -SEVERITIES.index(severity) if severity in SEVERITIES else 1


@dataclass
class Evidence:
    """The whole report: its scope, the repositories in label order, and the rules their findings cite."""

    title: str
    today: date
    tool_version: str
    repositories: list[Repository]
    #: Documentation of every rule cited, from this pinlint's catalogue, by id.
    rules: dict[str, Rule]
    #: Inputs that could not be used, with the reason: shown at the top of the report.
    problems: list[str] = field(default_factory=list)
    #: The folders discovery never enters, for the method section.
    never_scanned: tuple[str, ...] = ()

    def severity_counts(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for repository in self.repositories:
            total.update(repository.severity_counts())
        return total

    def platform_counts(self) -> dict[str, Counter[str]]:
        total: dict[str, Counter[str]] = {}
        for repository in self.repositories:
            for platform, counts in repository.platform_counts().items():
                total.setdefault(platform, Counter()).update(counts)
        return dict(sorted(total.items()))
