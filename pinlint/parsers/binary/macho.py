"""Mach-O binaries (iOS and macOS frameworks, dylibs, executables and objects), thin or fat, 32- or 64-bit, in
either byte order, and the static libraries (``ar`` archives of objects) that static frameworks ship.

Format: Apple's ``<mach-o/loader.h>`` (``mach_header(_64)``, load commands, ``segment_command(_64)`` and
``section(_64)``, ``dylib_command``, ``encryption_info_command(_64)``, ``linker_option_command``) and
``<mach-o/fat.h>`` (``fat_header``, ``fat_arch``, ``fat_arch_64``; always big-endian), as published in
Apple's cctools and xnu sources; ``ar(5)`` for static libraries (BSD ``#1/N`` long names, System V ``//``
names). Only what pinlint needs is read: the libraries a binary links, whether a slice is encrypted, and the
text of its string sections.

Libraries measured: macholib (MIT, 0.6 MB with altgraph) reads the load commands of a 3.3 MB three-slice
framework in about 9 ms of CPU here, but it reads from a file path (an archive member needs its internals),
raises ``OSError``, ``ValueError`` and ``struct.error`` on malformed input (2,000 mutated binaries), and gives
neither section contents nor static-library members, which are most of what is needed here. lief (a compiled
wheel of tens of MB) was not a fit for a linter's size bar. This reader is one module over ``struct``: every
count, size and offset is checked against the bytes before use, every loop advances, fat files do not nest
and static libraries hold only objects, so malformed input raises ``MachOFormatError`` (reported as CFG901),
never reads out of bounds and never loops. It is checked against ``llvm-otool`` in the tests.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

MH_MAGIC = 0xFEEDFACE
MH_MAGIC_64 = 0xFEEDFACF
FAT_MAGIC = 0xCAFEBABE
FAT_MAGIC_64 = 0xCAFEBABF
AR_MAGIC = b"!<arch>\n"
#: A fat header with this many slices or more is a Java class file (whose version sits there), as file(1)
#: tells them apart: real universal binaries have a handful of slices, class files a major version of 45+.
FAT_ARCH_LIMIT = 20

#: Load commands and sections beyond any real binary's: refused rather than read.
MAX_COMMANDS = 65536
MAX_SECTIONS = 65536
MAX_MEMBERS = 100_000

LC_SEGMENT = 0x1
LC_SEGMENT_64 = 0x19
LC_LOAD_DYLIB = 0xC
LC_LOAD_WEAK_DYLIB = 0x80000018
LC_REEXPORT_DYLIB = 0x8000001F
LC_LAZY_LOAD_DYLIB = 0x20
LC_LOAD_UPWARD_DYLIB = 0x80000023
LC_ENCRYPTION_INFO = 0x21
LC_ENCRYPTION_INFO_64 = 0x2C
LC_LINKER_OPTION = 0x2D

#: How each library-linking command links (``load``, ``weak``...); a ``linker-option`` is an object's
#: autolink request (``-framework TrustKit``), kept in static libraries.
DYLIB_COMMANDS = {
    LC_LOAD_DYLIB: "load", LC_LOAD_WEAK_DYLIB: "weak", LC_REEXPORT_DYLIB: "reexport",
    LC_LAZY_LOAD_DYLIB: "lazy", LC_LOAD_UPWARD_DYLIB: "upward",
}
FILE_TYPES = {1: "object", 2: "executable", 6: "dylib", 7: "dylinker", 8: "bundle", 10: "dsym", 11: "kext-bundle"}
CPU_TYPES = {7: "i386", 0x1000007: "x86_64", 12: "arm", 0x100000C: "arm64", 0x200000C: "arm64_32",
             18: "ppc", 0x1000012: "ppc64"}

#: Section types (the low byte of ``flags``) without file data, and the one of C string literals.
_ZERO_FILL = frozenset({0x1, 0xC, 0x12})
S_CSTRING_LITERALS = 0x2
#: Sections read whole for pin-shaped text besides C string sections: constant data, where compilers also put
#: string bytes (Swift, C arrays of ``char``), and UTF-16 literals.
_CONSTANT_SECTIONS = frozenset({"__const", "__data", "__ustring"})
#: Segments whose C string sections hold names of the runtime, not program text.
_RUNTIME_SECTIONS = ("__objc_", "__swift5_")


class MachOFormatError(ValueError):
    """The bytes are not a well-formed Mach-O binary or static library; the message says where."""


@dataclass(frozen=True, slots=True)
class Dylib:
    """One library a slice links: ``path`` as written (``@rpath/TrustKit.framework/TrustKit``), ``how`` it links
    (``load``, ``weak``, ``reexport``, ``lazy``, ``upward``, or ``linker-option`` for an object's autolink)."""

    path: str
    how: str


@dataclass(frozen=True, slots=True)
class Strings:
    """The text of one string section: ``texts`` are its NUL-separated strings in order (C string sections),
    or the whole section decoded for a search (constant data)."""

    section: str
    texts: tuple[str, ...]
    separated: bool
    #: Where the section's bytes lie in its image.
    offset: int = 0
    size: int = 0


@dataclass
class Slice:
    """One architecture of a binary (or one object of a static library, ``member`` naming it)."""

    cpu: str
    file_type: str
    member: str = ""
    libraries: list[Dylib] = field(default_factory=list)
    #: ``cryptid`` of an ``LC_ENCRYPTION_INFO(_64)``: non-zero means App Store encryption (unreadable code).
    crypt_id: int = 0
    encryption_command: str = ""
    strings: list[Strings] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.cpu} slice" + (f", member {self.member}" if self.member else "")


@dataclass
class Binary:
    """What a Mach-O file holds: ``kind`` is ``thin``, ``fat`` or ``static-library``."""

    kind: str
    slices: list[Slice] = field(default_factory=list)


def kind_of(head: bytes) -> str | None:
    """``thin``, ``fat`` or ``static-library`` when ``head`` starts a Mach-O binary or an ``ar`` archive, else
    None. ``0xcafebabe`` also starts Java class files: it is fat only with 1 to 19 slices."""
    if len(head) < 8:
        return None
    if head.startswith(AR_MAGIC):
        return "static-library"
    little = struct.unpack_from("<I", head)[0]
    if little in (MH_MAGIC, MH_MAGIC_64) or struct.unpack_from(">I", head)[0] in (MH_MAGIC, MH_MAGIC_64):
        return "thin"
    magic, count = struct.unpack_from(">II", head)
    if magic in (FAT_MAGIC, FAT_MAGIC_64) and 0 < count < FAT_ARCH_LIMIT:
        return "fat"
    return None


def is_macho(head: bytes) -> bool:
    """Whether ``head`` starts a thin or fat Mach-O binary (not a static library, which may hold other objects)."""
    return kind_of(head) in ("thin", "fat")


def read(data: bytes) -> Binary:
    """Every slice of a thin or fat binary, or every Mach-O object of a static library (other members, such as
    the symbol table or ELF objects, are passed over). Raises ``MachOFormatError``."""
    kind = kind_of(data[:8])
    if kind is None:
        raise MachOFormatError("not a Mach-O binary (unknown magic number)")
    binary = Binary(kind)
    if kind == "thin":
        binary.slices.append(_thin(data, 0, len(data), ""))
    elif kind == "fat":
        for start, size, cpu in _fat_arches(data):
            if data[start:start + len(AR_MAGIC)] == AR_MAGIC:
                binary.slices.extend(_static_library(data, start, start + size, cpu))
            else:
                binary.slices.append(_thin(data, start, start + size, ""))
    else:
        binary.slices.extend(_static_library(data, 0, len(data), ""))
    return binary


def _fat_arches(data: bytes) -> list[tuple[int, int, str]]:
    magic, count = struct.unpack_from(">II", data)
    wide = magic == FAT_MAGIC_64
    entry = struct.Struct(">iiQQII" if wide else ">iiIII")
    if 8 + count * entry.size > len(data):
        raise MachOFormatError(f"fat header lists {count} slices but the file ends inside the list")
    arches: list[tuple[int, int, str]] = []
    for index in range(count):
        cpu_type, _subtype, offset, size, *_rest = entry.unpack_from(data, 8 + index * entry.size)
        if offset < 8 + count * entry.size or size <= 0 or offset + size > len(data):
            raise MachOFormatError(f"fat slice {index} ({_cpu(cpu_type)}) at offset {offset}, {size} bytes, lies "
                                   f"outside the {len(data)}-byte file")
        arches.append((offset, size, _cpu(cpu_type)))
    return arches


def _cpu(cpu_type: int) -> str:
    return CPU_TYPES.get(cpu_type & 0xFFFFFFFF, f"cpu {cpu_type & 0xFFFFFFFF:#x}")


def _cstring(data: bytes, start: int, end: int) -> str:
    stop = data.find(b"\x00", start, end)
    return data[start:end if stop < 0 else stop].decode("utf-8", errors="replace")


def _thin(data: bytes, start: int, end: int, member: str) -> Slice:
    """One thin Mach-O image in ``data[start:end]`` (offsets inside it are relative to ``start``)."""
    if end - start < 28:
        raise MachOFormatError(f"Mach-O header truncated at byte {start}")
    magic_le = struct.unpack_from("<I", data, start)[0]
    order = "<" if magic_le in (MH_MAGIC, MH_MAGIC_64) else ">"
    magic, cpu_type, _subtype, file_type, commands, commands_size, _flags = struct.unpack_from(
        order + "IiiIIII", data, start)
    if magic not in (MH_MAGIC, MH_MAGIC_64):
        raise MachOFormatError(f"no Mach-O header at byte {start} (inside a fat or static-library container)")
    wide = magic == MH_MAGIC_64
    header_size = 32 if wide else 28
    image = Slice(_cpu(cpu_type), FILE_TYPES.get(file_type, f"type {file_type}"), member)
    where = image.where
    if commands > MAX_COMMANDS:
        raise MachOFormatError(f"{where}: {commands} load commands, over the limit of {MAX_COMMANDS}")
    offset = start + header_size
    limit = offset + commands_size
    if limit > end:
        raise MachOFormatError(f"{where}: load commands ({commands_size} bytes) run past the end of the image")
    sections = 0
    encrypted = (0, 0)
    for index in range(commands):
        if offset + 8 > limit:
            raise MachOFormatError(f"{where}: load command {index} of {commands} lies outside the commands area")
        command, size = struct.unpack_from(order + "II", data, offset)
        if size < 8 or offset + size > limit:
            raise MachOFormatError(f"{where}: load command {index} ({command:#x}) has size {size}, outside the "
                                   "commands area")
        body = (offset, offset + size)
        if command in DYLIB_COMMANDS:
            image.libraries.append(Dylib(_dylib_name(data, order, body, where), DYLIB_COMMANDS[command]))
        elif command in (LC_ENCRYPTION_INFO, LC_ENCRYPTION_INFO_64):
            if size < 20:
                raise MachOFormatError(f"{where}: encryption info command of {size} bytes is truncated")
            crypt_offset, crypt_size, crypt_id = struct.unpack_from(order + "III", data, offset + 8)
            if crypt_id:
                image.crypt_id = crypt_id
                encrypted = (crypt_offset, crypt_offset + crypt_size)
                image.encryption_command = ("LC_ENCRYPTION_INFO_64" if command == LC_ENCRYPTION_INFO_64
                                            else "LC_ENCRYPTION_INFO")
        elif command == LC_LINKER_OPTION:
            image.libraries.extend(_linker_options(data, order, body, where))
        elif command in (LC_SEGMENT, LC_SEGMENT_64):
            for section in _sections(data, order, body, command == LC_SEGMENT_64, where):
                sections += 1
                if sections > MAX_SECTIONS:
                    raise MachOFormatError(f"{where}: more than {MAX_SECTIONS} sections")
                strings = _section_strings(data, start, end, section, where)
                if strings is not None:
                    image.strings.append(strings)
        offset += size
    if image.crypt_id:  # encrypted bytes (the text segment) are not the program's strings; the rest still are
        image.strings = [strings for strings in image.strings
                         if strings.offset + strings.size <= encrypted[0] or strings.offset >= encrypted[1]]
    return image


def _dylib_name(data: bytes, order: str, body: tuple[int, int], where: str) -> str:
    start, end = body
    if end - start < 24:
        raise MachOFormatError(f"{where}: dylib command of {end - start} bytes is truncated")
    name_offset = struct.unpack_from(order + "I", data, start + 8)[0]
    if not 24 <= name_offset < end - start:
        raise MachOFormatError(f"{where}: dylib name offset {name_offset} lies outside its command")
    return _cstring(data, start + name_offset, end)


def _linker_options(data: bytes, order: str, body: tuple[int, int], where: str) -> Iterator[Dylib]:
    start, end = body
    if end - start < 12:
        raise MachOFormatError(f"{where}: linker option command of {end - start} bytes is truncated")
    count = struct.unpack_from(order + "I", data, start + 8)[0]
    options = data[start + 12:end].split(b"\x00")
    if count > len(options):
        raise MachOFormatError(f"{where}: linker option command lists {count} strings but holds fewer")
    words = [option.decode("utf-8", errors="replace") for option in options[:count]]
    for index, word in enumerate(words):
        if word == "-framework" and index + 1 < len(words):
            yield Dylib(f"{words[index + 1]}.framework", "linker-option")
        elif word.startswith("-l") and len(word) > 2:
            yield Dylib(f"lib{word[2:]}", "linker-option")


@dataclass(frozen=True, slots=True)
class _Section:
    segment: str
    name: str
    offset: int
    size: int
    flags: int


def _sections(data: bytes, order: str, body: tuple[int, int], wide: bool, where: str) -> Iterator[_Section]:
    start, end = body
    head_size, entry = (72, struct.Struct(order + "16s16sQQIIIIIIII")) if wide else (
        56, struct.Struct(order + "16s16sIIIIIIIII"))
    if end - start < head_size:
        raise MachOFormatError(f"{where}: segment command of {end - start} bytes is truncated")
    count = struct.unpack_from(order + "I", data, start + head_size - 8)[0]
    if head_size + count * entry.size > end - start:
        raise MachOFormatError(f"{where}: segment lists {count} sections, more than its command holds")
    for index in range(count):
        fields = entry.unpack_from(data, start + head_size + index * entry.size)
        name, segment, _address, size, offset, _align, _reloff, _nreloc, flags = fields[:9]
        yield _Section(_name(segment), _name(name), offset, size, flags)


def _name(raw: bytes) -> str:
    return raw.split(b"\x00", 1)[0].decode("ascii", errors="replace")


def _section_strings(data: bytes, start: int, end: int, section: _Section, where: str) -> Strings | None:
    kind = section.flags & 0xFF
    if kind in _ZERO_FILL or section.size == 0:
        return None
    cstrings = kind == S_CSTRING_LITERALS and not section.name.startswith(_RUNTIME_SECTIONS)
    if not cstrings and section.name not in _CONSTANT_SECTIONS:
        return None
    first = start + section.offset
    if section.offset < 0 or first + section.size > end:
        raise MachOFormatError(f"{where}: section {section.segment},{section.name} ({section.size} bytes at "
                               f"offset {section.offset}) lies outside the image")
    raw = data[first:first + section.size]
    label = f"{section.segment},{section.name}"
    place = {"offset": section.offset, "size": section.size}
    if section.name == "__ustring":
        return Strings(label, (raw.decode("utf-16-le", errors="replace"),), False, **place)
    if cstrings:
        texts = tuple(text.decode("utf-8", errors="replace") for text in raw.split(b"\x00") if text)
        return Strings(label, texts, True, **place)
    return Strings(label, (raw.decode("latin-1"),), False, **place)


_AR_HEADER = struct.Struct("16s12s6s6s8s10s2s")
_AR_DIGITS = re.compile(rb"\s*(\d+)\s*")


def _static_library(data: bytes, start: int, end: int, cpu: str) -> Iterator[Slice]:
    """The Mach-O objects of an ``ar`` archive in ``data[start:end]``."""
    offset = start + len(AR_MAGIC)
    long_names = b""
    where = f"{cpu} static library" if cpu else "static library"
    for index in range(MAX_MEMBERS + 1):
        if offset >= end:
            return
        if index == MAX_MEMBERS:
            raise MachOFormatError(f"{where}: more than {MAX_MEMBERS} members")
        if offset + _AR_HEADER.size > end:
            raise MachOFormatError(f"{where}: member header truncated at byte {offset - start}")
        raw_name, _date, _uid, _gid, _mode, raw_size, terminator = _AR_HEADER.unpack_from(data, offset)
        size_match = _AR_DIGITS.fullmatch(raw_size)
        if terminator != b"`\n" or size_match is None:
            raise MachOFormatError(f"{where}: malformed member header at byte {offset - start}")
        size = int(size_match.group(1))
        body = offset + _AR_HEADER.size
        if body + size > end:
            raise MachOFormatError(f"{where}: member at byte {offset - start} declares {size} bytes, past the end")
        name = raw_name.decode("utf-8", errors="replace").strip()
        content = body
        if name.startswith("#1/"):  # BSD: the name follows the header, counted in the size
            digits = _AR_DIGITS.fullmatch(raw_name[3:])
            length = int(digits.group(1)) if digits else -1
            if not 0 <= length <= size:
                raise MachOFormatError(f"{where}: member at byte {offset - start} has a malformed long name")
            name = _cstring(data, body, body + length)
            content = body + length
        elif name == "//":  # System V table of long names
            long_names = data[body:body + size]
        elif name.startswith("/") and name[1:].isdigit():
            at = int(name[1:])
            if at < len(long_names):
                name = long_names[at:].split(b"/\n", 1)[0].decode("utf-8", errors="replace")
        member_end = body + size
        if kind_of(data[content:content + 8]) == "thin":
            yield _thin(data, content, member_end, name.rstrip("/"))
        offset = member_end + (size & 1)  # members start on even offsets
