"""A hostile project tree, generated in a temporary folder: every kind of input a vendor tree could use
against pinlint (entity bombs, external entities and DTDs, oversized files, binary junk, deep nesting, bad
encodings, link loops and links out of the tree, special files, code that would act if it were run).

``build(root, outside, port)`` writes the tree under ``root`` and returns what a scan must report for each
file. ``outside`` holds ``SECRET`` in files that links and external entities point at; ``port`` is a local
TCP port that listens during the scan, so any network access shows up as a connection.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path

#: A token that only exists outside the scanned tree: it must never appear in any output.
SECRET = "PINLINT-SECRET-7f3a9c1e-never-read"
#: Files that code in the tree would create if pinlint ever ran it.
PWNED = "PWNED-by-hostile-tree"

NSC = "app/src/main/res/xml"
DEEP_SOURCE_DEPTH = 100_000
DEEP_XML_DEPTH = 50_000
HUGE_FILE_SIZE = 40 * 1024 * 1024
LONG_LINE_SIZE = 5_000_000


@dataclass(frozen=True, slots=True)
class Expectation:
    """What the scan must say about one path (POSIX, relative to the root).

    ``kind``: ``finding`` (one of ``rules`` with ``reason`` in its message), ``skip`` (a reported skip
    whose reason holds ``reason``), ``quiet`` (no crash; findings allowed but none required).
    """

    path: str
    kind: str
    rules: frozenset[str] = frozenset()
    reason: str = ""


def _unsafe(path: str, reason: str) -> Expectation:
    return Expectation(path, "finding", frozenset({"CFG902"}), reason)


def _unreadable(path: str, reason: str = "") -> Expectation:
    return Expectation(path, "finding", frozenset({"CFG901"}), reason)


def _write(root: Path, relative: str, data: bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def billion_laughs(root_tag: str) -> bytes:
    lines = ['<?xml version="1.0"?>', f"<!DOCTYPE {root_tag} [", '<!ENTITY lol0 "lol">']
    lines += [f'<!ENTITY lol{level} "' + f"&lol{level - 1};" * 10 + '">' for level in range(1, 10)]
    lines += ["]>", f"<{root_tag}><domain-config><domain>&lol9;</domain></domain-config></{root_tag}>"]
    return "\n".join(lines).encode()


def external_entity(root_tag: str, target: str) -> bytes:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE {root_tag} [\n<!ENTITY x SYSTEM "{target}">\n]>\n'
            f"<{root_tag}><domain-config><domain>&x;</domain></domain-config></{root_tag}>").encode()


def _junk(seed: int, size: int) -> bytes:
    generator = random.Random(seed)
    return bytes(generator.getrandbits(8) for _ in range(size))


def _deep_binary_plist(depth: int) -> bytes:
    """A binary plist of ``depth`` arrays, each holding the next (object n refers to object n + 1)."""
    ref_size = 4
    objects = [b"\xa1" + (index + 1).to_bytes(ref_size, "big") for index in range(depth)]
    objects.append(b"\x08")  # false
    header = b"bplist00"
    offsets: list[int] = []
    body = b""
    for item in objects:
        offsets.append(len(header) + len(body))
        body += item
    offset_size = 4
    table = b"".join(offset.to_bytes(offset_size, "big") for offset in offsets)
    trailer = (b"\x00" * 6 + bytes([offset_size, ref_size]) + len(objects).to_bytes(8, "big")
               + (0).to_bytes(8, "big") + (len(header) + len(body)).to_bytes(8, "big"))
    return header + body + table + trailer


def _shared_binary_plist(levels: int) -> bytes:
    """A binary plist whose arrays each hold the next one twice: 2**levels paths through a small file."""
    ref_size = 2
    objects = [b"\xa2" + (index + 1).to_bytes(ref_size, "big") * 2 for index in range(levels)]
    objects.append(b"\x09")  # true
    header = b"bplist00"
    offsets: list[int] = []
    body = b""
    for item in objects:
        offsets.append(len(header) + len(body))
        body += item
    table = b"".join(offset.to_bytes(4, "big") for offset in offsets)
    trailer = (b"\x00" * 6 + bytes([4, ref_size]) + len(objects).to_bytes(8, "big")
               + (0).to_bytes(8, "big") + (len(header) + len(body)).to_bytes(8, "big"))
    return header + body + table + trailer


def _cyclic_binary_plist() -> bytes:
    """A binary plist whose root dictionary is its own ``NSAppTransportSecurity`` value."""
    key = b"NSAppTransportSecurity"
    objects = [b"\xd1\x01\x00", b"\x5f\x10" + bytes([len(key)]) + key]
    header = b"bplist00"
    offsets = [len(header), len(header) + len(objects[0])]
    body = b"".join(objects)
    table = bytes(offsets)
    trailer = (b"\x00" * 6 + bytes([1, 1]) + (2).to_bytes(8, "big") + (0).to_bytes(8, "big")
               + (len(header) + len(body)).to_bytes(8, "big"))
    return header + body + table + trailer


def _deep_sources(depth: int) -> dict[str, bytes]:
    """One file per source language whose only expression nests ``depth`` levels (brackets and chains)."""
    url = '"http://deep.example"'
    parens = "(" * depth + url + ")" * depth
    chain = url + ' + "x"' * depth
    minus = "-" * depth + "1"
    lines_chain = url + "\n" + ' + "x"\n' * depth  # several lines, so it does not look minified
    return {
        "deep/Parens.kt": f"val x = {parens}\n".encode(),
        "deep/Chain.kt": f"val x = {chain}\n".encode(),
        "deep/Parens.java": f"class Parens {{ String x = {parens}; }}\n".encode(),
        "deep/Chain.java": f"class Chain {{ String x = {chain}; int y = {minus}; }}\n".encode(),
        "deep/Parens.swift": f"let x = {parens}\n".encode(),
        "deep/Chain.swift": f"let x = {chain}\n".encode(),
        "deep/Parens.m": f"void f(void) {{ id x = @{parens}; int y = {minus}; }}\n".encode(),
        "deep/parens.dart": f"var x = {parens};\n".encode(),
        "deep/chain.dart": f"var x = {chain};\n".encode(),
        "deep/Parens.cs": f"class P {{ string x = {parens}; }}\n".encode(),
        "deep/Chain.cs": f"class C {{ string x = {chain}; int y = {minus}; }}\n".encode(),
        "deep/parens.js": ("const x =\n" + "(\n" * depth + url + "\n" + ")\n" * depth).encode(),
        "deep/chain.js": f"const x =\n{lines_chain};\n".encode(),
        "deep/chain.ts": f"const x: string =\n{lines_chain};\n".encode(),
        "deep/parens.tsx": ("const x =\n" + "(\n" * depth + url + "\n" + ")\n" * depth).encode(),
        "deep/parens.py": f"x = {parens}\n".encode(),
        "deep/chain.py": f"x = {chain}\n".encode(),
        "deep/minus.py": f"verify = {minus}\n".encode(),
        "deep/and.py": ("verify = " + " and ".join(["a"] * depth) + "\n").encode(),
        "deep/build.gradle": b"android {\n" * depth + b'  buildConfigField "String", "U", "http://deep.example"\n',
        "deep/settings/build.gradle.kts": b"android(" * depth + b'"http://deep.example"' + b")" * depth,
    }


def build(root: Path, outside: Path, port: int) -> list[Expectation]:
    """Write the hostile tree under ``root`` (and the secret under ``outside``); return the expectations."""
    outside.mkdir(parents=True, exist_ok=True)
    secret_file = outside / "secret.xml"
    secret_file.write_text(f"<network-security-config><!-- {SECRET} --></network-security-config>\n")
    (outside / "secret.txt").write_text(SECRET + "\n")
    (outside / "Info.plist").write_text(f"<plist><dict><key>{SECRET}</key><true/></dict></plist>")
    url = f"http://127.0.0.1:{port}"
    expect: list[Expectation] = []

    def put(relative: str, data: bytes, expectation: Expectation) -> None:
        _write(root, relative, data)
        expect.append(expectation)

    # XML: entity bombs, external entities (local file, URL), remote DTDs.
    put(f"{NSC}/network_security_config.xml", billion_laughs("network-security-config"),
        _unsafe(f"{NSC}/network_security_config.xml", "entit"))
    put(f"{NSC}/network_security_config_file.xml",
        external_entity("network-security-config", (outside / "secret.txt").as_uri()),
        _unsafe(f"{NSC}/network_security_config_file.xml", "entit"))
    put(f"{NSC}/network_security_config_relative.xml",
        external_entity("network-security-config", os.path.relpath(outside / "secret.txt", root / NSC)),
        _unsafe(f"{NSC}/network_security_config_relative.xml", "entit"))
    put(f"{NSC}/network_security_config_url.xml", external_entity("network-security-config", f"{url}/entity"),
        _unsafe(f"{NSC}/network_security_config_url.xml", "entit"))
    put("remote/src/main/AndroidManifest.xml",
        f'<?xml version="1.0"?>\n<!DOCTYPE manifest SYSTEM "{url}/evil.dtd">\n<manifest/>\n'.encode(),
        _unsafe("remote/src/main/AndroidManifest.xml", "external DTD"))
    put("param/src/main/AndroidManifest.xml",
        f'<!DOCTYPE manifest [<!ENTITY % remote SYSTEM "{url}/param.dtd"> %remote;]>\n<manifest/>\n'.encode(),
        _unsafe("param/src/main/AndroidManifest.xml", ""))
    put("xinclude/src/main/res/xml/network_security_config.xml",
        (f'<network-security-config xmlns:xi="http://www.w3.org/2001/XInclude">'
         f'<xi:include href="{secret_file.as_uri()}"/><xi:include href="{url}/x.xml"/>'
         f"</network-security-config>").encode(),
        Expectation("xinclude/src/main/res/xml/network_security_config.xml", "quiet"))
    put("ios/Entity/Info.plist",
        (f'<?xml version="1.0"?>\n<!DOCTYPE plist [<!ENTITY x SYSTEM "{(outside / "secret.txt").as_uri()}">]>\n'
         "<plist><dict><key>NSAppTransportSecurity</key><dict><key>&x;</key><true/></dict></dict></plist>"
         ).encode(),
        _unsafe("ios/Entity/Info.plist", "entit"))
    put("ios/Laughs/Info.plist", billion_laughs("plist"), _unsafe("ios/Laughs/Info.plist", "entit"))
    put("ios/RemoteDTD/Info.plist",
        (f'<?xml version="1.0"?>\n<!DOCTYPE plist SYSTEM "{url}/plist.dtd">\n'
         "<plist><dict><key>NSAppTransportSecurity</key><dict/></dict></plist>").encode(),
        Expectation("ios/RemoteDTD/Info.plist", "quiet"))
    put("cordova/config.xml",
        (f'<?xml version="1.0"?>\n<!DOCTYPE widget [<!ENTITY x SYSTEM "{(outside / "secret.txt").as_uri()}">]>\n'
         '<widget xmlns="http://www.w3.org/ns/widgets"><access origin="&x;"/></widget>').encode(),
        _unsafe("cordova/config.xml", "entit"))

    # Oversized: a 40 MB config (sparse, so it costs no disk and no time to write).
    huge = root / "huge/src/main/res/xml/network_security_config.xml"
    huge.parent.mkdir(parents=True, exist_ok=True)
    with huge.open("wb") as handle:
        handle.write(b"<network-security-config>")
        handle.truncate(HUGE_FILE_SIZE)
    expect.append(_unreadable("huge/src/main/res/xml/network_security_config.xml", "limit"))

    # Binary junk under configuration names; bplist junk and bplist structures that attack the reader.
    for index, name in enumerate((
        "junk/src/main/AndroidManifest.xml", "junk/src/main/res/xml/network_security_config.xml",
        "junk/ios/Info.plist",
    )):
        put(name, _junk(index, 4096), _unreadable(name))
    # junk that holds a parser's trigger word, so it is read rather than passed over by the prefilter
    for index, (name, trigger) in enumerate((
        ("junk/app.json", b"infoPlist"), ("junk/capacitor.config.json", b"cleartext"),
        ("junk/cordova/config.xml", b"<access"),
    )):
        head = b"<widget" if name.endswith(".xml") else b""
        put(name, head + _junk(20 + index, 4096) + trigger, _unreadable(name))
    # formats read tolerantly, or that may hold keys rather than certificates: any result but a crash
    put("junk/build.gradle", _junk(99, 4096) + b"\x00http://junk.example", Expectation("junk/build.gradle", "quiet"))
    put("junk/certs/server.pem", b"-----BEGIN CERTIFICATE-----\n" + _junk(8, 600) + b"\n-----END CERTIFICATE-----\n",
        _unreadable("junk/certs/server.pem"))
    put("junk/certs/server.der", _junk(9, 1200), Expectation("junk/certs/server.der", "quiet"))
    put("junk/certs/keystore.p12", _junk(10, 1200), Expectation("junk/certs/keystore.p12", "quiet"))
    put("bplist/Junk/Info.plist", b"bplist00" + _junk(11, 2048), _unreadable("bplist/Junk/Info.plist"))
    put("bplist/Truncated/Info.plist", b"bplist00\xd1\x01\x02", _unreadable("bplist/Truncated/Info.plist"))
    put("bplist/Deep/Info.plist", _deep_binary_plist(DEEP_XML_DEPTH), _unreadable("bplist/Deep/Info.plist"))
    put("bplist/Cycle/Info.plist", _cyclic_binary_plist(), Expectation("bplist/Cycle/Info.plist", "quiet"))
    put("bplist/Shared/Info.plist", _shared_binary_plist(64), Expectation("bplist/Shared/Info.plist", "quiet"))

    # Deep nesting: XML, XML plists, JSON.
    depth = DEEP_XML_DEPTH
    put("deepxml/src/main/res/xml/network_security_config.xml",
        b"<network-security-config>" + b"<domain-config>" * depth + b"</domain-config>" * depth
        + b"</network-security-config>",
        _unreadable("deepxml/src/main/res/xml/network_security_config.xml"))
    put("deepxml/ios/Info.plist",
        b'<?xml version="1.0"?><plist><dict><key>NSAppTransportSecurity</key>' + b"<array>" * depth
        + b"</array>" * depth + b"</dict></plist>",
        _unreadable("deepxml/ios/Info.plist", "deep"))
    put("deepjson/app.json", b'{"expo": {"ios": {"infoPlist": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}}",
        _unreadable("deepjson/app.json", "deep"))
    put("deepjson/capacitor.config.json", b'{"server": {"cleartext": ' + b'{"a":' * 100_000 + b"1" + b"}" * 100_000
        + b"}}", _unreadable("deepjson/capacitor.config.json", "deep"))

    # 100,000-deep expressions in every source language, and in Gradle scripts.
    for relative, data in _deep_sources(DEEP_SOURCE_DEPTH).items():
        put(relative, data, Expectation(relative, "quiet"))

    # Invalid UTF-8 and NUL bytes.
    put(f"{NSC}/network_security_config_nul.xml",
        b"<network-security-config>\x00\xff\xfe<domain-config cleartextTrafficPermitted=\"true\">",
        _unreadable(f"{NSC}/network_security_config_nul.xml"))
    put("encoding/Bad.kt", b'val u = "http://bad\xff\xfe\x00.example"\n\x00\x00fun f() {}\n',
        Expectation("encoding/Bad.kt", "quiet"))
    put("encoding/bad.py", b'u = "http://bad\xff\xfe.example"\x00\nverify=False\x00\n',
        Expectation("encoding/bad.py", "quiet"))
    put("encoding/app.json", b'{"expo": {"ios": {"infoPlist": {"\xff\xfe\x00": true}}}}',
        Expectation("encoding/app.json", "quiet"))
    put("surrogate/app.json",
        b'{"expo": {"ios": {"infoPlist": {"NSAppTransportSecurity": {"NSExceptionDomains": '
        b'{"\\ud800\\udfff\\ud800.example": {"NSExceptionAllowsInsecureHTTPLoads": true}}}}}}}',
        Expectation("surrogate/app.json", "quiet"))
    put("long/capacitor.config.json", b'{"server": {"cleartext": ' + b"7" * 100_000 + b"}}",
        _unreadable("long/capacitor.config.json", "number"))
    # names that are not UTF-8, or that hold a newline and workflow-command syntax
    for raw_name in (b"names/bad\xff\xfename.kt", b"names/line\n::error ::injected.kt"):
        path = os.fsencode(root) + b"/" + raw_name
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b'val u = "http://named.example"\n')
    put("encoding/Info.plist", b'<?xml version="1.0" encoding="UTF-8"?><plist><dict><key>\xff\xfe</key>'
        b"<true/></dict></plist>", _unreadable("encoding/Info.plist"))

    # 5 MB single lines (just under the default size limit).
    filler = "a" * LONG_LINE_SIZE
    put("long/Line.kt", f'val u = "http://long.example/{filler}"\n'.encode(), Expectation("long/Line.kt", "quiet"))
    put("long/app.json", f'{{"expo": {{"ios": {{"infoPlist": {{"X": "{filler}"}}}}}}}}'.encode(),
        Expectation("long/app.json", "quiet"))
    put("long/src/main/res/xml/network_security_config.xml",
        f'<network-security-config><!-- {filler} --><base-config cleartextTrafficPermitted="true"/>'
        f"</network-security-config>".encode(),
        Expectation("long/src/main/res/xml/network_security_config.xml", "finding", frozenset({"CLR201"})))

    # Links: loops, and links out of the root (to a file and to a folder).
    links = root / "links"
    links.mkdir()
    os.symlink(".", links / "self")
    os.symlink("loop-b", links / "loop-a")
    os.symlink("loop-a", links / "loop-b")
    os.symlink(secret_file, links / "network_security_config.xml")
    os.symlink(outside, links / "outside-folder")
    os.symlink(outside / "Info.plist", links / "Info.plist")
    for name in ("self", "loop-a", "loop-b", "network_security_config.xml", "outside-folder", "Info.plist"):
        expect.append(Expectation(f"links/{name}", "skip", reason="symbolic link"))

    # Awkward names: spaces, unicode and '#' (the finding's SARIF URI must be percent-encoded).
    odd = "odd name/src/main/res/xml/network_security_config #1 \u00fc\u00f1\u00ee.xml"
    put(odd, b'<network-security-config><base-config cleartextTrafficPermitted="true"/></network-security-config>',
        Expectation(odd, "finding", frozenset({"CLR201"})))

    # Special files: a FIFO named like a config (reading it would hang), a folder named like a file.
    fifo = root / "special/src/main/res/xml/network_security_config.xml"
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo)
    expect.append(Expectation("special/src/main/res/xml/network_security_config.xml", "skip", reason="regular"))
    (root / "special/src/main/AndroidManifest.xml").mkdir(parents=True)

    # Code and policy that would act if pinlint ran or built it.
    put(".pinlint.yaml", f'select: !!python/object/apply:os.system ["touch {PWNED}-yaml"]\n'.encode(),
        Expectation(".pinlint.yaml", "quiet"))
    put("act/build.gradle", f'new File("{PWNED}-gradle").text = "x"\nandroid {{ }}\n'.encode(),
        Expectation("act/build.gradle", "quiet"))
    put("act/setup.py", f'open("{PWNED}-setup", "w").write("x")\nimport ssl\n'.encode(),
        Expectation("act/setup.py", "quiet"))
    put("act/conftest.py", f'open("{PWNED}-conftest", "w")\nverify = False\n'.encode(),
        Expectation("act/conftest.py", "quiet"))
    put("act/app.config.js", f'require("fs").writeFileSync("{PWNED}-js", "x"); // http://x.example\n'.encode(),
        Expectation("act/app.config.js", "quiet"))
    put("act/pubspec.yaml", f'name: !!python/object/apply:os.system ["touch {PWNED}-pubspec"]\n'.encode(),
        Expectation("act/pubspec.yaml", "quiet"))
    put("act/ios/Info.plist",
        f"<plist><dict><key>NSAppTransportSecurity</key><string>$(shell touch {PWNED}-plist)</string>"
        "</dict></plist>".encode(), Expectation("act/ios/Info.plist", "quiet"))
    return expect
