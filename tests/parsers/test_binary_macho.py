"""Mach-O: the vendor SDK's Objective-C (``fixtures/_vendor-ios-sdk``) compiled by clang and linked by ld64.lld
into a framework executable (thin and fat, 64- and 32-bit), a static library, an app executable, and packaged as
a framework folder, an xcframework (folder and zip) and an IPA, gives the same pins as the source, the libraries
``llvm-otool`` lists, and CFG901 for encrypted or malformed binaries, the scan going on."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pinlint.certs.inventory import linked_libraries
from pinlint.model.facts import LinkedLibrary, PinSet
from pinlint.parsers import candidates_for
from pinlint.parsers.binary import macho, macho_file
from pinlint.render import RunInfo
from pinlint.render.sarif_format import render
from tests.binary_build import (
    APPLE_TOOLS,
    IOS_SDK,
    build_app_executable,
    build_fat_binary,
    build_framework_binary,
    build_static_library,
    missing_tools,
    run,
    tool_path,
)
from tests.checks.test_fixtures import expected_markers
from tests.conftest import scan_path
from tests.output_samples import VALIDATOR, no_validator

SOURCE = IOS_SDK
ROOT_PIN = "C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M="  # ISRG Root X1: a public root, so PIN109 fires


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    missing = missing_tools(*APPLE_TOOLS, "llvm-otool")
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian: clang, lld, llvm); .ci/run installs them")
    work = tmp_path_factory.mktemp("macho")
    return {"thin": build_framework_binary(work, "arm64"), "fat": build_fat_binary(work),
            "static": build_static_library(work), "app": build_app_executable(work),
            "encrypted": build_app_executable(work, encrypted=True), "work": work}


def test_source_fixture_is_marked_both_ways() -> None:
    result = scan_path(SOURCE)
    actual = {(finding.span.path, finding.span.line, finding.rule_id) for finding in result.findings}
    assert actual == expected_markers(SOURCE)


def source_pins() -> tuple[str, ...]:
    [pin_set] = scan_path(SOURCE).facts.of(PinSet)
    return tuple(pin.value for pin in pin_set.pins)


def otool_libraries(path: Path) -> list[list[str]]:
    """Per slice, the libraries ``llvm-otool -L`` lists (a dylib's own name, printed first, left out)."""
    output = subprocess.run([tool_path("llvm-otool") or "llvm-otool", "-L", str(path)], capture_output=True,
                            text=True, check=True, timeout=120).stdout
    slices: list[list[str]] = []
    for line in output.splitlines():
        if not line.startswith("\t"):
            slices.append([])
            continue
        slices[-1].append(line.strip().split(" (compatibility", 1)[0])
    return slices


@pytest.mark.parametrize("kind", ["thin", "fat", "app"])
def test_linked_libraries_agree_with_llvm_otool(built: dict[str, Path], kind: str) -> None:
    binary = macho.read(built[kind].read_bytes())
    expected = otool_libraries(built[kind])
    assert len(binary.slices) == len(expected) == (2 if kind == "fat" else 1)
    for image, listed in zip(binary.slices, expected, strict=True):
        own = [] if image.file_type != "dylib" else listed[:1]
        assert [library.path for library in image.libraries] == listed[len(own):]
    assert {image.cpu for image in binary.slices} == ({"arm64", "arm64_32"} if kind == "fat" else {"arm64"})
    weak = [library for image in binary.slices for library in image.libraries if library.how == "weak"]
    assert {library.path for library in weak} == {"@rpath/Alamofire.framework/Alamofire"}


def test_encryption_agrees_with_llvm_otool(built: dict[str, Path]) -> None:
    for kind, expected in (("app", 0), ("encrypted", 1)):
        output = subprocess.run([tool_path("llvm-otool") or "llvm-otool", "-l", str(built[kind])],
                                capture_output=True, text=True, check=True, timeout=120).stdout
        assert re.findall(r"cryptid (\d+)", output) == [str(expected)]
        assert [image.crypt_id for image in macho.read(built[kind].read_bytes()).slices] == [expected]


@pytest.mark.parametrize("kind", ["thin", "fat", "static"])
def test_binary_gives_the_source_pins_and_the_same_rule(built: dict[str, Path], tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "Vendor.framework"
    folder.mkdir()
    name = "Vendor" if kind != "static" else "libVendor.a"
    shutil.copy(built[kind], folder / name)
    result = scan_path(tmp_path)
    [pin_set] = result.facts.of(PinSet)
    assert pin_set.found_in_binary and pin_set.count_unknown and pin_set.hosts == ()
    assert tuple(pin.value for pin in pin_set.pins) == source_pins()
    assert pin_set.host_hint == "api.vendor.example"
    source = {(finding.rule_id, finding.subject[-1]) for finding in scan_path(SOURCE).findings}
    found = {(finding.rule_id, finding.subject[-1]) for finding in result.findings}
    assert found == source == {("PIN109", ROOT_PIN)}
    [finding] = result.findings
    assert finding.span.path == f"Vendor.framework/{name}"
    assert finding.confidence == "medium"
    assert "api.vendor.example (found in the binary's strings" in finding.message
    if kind != "static":
        assert {library.name for library in result.facts.of(LinkedLibrary)} >= {"TrustKit", "Alamofire",
                                                                                 "Foundation"}


def test_one_pin_without_a_host_is_no_backup_finding(built: dict[str, Path], tmp_path: Path) -> None:
    """A binary's pin count is unknown (its other pins may be built at run time): PIN101 stays silent."""
    source = tmp_path / "pin.c"
    source.write_text(f'const char *vendor_pin = "{ROOT_PIN}";\n')
    run("clang", "-target", "arm64-apple-ios14", "-c", source, "-o", tmp_path / "Pin.o")
    source.unlink()
    result = scan_path(tmp_path)
    assert [finding.rule_id for finding in result.findings] == ["PIN109"]
    assert "an unknown host (found in the binary's strings; no host name stands beside the pins there)" in (
        result.findings[0].message)


def _bundles(built: dict[str, Path], root: Path) -> dict[str, str]:
    """Every layout the SDK ships in, under ``root``; the display path of its Mach-O for each."""
    thin, fat, static = (built[kind].read_bytes() for kind in ("thin", "fat", "static"))
    folder = root / "Vendor.xcframework"
    for slice_name, data, name in (("ios-arm64", thin, "Vendor"), ("watchos-arm64_arm64_32", fat, "Vendor"),
                                   ("ios-arm64-static", static, "Vendor")):
        target = folder / slice_name / "Vendor.framework" / name
        target.parent.mkdir(parents=True)
        target.write_bytes(data)
    with zipfile.ZipFile(root / "Vendor.xcframework.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Vendor.xcframework/ios-arm64/Vendor.framework/Vendor", thin)
    with zipfile.ZipFile(root / "App.ipa", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Payload/App.app/App", built["app"].read_bytes())
        archive.writestr("Payload/App.app/Frameworks/Vendor.framework/Vendor", fat)
    return {
        "xcframework thin": "Vendor.xcframework/ios-arm64/Vendor.framework/Vendor",
        "xcframework fat": "Vendor.xcframework/watchos-arm64_arm64_32/Vendor.framework/Vendor",
        "xcframework static": "Vendor.xcframework/ios-arm64-static/Vendor.framework/Vendor",
        "zipped xcframework": "Vendor.xcframework.zip!/Vendor.xcframework/ios-arm64/Vendor.framework/Vendor",
        "ipa": "App.ipa!/Payload/App.app/Frameworks/Vendor.framework/Vendor",
    }


def test_bundles_ipa_and_xcframeworks(built: dict[str, Path], tmp_path: Path) -> None:
    expected = _bundles(built, tmp_path)
    result = scan_path(tmp_path)
    found = {finding.span.path for finding in result.findings if finding.rule_id == "PIN109"}
    assert found == set(expected.values())
    assert {pin_set.span.path for pin_set in result.facts.of(PinSet)} == set(expected.values())
    linking = {entry.file for entry in linked_libraries(result.facts) if entry.name == "TrustKit"}
    # the static library's object was compiled without modules, so it names no library to autolink
    assert linking == {path for layout, path in expected.items() if layout != "xcframework static"} | {
        "App.ipa!/Payload/App.app/App"}
    # SARIF: the IPA and its member are artifacts linked by parentIndex, and the document validates
    document = json.loads(render(result, RunInfo(exit_code=1)))
    artifacts = document["runs"][0]["artifacts"]
    uris = [artifact["location"]["uri"] for artifact in artifacts]
    member = uris.index("/Payload/App.app/Frameworks/Vendor.framework/Vendor")
    assert artifacts[member]["parentIndex"] == uris.index("App.ipa")
    if not VALIDATOR.is_file():
        no_validator(f"no SARIF validator at {VALIDATOR}")
    path = tmp_path.parent / f"{tmp_path.name}.sarif"
    path.write_text(render(result, RunInfo(exit_code=1)), encoding="utf-8")
    checked = subprocess.run([sys.executable, str(VALIDATOR), "--strict", str(path)], capture_output=True,
                             text=True, timeout=600, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_inventory_lists_binary_pins_and_linked_pinning_libraries(built: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "Vendor.framework"
    folder.mkdir()
    shutil.copy(built["thin"], folder / "Vendor")
    command = [sys.executable, "-m", "pinlint", "inventory", str(tmp_path), "--format", "json",
               "--today", "2026-01-15"]
    document = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, timeout=300,
                                         cwd=Path(__file__).resolve().parents[2]).stdout)
    [host] = document["hosts"]
    assert host["host"] == "api.vendor.example (beside the pins in a binary's strings; not proven)"
    assert host["backup"] == "unknown" and host["status"].startswith("unknown")
    assert [pin["value"] for pin in host["pins"]] == list(source_pins())
    assert {(item["name"], item["how"]) for item in document["libraries"]} == {("TrustKit", "load"),
                                                                                ("Alamofire", "weak")}


def test_an_encrypted_app_store_binary_is_reported_unreadable(built: dict[str, Path], tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "Store.ipa", "w") as archive:
        archive.writestr("Payload/App.app/App", built["encrypted"].read_bytes())
        archive.writestr("Payload/App.app/Frameworks/Vendor.framework/Vendor", built["thin"].read_bytes())
    result = scan_path(tmp_path)
    unreadable = [finding for finding in result.findings if finding.rule_id == "CFG901"]
    assert [finding.span.path for finding in unreadable] == ["Store.ipa!/Payload/App.app/App"]
    assert "encrypted App Store binary (LC_ENCRYPTION_INFO_64 cryptid 1 in the arm64 slice)" in unreadable[0].message
    assert "not the same as clean" in unreadable[0].message
    # the framework beside it is still read
    assert any(finding.rule_id == "PIN109" for finding in result.findings)


def _malformed(thin: bytes) -> dict[str, bytes]:
    commands = struct.unpack_from("<I", thin, 16)[0]
    first_size = struct.unpack_from("<I", thin, 36)[0]
    huge_count = bytearray(thin)
    struct.pack_into("<I", huge_count, 16, 0xFFFFFFF)
    commands_past_end = bytearray(thin)
    struct.pack_into("<I", commands_past_end, 20, len(thin))
    zero_size = bytearray(thin)
    struct.pack_into("<I", zero_size, 36, 0)  # a load command of size 0 would loop forever if trusted
    overlong = bytearray(thin)
    struct.pack_into("<I", overlong, 36, first_size + 0x100000)
    fat_outside = bytearray(struct.pack(">IIiiIII", macho.FAT_MAGIC, 1, 0x100000C, 0, 4096, 1 << 30, 14))
    return {
        "truncated": thin[: len(thin) // 3], "header-only": thin[:30], "huge-count": bytes(huge_count),
        "commands-past-end": bytes(commands_past_end), "zero-size-command": bytes(zero_size),
        "overlong-command": bytes(overlong), "fat-slice-outside": bytes(fat_outside),
        "static-truncated": b"!<arch>\n" + b"#1/20           0           0     0     644     9999      `\n",
        "commands": bytes([commands]),  # not Mach-O at all: never claimed, never reported
    }


def test_malformed_binaries_are_parse_errors_and_the_scan_goes_on(built: dict[str, Path], tmp_path: Path) -> None:
    cases = _malformed(built["thin"].read_bytes())
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "Good.framework").mkdir()
    shutil.copy(built["thin"], tmp_path / "Good.framework" / "Good")
    result = scan_path(tmp_path)
    errors = {finding.span.path: finding.message for finding in result.findings if finding.rule_id == "CFG901"}
    assert set(errors) == set(cases) - {"commands"}
    assert all(message.startswith("cannot parse: malformed Mach-O binary: ") for message in errors.values()), errors
    assert "zero-size-command" in errors and "has size 0" in errors["zero-size-command"]
    assert any(finding.rule_id == "PIN109" and finding.span.path == "Good.framework/Good"
               for finding in result.findings)


def _big_endian_image() -> bytes:
    """A thin 32-bit big-endian (PowerPC-era) dylib by hand: no toolchain here emits one."""
    name = b"@rpath/TrustKit.framework/TrustKit\x00"
    dylib = struct.pack(">IIIIII", macho.LC_LOAD_DYLIB, 24 + len(name) + 1, 24, 0, 0, 0) + name + b"\x00"
    strings = b"pins.example\x00" + ROOT_PIN.encode() + b"\x00"
    segment_size = 56 + 68
    commands_size = len(dylib) + segment_size
    data_offset = 28 + commands_size
    section = struct.pack(">16s16sIIIIIIIII", b"__cstring", b"__TEXT", 0, len(strings), data_offset, 0, 0, 0,
                          macho.S_CSTRING_LITERALS, 0, 0)
    segment = struct.pack(">II16sIIIIIIII", macho.LC_SEGMENT, segment_size, b"__TEXT", 0, 0, 0, 0, 7, 5, 1, 0)
    header = struct.pack(">IiiIIII", macho.MH_MAGIC, 18, 0, 6, 2, commands_size, 0)
    return header + dylib + segment + section + strings


def test_big_endian_32_bit_image() -> None:
    binary = macho.read(_big_endian_image())
    [image] = binary.slices
    assert (image.cpu, image.file_type) == ("ppc", "dylib")
    assert [library.path for library in image.libraries] == ["@rpath/TrustKit.framework/TrustKit"]
    assert list(macho_file.pin_groups(image)) == [((ROOT_PIN,), "pins.example")]


def test_cafebabe_is_fat_only_with_few_slices() -> None:
    class_file = b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + bytes(32)  # a Java 8 class: major version 52
    fat = struct.pack(">II", macho.FAT_MAGIC, 2) + bytes(32)
    assert macho.kind_of(class_file) is None and macho.kind_of(fat) == "fat"
    assert not macho_file.accepts("Sample", class_file) and macho_file.accepts("Sample", fat)
    assert "macho_file" not in {parser.NAME for parser in candidates_for("Sample.class")}


def test_host_names_beside_pins() -> None:
    assert macho_file.host_name("api.vendor.example") == "api.vendor.example"
    assert macho_file.host_name("https://app.vendor.example/v1") == "app.vendor.example"
    for not_a_host in ("com.vendor.sdk", "Info.plist", "Vendor.framework", "hello world", "2025-01-01"):
        assert macho_file.host_name(not_a_host) == ""


def test_a_loose_binary_past_the_text_size_limit_is_still_read(built: dict[str, Path], tmp_path: Path) -> None:
    """Framework executables are routinely larger than the 5 MiB text limit: binaries get the member limit."""
    folder = tmp_path / "Vendor.framework"
    folder.mkdir()
    data = built["thin"].read_bytes()
    (folder / "Vendor").write_bytes(data + bytes(6 * 1024 * 1024))  # bytes after the image are never read
    result = scan_path(tmp_path)
    assert [finding.rule_id for finding in result.findings] == ["PIN109"]
