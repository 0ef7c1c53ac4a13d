"""Dalvik executables (``classes*.dex`` in APKs), read into the shared compiled-code form.

Format: "Dalvik Executable format" and "Dalvik bytecode" / "Dalvik instruction formats" on source.android.com:
the header, string/type/proto/method id tables, ``class_def_item`` and ``class_data_item`` (ULEB128),
``code_item`` with its ``try_item`` list, and ``debug_info_item`` (the line-number state machine). Instruction
lengths follow the instruction-format table; the switch and array payload pseudo-instructions are skipped by
their own sizes. Only what the analysis needs is kept (see ``pinlint.parsers.binary.code``).

Libraries measured: androguard reads DEX completely but installs 162 MB and took about 7 s on a 6 MB DEX here;
no small maintained pure-Python DEX reader exists. This one is a module over ``struct``, every offset and index
checked, checked against ``dexdump`` in the tests. Malformed input raises ``DexFormatError`` (CFG901).
"""

from __future__ import annotations

import bisect
import struct

from pinlint.parsers.binary.code import (
    BRANCH,
    HANDLER,
    INVOKE,
    NEW,
    RETURN,
    STRING,
    THROW,
    ClassInfo,
    Method,
    Op,
    dotted,
)

MAGIC = b"dex\n"
NO_INDEX = 0xFFFFFFFF
#: More classes or methods than the format allows in one file: refused.
MAX_ITEMS = 1 << 20


class DexFormatError(ValueError):
    """The bytes are not a well-formed DEX file; the message says where."""


def is_dex(head: bytes) -> bool:
    return head[:4] == MAGIC and head[7:8] == b"\x00" and head[4:7].isdigit()


class _Dex:
    def __init__(self, data: bytes) -> None:
        if len(data) < 0x70 or not is_dex(data):
            raise DexFormatError("not a DEX file (no dex\\n0NN header)")
        self.data = data
        (self.string_count, self.string_off, self.type_count, self.type_off, self.proto_count, self.proto_off,
         _field_count, _field_off, self.method_count, self.method_off, self.class_count,
         self.class_off) = struct.unpack_from("<12I", data, 0x38)
        for count, offset, size in ((self.string_count, self.string_off, 4), (self.type_count, self.type_off, 4),
                                    (self.proto_count, self.proto_off, 12), (self.method_count, self.method_off, 8),
                                    (self.class_count, self.class_off, 32)):
            if count > MAX_ITEMS or offset + count * size > len(data):
                raise DexFormatError(f"an id table ({count} items at {offset}) runs past the end of the file")
        self._strings: dict[int, str] = {}
        self._types: dict[int, str] = {}
        self._methods: dict[int, tuple[str, str, str]] = {}
        #: Byte patterns of the method ids whose calls the analysis reads (see ``_interesting_calls``).
        self.interesting: tuple[bytes, ...] = ()

    def u16(self, offset: int) -> int:
        self._check(offset, 2)
        value: int = struct.unpack_from("<H", self.data, offset)[0]
        return value

    def u32(self, offset: int) -> int:
        self._check(offset, 4)
        value: int = struct.unpack_from("<I", self.data, offset)[0]
        return value

    def _check(self, offset: int, size: int) -> None:
        if offset < 0 or offset + size > len(self.data):
            raise DexFormatError(f"read of {size} bytes at {offset} is outside the file")

    def uleb(self, offset: int) -> tuple[int, int]:
        value = 0
        for shift in range(5):
            self._check(offset, 1)
            byte = self.data[offset]
            offset += 1
            value |= (byte & 0x7F) << (7 * shift)
            if not byte & 0x80:
                return value, offset
        raise DexFormatError(f"ULEB128 longer than 5 bytes at {offset}")

    def sleb(self, offset: int) -> tuple[int, int]:
        value, end = self.uleb(offset)
        bits = 7 * (end - offset)
        return (value - (1 << bits) if value & (1 << (bits - 1)) else value), end

    def string(self, index: int) -> str:
        if index >= self.string_count:
            raise DexFormatError(f"string index {index} outside the table of {self.string_count}")
        cached = self._strings.get(index)
        if cached is None:
            offset = self.u32(self.string_off + 4 * index)
            _length, start = self.uleb(offset)
            end = self.data.find(b"\x00", start)
            if end < 0:
                raise DexFormatError(f"string {index} has no terminator")
            # MUTF-8: decoding with replacement is enough for names and literals
            cached = self.data[start:end].decode("utf-8", errors="replace")
            self._strings[index] = cached
        return cached

    def type_name(self, index: int) -> str:
        cached = self._types.get(index)
        if cached is None:
            if index >= self.type_count:
                raise DexFormatError(f"type index {index} outside the table of {self.type_count}")
            cached = self._types[index] = self.string(self.u32(self.type_off + 4 * index))
        return cached

    def method(self, index: int) -> tuple[str, str, str]:
        """(owner class, name, descriptor) of a method id."""
        cached = self._methods.get(index)
        if cached is None:
            if index >= self.method_count:
                raise DexFormatError(f"method index {index} outside the table of {self.method_count}")
            at = self.method_off + 8 * index
            class_index, proto_index = self.u16(at), self.u16(at + 2)
            cached = (dotted(self.type_name(class_index)), self.string(self.u32(at + 4)), self.descriptor(proto_index))
            self._methods[index] = cached
        return cached

    def descriptor(self, proto_index: int) -> str:
        if proto_index >= self.proto_count:
            raise DexFormatError(f"proto index {proto_index} outside the table of {self.proto_count}")
        at = self.proto_off + 12 * proto_index
        return_type = self.type_name(self.u32(at + 4))
        return "(" + "".join(self.type_list(self.u32(at + 8))) + ")" + return_type

    def type_list(self, offset: int) -> list[str]:
        if not offset:
            return []
        size = self.u32(offset)
        if size > 0xFFFF:
            raise DexFormatError(f"type list of {size} entries at {offset}")
        return [self.type_name(self.u16(offset + 4 + 2 * number)) for number in range(size)]


def read(data: bytes) -> list[tuple[ClassInfo, str]]:
    """Every class defined in ``data``, with its source file name; ``DexFormatError`` when malformed."""
    dex = _Dex(data)
    dex.interesting = _interesting_calls(dex)
    classes = []
    for number in range(dex.class_count):
        at = dex.class_off + 32 * number
        class_index, _access, super_index, interfaces_off, source_index, _annotations, data_off, _static = (
            struct.unpack_from("<8I", data, at))
        info = ClassInfo(dotted(dex.type_name(class_index)),
                         dotted(dex.type_name(super_index)) if super_index != NO_INDEX else "",
                         tuple(dotted(name) for name in dex.type_list(interfaces_off)))
        source = dex.string(source_index) if source_index != NO_INDEX else ""
        if data_off:
            _class_data(dex, data_off, info)
        classes.append((info, source))
    return classes


def _class_data(dex: _Dex, offset: int, info: ClassInfo) -> None:
    static_fields, offset = dex.uleb(offset)
    instance_fields, offset = dex.uleb(offset)
    direct, offset = dex.uleb(offset)
    virtual, offset = dex.uleb(offset)
    for _ in range(static_fields + instance_fields):
        _diff, offset = dex.uleb(offset)
        _access, offset = dex.uleb(offset)
    for count in (direct, virtual):
        index = 0
        for _ in range(count):
            diff, offset = dex.uleb(offset)
            access, offset = dex.uleb(offset)
            code_off, offset = dex.uleb(offset)
            index += diff
            _owner, name, descriptor = dex.method(index)
            method = Method(name, descriptor, abstract=not code_off or bool(access & 0x0500))
            if code_off:
                _code(dex, code_off, method)
            info.methods.append(method)


#: Methods whose whole code the analysis reads whatever they call.
_READ_BY_NAME = frozenset({"checkServerTrusted", "verify", "onReceivedSslError"})


def _interesting_calls(dex: _Dex) -> tuple[bytes, ...]:
    """The little-endian method ids of the calls the analysis acts on (SSLContext, CertificatePinner, the
    installers, WebView proceed): a method whose code holds none of them is not decoded (the speed of a
    large DEX depends on it; a false match only costs the decoding)."""
    from pinlint.parsers.binary.code import INSTALLERS, PINNER_BUILDER, SSL_CONTEXT

    names = {name for _owner, name in INSTALLERS} | {"getInstance", "add", "proceed"}
    patterns = []
    for index in range(min(dex.method_count, 0x10000)):
        at = dex.method_off + 8 * index
        if dex.string(dex.u32(at + 4)) not in names:
            continue
        owner, name, _descriptor = dex.method(index)
        if (name in ("getInstance", "init") and owner != SSL_CONTEXT) or (name == "add" and owner != PINNER_BUILDER):
            continue
        patterns.append(struct.pack("<H", index))
    return tuple(patterns)


def _code(dex: _Dex, offset: int, method: Method) -> None:
    tries = dex.u16(offset + 6)
    debug_off = dex.u32(offset + 8)
    units = dex.u32(offset + 12)
    start = offset + 16
    dex._check(start, 2 * units)
    if method.name not in _READ_BY_NAME and not method.name.startswith("lambda$"):
        code = dex.data[start:start + 2 * units]
        if not any(pattern in code for pattern in dex.interesting):
            return
    lines = _lines(dex, debug_off) if debug_off else []
    method.first_line = lines[0][1] if lines else 0
    method.ops = _instructions(dex, start, units, lines)
    if tries:
        method.ops.extend(Op(HANDLER, method.first_line) for _ in range(min(tries, 1)))


def _lines(dex: _Dex, offset: int) -> list[tuple[int, int]]:
    """(address, line) pairs of the debug-info state machine."""
    line, offset = dex.uleb(offset)
    parameters, offset = dex.uleb(offset)
    if parameters > 0xFFFF:
        raise DexFormatError(f"debug info names {parameters} parameters")
    for _ in range(parameters):
        _name, offset = dex.uleb(offset)
    address = 0
    found: list[tuple[int, int]] = []
    for _step in range(1 << 20):
        dex._check(offset, 1)
        opcode = dex.data[offset]
        offset += 1
        if opcode == 0x00:
            return found
        if opcode == 0x01:
            advance, offset = dex.uleb(offset)
            address += advance
        elif opcode == 0x02:
            change, offset = dex.sleb(offset)
            line += change
        elif opcode in (0x03, 0x04):
            for _ in range(3 if opcode == 0x03 else 4):
                _value, offset = dex.uleb(offset)
        elif opcode in (0x05, 0x06, 0x09):
            _value, offset = dex.uleb(offset)
        elif opcode >= 0x0A:
            adjusted = opcode - 0x0A
            line += -4 + adjusted % 15
            address += adjusted // 15
            found.append((address, line))
    raise DexFormatError("debug info never ends")


#: Instruction lengths in 16-bit units by opcode ("Dalvik bytecode"); absent opcodes are unused.
_UNITS: dict[int, int] = {
    0x00: 1, 0x01: 1, 0x02: 2, 0x03: 3, 0x04: 1, 0x05: 2, 0x06: 3, 0x07: 1, 0x08: 2, 0x09: 3,
    **dict.fromkeys(range(0x0A, 0x13), 1), 0x13: 2, 0x14: 3, 0x15: 2, 0x16: 2, 0x17: 3, 0x18: 5, 0x19: 2,
    0x1A: 2, 0x1B: 3, 0x1C: 2, 0x1D: 1, 0x1E: 1, 0x1F: 2, 0x20: 2, 0x21: 1, 0x22: 2, 0x23: 2, 0x24: 3, 0x25: 3,
    0x26: 3, 0x27: 1, 0x28: 1, 0x29: 2, 0x2A: 3, 0x2B: 3, 0x2C: 3, **dict.fromkeys(range(0x2D, 0x3E), 2),
    **dict.fromkeys(range(0x44, 0x6E), 2), **dict.fromkeys(range(0x6E, 0x73), 3),
    **dict.fromkeys(range(0x74, 0x79), 3), **dict.fromkeys(range(0x7B, 0x90), 1),
    **dict.fromkeys(range(0x90, 0xB0), 2), **dict.fromkeys(range(0xB0, 0xD0), 1),
    **dict.fromkeys(range(0xD0, 0xE3), 2), 0xFA: 4, 0xFB: 4, 0xFC: 3, 0xFD: 3, 0xFE: 2, 0xFF: 2,
}
_BRANCHES = frozenset({0x28, 0x29, 0x2A, 0x2B, 0x2C, *range(0x32, 0x3E)})
_INVOKES = frozenset({*range(0x6E, 0x73), *range(0x74, 0x79)})


def _line_at(lines: list[tuple[int, int]], address: int) -> int:
    """The line of the last table entry at or before ``address`` (``lines`` sorted by address)."""
    index = bisect.bisect_right(lines, (address, 1 << 62)) - 1
    return lines[index][1] if index >= 0 else (lines[0][1] if lines else 0)


def _instructions(dex: _Dex, start: int, units: int, lines: list[tuple[int, int]]) -> list[Op]:
    data = dex.data
    ops: list[Op] = []
    address = 0
    constants: dict[int, int] = {}
    while address < units:
        at = start + 2 * address
        unit = struct.unpack_from("<H", data, at)[0]
        opcode = unit & 0xFF
        size = _UNITS.get(opcode)
        if opcode == 0x00 and unit in (0x0100, 0x0200, 0x0300):
            size = _payload_units(dex, at, unit)
        if size is None:
            raise DexFormatError(f"unused opcode 0x{opcode:02x} at address {address}")
        if address + size > units:
            raise DexFormatError(f"instruction at address {address} runs past the end of the code")
        register = (unit >> 8) & 0xFF
        if opcode == 0x12:  # const/4 vA, #+B
            constants[register & 0x0F] = ((unit >> 12) ^ 8) - 8
        elif opcode == 0x13:  # const/16 vAA, #+BBBB
            constants[register] = struct.unpack_from("<h", data, at + 2)[0]
        elif opcode in (0x1A, 0x1B):
            index = dex.u16(at + 2) if opcode == 0x1A else dex.u32(at + 2)
            ops.append(Op(STRING, _line_at(lines, address), value=dex.string(index)))
        elif 0x0E <= opcode <= 0x11:
            ops.append(Op(RETURN, _line_at(lines, address), value=constants.get(register) if opcode == 0x0F else None))
        elif opcode == 0x27:
            ops.append(Op(THROW, _line_at(lines, address)))
        elif opcode in _INVOKES or opcode in (0xFA, 0xFB):
            owner, name, descriptor = dex.method(dex.u16(at + 2))
            ops.append(Op(INVOKE, _line_at(lines, address), owner=owner, name=name, descriptor=descriptor))
        elif opcode == 0x22:
            ops.append(Op(NEW, _line_at(lines, address), owner=dotted(dex.type_name(dex.u16(at + 2)))))
        if opcode in _BRANCHES:
            ops.append(Op(BRANCH, 0))
        if opcode not in (0x12, 0x13):
            constants.clear()  # only a constant pushed right before a return counts
        address += size
    return ops


def _payload_units(dex: _Dex, at: int, unit: int) -> int:
    if unit == 0x0100:  # packed-switch-payload
        return 4 + 2 * dex.u16(at + 2)
    if unit == 0x0200:  # sparse-switch-payload
        return 2 + 4 * dex.u16(at + 2)
    width, count = dex.u16(at + 2), dex.u32(at + 4)  # fill-array-data-payload
    return 4 + (width * count + 1) // 2
