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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


# --------------------------------------------------------------------------------------------- attacks
#
# One hostile tree per attack, each scanned alone in a child process under an address-space limit and a
# time-out (guards that keep a regression from taking the machine down, not speed assertions); the child
# reports its peak memory and wall time, which ``bench/hostile.py`` prints per attack.

#: Address space one attack's child process may map (a guard: the asserted bound is PEAK_RSS_LIMIT_KB).
ADDRESS_SPACE_LIMIT = 3 * 1024 ** 3
#: Peak resident memory one attack may reach, asserted per attack.
PEAK_RSS_LIMIT_KB = 1024 * 1024
#: Wall time after which an attack's child is killed and the attack counts as a hang.
ATTACK_TIMEOUT_SECONDS = 240.0

#: Runs pinlint's command line behind an audit hook (sockets, process creation, opens outside the tree)
#: and reports the peak memory and the events to a file at exit.
ATTACK_BOOTSTRAP = r"""
import atexit, json, os, resource, sys, time
REPORT, OUTSIDE = os.environ["HOSTILE_REPORT"], os.environ["HOSTILE_OUTSIDE"]
began = time.monotonic()
events = []
busy = []

def hook(event, args):
    if busy:
        return
    busy.append(1)
    try:
        if event.startswith("socket.") or event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn"):
            events.append([event, repr(args)[:200]])
        elif event == "open" and args and isinstance(args[0], (str, bytes)):
            real = os.path.realpath(os.fsdecode(args[0]))
            if real == OUTSIDE or real.startswith(OUTSIDE + os.sep):
                events.append([event, real])
    finally:
        busy.pop()

sys.addaudithook(hook)

def report():
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    with open(REPORT, "w") as handle:
        json.dump({"events": events, "peak_kb": peak, "seconds": time.monotonic() - began}, handle)

atexit.register(report)
sys.argv = ["pinlint", *sys.argv[1:]]
from pinlint.cli.app import main
main()
"""


@dataclass(frozen=True)
class Attack:
    """One attack: the tree it writes, the command it runs, and what a safe answer looks like.

    ``findings``: (path, rule) pairs the JSON report must hold; ``stderr``/``stdout``: texts they must
    hold; ``never``: texts no output may hold (besides ``SECRET``).
    """

    name: str
    build: Callable[[Path, Path], None]
    args: tuple[str, ...]
    exit_codes: frozenset[int] = frozenset({0, 1})
    findings: tuple[tuple[str, str], ...] = ()
    stderr: tuple[str, ...] = ()
    stdout: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    #: a check of its own over (root, stdout, stderr), for what the texts cannot say
    extra: Callable[[Path, str, str], None] | None = None
    cwd: str = "."


@dataclass
class AttackRun:
    returncode: int
    stdout: str
    stderr: str
    peak_kb: int
    seconds: float
    events: list[list[str]]


def _limit_address_space() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


def run_attack(attack: Attack, base: Path) -> AttackRun:
    """Build ``attack``'s tree under ``base`` and scan it in a child process within the guards."""
    import json
    import subprocess
    import sys

    root, outside = base / "tree", base / "outside"
    root.mkdir(parents=True)
    outside.mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET + "\n")
    attack.build(root, outside)
    report = base / "report.json"
    env = {**os.environ, "HOSTILE_REPORT": str(report), "HOSTILE_OUTSIDE": os.path.realpath(outside),
           "NO_COLOR": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    args = [part.replace("{outside}", str(outside)) for part in attack.args]
    process = subprocess.run([sys.executable, "-c", ATTACK_BOOTSTRAP, *args], cwd=root / attack.cwd, env=env,
                             capture_output=True, timeout=ATTACK_TIMEOUT_SECONDS, preexec_fn=_limit_address_space)
    data: dict[str, Any] = (json.loads(report.read_text()) if report.exists()
                            else {"events": [], "peak_kb": 0, "seconds": 0.0})
    return AttackRun(process.returncode, process.stdout.decode("utf-8", "replace"),
                     process.stderr.decode("utf-8", "replace"), data["peak_kb"], data["seconds"], data["events"])


def _files(files: dict[str, bytes] | Callable[[], dict[str, bytes]]) -> Callable[[Path, Path], None]:
    """A builder writing ``files`` (or what the function gives, made only when the attack runs)."""
    def build(root: Path, _outside: Path) -> None:
        for relative, data in (files() if callable(files) else files).items():
            _write(root, relative, data)
    return build


def _git(build: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    def with_git(root: Path, outside: Path) -> None:
        (root / ".git").mkdir(exist_ok=True)
        build(root, outside)
    return with_git


AUDIT = ("check", "--profile", "audit", "--format", "json", "--today", "2026-01-15")
PRECOMMIT = ("check", "--format", "json", "--today", "2026-01-15")
_CLEARTEXT_NSC = b'<network-security-config><base-config cleartextTrafficPermitted="true"/></network-security-config>'


def _alias_bomb() -> bytes:
    lines = ["options:", "  pin-set-expiring-soon:", "    warning_days: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"    x{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]" for level in range(1, 9)]
    return ("\n".join(lines) + "\n").encode()


def _policy_link(root: Path, outside: Path) -> None:
    (outside / "policy.yaml").write_text(f"{SECRET}: 1\n")
    (root / ".git").mkdir()
    os.symlink(outside / "policy.yaml", root / ".pinlint.yaml")
    _write(root, "a.kt", b'val u = "http://a.example"\n')


def _extends_outside(target: str) -> Callable[[Path, Path], None]:
    def build(root: Path, outside: Path) -> None:
        (outside / "policy.yaml").write_text(f"{SECRET}: 1\n")
        (root / ".git").mkdir()
        _write(root, ".pinlint.yaml", f"extends: {target.replace('{outside}', str(outside))}\n".encode())
        _write(root, "a.kt", b'val u = "http://a.example"\n')
    return build


def _extends_link_inside(root: Path, outside: Path) -> None:
    (outside / "policy.yaml").write_text(f"{SECRET}: 1\n")
    (root / ".git").mkdir()
    os.symlink(outside / "policy.yaml", root / "base.yaml")
    _write(root, ".pinlint.yaml", b"extends: base.yaml\n")


def _kotlin_escapes(pairs: int) -> bytes:
    return b'val a = "' + b'\\"' * pairs + b'\nval u = "http://evil.example"\n'


_TRUST_ALL_SWIFT = (b"func urlSession(_ s: URLSession, didReceive c: URLAuthenticationChallenge, completionHandler: "
                    b"@escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {\n"
                    b"    completionHandler(.useCredential, URLCredential(trust: c.protectionSpace.serverTrust!))\n}\n")
#: One finding in each folder the precommit profile leaves out by name (path -> (rule, content)).
_VENDORED: dict[str, tuple[str, bytes]] = {
    "node_modules/evil-sdk/index.js": ("TRU301", b"new https.Agent({ rejectUnauthorized: false });\n"),
    "ios/Pods/EvilKit/Trust.swift": ("TRU301", _TRUST_ALL_SWIFT),
    "ios/Carthage/Checkouts/Kit/Net.swift": ("CLR203", b'let u = "http://carthage.example"\n'),
    "venv/lib/site.py": ("CLR203", b'u = "http://venv.example"\n'),
    "lib/src/main/java/com/vendor/build/Net.java": ("CLR203", b'class Net { String u = "http://pkg.example"; }\n'),
    "web/dist/index.js": ("TRU301", b"/******/ (() => { // webpackBootstrap\n"
                                   b"new https.Agent({ rejectUnauthorized: false });\n"),
}
_VENDORED_TREE: dict[str, bytes] = {
    **{path: data for path, (_rule, data) in _VENDORED.items()},
    "app/build.gradle": b"android { }\n",
    "app/build/generated/Gen.kt": b'val u = "http://generated.example"\n',
    "DerivedData/App/Build.swift": b'let u = "http://derived.example"\n',
}
_MINIFIED: dict[str, bytes] = {
    "web/app.min.js": b"var a=1;" * 4000 + b"new https.Agent({rejectUnauthorized:false});",
    "web/vendor.js": (b"var a=1;" * 100 + b"\n") * 40 + b"new https.Agent({rejectUnauthorized:false});\n",
}


def _der(tag: int, body: bytes) -> bytes:
    size = len(body)
    length = bytes([size]) if size < 0x80 else bytes([0x80 | ((size.bit_length() + 7) // 8)]) + size.to_bytes(
        (size.bit_length() + 7) // 8, "big")
    return bytes([tag]) + length + body


def _pkcs12(mac_iterations: int | None = None, kdf_rounds: int | None = None) -> bytes:
    """A real PKCS#12 file (made with ``cryptography``), its MAC iteration count rewritten when asked."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    from pinlint.certs import pkcs12_cost

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "vendor")])
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(1).not_valid_before(datetime.datetime(2024, 1, 1))
                   .not_valid_after(datetime.datetime(2034, 1, 1)).sign(key, hashes.SHA256()))
    encryption: serialization.KeySerializationEncryption = serialization.NoEncryption()
    if kdf_rounds is not None:
        encryption = (serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(kdf_rounds)
                      .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC).build(b"vendor"))
    data = pkcs12.serialize_key_and_certificates(b"vendor", key, certificate, None, encryption)
    if mac_iterations is None:
        return data
    pfx = pkcs12_cost.element(data, 0, len(data))
    version, auth_safe, mac_data = pkcs12_cost.children(data, pfx)
    digest, salt, _iterations = pkcs12_cost.children(data, mac_data)

    def whole(item: pkcs12_cost.Element) -> bytes:
        return _der(item.tag, data[item.start:item.end])

    new_mac = _der(0x30, whole(digest) + whole(salt) + _der(0x02, mac_iterations.to_bytes(4, "big")))
    return _der(0x30, whole(version) + whole(auth_safe) + new_mac)


def _amplified_binary_plist(references: int = 1_000_000, string_size: int = 1_000_000) -> bytes:
    """TrustKit's pin list as one array of ``references`` references to one ``string_size``-byte string."""
    def text(value: bytes) -> bytes:
        return bytes([0x50 | len(value)]) + value if len(value) < 15 else b"\x5f\x10" + bytes([len(value)]) + value

    def dictionary(key: int, value: int) -> bytes:
        return b"\xd1" + bytes([key, value])

    objects = [dictionary(1, 2), text(b"TSKConfiguration"), dictionary(3, 4), text(b"TSKPinnedDomains"),
               dictionary(5, 6), text(b"example.com"), dictionary(7, 8), text(b"TSKPublicKeyHashes"),
               b"\xaf\x12" + references.to_bytes(4, "big") + b"\x09" * references,
               b"\x5f\x12" + string_size.to_bytes(4, "big") + b"A" * string_size]
    header = b"bplist00"
    offsets, body = [], b""
    for item in objects:
        offsets.append(len(header) + len(body))
        body += item
    table = b"".join(offset.to_bytes(4, "big") for offset in offsets)
    trailer = (b"\x00" * 6 + bytes([4, 1]) + len(objects).to_bytes(8, "big") + (0).to_bytes(8, "big")
               + (len(header) + len(body)).to_bytes(8, "big"))
    return header + body + table + trailer


ATTACKS: tuple[Attack, ...] = (
    # 1. the prefilter's comment scan: no quadratic time on quotes that never close
    # (the string never closes, so Kotlin's grammar cannot place what follows: no finding is required)
    Attack("prefilter-escaped-quotes-kotlin", _files({"src/A.kt": _kotlin_escapes(2_400_000)}), (*AUDIT, ".")),
    Attack("prefilter-escaped-quotes-kotlin-closed",
           _files({"src/A.kt": b'val a = "' + b'\\"' * 200_000 + b'"\nval u = "http://evil.example"\n'}),
           (*AUDIT, "."), findings=(("src/A.kt", "CLR203"),)),
    Attack("prefilter-escaped-quotes-objc",
           _files({"src/A.m": b'NSString *a = @"' + b'\\"' * 20_000 + b'";\nNSString *u = @"http://evil.example";\n'}),
           (*AUDIT, "."), findings=(("src/A.m", "CLR203"),)),
    Attack("prefilter-single-quotes-java",
           _files({"src/A.java": (b"char c = '" + b"\\'" * 1_000_000 + b"\n") * 2
                   + b'class A { String u = "http://evil.example"; }\n'}),
           (*AUDIT, "."), findings=(("src/A.java", "CFG901"),)),  # 4 million tokens: over the grammar's limit
    Attack("prefilter-open-quotes-every-line",
           _files({"src/B.kt": b'val a = "\\"\\"\\"\\"\\"\\"\\"\\"\n' * 200_000
                   + b'val u = "http://evil.example"\n'}), (*AUDIT, ".")),
    # 5. YAML aliases in a policy file: refused, the value never formatted
    Attack("policy-alias-bomb", _git(_files({".pinlint.yaml": _alias_bomb(), "a.kt": b'val u = "http://a"\n'})),
           (*PRECOMMIT, "."), exit_codes=frozenset({2}), stderr=("YAML aliases",)),
    Attack("policy-huge-value-in-error",
           _git(_files({".pinlint.yaml": b"options:\n  pin-set-expiring-soon:\n    warning_days: ["
                        + b"'x', " * 20_000 + b"'x']\n"})),
           (*PRECOMMIT, "."), exit_codes=frozenset({2}), stderr=("expected a value like the default",),
           extra=lambda _root, _out, err: _assert(len(err) < 600, f"{len(err)}-character error")),
    # 10. policy files outside the tree: no link followed, extends confined, nothing outside shown
    Attack("policy-link-to-outside", _policy_link, (*PRECOMMIT, "."), exit_codes=frozenset({2}),
           stderr=("symbolic link",)),
    Attack("policy-extends-absolute", _extends_outside("{outside}/policy.yaml"), (*PRECOMMIT, "."),
           exit_codes=frozenset({2}), stderr=("outside the project",)),
    Attack("policy-extends-etc-passwd", _extends_outside("../../../../../../../../etc/passwd"), (*PRECOMMIT, "."),
           exit_codes=frozenset({2}), stderr=("outside the project",), never=("root:",)),
    Attack("policy-extends-link-inside", _extends_link_inside, (*PRECOMMIT, "."), exit_codes=frozenset({2}),
           stderr=("outside the project",)),
    # 8. auditing a path inside a vendor tree obeys no policy the vendor wrote above it
    Attack("audit-subpath-vendor-policy-above",
           _files({"sdk/.pinlint.yaml": b'exclude: ["**"]\nfail-on: critical\n',
                   "sdk/res/xml/network_security_config.xml": _CLEARTEXT_NSC}),
           (*AUDIT, "sdk/res/xml/network_security_config.xml"), exit_codes=frozenset({1}),
           findings=(("sdk/res/xml/network_security_config.xml", "CLR201"),),
           stdout=("sdk/.pinlint.yaml", "not obeyed")),
    Attack("audit-vendored-in-auditors-repository",
           _files({".git/HEAD": b"", ".pinlint.yaml": b"severity:\n  CLR201: low\n",
                   "sdk/.pinlint.yaml": b'exclude: ["**"]\n', "sdk/res/.pinlint.yaml": b"ignore: [CLR]\n",
                   "sdk/res/xml/network_security_config.xml": _CLEARTEXT_NSC}),
           (*AUDIT, "sdk/res/xml/network_security_config.xml"), exit_codes=frozenset({1}),
           findings=(("sdk/res/xml/network_security_config.xml", "CLR201"),),
           stdout=("sdk/.pinlint.yaml", "sdk/res/.pinlint.yaml", '"severity": "low"')),
    # 6. folder names do not silence an audit; a precommit scan names what it leaves out
    Attack("audit-scans-vendored-folder-names", _files(_VENDORED_TREE), (*AUDIT, "."), exit_codes=frozenset({1}),
           findings=tuple((path, rule) for path, (rule, _data) in _VENDORED.items()),
           stdout=("app/build", "DerivedData")),
    Attack("precommit-names-vendored-folders", _files(_VENDORED_TREE), (*PRECOMMIT, "."),
           stdout=("node_modules", "ios/Pods", "Carthage", "venv", "lib/src/main/java/com/vendor/build",
                   "web/dist", "--include-vendored")),
    Attack("precommit-scans-a-vendored-folder-named-alone", _files(_VENDORED_TREE), (*PRECOMMIT, "node_modules"),
           exit_codes=frozenset({1}), findings=(("node_modules/evil-sdk/index.js", "TRU301"),)),
    # 7. minified and bundled code: read by the audit, listed as not read by precommit
    Attack("audit-reads-minified-bundles", _files(_MINIFIED), (*AUDIT, "."), exit_codes=frozenset({1}),
           findings=(("web/app.min.js", "TRU301"), ("web/vendor.js", "TRU301"))),
    Attack("precommit-lists-minified-bundles", _files(_MINIFIED), (*PRECOMMIT, "."),
           stdout=("minified or bundled", "web/app.min.js", "web/vendor.js")),
    Attack("audit-minified-bundle-at-the-size-limit",
           _files({"web/huge.min.js": b"var a=[" + b"1," * 2_500_000 + b"1];rejectUnauthorized:false\n"}),
           (*AUDIT, ".")),
    # 11. GitHub annotations: no raw ESC or BEL from names or source text
    Attack("github-annotations-escape-terminal-codes",
           _files({"names/\x1b]0;owned\x07\x1b[2J.kt": b'val u = "http://a\x1b[31m\x07.example"\n',
                   "names/plain.kt": b'val u = "http://b.example/\x1b]8;;http://evil\x1b\\\\x\x1b]8;;\x1b\\\\"\n'}),
           ("check", "--profile", "audit", "--format", "github", "."), exit_codes=frozenset({1}),
           stdout=("\\x1b", "names/plain.kt"),
           extra=lambda _root, out, err: _assert(not set("\x1b\x07") & set(out + err), "raw escape in the log")),
    # 2. PKCS#12 asking OpenSSL for work no signal can interrupt: refused before OpenSSL, as a finding
    Attack("pkcs12-mac-iterations-2-31",
           _files(lambda: {"app/src/main/res/raw/client.p12": _pkcs12(mac_iterations=2**31 - 1)}),
           (*AUDIT, "."), exit_codes=frozenset({1}), findings=(("app/src/main/res/raw/client.p12", "CFG901"),),
           stdout=("MAC iteration count is 2147483647",)),
    Attack("pkcs12-kdf-iterations", _files(lambda: {"app/src/main/res/raw/client.p12": _pkcs12(kdf_rounds=3_000_000)}),
           (*AUDIT, "."), exit_codes=frozenset({1}), findings=(("app/src/main/res/raw/client.p12", "CFG901"),),
           stdout=("iteration count is 3000000",)),
    # 3. binary plist: a million references to one 1 MB string
    Attack("bplist-shared-string-amplification", _files(lambda: {"ios/App/Info.plist": _amplified_binary_plist()}),
           (*AUDIT, "."), exit_codes=frozenset({1}), findings=(("ios/App/Info.plist", "CFG901"),),
           stdout=("decodes to more than",)),
    # 4. XML plist: 650,000 values inside 250 nested arrays
    Attack("xml-plist-wide-and-deep",
           _files({"ios/App/Info.plist": b"<plist><dict><key>NSAppTransportSecurity</key>" + b"<array>" * 250
                   + b"<true/>" * 650_000 + b"</array>" * 250 + b"</dict></plist>"}),
           (*AUDIT, "."), exit_codes=frozenset({1}), findings=(("ios/App/Info.plist", "CFG901"),)),
    Attack("xml-plist-wide-and-deep-under-the-value-limit",
           _files({"ios/App/Info.plist": b"<plist><dict><key>NSAppTransportSecurity</key>" + b"<array>" * 250
                   + b"<true/>" * 150_000 + b"</array>" * 250 + b"</dict></plist>"}), (*AUDIT, ".")),
    # 9. 100,000 unclosed Objective-C blocks after a finding: the finding or CFG901, never nothing
    Attack("objc-deep-unclosed-blocks",
           _files({"ios/A.m": b'void f(void) { NSString *u = @"http://objc.example"; ' + b"^{ " * 100_000 + b"\n"}),
           (*AUDIT, "."), exit_codes=frozenset({1}), findings=(("ios/A.m", "CFG901"),)),
    Attack("objc-deep-closed-blocks",
           _files({"ios/B.m": b'void f(void) { NSString *u = @"http://objc.example"; '
                   + b"dispatch_async(q, ^{ " * 100_000 + b"});" * 100_000 + b" }\n"}),
           (*AUDIT, "."), exit_codes=frozenset({1}), findings=(("ios/B.m", "CFG901"),)),
)


def _assert(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)
