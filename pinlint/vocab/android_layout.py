"""Where a file sits in an Android module: the module folder and the source set.

Gradle projects keep a module's files under ``<module>/src/<sourceSet>/`` (``main``, ``debug``,
``release``, flavours such as ``staging`` or ``freeDebug``), with resources in ``res/xml/`` (optionally
qualified, ``res/xml-v24/``). Older (Eclipse/Ant) projects keep ``AndroidManifest.xml`` and ``res/`` directly
in the module folder. This module only reads paths; it never touches the disk (``pinlint.discover.android``
lists a module's folders).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pinlint.vocab import testcode

MANIFEST_NAME = "AndroidManifest.xml"
GRADLE_NAMES = ("build.gradle.kts", "build.gradle")
#: Source sets whose settings ship in a release build.
RELEASE_SETS = frozenset({"main", "release"})

_XML_DIR = re.compile(r"^xml(-[A-Za-z0-9+_-]+)?$")


@dataclass(frozen=True, slots=True)
class Location:
    """A file's module folder (absolute) and source set (``main`` for the bare layout)."""

    module: Path
    source_set: str


def variant_of(source_set: str) -> str | None:
    """The build-variant label for facts from ``source_set``: None for sets that reach release builds."""
    if source_set in RELEASE_SETS or source_set.endswith("Release"):
        return None
    return source_set


def is_xml_resource_dir(name: str) -> bool:
    """``xml`` or a qualified ``xml-v24``/``xml-night`` resource folder."""
    return bool(_XML_DIR.match(name))


def locate_manifest(path: Path) -> Location:
    parent = path.parent
    if parent.parent.name == "src":
        return Location(parent.parent.parent, parent.name)
    return Location(parent, "main")


def locate_resource(path: Path) -> Location:
    """The module and source set of a file in ``res/xml*/``; for other places, its own folder and ``main``."""
    xml_dir = path.parent
    res_dir = xml_dir.parent
    if is_xml_resource_dir(xml_dir.name) and res_dir.name == "res":
        holder = res_dir.parent
        if holder.parent.name == "src":
            return Location(holder.parent.parent, holder.name)
        return Location(holder, "main")
    return Location(path.parent, "main")


def in_test_module(path: Path, display: str, location: Location) -> bool:
    """Whether the module of a file (``path``, shown as ``display`` relative to the scan root) is a test
    or test-support module by its folder name. A module folder at or above the scan root never counts."""
    if display.startswith("/"):
        return False
    try:
        below = len(path.relative_to(location.module).parts)
    except ValueError:
        return False
    shown = display.replace("\\", "/").split("/")
    if len(shown) <= below:
        return False
    return testcode.is_test_module(shown[-below - 1])


def locate_gradle(path: Path) -> Location:
    return Location(path.parent, "main")


def is_raw_resource_dir(name: str) -> bool:
    """``raw`` or a qualified ``raw-v24``/``raw-night`` resource folder."""
    return name == "raw" or name.startswith("raw-")
