"""``resources.arsc``, the resource table of an APK: resource ids (``0x7f020000``) to names
(``xml/network_security_config``) and, for file resources, to their path in the APK.

Format: ``ResourceTypes.h`` of Android's ``frameworks/base`` (``ResTable_header``, ``ResTable_package``,
``ResTable_typeSpec``, ``ResTable_type`` with dense or sparse entry offsets, ``ResTable_entry``, ``Res_value``).
Checked against ``aapt dump resources`` in the tests. Malformed input raises ``AxmlError`` (CFG901).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from pinlint.parsers.binary.axml import RES_STRING_POOL, TYPE_STRING, AxmlError, _chunk, string_pool

RES_TABLE = 0x0002
RES_TABLE_PACKAGE = 0x0200
RES_TABLE_TYPE = 0x0201
RES_TABLE_TYPE_SPEC = 0x0202
#: More entries than any real table has in one type: refused.
MAX_ENTRIES = 1_000_000


@dataclass
class ResourceTable:
    """Names (``type/name``) and, for file resources, paths of the table's resource ids."""

    names: dict[int, str] = field(default_factory=dict)
    files: dict[int, str] = field(default_factory=dict)

    def name(self, resource_id: int) -> str | None:
        return self.names.get(resource_id)


def read(data: bytes) -> ResourceTable:
    try:
        return _read(data)
    except struct.error as error:
        raise AxmlError(f"truncated resource table: {error}") from None


def _read(data: bytes) -> ResourceTable:
    chunk_type, header_size, size = _chunk(data, 0)
    if chunk_type != RES_TABLE:
        raise AxmlError("not a resource table (no RES_TABLE header)")
    table = ResourceTable()
    values: list[str] = []
    offset = header_size
    while offset < size:
        kind, _header, chunk_size = _chunk(data, offset)
        if kind == RES_STRING_POOL:
            values = string_pool(data, offset)
        elif kind == RES_TABLE_PACKAGE:
            _package(data, offset, values, table)
        offset += chunk_size
    return table


def _package(data: bytes, start: int, values: list[str], table: ResourceTable) -> None:
    _kind, header_size, size = _chunk(data, start)
    package_id = struct.unpack_from("<I", data, start + 8)[0]
    type_strings, _last_type, key_strings = struct.unpack_from("<III", data, start + 12 + 256)
    types = string_pool(data, start + type_strings) if type_strings else []
    keys = string_pool(data, start + key_strings) if key_strings else []
    offset = start + header_size
    end = start + size
    while offset < end:
        kind, chunk_header, chunk_size = _chunk(data, offset)
        if kind == RES_TABLE_TYPE:
            _type_chunk(data, offset, chunk_header, chunk_size, package_id, types, keys, values, table)
        offset += chunk_size


def _type_chunk(data: bytes, start: int, header_size: int, size: int, package_id: int, types: list[str],
                keys: list[str], values: list[str], table: ResourceTable) -> None:
    type_id, flags, _reserved, count, entries_start = struct.unpack_from("<BBHII", data, start + 8)
    if count > MAX_ENTRIES or header_size + 4 * count > size:
        raise AxmlError(f"resource type chunk at {start} claims {count} entries")
    type_name = types[type_id - 1] if 0 < type_id <= len(types) else f"type{type_id}"
    sparse = bool(flags & 0x01)
    for number in range(count):
        if sparse:
            index, half_offset = struct.unpack_from("<HH", data, start + header_size + 4 * number)
            relative = half_offset * 4
        else:
            index = number
            relative = struct.unpack_from("<I", data, start + header_size + 4 * number)[0]
            if relative == 0xFFFFFFFF:
                continue
        at = start + entries_start + relative
        if at + 8 > start + size:
            raise AxmlError(f"resource entry at {at} outside its type chunk")
        entry_size, entry_flags, key = struct.unpack_from("<HHI", data, at)
        resource_id = (package_id << 24) | (type_id << 16) | index
        if key < len(keys):
            table.names.setdefault(resource_id, f"{type_name}/{keys[key]}")
        if not entry_flags & 0x0001 and at + entry_size + 8 <= start + size:
            _value_size, _zero, data_type, value = struct.unpack_from("<HBBI", data, at + entry_size)
            if data_type == TYPE_STRING and value < len(values):
                table.files.setdefault(resource_id, values[value])
