"""Hostile archives: bombs, slips, overlaps, lies about sizes, truncation, corruption, depth and entry counts
are each a clear CFG901 (or a notice) and the scan goes on; nothing is ever written to disk."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from pinlint.discover import archives
from pinlint.discover.archives import ArchiveLimits, ArchiveProblem, Member
from tests.conftest import scan_path

NSC = b"""<?xml version="1.0" encoding="utf-8"?>
<network-security-config><base-config cleartextTrafficPermitted="true"/></network-security-config>
"""
NSC_NAME = "res/xml/network_security_config.xml"


def zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


def read_all(data: bytes, limits: ArchiveLimits = archives.DEFAULT_LIMITS) -> list[Member | ArchiveProblem]:
    return list(archives.members(io.BytesIO(data), "x.zip", lambda _name: True, limits))


def problems(items: list[Member | ArchiveProblem]) -> list[ArchiveProblem]:
    return [item for item in items if isinstance(item, ArchiveProblem)]


def central_entries(data: bytes) -> list[int]:
    """Offsets of the central-directory file headers."""
    offsets = []
    start = data.rfind(b"PK\x05\x06")
    count, _size, directory = struct.unpack("<HII", data[start + 10:start + 20])
    offset = directory
    for _ in range(count):
        offsets.append(offset)
        name_length, extra_length, comment_length = struct.unpack("<HHH", data[offset + 28:offset + 34])
        offset += 46 + name_length + extra_length + comment_length
    return offsets


def scan_one(tmp_path: Path, name: str, data: bytes) -> list[tuple[str, str, str]]:
    project = tmp_path / "p"
    project.mkdir(exist_ok=True)
    (project / name).write_bytes(data)
    (project / "plain").mkdir(exist_ok=True)
    (project / "plain" / "network_security_config.xml").write_bytes(NSC)
    before = {path for path in tmp_path.rglob("*")}
    result = scan_path(project)
    assert {path for path in tmp_path.rglob("*")} == before, "the scan wrote to disk"
    found = [(finding.rule_id, finding.span.path, finding.message) for finding in result.findings]
    # the scan goes on: the plain file beside the archive is still reported
    assert ("CLR201", "plain/network_security_config.xml") in {(rule, path) for rule, path, _ in found}
    return found


@pytest.mark.parametrize("name", ["../evil/network_security_config.xml", "/etc/network_security_config.xml",
                                  "C:/x/network_security_config.xml", "a/../../network_security_config.xml"])
def test_slip_names_are_refused_and_the_other_members_read(tmp_path: Path, name: str) -> None:
    found = scan_one(tmp_path, "sdk.zip", zip_bytes({name: NSC, NSC_NAME: NSC}))
    refused = [item for item in found if item[0] == "CFG901"]
    assert len(refused) == 1 and "zip-slip" in refused[0][2]
    assert ("CLR201", f"sdk.zip!/{NSC_NAME}") in {(rule, path) for rule, path, _ in found}


def test_ratio_bomb_is_refused_counting_inflated_bytes() -> None:
    bomb = zip_bytes({NSC_NAME: b"\0" * (4 * 1024 * 1024), "b.xml": NSC})
    found = read_all(bomb, ArchiveLimits(ratio_floor=64 * 1024))
    assert any("zip bomb" in problem.reason and problem.display.endswith(NSC_NAME) for problem in problems(found))
    assert [item.name for item in found if isinstance(item, Member)] == ["b.xml"]


def test_total_budget_stops_the_whole_archive() -> None:
    data = zip_bytes({f"f{index}.xml": bytes(100_000) for index in range(10)})
    found = read_all(data, ArchiveLimits(max_total_bytes=250_000, max_ratio=10**9))
    assert len([item for item in found if isinstance(item, Member)]) == 2
    assert "inflates past 250000 bytes in all" in problems(found)[-1].reason


def test_a_size_lie_is_caught_while_streaming() -> None:
    data = bytearray(zip_bytes({NSC_NAME: NSC * 50}, zipfile.ZIP_STORED))
    for offset in central_entries(bytes(data)):
        data[offset + 24:offset + 28] = struct.pack("<I", 10)  # uncompressed size in the central directory
    found = read_all(bytes(data))
    assert problems(found) and not [item for item in found if isinstance(item, Member)]


def test_a_member_declaring_more_than_the_cap_is_not_read(tmp_path: Path) -> None:
    found = scan_one(tmp_path, "big.zip", zip_bytes({NSC_NAME: NSC + b" " * (6 * 1024 * 1024)}))
    assert any(rule == "CFG901" and "over the limit" in message for rule, _path, message in found)


def test_overlapping_entries_are_refused(tmp_path: Path) -> None:
    data = bytearray(zip_bytes({"a.xml": NSC, NSC_NAME: NSC}))
    first, second = central_entries(bytes(data))
    data[second + 42:second + 46] = data[first + 42:first + 46]  # both entries point at one local header
    found = scan_one(tmp_path, "overlap.zip", bytes(data))
    assert any(rule == "CFG901" and "overlap" in message and path == "overlap.zip" for rule, path, message in found)


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_truncated_archives_are_parse_errors(tmp_path: Path, cut: float) -> None:
    data = zip_bytes({NSC_NAME: NSC, "b.xml": NSC * 20})
    found = scan_one(tmp_path, "cut.aar", data[: int(len(data) * cut)])
    assert any(rule == "CFG901" and path.startswith("cut.aar") for rule, path, _ in found)


def test_a_bad_crc_is_a_parse_error(tmp_path: Path) -> None:
    data = bytearray(zip_bytes({NSC_NAME: NSC}, zipfile.ZIP_STORED))
    spot = data.index(b"cleartextTrafficPermitted")
    data[spot] ^= 0x20
    found = scan_one(tmp_path, "crc.jar", bytes(data))
    assert any(rule == "CFG901" and "CRC" in message for rule, _path, message in found)


def test_encrypted_members_are_refused() -> None:
    data = bytearray(zip_bytes({NSC_NAME: NSC}))
    for offset in central_entries(bytes(data)):
        data[offset + 8] |= 0x1
    assert "encrypted" in problems(read_all(bytes(data)))[0].reason


def test_nesting_depth_is_capped() -> None:
    level = zip_bytes({NSC_NAME: NSC})
    for name in ("c.jar", "b.aar"):
        level = zip_bytes({name: level})
    found = read_all(level)  # x.zip > b.aar > c.jar > NSC: depth 3, read
    assert [item.display for item in found if isinstance(item, Member)] == [f"x.zip!/b.aar!/c.jar!/{NSC_NAME}"]
    deeper = read_all(zip_bytes({"a.zip": level}))
    assert "nested deeper than 3" in problems(deeper)[0].reason
    assert problems(deeper)[0].display == "x.zip!/a.zip!/b.aar!/c.jar"


def test_entry_count_is_capped() -> None:
    data = zip_bytes({f"f{index}.xml": NSC for index in range(12)})
    assert "12 entries, over the limit of 10" in problems(read_all(data, ArchiveLimits(max_entries=10)))[0].reason


def test_not_a_zip_is_a_parse_error(tmp_path: Path) -> None:
    found = scan_one(tmp_path, "fake.apk", b"this is not a zip archive" * 10)
    assert any(rule == "CFG901" and path == "fake.apk" for rule, path, _ in found)


def test_an_app_bundle_is_a_notice_not_a_finding(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "app.aab").write_bytes(zip_bytes({"base/manifest/AndroidManifest.xml": b"\x0a\x02"}))
    result = scan_path(project)
    assert not result.findings
    assert any("app.aab" in notice.text and "not read" in notice.text for notice in result.notices)


def test_member_directives_are_never_obeyed(tmp_path: Path) -> None:
    commented = NSC.replace(b"<base-config", b"<!-- pinlint: ignore[CLR201] vendor says so -->\n<base-config")
    project = tmp_path / "p"
    project.mkdir()
    (project / "sdk.aar").write_bytes(zip_bytes({NSC_NAME: commented}))
    result = scan_path(project)
    assert [(finding.rule_id, finding.suppression) for finding in result.findings] == [("CLR201", None)]
