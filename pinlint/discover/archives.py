"""Archives as folders: the members of ``.aar``, ``.jar``, ``.apk``, ``.ipa`` and ``.zip`` files (zipped
``.xcframework`` and ``.framework`` bundles included) are read in memory, one at a time, never extracted.

Each member becomes a virtual file named ``libs/vendor.aar!/classes.jar!/com/vendor/Net$TrustAll.class``: the
archive's path, then each member path inside it, joined by ``!/``. Archives inside archives are read the same
way, down to ``ArchiveLimits.max_depth`` levels (an AAR holding a ``classes.jar`` is depth 2).

Vendor archives are hostile input, and Python's ``zipfile`` trusts what an archive declares, so every limit is
enforced here while the bytes stream in:

- entries per archive, uncompressed bytes per member and per scan of one outer archive, and the compression
  ratio (a member that inflates past ``max_ratio`` times its compressed size is a bomb) are counted on the
  bytes actually inflated, not on the sizes the archive declares;
- entries whose data overlap another entry or the central directory (the "overlapping zip bomb", which
  Python before 3.12 does not detect) are found from the central directory's offsets and each local header;
- member names that are absolute or contain ``..`` are refused (a "zip slip" shape), as are encrypted
  members;
- a truncated or corrupt archive, a bad CRC, or an unknown compression method is reported and the scan goes on.

Every refusal is an ``ArchiveProblem`` (reported as CFG901 on the archive or member path); an Android App
Bundle (``.aab``, protobuf resources) is an ``ArchiveNotice``: not read yet, said so.
"""

from __future__ import annotations

import io
import itertools
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    import zipfile

#: Joins an archive's path and a member's path inside it in every display path.
MEMBER_SEPARATOR = "!/"

#: Endings of the files read as zip archives (lower-cased); any other file starting with a zip signature is not.
ARCHIVE_SUFFIXES = (".aar", ".jar", ".apk", ".ipa", ".zip", ".apks", ".xapk")
#: Archives recognised but not read yet.
UNREAD_SUFFIXES = {".aab": "an Android App Bundle (its resources are protobuf, which pinlint does not read yet)"}

_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """The bounds every archive is read within (members beyond them are reported, never read)."""

    #: Archives within archives: the outer archive is depth 1, an AAR's ``classes.jar`` depth 2.
    max_depth: int = 3
    #: Entries of one archive; more and the archive is not read.
    max_entries: int = 50_000
    #: Bytes inflated for one outer archive and everything inside it.
    max_total_bytes: int = 1024 * 1024 * 1024
    #: Bytes of one member that a parser reads (text members are further held to the policy's file size).
    max_member_bytes: int = 64 * 1024 * 1024
    #: Bytes of an archive inside an archive (held in memory while its members are read).
    max_nested_bytes: int = 256 * 1024 * 1024
    #: Inflated bytes per compressed byte above which a member is a bomb (checked past ``ratio_floor`` bytes).
    max_ratio: int = 200
    ratio_floor: int = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Member:
    """A member's bytes. ``display`` is its virtual path; ``name`` its path inside its own archive."""

    display: str
    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ArchiveProblem:
    """An archive or member that was refused or could not be read, and why (a CFG901 finding)."""

    display: str
    reason: str


@dataclass(frozen=True, slots=True)
class ArchiveNotice:
    """An archive recognised but not read, and why (a notice, not a finding)."""

    display: str
    text: str


DEFAULT_LIMITS = ArchiveLimits()


def is_archive(name: str) -> bool:
    """Whether a file of this name is read as a zip archive."""
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def unread_reason(name: str) -> str | None:
    """Why an archive of this name is recognised but not read, or None."""
    lowered = name.lower()
    for suffix, reason in UNREAD_SUFFIXES.items():
        if lowered.endswith(suffix):
            return reason
    return None


def member_chain(display: str) -> list[str]:
    """A display path split at each archive boundary: ``a.aar!/classes.jar!/B.class`` -> three parts."""
    return display.split(MEMBER_SEPARATOR)


def unsafe_member_name(name: str) -> str | None:
    """Why a member name is refused (absolute, a drive, ``..``, a NUL), or None when it is safe."""
    if "\x00" in name:
        return "member name contains a NUL byte"
    normal = name.replace("\\", "/")
    if normal.startswith("/") or _DRIVE.match(normal):
        return "member name is an absolute path (a zip-slip shape); not read"
    if ".." in normal.split("/"):
        return "member name climbs out of the archive with '..' (a zip-slip shape); not read"
    return None


@dataclass
class _Budget:
    """Bytes left to inflate for one outer archive."""

    left: int
    exhausted: bool = False


class _Refused(Exception):
    """A member (or the archive) must not be read further; the message says why."""

    def __init__(self, reason: str, whole_archive: bool = False) -> None:
        super().__init__(reason)
        self.whole_archive = whole_archive


def members(
    handle: BinaryIO,
    display: str,
    wants: Callable[[str], bool],
    limits: ArchiveLimits = DEFAULT_LIMITS,
    member_limit: Callable[[str], int] | None = None,
) -> Iterator[Member | ArchiveProblem]:
    """Each wanted member of the zip archive open in ``handle`` (seekable), and each refusal, in name order.

    ``wants(name)`` decides from a member's path inside its archive whether its bytes are read;
    ``member_limit(name)`` caps one member's bytes (default ``limits.max_member_bytes``). Nested archives are
    always entered (within ``limits.max_depth``). Never raises for bad archive content.
    """
    budget = _Budget(limits.max_total_bytes)
    yield from _members(handle, display, wants, limits, member_limit, budget, depth=1)


def _members(
    handle: BinaryIO,
    display: str,
    wants: Callable[[str], bool],
    limits: ArchiveLimits,
    member_limit: Callable[[str], int] | None,
    budget: _Budget,
    depth: int,
) -> Iterator[Member | ArchiveProblem]:
    import zipfile  # only a scan that meets an archive loads zipfile (and its compressors)

    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error,
            NotImplementedError, UnicodeDecodeError) as error:
        yield ArchiveProblem(display, f"not a readable zip archive (truncated or corrupt): {_reason(error)}")
        return
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            yield ArchiveProblem(display, f"archive has {len(infos)} entries, over the limit of "
                                          f"{limits.max_entries}; not read")
            return
        overlap = _overlap(handle, infos, archive.start_dir)
        if overlap is not None:
            yield ArchiveProblem(display, overlap)
            return
        for info in sorted(infos, key=lambda entry: entry.filename):
            if info.is_dir():
                continue
            name = info.filename
            shown = f"{display}{MEMBER_SEPARATOR}{_printable(name)}"
            unsafe = unsafe_member_name(name)
            if unsafe is not None:
                yield ArchiveProblem(shown, unsafe)
                continue
            nested = is_archive(name)
            if not nested and not wants(name):
                continue
            if info.flag_bits & 0x1:
                yield ArchiveProblem(shown, "member is encrypted; not read")
                continue
            if nested and depth >= limits.max_depth:
                yield ArchiveProblem(shown, f"archive nested deeper than {limits.max_depth} levels; not read")
                continue
            cap = limits.max_nested_bytes if nested else (
                member_limit(name) if member_limit is not None else limits.max_member_bytes)
            try:
                data = _read(archive, info, cap, limits, budget)
            except _Refused as refusal:
                yield ArchiveProblem(display if refusal.whole_archive else shown, str(refusal))
                if refusal.whole_archive:
                    return
                continue
            if nested:
                yield from _members(io.BytesIO(data), shown, wants, limits, member_limit, budget, depth + 1)
                if budget.exhausted:
                    return
            else:
                yield Member(shown, name, data)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, limits: ArchiveLimits,
          budget: _Budget) -> bytes:
    """A member's bytes, counted while they inflate; ``_Refused`` past any limit or on corrupt data."""
    if info.file_size > cap:
        raise _Refused(f"member declares {info.file_size} bytes, over the limit of {cap}; not read")
    import zipfile

    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                budget.left -= len(chunk)
                if budget.left < 0:
                    budget.exhausted = True
                    raise _Refused(f"archive inflates past {limits.max_total_bytes} bytes in all (a zip bomb "
                                   "shape); the rest is not read", whole_archive=True)
                if total > cap:
                    raise _Refused(f"member inflates past the limit of {cap} bytes; not read")
                if total > limits.ratio_floor and total > limits.max_ratio * max(info.compress_size, 1):
                    raise _Refused(f"member inflates more than {limits.max_ratio} times its compressed size "
                                   "(a zip bomb shape); not read")
                chunks.append(chunk)
    except _Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error, NotImplementedError,
            RuntimeError, UnicodeDecodeError) as error:
        raise _Refused(f"member cannot be read (truncated or corrupt): {_reason(error)}") from None
    if total != info.file_size:
        raise _Refused(f"member holds {total} bytes but declares {info.file_size}; not read")
    return b"".join(chunks)


def _overlap(handle: BinaryIO, infos: list[zipfile.ZipInfo], central_directory: int) -> str | None:
    """Why the entries' data overlap each other or the central directory, or None when they do not."""
    spans: list[tuple[int, int, str]] = []
    for info in infos:
        start = info.header_offset
        try:
            handle.seek(start)
            header = handle.read(_LOCAL_HEADER.size)
        except (OSError, ValueError):
            return f"entry {_printable(info.filename)!r} points outside the archive (truncated or corrupt); not read"
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            return (f"entry {_printable(info.filename)!r} has no local header where the central directory "
                    "says (truncated or corrupt); not read")
        fields = _LOCAL_HEADER.unpack(header)
        end = start + _LOCAL_HEADER.size + fields[9] + fields[10] + info.compress_size
        spans.append((start, end, info.filename))
    spans.sort()
    for (_start, end, name), (next_start, _next_end, next_name) in itertools.pairwise(spans):
        if next_start < end:
            return (f"entries {_printable(name)!r} and {_printable(next_name)!r} overlap (an overlapping-entry "
                    "zip bomb shape); not read")
    if spans and spans[-1][1] > central_directory:
        return (f"entry {_printable(spans[-1][2])!r} overlaps the central directory (truncated or corrupt); "
                "not read")
    return None


def _printable(name: str) -> str:
    if name.isprintable():
        return name
    return "".join(character if character.isprintable() else "\ufffd" for character in name)


def _reason(error: BaseException) -> str:
    return str(error) or type(error).__name__


def virtual_path(archive_path: Path, display: str) -> Path:
    """The path a member reports to parsers that derive folders from it (``/abs/libs/x.aar!/res/xml/n.xml``)."""
    chain = member_chain(display)
    return Path(str(archive_path) + MEMBER_SEPARATOR + MEMBER_SEPARATOR.join(chain[1:]))
