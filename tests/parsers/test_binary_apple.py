"""Apple bundles: the framework Info.plist of ``fixtures/_vendor-sdk/ios`` written as a binary plist into an
IPA (app and embedded framework), a zipped .framework, an .xcframework folder and a zipped .xcframework gives
the same rules, with the same messages, as the XML source."""

from __future__ import annotations

import plistlib
import zipfile
from pathlib import Path

import pytest

from tests.binary_build import SDK
from tests.conftest import scan_path

SOURCE = SDK / "ios" / "Info.plist"


def binary_plist() -> bytes:
    data = plistlib.dumps(plistlib.loads(SOURCE.read_bytes()), fmt=plistlib.FMT_BINARY)
    assert data.startswith(b"bplist00")
    return data


def source_findings() -> set[tuple[str, str]]:
    return {(finding.rule_id, finding.message) for finding in scan_path(SOURCE.parent).findings}


@pytest.mark.parametrize("layout", ["ipa", "framework-zip", "xcframework-folder", "xcframework-zip"])
def test_binary_plists_in_bundles_give_the_source_rules(tmp_path: Path, layout: str) -> None:
    plist = binary_plist()
    members = {
        "ipa": {"Payload/App.app/Info.plist": plist, "Payload/App.app/Frameworks/Vendor.framework/Info.plist": plist},
        "framework-zip": {"Vendor.framework/Info.plist": plist},
        "xcframework-folder": {"ios-arm64/Vendor.framework/Info.plist": plist},
        "xcframework-zip": {"Vendor.xcframework/ios-arm64/Vendor.framework/Info.plist": plist},
    }[layout]
    if layout == "xcframework-folder":
        for name, data in members.items():
            path = tmp_path / "Vendor.xcframework" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    else:
        name = {"ipa": "App.ipa", "framework-zip": "Vendor.framework.zip",
                "xcframework-zip": "Vendor.xcframework.zip"}[layout]
        with zipfile.ZipFile(tmp_path / name, "w") as archive:
            for member, data in members.items():
                archive.writestr(member, data)
    result = scan_path(tmp_path)
    expected = source_findings()
    assert expected and {(finding.rule_id, finding.message) for finding in result.findings} == expected
    paths = {finding.span.path for finding in result.findings}
    assert len(paths) == len(members)
    if layout == "ipa":
        assert paths == {f"App.ipa!/{member}" for member in members}
