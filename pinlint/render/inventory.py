"""Inventory output: the pinned hosts of ``pinlint.certs.inventory`` as text, JSON, Markdown or CSV.

Pure functions of the inventory entries; names and paths come from the scanned tree, so Markdown cells
are escaped and CSV cells never start a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date

from pinlint.certs.inventory import InventoryEntry, LibraryEntry, PinEntry

#: What ``(unknown)`` after a pin means, said once under a text or Markdown inventory that has one.
UNKNOWN_ROLE_NOTE = (
    "(unknown): no certificate in the scanned tree has this key and it is not a public root's, so whether it "
    "pins a leaf, an intermediate or a root cannot be told; bundle the certificate (or check it with "
    "'pinlint pins CERT') to have it classified"
)


def role_notes(entries: list[InventoryEntry]) -> list[str]:
    """The explanations the entries need (``(unknown)`` roles), each once."""
    unknown = any(pin.role == "unknown" for entry in entries for pin in [*entry.pins, *entry.certificates])
    return [UNKNOWN_ROLE_NOTE] if unknown else []


def _pin_text(pin: PinEntry) -> str:
    detail = pin.role + (f", {pin.subject}" if pin.subject else "")
    return f"{pin.value} ({detail})"


def _library_lines(libraries: Sequence[LibraryEntry]) -> list[str]:
    if not libraries:
        return []
    return ["", "Libraries compiled binaries link:", *(
        f"  {item.name}: {item.what}; {item.file} links {item.path}"
        + ("" if item.how == "load" else f" ({item.how})") for item in libraries)]


def render_text(entries: list[InventoryEntry], libraries: Sequence[LibraryEntry] = ()) -> str:
    if not entries:
        return "\n".join(["No pinned hosts found.", *_library_lines(libraries)]) + "\n"
    lines: list[str] = []
    current = None
    for entry in entries:
        if entry.host != current:
            current = entry.host
            lines.append(("\n" if lines else "") + entry.host)
        scope = " and subdomains" if entry.include_subdomains else ""
        extra = [entry.status, f"backup: {entry.backup}"]
        if entry.expiration:
            extra.append(f"expires {entry.expiration}")
        if entry.variant:
            extra.append(f"{entry.variant} build only")
        where = f"{entry.file}:{entry.line}"
        head = f"  {entry.platform:<8} {entry.mechanism} ({entry.kind}{scope}) at {where}: "
        lines.append(head + ", ".join(extra))
        lines.extend(f"    pin {_pin_text(pin)}" for pin in entry.pins)
        lines.extend(f"    certificate {_pin_text(item)}" for item in entry.certificates)
    lines.extend(f"\n{note}" for note in role_notes(entries))
    lines.extend(_library_lines(libraries))
    return "\n".join(lines) + "\n"


INVENTORY_SCHEMA_VERSION = 1


def render_json(entries: list[InventoryEntry], today: date | None = None,
                libraries: Sequence[LibraryEntry] = ()) -> str:
    """``{"version": 1, "tool": {...}, "today": DATE, "hosts": [...], "libraries": [...]}``: keys may be added,
    never changed. ``libraries`` are the pinning and networking libraries compiled binaries link."""
    from pinlint import __version__

    document = {
        "version": INVENTORY_SCHEMA_VERSION,
        "tool": {"name": "pinlint", "version": __version__},
        "today": today.isoformat() if today else None,
        "hosts": [{**asdict(entry), "expired": entry.status.startswith("expired")} for entry in entries],
        "notes": role_notes(entries),
        "libraries": [asdict(item) for item in libraries],
    }
    return json.dumps(document, indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _library_markdown(libraries: Sequence[LibraryEntry]) -> list[str]:
    if not libraries:
        return []
    return ["", "## Libraries compiled binaries link", "", "| Library | What | Binary | Links | How |",
            "|---|---|---|---|---|", *(
                f"| {_cell(item.name)} | {_cell(item.what)} | `{_cell(item.file)}` | `{_cell(item.path)}` "
                f"| {item.how} |" for item in libraries)]


def render_markdown(entries: list[InventoryEntry], libraries: Sequence[LibraryEntry] = ()) -> str:
    lines = ["# Certificate pinning inventory", ""]
    if not entries:
        return "\n".join([*lines, "No pinned hosts found.", *_library_markdown(libraries), ""])
    lines += ["| Host | Platform | Mechanism | Location | Kind | Pins | Expiry | Status | Backup |",
              "|---|---|---|---|---|---|---|---|---|"]
    for entry in entries:
        pins = "<br>".join(_cell(_pin_text(pin)) for pin in [*entry.pins, *entry.certificates])
        host = entry.host + (" (and subdomains)" if entry.include_subdomains else "")
        lines.append(
            f"| {_cell(host)} | {entry.platform} | {_cell(entry.mechanism)} "
            f"| `{_cell(entry.file)}:{entry.line}` "
            f"| {entry.kind} | {pins} | {entry.expiration or '-'} | {entry.status}"
            f"{' (' + entry.variant + ' build only)' if entry.variant else ''} | {entry.backup} |"
        )
    lines.extend(f"\n{_cell(note)}" for note in role_notes(entries))
    lines.extend(_library_markdown(libraries))
    return "\n".join(lines) + "\n"


CSV_COLUMNS = (
    "host", "include_subdomains", "platform", "mechanism", "file", "line", "kind", "pin", "algorithm", "role",
    "subject", "expiration", "status", "backup", "variant",
)


def _safe(value: object) -> object:
    """Text a spreadsheet will not run as a formula (names and paths come from the scanned tree)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def render_csv(entries: list[InventoryEntry], libraries: Sequence[LibraryEntry] = ()) -> str:
    """One row per pin (CSV is one table: the linked libraries are in the other formats)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        for pin in [*entry.pins, *entry.certificates] or [PinEntry("", "")]:
            writer.writerow([_safe(value) for value in (
                entry.host, str(entry.include_subdomains).lower(), entry.platform, entry.mechanism,
                entry.file, entry.line, entry.kind, pin.value, pin.algorithm, pin.role, pin.subject,
                entry.expiration, entry.status, entry.backup, entry.variant,
            )])
    return buffer.getvalue()


#: The renderers of the formats other than JSON (which also takes the reference date: ``render_json``).
RENDERERS: dict[str, Callable[[list[InventoryEntry], Sequence[LibraryEntry]], str]] = {
    "text": render_text, "markdown": render_markdown, "csv": render_csv}
