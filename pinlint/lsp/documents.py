"""The files open in the editor: their unsaved text, and the project each one belongs to.

The scan reads an open file's buffer instead of the file on disk (the overlay), so a network security
config checked while its manifest is open in another tab sees the manifest as typed, not as saved.
Files that are not open are read from disk as usual.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pinlint.config.loader import discover
from pinlint.pipeline import overlay_key


@dataclass(frozen=True, slots=True)
class OpenDocument:
    """One editor buffer: where it lives, what it holds now and the editor's version of it."""

    uri: str
    path: Path
    text: str
    version: int | None = None


def normal_path(path: Path | str) -> Path:
    """The absolute, normalised form the scan uses for a path (links are not resolved, as in discovery)."""
    return Path(os.path.abspath(path))


class DocumentStore:
    """The open documents, by URI."""

    def __init__(self) -> None:
        self._by_uri: dict[str, OpenDocument] = {}

    def open(self, document: OpenDocument) -> None:
        self._by_uri[document.uri] = document

    def update(self, uri: str, text: str, version: int | None) -> OpenDocument | None:
        """Replace the text of an open document; None when the document is not open."""
        current = self._by_uri.get(uri)
        if current is None:
            return None
        updated = OpenDocument(current.uri, current.path, text, version)
        self._by_uri[uri] = updated
        return updated

    def close(self, uri: str) -> OpenDocument | None:
        return self._by_uri.pop(uri, None)

    def get(self, uri: str) -> OpenDocument | None:
        return self._by_uri.get(uri)

    def documents(self) -> list[OpenDocument]:
        return list(self._by_uri.values())

    def overlays(self) -> dict[str, bytes]:
        """Every open buffer's text as the bytes the scan reads in place of the file on disk."""
        return {
            overlay_key(document.path): document.text.encode("utf-8", "surrogatepass")
            for document in self._by_uri.values()
        }


def project_root(path: Path, workspace_folders: Iterable[Path] = ()) -> Path:
    """The folder a file's findings are reported relative to.

    The deepest workspace folder that holds the file; else the repository root above it (the folder with
    ``.git``, as policy discovery stops there); else the file's own folder.
    """
    holders = [folder for folder in workspace_folders if _inside(path, folder)]
    if holders:
        return max(holders, key=lambda folder: len(folder.parts))
    folders = discover(path.parent)
    top = folders[-1]
    return top if (top / ".git").exists() else path.parent


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True
