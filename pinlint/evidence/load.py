"""Reading the report's inputs: result files of ``check``, ``inventory`` and ``live-check`` (JSON version 1).

A result file's kind is told by its keys: ``findings`` is a check result; ``hosts`` with a ``summary`` (or
hosts holding a ``chain``) is a live-check result; ``hosts`` alone is an inventory. Each file is read
whole (up to ``MAX_RESULT_BYTES``), hashed, parsed and handed on; the aggregator keeps only the records,
so a report over many files never holds their text at once.

A result file names its repository by its file name: the part before the first dot
(``acme-ios.check.json`` -> ``acme-ios``), so the check, inventory and live-check results of one
repository share a section. When that part is a generic word (``check.json``, ``pinlint.json``,
``results/acme-ios/inventory.json``), the enclosing folder's name is used instead.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pinlint.evidence.model import CHECK, INVENTORY, LIVE, InputRecord

#: A result file larger than this is refused: pinlint's own results of a real repository are far smaller.
MAX_RESULT_BYTES = 64 * 1024 * 1024

#: File-name stems that say what a file is, not whose it is: the folder names the repository instead.
GENERIC_STEMS = frozenset({
    "check", "inventory", "live-check", "live", "livecheck", "pinlint", "result", "results", "report",
    "findings", "scan", "output",
})


class InputError(Exception):
    """An input the report cannot use: one line naming the file and why."""


@dataclass(frozen=True)
class Loaded:
    """One input's parsed documents (a result file gives one; a folder gives its check and inventory)."""

    label: str
    record: InputRecord
    documents: tuple[tuple[str, dict[str, Any]], ...]


def label_for(path: Path) -> str:
    """The repository a result file belongs to, from its name (see the module documentation)."""
    stem = path.name.split(".", 1)[0]
    if stem.lower() in GENERIC_STEMS or not stem:
        parent = Path(os.path.abspath(path)).parent.name
        return parent or stem or path.name
    return stem


def kind_of(document: object) -> str:
    """``check``, ``inventory`` or ``live-check``, from the document's keys. Raises InputError."""
    if not isinstance(document, dict):
        raise InputError("not a pinlint result (a JSON object was expected)")
    version = document.get("version", 1)
    if version != 1:
        raise InputError(f"result version {version!r} is not supported (this pinlint reads version 1)")
    if "findings" in document:
        return CHECK
    hosts = document.get("hosts")
    if isinstance(hosts, list):
        if "summary" in document or any(isinstance(host, dict) and "chain" in host for host in hosts):
            return LIVE
        return INVENTORY
    raise InputError("not a pinlint result: no 'findings' (check) or 'hosts' (inventory, live-check) key")


def read_result(path: Path, label: str | None = None) -> Loaded:
    """Read, hash and parse one result file. Raises InputError with a one-line reason."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_RESULT_BYTES + 1)
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    if len(data) > MAX_RESULT_BYTES:
        raise InputError(f"{path}: over {MAX_RESULT_BYTES} bytes; not a pinlint result of one repository")
    record = digest_record(str(path), data, "")
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except (ValueError, RecursionError) as error:
        raise InputError(f"{path}: not valid JSON: {error}") from None
    del data
    try:
        kind = kind_of(document)
    except InputError as error:
        raise InputError(f"{path}: {error}") from None
    return Loaded(label or label_for(path), InputRecord(record.path, kind, record.sha256, record.size),
                  ((kind, document),))


def digest_record(path: str, data: bytes, kind: str, files_scanned: int | None = None) -> InputRecord:
    return InputRecord(path, kind, hashlib.sha256(data).hexdigest(), len(data), files_scanned)
