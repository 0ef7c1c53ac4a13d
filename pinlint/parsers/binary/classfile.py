"""JVM class files (``.class``, in JARs and AARs), read into the shared compiled-code form.

Format: The Java Virtual Machine Specification, chapter 4 ("The class File Format"): the constant pool (4.4),
methods and their ``Code`` attribute (4.7.3) with ``LineNumberTable`` (4.7.12), ``BootstrapMethods`` (4.7.23)
for lambdas, and the instruction set of chapter 6 (for instruction lengths). Only what the analysis needs is
kept: calls, string and small integer constants, returns, throws, object and lambda creation, branches and
exception handlers, each with its source line.

Libraries measured: the maintained pure-Python class-file readers are few and large for this (jawa reads
class files but is unmaintained since 2021; androguard reads DEX, not class files, and installs 162 MB). This
reader is one module over ``struct``; it checks every length and index against the data, so a truncated or
malformed class raises ``ClassFormatError`` (reported as CFG901), never reads out of bounds and never loops
on its input. It is checked against ``javap`` in the tests.
"""

from __future__ import annotations

import struct

from pinlint.parsers.binary.code import (
    BRANCH,
    HANDLER,
    INVOKE,
    LAMBDA,
    NEW,
    RETURN,
    STRING,
    THROW,
    ClassInfo,
    Method,
    Op,
    dotted,
)

MAGIC = b"\xca\xfe\xba\xbe"
#: More constants, methods or code than any real class has: refused rather than read.
MAX_CONSTANTS = 65535
MAX_CODE = 65535


class ClassFormatError(ValueError):
    """The bytes are not a well-formed class file; the message says where."""


class _Reader:
    __slots__ = ("data", "offset")

    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data = data
        self.offset = offset

    def take(self, size: int) -> bytes:
        end = self.offset + size
        if size < 0 or end > len(self.data):
            raise ClassFormatError(f"truncated at byte {self.offset} (needs {size} more)")
        chunk = self.data[self.offset:end]
        self.offset = end
        return chunk

    def u1(self) -> int:
        return self.take(1)[0]

    def u2(self) -> int:
        value: int = struct.unpack(">H", self.take(2))[0]
        return value

    def u4(self) -> int:
        value: int = struct.unpack(">I", self.take(4))[0]
        return value


#: Sizes of constant-pool entries after the tag byte; Long and Double (5, 6) take two slots.
_CONSTANT_SIZES = {3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4, 15: 3, 16: 2, 17: 4, 18: 4,
                   19: 2, 20: 2}


class _Pool:
    def __init__(self, reader: _Reader) -> None:
        count = reader.u2()
        self.entries: list[tuple[int, bytes] | None] = [None] * max(count, 1)
        index = 1
        while index < count:
            tag = reader.u1()
            if tag == 1:
                self.entries[index] = (1, reader.take(reader.u2()))
            elif tag in _CONSTANT_SIZES:
                self.entries[index] = (tag, reader.take(_CONSTANT_SIZES[tag]))
            else:
                raise ClassFormatError(f"unknown constant-pool tag {tag} at entry {index}")
            index += 2 if tag in (5, 6) else 1

    def entry(self, index: int, *tags: int) -> bytes:
        found = self.entries[index] if 0 < index < len(self.entries) else None
        if found is None or found[0] not in tags:
            raise ClassFormatError(f"constant-pool index {index} is not a {'/'.join(map(str, tags))} entry")
        return found[1]

    def tag(self, index: int) -> int:
        found = self.entries[index] if 0 < index < len(self.entries) else None
        return found[0] if found else 0

    def utf8(self, index: int) -> str:
        # Modified UTF-8 (JVMS 4.4.7): decoding with replacement is enough for names and literals.
        return self.entry(index, 1).decode("utf-8", errors="replace")

    def class_name(self, index: int) -> str:
        return dotted(self.utf8(struct.unpack(">H", self.entry(index, 7))[0]))

    def member(self, index: int) -> tuple[str, str, str]:
        """(owner class, name, descriptor) of a Fieldref/Methodref/InterfaceMethodref."""
        owner, name_and_type = struct.unpack(">HH", self.entry(index, 9, 10, 11))
        name, descriptor = self.name_and_type(name_and_type)
        return self.class_name(owner), name, descriptor

    def name_and_type(self, index: int) -> tuple[str, str]:
        name, descriptor = struct.unpack(">HH", self.entry(index, 12))
        return self.utf8(name), self.utf8(descriptor)


def read(data: bytes, header_only: bool = False) -> ClassInfo:
    """The class in ``data``; ``ClassFormatError`` when it is not a well-formed class file.

    With ``header_only`` only the names (class, superclass, interfaces) are read, not the methods."""
    if data[:4] != MAGIC:
        raise ClassFormatError("not a class file (no CAFEBABE signature)")
    reader = _Reader(data, 8)
    pool = _Pool(reader)
    reader.u2()  # access flags
    name = pool.class_name(reader.u2())
    super_index = reader.u2()
    super_name = pool.class_name(super_index) if super_index else ""
    interfaces = tuple(pool.class_name(reader.u2()) for _ in range(reader.u2()))
    if header_only:
        return ClassInfo(name, super_name, interfaces)
    for _ in range(reader.u2()):  # fields
        reader.take(6)
        _skip_attributes(reader)
    raw_methods: list[tuple[str, str, bytes | None]] = []
    for _ in range(reader.u2()):
        access = reader.u2()
        method_name = pool.utf8(reader.u2())
        descriptor = pool.utf8(reader.u2())
        code: bytes | None = None
        for attribute, body in _attributes(reader, pool):
            if attribute == "Code":
                code = body
        raw_methods.append((method_name, descriptor, None if access & 0x0500 else code))
    bootstrap: list[list[int]] = []
    for attribute, body in _attributes(reader, pool):
        if attribute == "BootstrapMethods":
            bootstrap = _bootstrap_methods(body)
    info = ClassInfo(name, super_name, interfaces)
    for method_name, descriptor, code in raw_methods:
        method = Method(method_name, descriptor, abstract=code is None)
        if code is not None:
            _code(method, code, pool, bootstrap)
        info.methods.append(method)
    return info


def _attributes(reader: _Reader, pool: _Pool) -> list[tuple[str, bytes]]:
    found = []
    for _ in range(reader.u2()):
        name = pool.utf8(reader.u2())
        found.append((name, reader.take(reader.u4())))
    return found


def _skip_attributes(reader: _Reader) -> None:
    for _ in range(reader.u2()):
        reader.take(2)
        reader.take(reader.u4())


def _bootstrap_methods(body: bytes) -> list[list[int]]:
    reader = _Reader(body)
    methods = []
    for _ in range(reader.u2()):
        reader.u2()  # the bootstrap method handle
        methods.append([reader.u2() for _ in range(reader.u2())])
    return methods


def _code(method: Method, body: bytes, pool: _Pool, bootstrap: list[list[int]]) -> None:
    reader = _Reader(body)
    reader.take(4)  # max_stack, max_locals
    length = reader.u4()
    if length > MAX_CODE:
        raise ClassFormatError(f"method {method.name} has {length} bytes of code, over the JVM's limit")
    code = reader.take(length)
    handlers: list[str] = []
    for _ in range(reader.u2()):
        _start, _end, _handler, catch = struct.unpack(">HHHH", reader.take(8))
        handlers.append(pool.class_name(catch) if catch else "")
    lines: list[tuple[int, int]] = []
    for attribute, attribute_body in _attributes(reader, pool):
        if attribute == "LineNumberTable":
            table = _Reader(attribute_body)
            lines.extend(struct.unpack(">HH", table.take(4)) for _ in range(table.u2()))
    lines.sort()
    method.first_line = min((line for _pc, line in lines), default=0)
    method.ops = _instructions(code, pool, bootstrap, lines)
    method.ops.extend(Op(HANDLER, method.first_line, owner=catch) for catch in handlers)


def _line_at(lines: list[tuple[int, int]], pc: int) -> int:
    line = 0
    for start, number in lines:
        if start > pc:
            break
        line = number
    return line


#: Instruction lengths of the fixed-size opcodes (JVMS chapter 6); absent opcodes are invalid.
_LENGTHS: dict[int, int] = {
    **dict.fromkeys(range(0x00, 0x10), 1), 0x10: 2, 0x11: 3, 0x12: 2, 0x13: 3, 0x14: 3,
    **dict.fromkeys(range(0x15, 0x1A), 2), **dict.fromkeys(range(0x1A, 0x36), 1),
    **dict.fromkeys(range(0x36, 0x3B), 2), **dict.fromkeys(range(0x3B, 0x84), 1), 0x84: 3,
    **dict.fromkeys(range(0x85, 0x99), 1), **dict.fromkeys(range(0x99, 0xA9), 3), 0xA9: 2,
    **dict.fromkeys(range(0xAC, 0xB2), 1), **dict.fromkeys(range(0xB2, 0xB9), 3), 0xB9: 5, 0xBA: 5,
    0xBB: 3, 0xBC: 2, 0xBD: 3, 0xBE: 1, 0xBF: 1, 0xC0: 3, 0xC1: 3, 0xC2: 1, 0xC3: 1, 0xC5: 4, 0xC6: 3,
    0xC7: 3, 0xC8: 5, 0xC9: 5,
}
_BRANCHES = frozenset({*range(0x99, 0xA9), 0xAA, 0xAB, 0xC6, 0xC7, 0xC8})
_INT_CONSTANTS = {0x02: -1, 0x03: 0, 0x04: 1, 0x05: 2, 0x06: 3, 0x07: 4, 0x08: 5}


def _instructions(code: bytes, pool: _Pool, bootstrap: list[list[int]], lines: list[tuple[int, int]]) -> list[Op]:
    ops: list[Op] = []
    pc = 0
    previous_constant: object = None
    while pc < len(code):
        opcode = code[pc]
        line = _line_at(lines, pc)
        constant: object = None
        if opcode == 0xAA:  # tableswitch
            base = pc + 1 + (-(pc + 1) % 4)
            low, high = struct.unpack(">ii", _slice(code, base + 4, 8))
            if high < low or high - low > len(code):
                raise ClassFormatError(f"bad tableswitch at {pc}")
            size = base + 12 + 4 * (high - low + 1) - pc
        elif opcode == 0xAB:  # lookupswitch
            base = pc + 1 + (-(pc + 1) % 4)
            pairs = struct.unpack(">i", _slice(code, base + 4, 4))[0]
            if pairs < 0 or pairs > len(code):
                raise ClassFormatError(f"bad lookupswitch at {pc}")
            size = base + 8 + 8 * pairs - pc
        elif opcode == 0xC4:  # wide
            size = 6 if _slice(code, pc + 1, 1)[0] == 0x84 else 4
        elif opcode in _LENGTHS:
            size = _LENGTHS[opcode]
        else:
            raise ClassFormatError(f"invalid opcode 0x{opcode:02x} at {pc}")
        operands = _slice(code, pc + 1, size - 1) if size > 1 else b""
        if opcode in _INT_CONSTANTS:
            constant = _INT_CONSTANTS[opcode]
        elif opcode in (0x12, 0x13):  # ldc, ldc_w
            index = operands[0] if opcode == 0x12 else struct.unpack(">H", operands)[0]
            if pool.tag(index) == 8:
                value = pool.utf8(struct.unpack(">H", pool.entry(index, 8))[0])
                ops.append(Op(STRING, line, value=value))
        elif 0xAC <= opcode <= 0xB1:
            ops.append(Op(RETURN, line, value=previous_constant if opcode == 0xAC else None))
        elif opcode == 0xBF:
            ops.append(Op(THROW, line))
        elif 0xB6 <= opcode <= 0xB9:
            owner, name, descriptor = pool.member(struct.unpack(">H", operands[:2])[0])
            ops.append(Op(INVOKE, line, owner=owner, name=name, descriptor=descriptor))
        elif opcode == 0xBA:
            ops.extend(_invokedynamic(struct.unpack(">H", operands[:2])[0], pool, bootstrap, line))
        elif opcode == 0xBB:
            ops.append(Op(NEW, line, owner=pool.class_name(struct.unpack(">H", operands)[0])))
        if opcode in _BRANCHES:
            ops.append(Op(BRANCH, line))
        previous_constant = constant
        pc += size
    return ops


def _invokedynamic(index: int, pool: _Pool, bootstrap: list[list[int]], line: int) -> list[Op]:
    method_index, name_and_type = struct.unpack(">HH", pool.entry(index, 18))
    _name, descriptor = pool.name_and_type(name_and_type)
    interface = dotted(descriptor.rpartition(")")[2])
    if method_index >= len(bootstrap):
        raise ClassFormatError(f"invokedynamic names bootstrap method {method_index}, which does not exist")
    for argument in bootstrap[method_index]:
        if pool.tag(argument) == 15:  # MethodHandle: the lambda's implementation method
            reference = struct.unpack(">BH", pool.entry(argument, 15))[1]
            if pool.tag(reference) in (10, 11):
                owner, name, implementation = pool.member(reference)
                return [Op(LAMBDA, line, owner=owner, name=name, descriptor=implementation, value=interface)]
    return []


def _slice(code: bytes, start: int, size: int) -> bytes:
    if start + size > len(code):
        raise ClassFormatError(f"instruction runs past the end of the code at {start}")
    return code[start:start + size]
