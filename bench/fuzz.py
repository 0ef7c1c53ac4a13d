#!/usr/bin/env python3
"""Fuzz every parser and front end with mutated inputs; report crashes, exceptions, slow and unstable results.

Usage (from a clone, with pinlint installed):
    python bench/fuzz.py [--count 10000] [--seed 1] [--only NAME,...] [--jobs N] [--slow 5] [--json OUT]

Each target (every module of ``pinlint.parsers.PARSER_MODULES``, plus the policy-file loader and the inline
suppression reader) runs in its own child process, so a native crash (a grammar or libcst blowing the C
stack) is caught, reported with the input that caused it, and the run goes on after it. Inputs are
deterministic for a given seed: the fixtures the parser accepts (and a few built-in seeds), mutated by byte
flips, insertions of format tokens, deletions, duplications, splices, deep nesting and truncation.

A parser must never raise (a ``ParseError`` fact is its only way to refuse input), must not report an
internal error, and must give the same facts for the same bytes (checked on every tenth input; a refusal
because a grammar ran out of time depends on the machine's load and is not counted as a difference). The
policy loader may only raise ``ConfigError``. Grammars get a 1 s base time budget instead of 5 s, so that
inputs that drive a grammar's error recovery into minutes are refused sooner; an input is reported as slow
when it takes longer than ``--slow`` seconds in all. Inputs that crash or raise are written to
``bench/fuzz-findings/`` (ignored by git) so they can be replayed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FINDINGS = HERE / "fuzz-findings"
MAX_SEED_BYTES = 16 * 1024
MAX_INPUT_BYTES = 64 * 1024

#: A file name each target reads (the name decides the format, and for sources the language).
NAMES: dict[str, list[str]] = {
    "android_nsc": ["network_security_config.xml"],
    "android_manifest": ["AndroidManifest.xml"],
    "gradle": ["build.gradle", "build.gradle.kts"],
    "plist": ["Info.plist"],
    "expo": ["app.json"],
    "cordova": ["config.xml"],
    "capacitor": ["capacitor.config.json"],
    "certificates": ["server.pem", "server.cer", "server.der", "client.p12", "trust.bks"],
    "lang_jvm": ["Net.kt", "Net.java"],
    "lang_apple": ["Net.swift", "Net.m"],
    "lang_dart": ["net.dart"],
    "lang_csharp": ["Net.cs"],
    "lang_javascript": ["net.js", "net.ts", "net.tsx"],
    "lang_python": ["net.py"],
    "presence": ["Podfile", "pubspec.yaml", "AndroidManifest.xml"],
    "jvm_class": ["Net$TrustAll.class"],
    "dex_file": ["classes.dex"],
    "macho_file": ["Vendor", "libVendor.a", "Vendor.dylib"],
    "archive": ["vendor.aar"],
    "axml": ["AndroidManifest.xml"],
    "arsc": ["resources.arsc"],
    "policy": [".pinlint.yaml", "pyproject.toml"],
    "suppress": ["Net.kt", "net.py", "network_security_config.xml"],
    "prefilter": ["Net.kt"],
    "pkcs12": ["client.p12"],
}

def _class_file() -> bytes:
    """A small, valid class file: a trust manager whose checkServerTrusted only returns, with line numbers, a
    string constant, a call and a lambda-free switch (written here so the fuzzer needs no compiler)."""
    import struct

    pool: list[bytes] = []

    def utf8(text: str) -> int:
        raw = text.encode()
        pool.append(b"\x01" + struct.pack(">H", len(raw)) + raw)
        return len(pool)

    def klass(name: str) -> int:
        index = utf8(name)
        pool.append(b"\x07" + struct.pack(">H", index))
        return len(pool)

    this, parent = klass("com/vendor/Net$TrustAll"), klass("java/lang/Object")
    interface = klass("javax/net/ssl/X509TrustManager")
    text = utf8("TLSv1")
    pool.append(b"\x08" + struct.pack(">H", text))
    string = len(pool)
    context = klass("javax/net/ssl/SSLContext")
    name_type = utf8("getInstance"), utf8("(Ljava/lang/String;)Ljavax/net/ssl/SSLContext;")
    pool.append(b"\x0c" + struct.pack(">HH", *name_type))
    pool.append(b"\x0a" + struct.pack(">HH", context, len(pool)))
    method_ref = len(pool)
    code_name, lines_name = utf8("Code"), utf8("LineNumberTable")
    check = utf8("checkServerTrusted"), utf8("([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V")
    install = utf8("install"), utf8("()V")

    def method(name: tuple[int, int], code: bytes) -> bytes:
        lines = struct.pack(">HIHHH", lines_name, 6, 1, 0, 9)
        body = struct.pack(">HHI", 2, 3, len(code)) + code + struct.pack(">H", 0) + struct.pack(">H", 1) + lines
        return struct.pack(">HHHH", 1, name[0], name[1], 1) + struct.pack(">HI", code_name, len(body)) + body

    switch = b"\x03\xaa" + struct.pack(">iiii", 8, 0, 0, 8) + b"\x00"  # iconst_0; tableswitch; nop
    methods = [method(check, b"\xb1"),
               method(install, b"\x12" + bytes([string]) + b"\xb8" + struct.pack(">H", method_ref) + b"\x57"
                      + switch + b"\xb1")]
    header = b"\xca\xfe\xba\xbe" + struct.pack(">HHH", 0, 52, len(pool) + 1) + b"".join(pool)
    return (header + struct.pack(">HHHHH", 0x21, this, parent, 1, interface) + struct.pack(">H", 0)
            + struct.pack(">H", len(methods)) + b"".join(methods) + struct.pack(">H", 0))


def _android_seeds() -> dict[str, list[bytes]]:
    """A DEX (smali), binary XML and a resource table (aapt) built from ``fixtures/_vendor-sdk``, and a nested
    archive, when those tools are installed (Debian: libsmali-java, aapt, android-framework-res)."""
    import io
    import shutil
    import zipfile

    seeds: dict[str, list[bytes]] = {"archive": []}
    sdk = ROOT / "fixtures" / "_vendor-sdk"
    work = Path(tempfile.mkdtemp(prefix="pinlint-fuzz-seeds-"))
    framework = Path("/usr/share/android-framework-res/framework-res.apk")
    try:
        if shutil.which("smali") and (sdk / "smali").is_dir():
            subprocess.run(["smali", "assemble", "-o", str(work / "classes.dex"), str(sdk / "smali")],
                           check=True, capture_output=True, timeout=300)
            seeds["dex_file"] = [(work / "classes.dex").read_bytes()]
        if shutil.which("aapt") and framework.is_file() and sdk.is_dir():
            subprocess.run(["aapt", "package", "-f", "-M", str(sdk / "AndroidManifest.xml"), "-S", str(sdk / "res"),
                            "-I", str(framework), "-F", str(work / "app.apk")], check=True, capture_output=True,
                           timeout=300)
            with zipfile.ZipFile(work / "app.apk") as apk:
                seeds["axml"] = [apk.read("AndroidManifest.xml"), apk.read("res/xml/network_security_config.xml")]
                seeds["arsc"] = [apk.read("resources.arsc")]
            seeds["archive"].append((work / "app.apk").read_bytes())
    except (OSError, subprocess.SubprocessError, KeyError, zipfile.BadZipFile):
        pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as jar:
        jar.writestr("com/vendor/Net$TrustAll.class", _class_file())
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_STORED) as aar:
        aar.writestr("classes.jar", inner.getvalue())
        if (sdk / "res/xml/network_security_config.xml").is_file():
            config = sdk / "res/xml/network_security_config.xml"
            aar.writestr("res/xml/network_security_config.xml", config.read_bytes())
    seeds["archive"].append(outer.getvalue())
    return seeds


ANDROID_TARGETS = ("archive", "axml", "arsc", "dex_file")


def android_seeds(target: str) -> list[bytes]:
    """``_android_seeds`` built once per machine and fixture state (the tools start a JVM), cached in a temp file."""
    import base64
    import hashlib

    sdk = ROOT / "fixtures" / "_vendor-sdk"
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in sorted(sdk.rglob("*")) if path.is_file()))
    cache = Path(tempfile.gettempdir()) / f"pinlint-fuzz-seeds-{digest.hexdigest()[:16]}.json"
    try:
        stored = json.loads(cache.read_text())
    except (OSError, ValueError):
        stored = {key: [base64.b64encode(item).decode() for item in items] for key, items in _android_seeds().items()}
        cache.write_text(json.dumps(stored))
    return [base64.b64decode(item) for item in stored.get(target, [])]


def _pkcs12_seeds() -> list[bytes]:
    """Real PKCS#12 files (unencrypted, PBES2 and PKCS#12-PBE), made with ``cryptography``."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.derive_private_key(7, ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fuzz")])
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(1).not_valid_before(datetime.datetime(2024, 1, 1))
                   .not_valid_after(datetime.datetime(2034, 1, 1)).sign(key, hashes.SHA256()))
    seeds = [pkcs12.serialize_key_and_certificates(b"f", key, certificate, None, serialization.NoEncryption())]
    for algorithm in (pkcs12.PBES.PBESv2SHA256AndAES256CBC, pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC):
        encryption = (serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(1000)
                      .key_cert_algorithm(algorithm).build(b"f"))
        seeds.append(pkcs12.serialize_key_and_certificates(b"f", key, certificate, None, encryption))
    return seeds


def _shared_plist() -> bytes:
    """A binary plist whose array refers to one string 200 times (the decoded-size budget's shape)."""
    objects = [b"\xd1\x01\x02", b"\x52TK", b"\xaf\x10\xc8" + b"\x03" * 200, b"\x5f\x10\x20" + b"A" * 32]
    offsets, body = [], b""
    for item in objects:
        offsets.append(8 + len(body))
        body += item
    trailer = (b"\x00" * 6 + bytes([2, 1]) + (4).to_bytes(8, "big") + (0).to_bytes(8, "big")
               + (8 + len(body)).to_bytes(8, "big"))
    return b"bplist00" + body + b"".join(offset.to_bytes(2, "big") for offset in offsets) + trailer


def _macho_seeds() -> list[bytes]:
    """Mach-O seeds: ``fixtures/_vendor-ios-sdk`` compiled by clang into 64- and 32-bit objects (when clang is
    installed), a fat file and a BSD static library of them, and a big-endian 32-bit dylib written by hand (with
    an ``LC_LOAD_DYLIB``, a ``__cstring`` section and an ``LC_ENCRYPTION_INFO`` with ``cryptid`` 1)."""
    import shutil
    import struct

    pin = b"C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M="
    name = b"@rpath/TrustKit.framework/TrustKit\x00\x00\x00"
    dylib = struct.pack(">IIIIII", 0xC, 24 + len(name), 24, 0, 0, 0) + name
    encryption = struct.pack(">IIIII", 0x21, 20, 0, 0, 1)
    strings = b"api.vendor.example\x00" + pin + b"\x00"
    commands_size = len(dylib) + len(encryption) + 56 + 68
    section = struct.pack(">16s16sIIIIIIIII", b"__cstring", b"__TEXT", 0, len(strings), 28 + commands_size, 0, 0, 0,
                          2, 0, 0)
    segment = struct.pack(">II16sIIIIIIII", 0x1, 124, b"__TEXT", 0, 0, 0, 0, 7, 5, 1, 0)
    seeds = [struct.pack(">IiiIIII", 0xFEEDFACE, 18, 0, 6, 3, commands_size, 0) + dylib + encryption + segment
             + section + strings]
    clang = shutil.which("clang")
    source = ROOT / "fixtures" / "_vendor-ios-sdk" / "VendorPinning.m"
    if clang is None or not source.is_file():
        return seeds
    work = Path(tempfile.mkdtemp(prefix="pinlint-fuzz-macho-"))
    try:
        objects = []
        for target in ("arm64-apple-ios14", "arm64_32-apple-watchos5"):
            output = work / f"{target}.o"
            subprocess.run([clang, "-target", target, "-fobjc-arc", "-I", str(ROOT / "tests/binary_stubs/apple"),
                            "-c", str(source), "-o", str(output)], check=True, capture_output=True, timeout=300)
            objects.append(output.read_bytes())
    except (OSError, subprocess.SubprocessError):
        return seeds
    finally:
        shutil.rmtree(work, ignore_errors=True)
    offset = 4096
    arches = b""
    body = b""
    for cpu, data in zip((0x100000C, 0x200000C), objects, strict=True):
        arches += struct.pack(">iiIII", cpu, 0, offset + len(body), len(data), 12)
        body += data + bytes(-len(data) % 4096)
    fat = struct.pack(">II", 0xCAFEBABE, len(objects)) + arches
    member_name = b"VendorPinning.o\x00"
    header = b"#1/%-13d" % len(member_name) + b"%-12d%-6d%-6d%-8s%-10d`\n" % (0, 0, 0, b"644", len(member_name)
                                                                          + len(objects[0]))
    library = b"!<arch>\n" + header + member_name + objects[0]
    return [*seeds, *objects, fat + bytes(offset - len(fat)) + body, library]


BUILTIN_SEEDS: dict[str, list[bytes]] = {
    "macho_file": _macho_seeds(),
    "pkcs12": _pkcs12_seeds(),
    "prefilter": [b'val a = "\\"\\"" // http://x\nval s = """\nhttp://raw\n"""\n/* \'http://c\' */ char c = \'"\';\n',
                  b"x = '\\'' + \"unterminated http://u\n\"\"\"\"/*\n*/ '''a'''\n"],
    "jvm_class": [_class_file()],
    "plist": [_shared_plist(),
              b"<plist><dict><key>NSAppTransportSecurity</key>" + b"<array>" * 20 + b"<true/>" * 50
              + b"</array>" * 20 + b"</dict></plist>",
              b"bplist00\xd1\x01\x02_\x10\x16NSAppTransportSecurity\x09\x08\x0b\x24\x00\x00\x00\x00\x00\x00\x01"
              b"\x01\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
              b"\x25"],
    "certificates": [b"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n",
                     b"\x30\x82\x01\x0a\x02\x82\x01\x01\x00"],
    "policy": [b"select: [PIN, CLR201]\nignore: [TRU301]\nseverity: {PIN101: high}\nexclude: ['**/test/**']\n"
               b"max-file-size: 1000\nsensitive-hosts: ['*.example.com']\nfail-on: medium\n",
               b"[tool.pinlint]\nselect = ['PIN']\nfail-on = 'high'\n[tool.pinlint.options.PIN101]\n"],
    "suppress": [b"val u = \"http://a.example\" // pinlint: ignore[CLR203] -- test host\n",
                 b"x = 1  # pinlint: disable-next-line=TRU301 reason: vendor\n"],
}

TOKENS = [
    b"<", b">", b"</", b"/>", b"<!DOCTYPE x [", b"<!ENTITY e SYSTEM \"file:///etc/passwd\">", b"]>", b"&e;",
    b"<!ENTITY % p SYSTEM \"http://127.0.0.1:9/\"> %p;", b"<![CDATA[", b"]]>", b"<?xml version=\"1.0\"?>",
    b"&amp;", b"&#0;", b"&#x110000;", b"<dict>", b"</dict>", b"<array>", b"</array>", b"<key>", b"</key>",
    b"<true/>", b"<integer>99999999999999999999999999</integer>", b"<date>", b"<data>", b"#if DEBUG\n",
    b"#else\n", b"#endif\n", b"{", b"}", b"[", b"]", b"(", b")", b"\"", b"'", b"`", b"\\", b"\\u", b"\\ud800",
    b"/*", b"*/", b"//", b"#", b"\n", b"\r", b"\t", b"\x00", b"\xff", b"\xfe\xff", b"\xef\xbb\xbf", b"\xc3",
    b"http://", b"ws://", b"https://", b"${", b"$(", b"@", b"!!python/object/apply:os.system",
    b"&a [*a, *a]", b"*a", b"<<: *a", b"---\n", b"=", b":", b",", b";", b"-", b"+", b"!", b"?", b".",
    b"1e999999", b"-0", b"99999999999999999999999999999999999999", b"true", b"false", b"null",
    b"-----BEGIN CERTIFICATE-----\n", b"-----END CERTIFICATE-----\n", b"-----BEGIN PRIVATE KEY-----\n",
    b"\x30\x82\xff\xff", b"bplist00", b"sha256/", b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    b"cleartextTrafficPermitted=\"true\"", b"NSAllowsArbitraryLoads", b"NSExceptionDomains", b"TSKPinnedDomains",
    b"serverTrust", b"X509TrustManager", b"checkServerTrusted", b"HostnameVerifier", b"verify=False",
    b"badCertificateCallback", b"ServerCertificateCustomValidationCallback", b"rejectUnauthorized",
    b"CertificatePinner", b"pin-set", b"expiration=\"", b"pinlint: ignore", b"pinlint: disable=",
    b"class ", b"fun ", b"func ", b"def ", b"return ", b"if ", b"else ", b"lambda ", b"not ", b" and ",
    b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce", b"\xca\xfe\xba\xbe\x00\x00\x00\x02", b"!<arch>\n", b"#1/20           ",
    b"\x0c\x00\x00\x00", b"\x19\x00\x00\x00", b"\x2c\x00\x00\x00", b"__cstring\x00\x00\x00\x00\x00\x00\x00",
    b"\xff\xff\xff\x7f",
]

NESTINGS = [(b"(", b")"), (b"[", b"]"), (b"{", b"}"), (b"<a>", b"</a>"), (b"<array>", b"</array>"),
            (b"-", b""), (b"!", b""), (b"not ", b""), (b"x + ", b""), (b"a.", b"b"), (b"f(", b")"),
            (b"android {\n", b"}\n"), (b"<dict><key>k</key>", b"</dict>")]


# ----------------------------------------------------------------------------------------------- inputs


def seeds_for(target: str) -> list[tuple[str, bytes]]:
    """(file name, bytes) seeds: fixture files the target accepts, then the built-in ones."""
    names = NAMES[target]
    found: list[tuple[str, bytes]] = []
    fixtures = ROOT / "fixtures"
    accepts = _acceptor(target)
    if fixtures.is_dir():
        for path in sorted(fixtures.rglob("*")):
            if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_SEED_BYTES:
                continue
            data = path.read_bytes()
            if accepts(path.name, data[:4096]):
                found.append((path.name, data))
    found += [(name, data) for data in BUILTIN_SEEDS.get(target, []) for name in names]
    if target in ANDROID_TARGETS:
        found += [(name, data) for data in android_seeds(target) for name in names]
    if not found:
        found = [(name, b"") for name in names]
    return found


def _acceptor(target: str) -> Callable[[str, bytes], bool]:
    if target in ("archive", "axml", "arsc"):
        return lambda _name, _head: False  # seeded by _android_seeds only
    if target == "policy":
        return lambda name, _head: name in (".pinlint.yaml", "pyproject.toml")
    if target == "suppress":
        return lambda name, _head: name.endswith((".kt", ".java", ".swift", ".py", ".js", ".ts", ".xml", ".dart"))
    if target == "prefilter":
        return lambda name, _head: name.endswith((".kt", ".java", ".swift", ".m", ".dart", ".cs", ".js", ".ts"))
    if target == "pkcs12":
        return lambda name, _head: name.endswith((".p12", ".pfx"))
    from pinlint import parsers

    return parsers.load(parsers.module_named(target)).accepts


def make_input(rng: random.Random, seeds: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    name, data = rng.choice(seeds)
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        mutate(rng, buffer, seeds)
    if len(buffer) > MAX_INPUT_BYTES:
        del buffer[MAX_INPUT_BYTES:]
    return name, bytes(buffer)


def mutate(rng: random.Random, buffer: bytearray, seeds: list[tuple[str, bytes]]) -> None:
    choice = rng.randrange(9)
    size = len(buffer)
    at = rng.randint(0, size)
    if choice == 0 and size:  # flip bytes
        for _ in range(rng.randint(1, 8)):
            index = rng.randrange(size)
            buffer[index] = rng.randrange(256)
    elif choice == 1:  # insert a token
        buffer[at:at] = rng.choice(TOKENS)
    elif choice == 2 and size:  # delete a range
        del buffer[at:at + rng.randint(1, 64)]
    elif choice == 3 and size:  # duplicate a range, sometimes many times
        start = rng.randrange(size)
        chunk = bytes(buffer[start:start + rng.randint(1, 256)])
        buffer[at:at] = chunk * rng.choice((1, 2, 10, 100))
    elif choice == 4:  # nest deeply
        opening, closing = rng.choice(NESTINGS)
        depth = rng.choice((10, 300, 1500, 5000))
        end = rng.randint(at, size)
        buffer[end:end] = closing * depth
        buffer[at:at] = opening * depth
    elif choice == 5:  # splice with another seed
        _name, other = rng.choice(seeds)
        if other:
            start = rng.randrange(len(other))
            buffer[at:at] = other[start:start + rng.randint(1, 512)]
    elif choice == 6:  # truncate
        del buffer[at:]
    elif choice == 7:  # random bytes
        buffer[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    else:  # repeat a token many times (long lines, many entities)
        buffer[at:at] = rng.choice(TOKENS) * rng.choice((100, 1000, 5000))


def input_number(seed: int, target: str, index: int) -> random.Random:
    return random.Random(f"{seed}:{target}:{index}")


# ----------------------------------------------------------------------------------------------- running


def _binary_runner(target: str) -> Callable[[str, bytes], list[object]]:
    """Archive, binary XML and resource-table readers: they may refuse only with their own errors."""
    import io

    from pinlint.discover import archives
    from pinlint.parsers.binary import arsc, axml

    def archive(_name: str, data: bytes) -> list[object]:
        return [repr(item) for item in archives.members(io.BytesIO(data), "fuzz.aar", lambda _member: True)]

    def binary_xml(_name: str, data: bytes) -> list[object]:
        try:
            return [axml.to_text(data)]
        except axml.AxmlError as error:
            return [f"AxmlError: {error}"]

    def table(_name: str, data: bytes) -> list[object]:
        try:
            found = arsc.read(data)
            return [repr(found.names), repr(found.files)]
        except axml.AxmlError as error:
            return [f"AxmlError: {error}"]

    return {"archive": archive, "axml": binary_xml, "arsc": table}[target]


def runner(target: str) -> Callable[[str, bytes], list[object]]:
    """A function that feeds bytes to ``target`` and returns its facts (or what it raised, re-raised)."""
    if target == "policy":
        from pinlint.config.loader import ConfigError, load_config

        folder = Path(tempfile.mkdtemp(prefix="pinlint-fuzz-"))

        def load(name: str, data: bytes) -> list[object]:
            path = folder / name
            path.write_bytes(data)
            try:
                return [repr(vars(load_config(path)))]
            except ConfigError as error:
                return [f"ConfigError: {error}"]

        return load
    if target in ("archive", "axml", "arsc"):
        return _binary_runner(target)
    if target == "suppress":
        from pinlint.triage.suppress import parse_directives

        return lambda name, data: list(parse_directives(name, data.decode("utf-8-sig", errors="replace")))
    if target == "prefilter":
        return _prefilter_runner()
    from pinlint import parsers
    from pinlint.parsers import SourceFile

    module = parsers.load(parsers.module_named("certificates" if target == "pkcs12" else target))
    return lambda name, data: module.parse(SourceFile(Path("/fuzz") / name, name, data))


def _prefilter_runner() -> Callable[[str, bytes], list[object]]:
    """The C-family comment scan, checked against the regular expression it replaced (same tokens)."""
    from pinlint.parsers.code.prefilter import Prefilter, c_family_tokens

    reference = re.compile(rb'"""[\s\S]*?"""' rb"|'''[\s\S]*?'''" rb'|"(?:\\.|[^"\\\n])*"'
                           rb"|'(?:\\.|[^'\\\n])*'" rb"|(//[^\n]*|/\*[\s\S]*?(?:\*/|\Z))")
    wants = Prefilter.of((b"http://", b"ws://"), "c").wants

    def run(_name: str, data: bytes) -> list[object]:
        tokens = list(c_family_tokens(data))
        expected = [(m.start(), m.end(), m.group(1) is not None) for m in reference.finditer(data)]
        if tokens != expected:
            raise AssertionError("tokens differ from the reference expression")
        return [wants(data), len(tokens)]

    return run


_ADDRESS = re.compile(r" at 0x[0-9a-f]+")
_TIMED_OUT = "took longer than"


def normal(facts: list[object]) -> str:
    return _ADDRESS.sub("", repr(facts))


def signature(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = next((f"{Path(frame.filename).name}:{frame.lineno}" for frame in reversed(frames)
                  if "pinlint" in frame.filename), "?")
    return f"{type(error).__name__} at {where}: {str(error)[:120]}"


def work(target: str, count: int, seed: int, start: int, slow: float) -> None:
    """The child: run inputs ``start`` to ``count`` of ``target``, printing progress and a summary line."""
    from pinlint.parsers.code import treesitter

    # Cut pathological grammar runs short (a refusal, CFG901, either way) so 10,000 inputs finish in minutes.
    treesitter.PARSE_SECONDS_BASE = min(treesitter.PARSE_SECONDS_BASE, 1.0)
    seeds = seeds_for(target)
    run = runner(target)
    exceptions: Counter[str] = Counter()
    internal: Counter[str] = Counter()
    unstable = 0
    slow_inputs: list[tuple[int, float]] = []
    out = sys.stdout
    for index in range(start, count):
        out.write(f"at {index}\n")
        out.flush()
        name, data = make_input(input_number(seed, target, index), seeds)
        began = time.perf_counter()
        try:
            facts = run(name, data)
        except BaseException as error:  # everything a parser lets out is a finding of this script
            exceptions[signature(error)] += 1
            save(target, index, name, data, signature(error))
            continue
        spent = time.perf_counter() - began
        if spent > slow:
            slow_inputs.append((index, round(spent, 2)))
            save(target, index, name, data, f"slow: {spent:.1f}s")
        for fact in facts:
            reason = str(getattr(fact, "reason", ""))
            if "internal error" in reason:
                internal[reason[:160]] += 1
                save(target, index, name, data, reason)
        if index % 10 == 0:
            first, second = normal(facts), normal(run(name, data))
            # a grammar's time budget depends on the machine's load: a refusal by time is not instability
            if first != second and _TIMED_OUT not in first + second:
                unstable += 1
                save(target, index, name, data, "different facts on a second run")
    summary = {"exceptions": dict(exceptions), "internal_errors": dict(internal), "unstable": unstable,
               "slow": slow_inputs}
    out.write("summary " + json.dumps(summary) + "\n")
    out.flush()


def save(target: str, index: int, name: str, data: bytes, why: str) -> None:
    FINDINGS.mkdir(exist_ok=True)
    stem = f"{target}-{index}-{name}"
    (FINDINGS / stem).write_bytes(data)
    (FINDINGS / f"{stem}.why").write_text(why + "\n")


def drive(target: str, count: int, seed: int, slow: float) -> dict[str, object]:
    """Run ``target`` in child processes, restarting after a crash; the per-target result."""
    began = time.perf_counter()
    result: dict[str, object] = {"target": target, "inputs": count, "crashes": [], "exceptions": {},
                                 "internal_errors": {}, "unstable": 0, "slow": []}
    start = 0
    while start < count:
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", target, "--count", str(count),
                   "--seed", str(seed), "--start", str(start), "--slow", str(slow)]
        process = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        last = start
        summary = None
        for line in process.stdout.splitlines():
            if line.startswith("at "):
                last = int(line[3:])
            elif line.startswith("summary "):
                summary = json.loads(line[len("summary "):])
        if summary is not None:
            _merge(result, summary)
            break
        # the child died on input ``last``: record it and carry on after it
        name, data = make_input(input_number(seed, target, last), seeds_for(target))
        detail = f"process died (exit {process.returncode}) {process.stderr.strip().splitlines()[-1:]}"
        save(target, last, name, data, detail)
        crashes = result["crashes"]
        assert isinstance(crashes, list)
        crashes.append({"input": last, "detail": detail})
        partial = [line for line in process.stdout.splitlines() if line.startswith("summary ")]
        if partial:
            _merge(result, json.loads(partial[-1][len("summary "):]))
        start = last + 1
    result["seconds"] = round(time.perf_counter() - began, 1)
    return result


def _merge(result: dict[str, object], summary: dict[str, object]) -> None:
    for key in ("exceptions", "internal_errors"):
        merged = result[key]
        assert isinstance(merged, dict)
        for text, number in dict(summary[key]).items():  # type: ignore[call-overload]
            merged[text] = merged.get(text, 0) + number
    result["unstable"] = int(result["unstable"]) + int(summary["unstable"])  # type: ignore[call-overload]
    slow = result["slow"]
    assert isinstance(slow, list)
    slow.extend(summary["slow"])  # type: ignore[arg-type]


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    arguments.add_argument("--count", type=int, default=10_000, help="inputs per target (default 10000)")
    arguments.add_argument("--seed", type=int, default=1)
    arguments.add_argument("--only", default="", help="comma-separated targets (default: all)")
    arguments.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="targets fuzzed at once")
    arguments.add_argument("--slow", type=float, default=5.0, help="seconds after which an input counts as slow")
    arguments.add_argument("--json", type=Path, help="also write the results to this file")
    arguments.add_argument("--worker", help=argparse.SUPPRESS)
    arguments.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    options = arguments.parse_args()
    if options.worker:
        work(options.worker, options.count, options.seed, options.start, options.slow)
        return 0
    targets = [name.strip() for name in options.only.split(",") if name.strip()] or list(NAMES)
    unknown = [name for name in targets if name not in NAMES]
    if unknown:
        arguments.error(f"unknown target(s): {', '.join(unknown)} (known: {', '.join(NAMES)})")
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        results = list(pool.map(lambda target: drive(target, options.count, options.seed, options.slow), targets))
    problems = 0
    print(f"{'target':<18}{'inputs':>8}{'crashes':>9}{'raised':>8}{'internal':>10}{'unstable':>10}{'slow':>6}"
          f"{'seconds':>9}")
    for result in results:
        raised = sum(dict(result["exceptions"]).values())  # type: ignore[call-overload]
        internal = sum(dict(result["internal_errors"]).values())  # type: ignore[call-overload]
        crashes = len(result["crashes"])  # type: ignore[arg-type]
        slow = len(result["slow"])  # type: ignore[arg-type]
        problems += raised + internal + crashes + int(result["unstable"])  # type: ignore[call-overload]
        print(f"{result['target']:<18}{result['inputs']:>8}{crashes:>9}{raised:>8}{internal:>10}"
              f"{result['unstable']:>10}{slow:>6}{result['seconds']:>9}")
        for text, number in {**dict(result["exceptions"]), **dict(result["internal_errors"])}.items():  # type: ignore[call-overload]
            print(f"    {number} x {text}")
        for crash in result["crashes"]:  # type: ignore[attr-defined]
            print(f"    crash on input {crash['input']}: {crash['detail']}")
    total = sum(int(result["inputs"]) for result in results)  # type: ignore[call-overload]
    print(f"{total} inputs in {time.perf_counter() - began:.0f} s; problems: {problems}"
          + (f" (inputs saved in {FINDINGS})" if problems else ""))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
