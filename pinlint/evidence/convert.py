"""From result documents (JSON version 1) to evidence records.

Values of the wrong type are read as absent rather than trusted: a result file may have been edited or
produced by another version, and the report must still say what it can. Unknown keys are ignored, as
version 1 allows new keys.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pinlint.evidence.model import (
    CHECK,
    INVENTORY,
    LIVE,
    ChainCertificate,
    FindingRecord,
    InventoryRecord,
    LiveHost,
    LivePlatform,
    Notice,
    PinRecord,
    Repository,
)
from pinlint.model.findings import SEVERITIES


def _text(value: object, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _day(value: object) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _items(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item if isinstance(item, str) else _describe(item) for item in value)


def _describe(item: object) -> str:
    """A drift entry or other structured value in one line of text."""
    if isinstance(item, dict):
        return "; ".join(f"{key}: {value}" for key, value in item.items())
    return str(item)


def _severity(value: object) -> str:
    return value if isinstance(value, str) and value in SEVERITIES else "medium"


def _tool_version(document: dict[str, Any]) -> str:
    tool = document.get("tool")
    return _text(tool.get("version")) if isinstance(tool, dict) else ""


def add_check(repository: Repository, document: dict[str, Any]) -> None:
    """The findings, notices, errors and scope of a ``check --format json`` result."""
    for item in _items(document.get("findings")):
        suppression = item.get("suppression")
        kind = reason = place = ""
        if isinstance(suppression, dict) and item.get("suppressed") is not False:
            kind = _text(suppression.get("kind"), "suppressed") or "suppressed"
            reason = _text(suppression.get("justification"))
            if isinstance(suppression.get("path"), str) and suppression.get("path"):
                line = _int(suppression.get("line"))
                place = suppression["path"] + (f":{line}" if line else "")
        repository.findings.append(FindingRecord(
            rule=_text(item.get("rule"), "?"), slug=_text(item.get("slug")), severity=_severity(item.get("severity")),
            confidence=_text(item.get("confidence")), path=_text(item.get("path")), line=_int(item.get("line")) or 0,
            column=_int(item.get("column")) or 0, message=_text(item.get("message")),
            fingerprint=_text(item.get("fingerprint")), platform=_text(item.get("platform"), "other") or "other",
            suppression_kind=kind, suppression_reason=reason, suppression_place=place,
        ))
    for item in _items(document.get("notices")):
        repository.notices.append(Notice(_text(item.get("path")), _int(item.get("line")), _text(item.get("message"))))
    skipped = _items(document.get("skipped"))
    shown = {f"{_text(item.get('path'))}: {_text(item.get('reason'))}" for item in skipped}
    repository.skipped.extend(Notice(_text(item.get("path")), None, _text(item.get("reason"))) for item in skipped)
    repository.errors.extend(text for text in _texts(document.get("errors")) if text not in shown)
    summary = document.get("summary")
    if isinstance(summary, dict):
        repository.files_scanned = _int(summary.get("files_scanned"))
        repository.left_out_in_tests = _int(summary.get("left_out_in_tests"))
        repository.test_files_not_analysed = _int(summary.get("test_files_not_analysed"))
    scope = document.get("scope")
    if isinstance(scope, dict):
        repository.today = _text(scope.get("today")) or repository.today
        repository.profile = _text(scope.get("profile"))
        repository.policy_file = _text(scope.get("policy_file"))
        repository.excluded = _texts(scope.get("exclude"))
    repository.tool_version = repository.tool_version or _tool_version(document)


def _pins(value: object) -> tuple[PinRecord, ...]:
    return tuple(
        PinRecord(_text(item.get("value")), _text(item.get("algorithm")), _text(item.get("role"), "unknown"),
                  _text(item.get("subject")), _day(item.get("not_after")))
        for item in _items(value)
    )


def add_inventory(repository: Repository, document: dict[str, Any]) -> None:
    """The pinned hosts of an ``inventory --format json`` result."""
    for item in _items(document.get("hosts")):
        repository.inventory.append(InventoryRecord(
            host=_text(item.get("host"), "?"), platform=_text(item.get("platform"), "other"),
            mechanism=_text(item.get("mechanism")), file=_text(item.get("file")), line=_int(item.get("line")) or 0,
            kind=_text(item.get("kind")), include_subdomains=item.get("include_subdomains") is True,
            pins=_pins(item.get("pins")), certificates=_pins(item.get("certificates")),
            expiration=_day(item.get("expiration")), status=_text(item.get("status")),
            backup=_text(item.get("backup")), variant=_text(item.get("variant")),
        ))
    repository.today = repository.today or _text(document.get("today"))
    repository.tool_version = repository.tool_version or _tool_version(document)


def add_live(repository: Repository, document: dict[str, Any]) -> None:
    """The hosts of a ``live-check --format json`` result: presented chains and per-platform verdicts."""
    for item in _items(document.get("hosts")):
        chain = tuple(
            ChainCertificate(_text(cert.get("subject")), _text(cert.get("issuer")), _text(cert.get("spki_sha256")),
                             _day(cert.get("not_after")))
            for cert in _items(item.get("chain"))
        )
        platforms = tuple(
            LivePlatform(_text(entry.get("platform")), _text(entry.get("mechanism")), _text(entry.get("source")),
                         _bool(entry.get("accepted")), _text(entry.get("reason")))
            for entry in _items(item.get("platforms"))
        )
        error = item.get("error")
        repository.live.append(LiveHost(
            host=_text(item.get("host"), "?"), address=_text(item.get("address")),
            error=_text(error) if error is not None else "", chain=chain, chain_valid=_bool(item.get("chain_valid")),
            name_matches=_bool(item.get("name_matches")), leaf_days_left=_int(item.get("leaf_days_left")),
            backup_ready=_bool(item.get("backup_ready")), drift=_texts(item.get("drift")), platforms=platforms,
        ))
    repository.tool_version = repository.tool_version or _tool_version(document)


ADDERS = {CHECK: add_check, INVENTORY: add_inventory, LIVE: add_live}
