"""The resource listing resolution reads (``module_resources``) and the context-file functions built on it
(``xml_resource_files``, ``raw_resource_files``, ``has_non_xml_resources``): what each lists, and what none
lists (files without the extension, links)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pinlint.discover.android import (
    has_non_xml_resources,
    module_resources,
    raw_resource_files,
    xml_resource_files,
)


def _module(root: Path, layout: dict[str, str]) -> Path:
    for relative, content in layout.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


LAYOUTS = {
    "app": {
        "src/main/AndroidManifest.xml": "<manifest/>",
        "src/main/res/xml/network_security_config.xml": "<network-security-config/>",
        "src/main/res/xml-v24/other.xml": "<x/>",
        "src/main/res/xml/notes.txt": "not xml",
        "src/main/res/xml/.xml": "hidden, no extension",
        "src/main/res/xml/trailing.xml.": "no extension either",
        "src/main/res/raw/ca.pem": "-----BEGIN CERTIFICATE-----",
        "src/main/res/raw-night/key.der": "x",
        "src/debug/res/xml/network_security_config.xml": "<network-security-config/>",
        "src/main/res/values-de/strings.xml": "<resources/>",
    },
    "configs-only": {"src/main/res/xml/a.xml": "<a/>", "src/main/res/xml/B.XML": "<b/>"},
    "bare": {"res/xml/a.xml": "<a/>", "AndroidManifest.xml": "<manifest/>"},
    "empty": {"build.gradle": ""},
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_the_listing_and_the_context_file_functions_agree(tmp_path: Path, name: str) -> None:
    module = _module(tmp_path / name, LAYOUTS[name])
    [listed] = module_resources([module])
    assert listed.xml_files == tuple(path.as_posix() for path in xml_resource_files(module))
    assert listed.raw_files == tuple(path.as_posix() for path in raw_resource_files(module))
    assert listed.has_other_resources == has_non_xml_resources(module)
    assert listed.has_other_resources == (name == "app")


def test_a_linked_file_is_never_listed(tmp_path: Path) -> None:
    module = _module(tmp_path / "app", LAYOUTS["app"])
    outside = tmp_path / "outside.xml"
    outside.write_text("<a/>")
    os.symlink(outside, module / "src" / "main" / "res" / "xml" / "linked.xml")
    os.symlink(outside, module / "src" / "main" / "res" / "raw" / "linked.pem")
    [listed] = module_resources([module])
    assert not [path for path in (*listed.xml_files, *listed.raw_files) if path.rsplit("/", 1)[-1].startswith("linked")]


def test_the_context_file_functions_filter_by_resource_name(tmp_path: Path) -> None:
    module = _module(tmp_path / "app", LAYOUTS["app"])
    assert [path.relative_to(module).as_posix() for path in xml_resource_files(module, "network_security_config")] \
        == ["src/debug/res/xml/network_security_config.xml", "src/main/res/xml/network_security_config.xml"]
    assert [path.relative_to(module).as_posix() for path in raw_resource_files(module, "key")] == [
        "src/main/res/raw-night/key.der"]
    assert xml_resource_files(module, "notes") == [] and raw_resource_files(module, "missing") == []


def test_the_listing_of_the_app_module_is_what_its_folders_hold(tmp_path: Path) -> None:
    module = _module(tmp_path / "app", LAYOUTS["app"])
    [listed] = module_resources([module])
    assert [Path(path).relative_to(module).as_posix() for path in listed.xml_files] == [
        "src/debug/res/xml/network_security_config.xml",
        "src/main/res/xml/network_security_config.xml",
        "src/main/res/xml-v24/other.xml",
    ]
    assert [Path(path).relative_to(module).as_posix() for path in listed.raw_files] == [
        "src/main/res/raw/ca.pem", "src/main/res/raw-night/key.der"]
    assert listed.has_other_resources
