"""JVM class files (``.class``, in JARs and AARs), read into the shared compiled-code form.

Format: The Java Virtual Machine Specification, chapter 4 ("The class File Format"): the constant pool (4.4),
methods and their ``Code`` attribute (4.7.3) with ``LineNumberTable`` (4.7.12), ``BootstrapMethods`` (4.7.23)
for lambdas, and the instruction set of chapter 6 (for instruction lengths). Only what the analysis needs is
kept: calls, string and small integer constants, returns, throws, object and lambda creation, branches and
exception handlers, each with its code address (turned into a source line only for a finding).

Only the methods the analysis reads are decoded: those it judges by name (``checkServerTrusted``, ``verify``,
``onReceivedSslError``, ``lambda$`` bodies) and those whose code refers to a constant-pool entry it acts on (a
call to ``SSLContext``, ``CertificatePinner`` or an installer, a ``HostnameVerifier`` lambda, a cleartext URL
string). The constant pool is indexed, not copied: an entry is decoded when something asks for it.

Libraries measured: the maintained pure-Python class-file readers are few and large for this (jawa reads
class files but is unmaintained since 2021; androguard reads DEX, not class files, and installs 162 MB). This
reader is one module over ``struct``; it checks every length and index against the data, so a truncated or
malformed class raises ``ClassFormatError`` (reported as CFG901), never reads out of bounds and never loops
on its input. It is checked against ``javap`` in the tests.
"""

from __future__ import annotations

import struct
from functools import partial

from pinlint.parsers.binary.code import (
    BRANCH,
    HANDLER,
    INSTALLERS,
    INVOKE,
    LAMBDA,
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

MAGIC = b"\xca\xfe\xba\xbe"
#: More constants, methods or code than any real class has: refused rather than read.
MAX_CONSTANTS = 65535
MAX_CODE = 65535


class ClassFormatError(ValueError):
    """The bytes are not a well-formed class file; the message says where."""


#: Sizes of constant-pool entries after the tag byte (0: unknown tag); Long and Double (5, 6) take two slots.
_CONSTANT_SIZES = [0] * 256
for _tag, _size in {3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4, 15: 3, 16: 2, 17: 4, 18: 4,
                    19: 2, 20: 2}.items():
    _CONSTANT_SIZES[_tag] = _size


class _Pool:
    """The constant pool as an index: each entry's tag and where its bytes start; decoded on demand."""

    __slots__ = ("_utf8", "count", "data", "end", "offsets", "tags")

    def __init__(self, data: bytes) -> None:
        self.data = data
        count = self.count = data[8] << 8 | data[9]
        tags = self.tags = bytearray(max(count, 1))
        offsets = self.offsets = [0] * max(count, 1)
        sizes = _CONSTANT_SIZES
        position = 10
        index = 1
        while index < count:
            tag = data[position]
            tags[index] = tag
            offsets[index] = position + 1
            if tag == 1:
                position += 3 + (data[position + 1] << 8 | data[position + 2])
            elif sizes[tag]:
                position += 1 + sizes[tag]
                if tag == 5 or tag == 6:
                    index += 1
            else:
                raise ClassFormatError(f"unknown constant-pool tag {tag} at entry {index}")
            index += 1
        if position > len(data):
            raise ClassFormatError(f"constant pool runs past the end of the file ({position} > {len(data)})")
        self.end = position
        self._utf8: dict[int, str] = {}

    def tag(self, index: int) -> int:
        return self.tags[index] if 0 < index < self.count else 0

    def at(self, index: int, *tags: int) -> int:
        """Where entry ``index`` starts, checking that it is one of ``tags``."""
        if not 0 < index < self.count or self.tags[index] not in tags:
            raise ClassFormatError(f"constant-pool index {index} is not a {'/'.join(map(str, tags))} entry")
        return self.offsets[index]

    def u2(self, index: int, *tags: int) -> int:
        value: int = struct.unpack_from(">H", self.data, self.at(index, *tags))[0]
        return value

    def raw_utf8(self, index: int) -> bytes:
        start = self.at(index, 1)
        return self.data[start + 2:start + 2 + (self.data[start] << 8 | self.data[start + 1])]

    def utf8(self, index: int) -> str:
        cached = self._utf8.get(index)
        if cached is None:
            # Modified UTF-8 (JVMS 4.4.7): decoding with replacement is enough for names and literals.
            cached = self._utf8[index] = self.raw_utf8(index).decode("utf-8", errors="replace")
        return cached

    def class_name(self, index: int) -> str:
        return dotted(self.utf8(self.u2(index, 7)))

    def member(self, index: int) -> tuple[str, str, str]:
        """(owner class, name, descriptor) of a Fieldref/Methodref/InterfaceMethodref."""
        owner, name_and_type = struct.unpack_from(">HH", self.data, self.at(index, 9, 10, 11))
        name, descriptor = self.name_and_type(name_and_type)
        return self.class_name(owner), name, descriptor

    def name_and_type(self, index: int) -> tuple[str, str]:
        name, descriptor = struct.unpack_from(">HH", self.data, self.at(index, 12))
        return self.utf8(name), self.utf8(descriptor)

    def string(self, index: int) -> str:
        return self.utf8(self.u2(index, 8))


def read(data: bytes, header_only: bool = False, everything: bool = False) -> ClassInfo:
    """The class in ``data``; ``ClassFormatError`` when it is not a well-formed class file.

    With ``header_only`` only the names (class, superclass, interfaces) are read. Otherwise ``methods`` are the
    methods the analysis reads, decoded; with ``everything``, every method (for checking the reader against an
    independent one)."""
    if data[:4] != MAGIC:
        raise ClassFormatError("not a class file (no CAFEBABE signature)")
    try:
        return _read(data, header_only, everything)
    except (IndexError, struct.error) as error:
        raise ClassFormatError(f"truncated: a read runs past the end of the file ({error})") from None


#: One method as the method table gives it: name, descriptor, and where its Code attribute lies (-1: none).
_RawMethod = tuple[str, str, int, int]


def _read(data: bytes, header_only: bool, everything: bool) -> ClassInfo:
    pool = _Pool(data)
    position = pool.end
    _access, this_index, super_index, interface_count = struct.unpack_from(">HHHH", data, position)
    position += 8
    name = pool.class_name(this_index)
    super_name = pool.class_name(super_index) if super_index else ""
    interfaces = tuple(pool.class_name(index)
                       for index in struct.unpack_from(f">{interface_count}H", data, position))
    position += 2 * interface_count
    info = ClassInfo(name, super_name, interfaces)
    if header_only:
        return info
    field_count = data[position] << 8 | data[position + 1]
    position += 2
    for _ in range(field_count):
        position = _skip_attributes(data, position + 6)
    method_count = data[position] << 8 | data[position + 1]
    position += 2
    raw_methods: list[_RawMethod] = []
    for _ in range(method_count):
        access, name_index, descriptor_index, attribute_count = struct.unpack_from(">HHHH", data, position)
        position += 8
        code_start = code_end = -1
        for _ in range(attribute_count):
            attribute, length = struct.unpack_from(">HI", data, position)
            position += 6
            if pool.utf8(attribute) == "Code":
                code_start, code_end = position, position + length
            position += length
        if position > len(data):
            raise ClassFormatError(f"method table runs past the end of the file ({position} > {len(data)})")
        if access & 0x0500:
            code_start = -1
        raw_methods.append((pool.utf8(name_index), pool.utf8(descriptor_index), code_start, code_end))
    bootstrap: list[list[int]] = []
    attribute_count = data[position] << 8 | data[position + 1]
    position += 2
    for _ in range(attribute_count):
        attribute, length = struct.unpack_from(">HI", data, position)
        position += 6
        if position + length > len(data):
            raise ClassFormatError(f"attribute at {position} runs past the end of the file")
        if pool.utf8(attribute) == "BootstrapMethods":
            bootstrap = _bootstrap_methods(data, position, position + length)
        position += length
    selection = None if everything else _Selection(pool, name)
    for method_name, descriptor, start, end in raw_methods:
        if selection is None:
            method = Method(method_name, descriptor, abstract=start < 0)
            if start >= 0:
                _code(method, data, start, end, pool, bootstrap)
            info.methods.append(method)
        elif start >= 0 and selection.wants(method_name, start, end):
            method = Method(method_name, descriptor)
            _code(method, data, start, end, pool, bootstrap)
            info.methods.append(method)
    return info


def _skip_attributes(data: bytes, position: int) -> int:
    for _ in range(data[position] << 8 | data[position + 1]):
        position += 6 + struct.unpack_from(">I", data, position + 4)[0]
    position += 2
    if position > len(data):
        raise ClassFormatError(f"attributes run past the end of the file ({position} > {len(data)})")
    return position


#: Methods whose whole code the analysis reads whatever they call.
_READ_BY_NAME = frozenset({"checkServerTrusted", "verify", "onReceivedSslError"})
#: Names of the calls the analysis acts on (owners checked where the name alone is too common).
_CALL_NAMES = frozenset({name.encode() for _owner, name in INSTALLERS} | {b"getInstance", b"add", b"proceed"})
_OWNED_CALLS = {"getInstance": SSL_CONTEXT, "init": SSL_CONTEXT, "add": PINNER_BUILDER}
_VERIFIER_LAMBDA = b")Ljavax/net/ssl/HostnameVerifier;"


class _Selection:
    """Which methods of a class to decode: by name, or because their code holds the index of a constant-pool
    entry the analysis acts on (a chance match of the index bytes only costs decoding the method)."""

    def __init__(self, pool: _Pool, class_name: str) -> None:
        self.pool = pool
        self.class_name = class_name
        self._needles: list[bytes] | None = None
        #: A HostnameVerifier lambda whose body may be any method of the class: every method is decoded.
        self.everything = False

    def wants(self, name: str, start: int, end: int) -> bool:
        if name in _READ_BY_NAME or name.startswith("lambda$"):
            return True
        needles = self._needles if self._needles is not None else self._find_needles()
        if self.everything:
            return True
        data = self.pool.data
        return any(data.find(needle, start, end) >= 0 for needle in needles)

    def _find_needles(self) -> list[bytes]:
        pool = self.pool
        tags = pool.tags
        needles = []
        for tag in (10, 11, 18, 8):
            index = tags.find(tag)
            while index > 0:
                if tag == 8:
                    if is_cleartext_url(pool.string(index)):
                        if index < 256:
                            needles.append(bytes((0x12, index)))
                        needles.append(b"\x13" + index.to_bytes(2, "big"))
                elif tag == 18:
                    _bootstrap, name_and_type = struct.unpack_from(">HH", pool.data, pool.offsets[index])
                    _name, descriptor = struct.unpack_from(">HH", pool.data, pool.at(name_and_type, 12))
                    if pool.raw_utf8(descriptor).endswith(_VERIFIER_LAMBDA):
                        self.everything = True
                elif self._interesting_call(index):
                    needles.append(index.to_bytes(2, "big"))
                index = tags.find(tag, index + 1)
        self._needles = needles
        return needles

    def _interesting_call(self, index: int) -> bool:
        pool = self.pool
        _owner, name_and_type = struct.unpack_from(">HH", pool.data, pool.offsets[index])
        if pool.raw_utf8(pool.u2(name_and_type, 12)) not in _CALL_NAMES:
            return False
        owner, name, _descriptor = pool.member(index)
        return _OWNED_CALLS.get(name, owner) == owner


def _bootstrap_methods(data: bytes, position: int, end: int) -> list[list[int]]:
    methods = []
    for _ in range(data[position] << 8 | data[position + 1]):
        _handle, count = struct.unpack_from(">HH", data, position + 2)
        position += 4
        if position + 2 * count > end:
            raise ClassFormatError(f"bootstrap method arguments run past their attribute at {position}")
        methods.append(list(struct.unpack_from(f">{count}H", data, position + 2)))
        position += 2 * count
    return methods


def _code(method: Method, data: bytes, start: int, end: int, pool: _Pool, bootstrap: list[list[int]]) -> None:
    length: int = struct.unpack_from(">I", data, start + 4)[0]
    if length > MAX_CODE:
        raise ClassFormatError(f"method {method.name} has {length} bytes of code, over the JVM's limit")
    code_start = start + 8
    position = code_start + length
    if position + 2 > end:
        raise ClassFormatError(f"code of {method.name} runs past its attribute")
    handlers = []
    handler_count = data[position] << 8 | data[position + 1]
    position += 2
    for _ in range(handler_count):
        catch = data[position + 6] << 8 | data[position + 7]
        handlers.append(pool.class_name(catch) if catch else "")
        position += 8
    tables: list[tuple[int, int]] = []
    attribute_count = data[position] << 8 | data[position + 1]
    position += 2
    for _ in range(attribute_count):
        attribute, size = struct.unpack_from(">HI", data, position)
        position += 6
        if pool.utf8(attribute) == "LineNumberTable":
            entries = data[position] << 8 | data[position + 1]
            if 2 + 4 * entries > size:
                raise ClassFormatError(f"line-number table of {method.name} runs past its attribute")
            tables.append((position + 2, entries))
        position += size
    if position > end:
        raise ClassFormatError(f"attributes of the code of {method.name} run past the Code attribute")
    if tables:
        method.line_reader = partial(_lines, data, tables)
    method.ops = _instructions(data[code_start:code_start + length], pool, bootstrap)
    method.ops.extend(Op(HANDLER, 0, catch) for catch in handlers)


def _lines(data: bytes, tables: list[tuple[int, int]]) -> LineTable:
    pairs: list[tuple[int, int]] = []
    for position, entries in tables:
        flat = struct.unpack_from(f">{2 * entries}H", data, position)
        pairs.extend(zip(flat[::2], flat[1::2], strict=True))
    pairs.sort()
    return pairs, min((line for _pc, line in pairs), default=0)


#: Instruction lengths of the fixed-size opcodes (JVMS chapter 6); 0 marks invalid opcodes and the three of
#: variable length (tableswitch, lookupswitch, wide).
_LENGTHS: list[int] = [0] * 256
for _opcode, _size in {
    **dict.fromkeys(range(0x00, 0x10), 1), 0x10: 2, 0x11: 3, 0x12: 2, 0x13: 3, 0x14: 3,
    **dict.fromkeys(range(0x15, 0x1A), 2), **dict.fromkeys(range(0x1A, 0x36), 1),
    **dict.fromkeys(range(0x36, 0x3B), 2), **dict.fromkeys(range(0x3B, 0x84), 1), 0x84: 3,
    **dict.fromkeys(range(0x85, 0x99), 1), **dict.fromkeys(range(0x99, 0xA9), 3), 0xA9: 2,
    **dict.fromkeys(range(0xAC, 0xB2), 1), **dict.fromkeys(range(0xB2, 0xB9), 3), 0xB9: 5, 0xBA: 5,
    0xBB: 3, 0xBC: 2, 0xBD: 3, 0xBE: 1, 0xBF: 1, 0xC0: 3, 0xC1: 3, 0xC2: 1, 0xC3: 1, 0xC5: 4, 0xC6: 3,
    0xC7: 3, 0xC8: 5, 0xC9: 5,
}.items():
    _LENGTHS[_opcode] = _size

#: What the decoder does with each opcode (0: only steps over it); the variable-length ones come first.
(_TABLESWITCH, _LOOKUPSWITCH, _WIDE, _ICONST, _LDC, _LDC_W, _RETURN, _IRETURN, _THROW, _INVOKE, _INDY, _NEW,
 _BRANCH) = range(1, 14)
_KIND: list[int] = [0] * 256
_KIND[0xAA] = _TABLESWITCH
_KIND[0xAB] = _LOOKUPSWITCH
_KIND[0xC4] = _WIDE
for _opcode in range(0x02, 0x09):
    _KIND[_opcode] = _ICONST
_KIND[0x12] = _LDC
_KIND[0x13] = _LDC_W
_KIND[0xAC] = _IRETURN
for _opcode in range(0xAD, 0xB2):
    _KIND[_opcode] = _RETURN
_KIND[0xBF] = _THROW
for _opcode in range(0xB6, 0xBA):
    _KIND[_opcode] = _INVOKE
_KIND[0xBA] = _INDY
_KIND[0xBB] = _NEW
for _opcode in (*range(0x99, 0xA9), 0xC6, 0xC7, 0xC8):
    _KIND[_opcode] = _BRANCH


def _instructions(code: bytes, pool: _Pool, bootstrap: list[list[int]]) -> list[Op]:
    ops: list[Op] = []
    append = ops.append
    length = len(code)
    pc = 0
    #: iconst_m1..iconst_5 pushed by the instruction that ends at ``constant_end``: what an ireturn there returns.
    constant = constant_end = -1
    while pc < length:
        opcode = code[pc]
        size = _LENGTHS[opcode]
        kind = _KIND[opcode]
        if not kind:
            if not size:
                raise ClassFormatError(f"invalid opcode 0x{opcode:02x} at {pc}")
        elif kind <= _WIDE:
            size = _variable_size(code, pc, kind)
            if kind != _WIDE:
                append(Op(BRANCH, pc))
        elif pc + size > length:
            raise ClassFormatError(f"instruction runs past the end of the code at {pc}")
        elif kind == _INVOKE:
            called = pool.member(code[pc + 1] << 8 | code[pc + 2])
            append(Op(INVOKE, pc, called[0], called[1], called[2]))
        elif kind == _ICONST:
            constant, constant_end = opcode - 3, pc + 1
        elif kind == _LDC:
            if pool.tag(code[pc + 1]) == 8:
                append(Op(STRING, pc, value=pool.string(code[pc + 1])))
        elif kind == _LDC_W:
            index = code[pc + 1] << 8 | code[pc + 2]
            if pool.tag(index) == 8:
                append(Op(STRING, pc, value=pool.string(index)))
        elif kind == _IRETURN:
            append(Op(RETURN, pc, value=constant if constant_end == pc else None))
        elif kind == _RETURN:
            append(Op(RETURN, pc))
        elif kind == _BRANCH:
            append(Op(BRANCH, pc))
        elif kind == _NEW:
            append(Op(NEW, pc, pool.class_name(code[pc + 1] << 8 | code[pc + 2])))
        elif kind == _THROW:
            append(Op(THROW, pc))
        else:  # invokedynamic
            ops.extend(_invokedynamic(code[pc + 1] << 8 | code[pc + 2], pool, bootstrap, pc))
        pc += size
    if pc > length:
        raise ClassFormatError(f"instruction runs past the end of the code at {pc}")
    return ops


def _variable_size(code: bytes, pc: int, kind: int) -> int:
    if kind == _WIDE:
        if pc + 1 >= len(code):
            raise ClassFormatError(f"instruction runs past the end of the code at {pc}")
        return 6 if code[pc + 1] == 0x84 else 4
    base = pc + 1 + (-(pc + 1) % 4)
    if kind == _TABLESWITCH:
        if base + 12 > len(code):
            raise ClassFormatError(f"instruction runs past the end of the code at {pc}")
        low: int
        high: int
        low, high = struct.unpack_from(">ii", code, base + 4)
        if high < low or high - low > len(code):
            raise ClassFormatError(f"bad tableswitch at {pc}")
        return base + 12 + 4 * (high - low + 1) - pc
    if base + 8 > len(code):
        raise ClassFormatError(f"instruction runs past the end of the code at {pc}")
    pairs: int = struct.unpack_from(">i", code, base + 4)[0]
    if pairs < 0 or pairs > len(code):
        raise ClassFormatError(f"bad lookupswitch at {pc}")
    return base + 8 + 8 * pairs - pc


def _invokedynamic(index: int, pool: _Pool, bootstrap: list[list[int]], pc: int) -> list[Op]:
    method_index, name_and_type = struct.unpack_from(">HH", pool.data, pool.at(index, 18))
    _name, descriptor = pool.name_and_type(name_and_type)
    interface = dotted(descriptor.rpartition(")")[2])
    if method_index >= len(bootstrap):
        raise ClassFormatError(f"invokedynamic names bootstrap method {method_index}, which does not exist")
    for argument in bootstrap[method_index]:
        if pool.tag(argument) == 15:  # MethodHandle: the lambda's implementation method
            reference: int = struct.unpack_from(">BH", pool.data, pool.offsets[argument])[1]
            if pool.tag(reference) in (10, 11):
                owner, name, implementation = pool.member(reference)
                return [Op(LAMBDA, pc, owner, name, implementation, interface)]
    return []
