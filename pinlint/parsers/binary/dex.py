"""Dalvik executables (``classes*.dex`` in APKs), read into the shared compiled-code form.

Format: "Dalvik Executable format" and "Dalvik bytecode" / "Dalvik instruction formats" on source.android.com:
the header, string/type/proto/method id tables, ``class_def_item`` and ``class_data_item`` (ULEB128),
``code_item`` with its ``try_item`` list, and ``debug_info_item`` (the line-number state machine). Instruction
lengths follow the instruction-format table; the switch and array payload pseudo-instructions are skipped by
their own sizes. Only what the analysis needs is kept (see ``pinlint.parsers.binary.code``).

A DEX of a real app holds tens of thousands of methods, almost none of which touch TLS, so the reader decides
from the string table which methods to decode before it reads any code (``_Plan``): the methods whose names
the analysis judges (``checkServerTrusted``, ``verify``, ``onReceivedSslError``, desugared ``lambda$`` bodies)
and the methods whose code refers to a call the analysis acts on (``SSLContext``, ``CertificatePinner``, the
installers, ``proceed``) or loads a cleartext URL string. A DEX whose strings name none of them is read for its
class names only. Line numbers are read from the debug info only for the methods that produce a finding.

Libraries measured: androguard reads DEX completely but installs 162 MB and took about 7 s on a 6 MB DEX here;
no small maintained pure-Python DEX reader exists. This one is a module over ``struct`` and ``array``, every
offset and index checked, checked against ``dexdump`` in the tests. Malformed input raises ``DexFormatError``
(CFG901).
"""

from __future__ import annotations

import bisect
import re
import struct
import sys
from array import array
from functools import partial

from pinlint.parsers.binary.code import (
    BRANCH,
    HANDLER,
    INSTALLERS,
    INVOKE,
    NEW,
    PINNER_BUILDER,
    RETURN,
    SSL_CONTEXT,
    STRING,
    THROW,
    ClassInfo,
    LineTable,
    Method,
    Op,
    dotted,
    is_cleartext_url,
)

MAGIC = b"dex\n"
NO_INDEX = 0xFFFFFFFF
#: More classes or methods than the format allows in one file: refused.
MAX_ITEMS = 1 << 20
_SWAP = sys.byteorder != "little"


class DexFormatError(ValueError):
    """The bytes are not a well-formed DEX file; the message says where."""


def is_dex(head: bytes) -> bool:
    return head[:4] == MAGIC and head[7:8] == b"\x00" and head[4:7].isdigit()


def _words(data: bytes, offset: int, count: int, code: str = "I") -> array[int]:
    """``count`` little-endian unsigned integers at ``offset`` (the caller has checked the bounds)."""
    values = array(code)
    values.frombytes(data[offset:offset + count * values.itemsize])
    if _SWAP:
        values.byteswap()
    return values


def _uleb(data: bytes, offset: int) -> tuple[int, int]:
    """An unsigned LEB128 value and the offset after it (``IndexError`` past the end of ``data``)."""
    byte = data[offset]
    if byte < 0x80:
        return byte, offset + 1
    value = byte & 0x7F
    for shift in (7, 14, 21, 28):
        offset += 1
        byte = data[offset]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, offset + 1
    raise DexFormatError(f"ULEB128 longer than 5 bytes at {offset}")


def _sleb(data: bytes, offset: int) -> tuple[int, int]:
    value, end = _uleb(data, offset)
    bits = 7 * (end - offset)
    return (value - (1 << bits) if value & (1 << (bits - 1)) else value), end


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
        self.string_offsets = _words(data, self.string_off, self.string_count)
        self.type_strings = _words(data, self.type_off, self.type_count)
        #: Per method id: (class index | proto index << 16, name index).
        self.method_words = _words(data, self.method_off, 2 * self.method_count)
        self._strings: dict[int, str] = {}
        self._types: dict[int, str] = {}
        self._descriptors: dict[int, str] = {}
        self._type_lists: dict[int, tuple[str, ...]] = {}
        self._interfaces: dict[int, tuple[str, ...]] = {}
        self._dotted: dict[int, str] = {}
        self.methods: dict[int, tuple[str, str, str]] = {}

    def string(self, index: int) -> str:
        cached = self._strings.get(index)
        if cached is None:
            if index >= self.string_count:
                raise DexFormatError(f"string index {index} outside the table of {self.string_count}")
            data = self.data
            start = self.string_offsets[index]
            for _ in range(5):  # the UTF-16 length (ULEB128), not needed: the data ends at a NUL
                if start >= len(data):
                    raise DexFormatError(f"string {index} starts outside the file")
                start += 1
                if data[start - 1] < 0x80:
                    break
            end = data.find(b"\x00", start)
            if end < 0:
                raise DexFormatError(f"string {index} has no terminator")
            # MUTF-8: decoding with replacement is enough for names and literals
            cached = self._strings[index] = data[start:end].decode("utf-8", errors="replace")
        return cached

    def class_name(self, index: int) -> str:
        """The dotted name of a type id (``com.vendor.Net$TrustAll``)."""
        cached = self._dotted.get(index)
        if cached is None:
            cached = self._dotted[index] = dotted(self.type_name(index))
        return cached

    def type_name(self, index: int) -> str:
        cached = self._types.get(index)
        if cached is None:
            if index >= self.type_count:
                raise DexFormatError(f"type index {index} outside the table of {self.type_count}")
            cached = self._types[index] = self.string(self.type_strings[index])
        return cached

    def method(self, index: int) -> tuple[str, str, str]:
        """(owner class, name, descriptor) of a method id."""
        cached = self.methods.get(index)
        if cached is None:
            if index >= self.method_count:
                raise DexFormatError(f"method index {index} outside the table of {self.method_count}")
            first, name = self.method_words[2 * index], self.method_words[2 * index + 1]
            cached = (self.class_name(first & 0xFFFF), self.string(name), self.descriptor(first >> 16))
            self.methods[index] = cached
        return cached

    def descriptor(self, proto_index: int) -> str:
        cached = self._descriptors.get(proto_index)
        if cached is None:
            if proto_index >= self.proto_count:
                raise DexFormatError(f"proto index {proto_index} outside the table of {self.proto_count}")
            _shorty, return_index, parameters = struct.unpack_from("<3I", self.data,
                                                                   self.proto_off + 12 * proto_index)
            cached = "(" + "".join(self.type_list(parameters)) + ")" + self.type_name(return_index)
            self._descriptors[proto_index] = cached
        return cached

    def interfaces(self, offset: int) -> tuple[str, ...]:
        """The dotted names of a type list (a class's interfaces), shared by every class that lists them."""
        cached = self._interfaces.get(offset)
        if cached is None:
            cached = self._interfaces[offset] = tuple(dotted(name) for name in self.type_list(offset))
        return cached

    def type_list(self, offset: int) -> tuple[str, ...]:
        if not offset:
            return ()
        cached = self._type_lists.get(offset)
        if cached is None:
            if offset + 4 > len(self.data):
                raise DexFormatError(f"type list at {offset} is outside the file")
            size: int = struct.unpack_from("<I", self.data, offset)[0]
            if size > 0xFFFF or offset + 4 + 2 * size > len(self.data):
                raise DexFormatError(f"type list of {size} entries at {offset}")
            cached = tuple(self.type_name(index) for index in _words(self.data, offset + 4, size, "H"))
            self._type_lists[offset] = cached
        return cached


def read(data: bytes, everything: bool = False) -> list[tuple[ClassInfo, str]]:
    """Every class defined in ``data``, with its source file name; ``DexFormatError`` when malformed.

    A class's ``methods`` are the methods the analysis reads, decoded (``_Plan``); with ``everything``, every
    method, each decoded (for checking the reader against an independent one)."""
    try:
        dex = _Dex(data)
        plan = None if everything else _Plan(dex)
        definitions = _words(data, dex.class_off, 8 * dex.class_count)
        classes = []
        for number in range(dex.class_count):
            (class_index, _access, super_index, interfaces_off, source_index, _annotations, data_off,
             _static) = definitions[8 * number:8 * number + 8]
            super_name = dex.class_name(super_index) if super_index != NO_INDEX else ""
            info = ClassInfo(dex.class_name(class_index), super_name, dex.interfaces(interfaces_off))
            source = dex.string(source_index) if source_index != NO_INDEX else ""
            if data_off:
                _class_data(dex, data_off, info, plan)
            classes.append((info, source))
        return classes
    except (IndexError, struct.error) as error:
        raise DexFormatError(f"a read runs outside the file ({error})") from None


#: Methods whose whole code the analysis reads whatever they call.
_READ_BY_NAME = ("checkServerTrusted", "verify", "onReceivedSslError")
#: Names of the calls the analysis acts on (owners checked where the name alone is too common).
_CALL_NAMES = frozenset({name for _owner, name in INSTALLERS} | {"getInstance", "add", "proceed"})
_OWNED_CALLS = {"getInstance": SSL_CONTEXT, "init": SSL_CONTEXT, "add": PINNER_BUILDER}
_INVOKE_OPCODES = rb"[\x6e-\x72\x74-\x78\xfa\xfb]"


class _Plan:
    """Which methods to decode, decided from the string and method-id tables before any code is read.

    ``by_name`` are the method ids decoded whatever their code holds; ``pattern`` matches the bytes of an
    instruction that calls one of the interesting methods or loads a cleartext URL string (a chance match in
    other bytes only costs decoding that method)."""

    def __init__(self, dex: _Dex) -> None:
        self.dex = dex
        data = dex.data
        starts = dex.string_offsets.tolist()
        self.order: list[int] | None = None
        if starts != sorted(starts):  # d8 writes string data in id order; a hand-made DEX may not
            self.order = sorted(range(len(starts)), key=starts.__getitem__)
            starts = [starts[index] for index in self.order]
        self.starts = starts
        #: The bytes that hold string data (every string search looks only there).
        self.low = starts[0] if starts else 0
        last_end = data.find(b"\x00", starts[-1]) if starts else -1
        self.high = last_end + 1 if last_end >= 0 else len(data)
        names = dex.method_words[1::2]
        self.by_name = set(self._methods_named(names, [self._exact(name) for name in _READ_BY_NAME]))
        self.by_name.update(self._methods_named(names, self._prefixed(b"lambda$")))
        calls = []
        for method_index in self._methods_named(names, [self._exact(name) for name in _CALL_NAMES]):
            if method_index > 0xFFFF:
                continue  # an invoke names a method by a 16-bit index
            owner, name, _descriptor = dex.method(method_index)
            if _OWNED_CALLS.get(name, owner) == owner:
                calls.append(method_index)
        urls = sorted(self._cleartext_urls(data))
        parts = []
        if calls:
            parts.append(_INVOKE_OPCODES + b"." + _little_endian(calls, 2))
        if [index for index in urls if index <= 0xFFFF]:
            parts.append(b"\x1a." + _little_endian([index for index in urls if index <= 0xFFFF], 2))
        if urls:
            parts.append(b"\x1b." + _little_endian(urls, 4))
        self.pattern = re.compile(b"|".join(parts), re.DOTALL) if parts else None

    def _index(self, position: int) -> int:
        """The id of the string whose data holds byte ``position`` (-1 before the first)."""
        number = bisect.bisect_right(self.starts, position) - 1
        if number < 0:
            return -1
        return self.order[number] if self.order is not None else number

    def _exact(self, name: str) -> int:
        """The id of the string ``name`` (ASCII), or -1."""
        encoded = name.encode()
        needle = bytes([len(encoded)]) + encoded + b"\x00"
        position = self.dex.data.find(needle, self.low, self.high)
        while position >= 0:
            index = self._index(position)
            if index >= 0 and self.dex.string_offsets[index] == position:
                return index
            position = self.dex.data.find(needle, position + 1, self.high)
        return -1

    def _prefixed(self, prefix: bytes) -> list[int]:
        found = []
        position = self.dex.data.find(prefix, self.low, self.high)
        while position >= 0:
            index = self._index(position)
            if index >= 0 and self.dex.string(index).startswith(prefix.decode()):
                found.append(index)
            position = self.dex.data.find(prefix, position + 1, self.high)
        return found

    def _methods_named(self, names: array[int], strings: list[int]) -> list[int]:
        found = []
        for string in set(strings):
            if string < 0:
                continue
            start = 0
            while True:
                try:
                    start = names.index(string, start) + 1
                except ValueError:
                    break
                found.append(start - 1)
        return found

    def _cleartext_urls(self, data: bytes) -> set[int]:
        """Ids of the strings that are cleartext (``http://``, ``ws://``) URLs."""
        found: set[int] = set()
        position = data.find(b"://", self.low, self.high)
        while position >= 0:
            scheme = data[max(position - 4, 0):position].lower()
            if scheme == b"http" or scheme[-2:] == b"ws":
                index = self._index(position)
                if index >= 0 and index not in found and is_cleartext_url(self.dex.string(index)):
                    found.add(index)
            position = data.find(b"://", position + 3, self.high)
        return found


def _little_endian(values: list[int], width: int) -> bytes:
    """A regular expression matching the ``width``-byte little-endian encoding of any of ``values``."""
    by_high: dict[int, set[int]] = {}
    for value in values:
        by_high.setdefault(value >> 8, set()).add(value & 0xFF)
    branches = [b"[" + b"".join(re.escape(bytes([low])) for low in sorted(lows)) + b"]"
                + re.escape(high.to_bytes(width - 1, "little")) for high, lows in sorted(by_high.items())]
    return b"(?:" + b"|".join(branches) + b")"


def _class_data(dex: _Dex, offset: int, info: ClassInfo, plan: _Plan | None) -> None:
    data = dex.data
    static_fields, offset = _uleb(data, offset)
    instance_fields, offset = _uleb(data, offset)
    direct, offset = _uleb(data, offset)
    virtual, offset = _uleb(data, offset)
    for _ in range(2 * (static_fields + instance_fields)):  # field index diff, access flags
        if data[offset] < 0x80:
            offset += 1
        else:
            _value, offset = _uleb(data, offset)
    if plan is None:
        _every_method(dex, offset, info, direct, virtual)
        return
    by_name = plan.by_name
    search = plan.pattern.search if plan.pattern is not None else None
    for count in (direct, virtual):
        index = 0
        for _ in range(count):
            # the one-byte ULEB128 case inline: this loop runs once per method of the file
            diff = data[offset]
            if diff < 0x80:
                offset += 1
            else:
                diff, offset = _uleb(data, offset)
            access = data[offset]
            if access < 0x80:
                offset += 1
            else:
                access, offset = _uleb(data, offset)
            code_off, offset = _uleb(data, offset)
            index += diff
            if not code_off or access & 0x0500:
                continue  # no code: nothing the analysis judges
            if index in by_name or (search is not None and search(
                    data, code_off + 16, code_off + 16 + 2 * struct.unpack_from("<I", data, code_off + 12)[0])):
                _owner, name, descriptor = dex.method(index)
                method = Method(name, descriptor)
                _code(dex, code_off, method)
                info.methods.append(method)


def _every_method(dex: _Dex, offset: int, info: ClassInfo, direct: int, virtual: int) -> None:
    data = dex.data
    for count in (direct, virtual):
        index = 0
        for _ in range(count):
            diff, offset = _uleb(data, offset)
            access, offset = _uleb(data, offset)
            code_off, offset = _uleb(data, offset)
            index += diff
            _owner, name, descriptor = dex.method(index)
            method = Method(name, descriptor, abstract=not code_off or bool(access & 0x0500))
            if code_off:
                _code(dex, code_off, method)
            info.methods.append(method)


def _code(dex: _Dex, offset: int, method: Method) -> None:
    tries, debug_off, units = struct.unpack_from("<HII", dex.data, offset + 6)
    start = offset + 16
    if start + 2 * units > len(dex.data):
        raise DexFormatError(f"code of {method.name} at {offset} runs past the end of the file")
    method.ops = _instructions(dex, start, units)
    if debug_off:
        method.line_reader = partial(_lines, dex, debug_off)
    if tries:
        method.ops.append(Op(HANDLER))


def _lines(dex: _Dex, offset: int) -> LineTable:
    """(address, line) pairs of the debug-info state machine, and the first line."""
    try:
        found = _line_pairs(dex.data, offset)
    except IndexError:
        raise DexFormatError(f"debug info at {offset} runs past the end of the file") from None
    return found, (found[0][1] if found else 0)


def _line_pairs(data: bytes, offset: int) -> list[tuple[int, int]]:
    line, offset = _uleb(data, offset)
    parameters, offset = _uleb(data, offset)
    if parameters > 0xFFFF:
        raise DexFormatError(f"debug info names {parameters} parameters")
    for _ in range(parameters):
        _name, offset = _uleb(data, offset)
    address = 0
    found: list[tuple[int, int]] = []
    for _step in range(1 << 20):
        opcode = data[offset]
        offset += 1
        if opcode == 0x00:
            return found
        if opcode == 0x01:
            advance, offset = _uleb(data, offset)
            address += advance
        elif opcode == 0x02:
            change, offset = _sleb(data, offset)
            line += change
        elif opcode in (0x03, 0x04):
            for _ in range(3 if opcode == 0x03 else 4):
                _value, offset = _uleb(data, offset)
        elif opcode in (0x05, 0x06, 0x09):
            _value, offset = _uleb(data, offset)
        elif opcode >= 0x0A:
            adjusted = opcode - 0x0A
            line += -4 + adjusted % 15
            address += adjusted // 15
            found.append((address, line))
    raise DexFormatError("debug info never ends")


#: Instruction lengths in 16-bit units by opcode ("Dalvik bytecode"); 0 marks unused opcodes.
_UNITS: list[int] = [0] * 256
for _opcode, _size in {
    0x00: 1, 0x01: 1, 0x02: 2, 0x03: 3, 0x04: 1, 0x05: 2, 0x06: 3, 0x07: 1, 0x08: 2, 0x09: 3,
    **dict.fromkeys(range(0x0A, 0x13), 1), 0x13: 2, 0x14: 3, 0x15: 2, 0x16: 2, 0x17: 3, 0x18: 5, 0x19: 2,
    0x1A: 2, 0x1B: 3, 0x1C: 2, 0x1D: 1, 0x1E: 1, 0x1F: 2, 0x20: 2, 0x21: 1, 0x22: 2, 0x23: 2, 0x24: 3, 0x25: 3,
    0x26: 3, 0x27: 1, 0x28: 1, 0x29: 2, 0x2A: 3, 0x2B: 3, 0x2C: 3, **dict.fromkeys(range(0x2D, 0x3E), 2),
    **dict.fromkeys(range(0x44, 0x6E), 2), **dict.fromkeys(range(0x6E, 0x73), 3),
    **dict.fromkeys(range(0x74, 0x79), 3), **dict.fromkeys(range(0x7B, 0x90), 1),
    **dict.fromkeys(range(0x90, 0xB0), 2), **dict.fromkeys(range(0xB0, 0xD0), 1),
    **dict.fromkeys(range(0xD0, 0xE3), 2), 0xFA: 4, 0xFB: 4, 0xFC: 3, 0xFD: 3, 0xFE: 2, 0xFF: 2,
}.items():
    _UNITS[_opcode] = _size

#: What the decoder does with each opcode (0: only steps over it).
_PAYLOAD, _CONST4, _CONST16, _STRING, _STRING_JUMBO, _RETURN, _THROW, _INVOKE, _NEW, _BRANCH = range(1, 11)
_KIND: list[int] = [0] * 256
_KIND[0x00] = _PAYLOAD
_KIND[0x12] = _CONST4
_KIND[0x13] = _CONST16
_KIND[0x1A] = _STRING
_KIND[0x1B] = _STRING_JUMBO
_KIND[0x27] = _THROW
_KIND[0x22] = _NEW
for _opcode in range(0x0E, 0x12):
    _KIND[_opcode] = _RETURN
for _opcode in (*range(0x6E, 0x73), *range(0x74, 0x79), 0xFA, 0xFB):
    _KIND[_opcode] = _INVOKE
for _opcode in (0x28, 0x29, 0x2A, 0x2B, 0x2C, *range(0x32, 0x3E)):
    _KIND[_opcode] = _BRANCH


def _instructions(dex: _Dex, start: int, units: int) -> list[Op]:
    code = _words(dex.data, start, units, "H")
    ops: list[Op] = []
    append = ops.append
    methods = dex.methods
    address = 0
    constants: dict[int, int] = {}
    #: The address right after the last run of const/4 and const/16: only such a constant is returned.
    constants_end = -1
    while address < units:
        unit = code[address]
        opcode = unit & 0xFF
        size = _UNITS[opcode]
        kind = _KIND[opcode]
        if kind:
            if kind == _PAYLOAD:
                if unit in (0x0100, 0x0200, 0x0300):
                    size = _payload_units(code, address, unit)
            elif address + size > units:
                raise DexFormatError(f"instruction at address {address} runs past the end of the code")
            elif kind == _INVOKE:
                index = code[address + 1]
                called = methods.get(index) or dex.method(index)
                append(Op(INVOKE, address, called[0], called[1], called[2]))
            elif kind == _STRING:
                append(Op(STRING, address, value=dex.string(code[address + 1])))
            elif kind in (_CONST4, _CONST16):
                if constants_end != address:
                    constants = {}
                if kind == _CONST4:  # const/4 vA, #+B
                    constants[(unit >> 8) & 0x0F] = ((unit >> 12) ^ 8) - 8
                else:  # const/16 vAA, #+BBBB
                    constants[unit >> 8] = ((code[address + 1] ^ 0x8000) - 0x8000)
                constants_end = address + size
            elif kind == _RETURN:
                value = constants.get(unit >> 8) if opcode == 0x0F and constants_end == address else None
                append(Op(RETURN, address, value=value))
            elif kind == _BRANCH:
                append(Op(BRANCH, address))
            elif kind == _NEW:
                append(Op(NEW, address, dex.class_name(code[address + 1])))
            elif kind == _THROW:
                append(Op(THROW, address))
            elif kind == _STRING_JUMBO:
                append(Op(STRING, address, value=dex.string(code[address + 1] | code[address + 2] << 16)))
        elif not size:
            raise DexFormatError(f"unused opcode 0x{opcode:02x} at address {address}")
        address += size
    if address > units:
        raise DexFormatError(f"instruction at address {address} runs past the end of the code")
    return ops


def _payload_units(code: array[int], address: int, unit: int) -> int:
    if unit == 0x0100:  # packed-switch-payload
        return 4 + 2 * code[address + 1]
    if unit == 0x0200:  # sparse-switch-payload
        return 2 + 4 * code[address + 1]
    width, count = code[address + 1], code[address + 2] | code[address + 3] << 16  # fill-array-data-payload
    return 4 + (width * count + 1) // 2
