"""Discovery for Android modules: the folders and files of a module that later stages need as facts.

Resolution decides which config a manifest names, whether a ``@raw`` trust anchor exists and whether a
module's resources are in the tree; it reads those answers from ``AndroidResources`` facts listed here,
never from the disk. A file named alone (the pre-commit case) gets its module's manifests, Gradle script
and companion configs as context files from here too. Links are never followed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pinlint.model.facts import AndroidResources
from pinlint.vocab.android_layout import (
    GRADLE_NAMES,
    MANIFEST_NAME,
    is_raw_resource_dir,
    is_xml_resource_dir,
    locate_manifest,
    locate_resource,
)


def _listdir(folder: Path) -> list[Path]:
    try:
        return sorted(child for child in folder.iterdir() if not child.is_symlink())
    except OSError:
        return []


def source_set_dirs(module: Path) -> list[Path]:
    """Each ``src/<set>`` folder of ``module`` plus the module folder itself (bare layout). Lists folders."""
    folders = [child for child in _listdir(module / "src") if child.is_dir()]
    return [*folders, module]


def xml_resource_files(module: Path, name: str | None = None) -> list[Path]:
    """``res/xml*/NAME.xml`` (or every XML file there) in every source set of ``module``. Lists folders."""
    return [Path(path) for path in _resources(module).xml_files if name is None or Path(path).stem == name]


def raw_resource_files(module: Path, name: str | None = None) -> list[Path]:
    """``res/raw*/NAME.*`` (any extension; every file when ``name`` is None) in every source set of
    ``module``. Lists folders."""
    return [Path(path) for path in _resources(module).raw_files
            if name in (None, path.rsplit("/", 1)[-1].split(".", 1)[0])]


def has_non_xml_resources(module: Path) -> bool:
    """Whether any source set of ``module`` has a resource folder besides ``res/xml*`` (``values``,
    ``raw``, ``drawable``...): a sign that the module's resources are in the tree, not only a config
    copied alone. Lists folders."""
    return _resources(module).has_other_resources


def module_manifests(module: Path) -> list[Path]:
    """Every manifest of ``module``'s source sets (and a bare one). Lists folders."""
    found = [holder / MANIFEST_NAME for holder in source_set_dirs(module)]
    return [path for path in found if path.is_file() and not path.is_symlink()]


def module_gradle_files(module: Path) -> list[Path]:
    found = [module / name for name in GRADLE_NAMES]
    return [path for path in found if path.is_file() and not path.is_symlink()]


def module_resources(modules: Iterable[Path]) -> list[AndroidResources]:
    """The resource listing of each module folder (absolute), one fact per folder, in sorted order."""
    return [_resources(module) for module in sorted(set(modules))]


def _entries(folder: str) -> list[os.DirEntry[str]]:
    """The entries of ``folder`` that are not symbolic links, sorted by name (none when it cannot be listed)."""
    try:
        with os.scandir(folder) as listing:
            return sorted((entry for entry in listing if not entry.is_symlink()), key=lambda entry: entry.name)
    except OSError:
        return []


def _has_suffix(name: str, suffix: str) -> bool:
    """Whether ``name`` has ``suffix`` as ``Path.suffix`` reads it (``.xml`` alone has none)."""
    dot = name.rfind(".")
    return 0 < dot < len(name) - 1 and name[dot:].lower() == suffix


def _resources(module: Path) -> AndroidResources:
    """The XML and raw resource files of every source set of ``module`` (and its bare layout), and whether it
    has other resource folders, from one ``scandir`` of each folder: a module with a hundred translated
    ``values-*`` folders is listed once, and an entry's type needs no ``stat``."""
    xml_files: list[str] = []
    raw_files: list[str] = []
    has_other = False
    root = str(module)
    holders = [entry.path for entry in _entries(os.path.join(root, "src")) if entry.is_dir(follow_symlinks=False)]
    for holder in [*holders, root]:
        for folder in _entries(os.path.join(holder, "res")):
            if not folder.is_dir(follow_symlinks=False):
                continue
            if is_xml_resource_dir(folder.name):
                xml_files.extend(Path(child.path).as_posix() for child in _entries(folder.path)
                                 if _has_suffix(child.name, ".xml") and child.is_file(follow_symlinks=False))
                continue
            has_other = True
            if is_raw_resource_dir(folder.name):
                raw_files.extend(Path(child.path).as_posix() for child in _entries(folder.path)
                                 if child.is_file(follow_symlinks=False))
    return AndroidResources(module.as_posix(), xml_files=tuple(xml_files), raw_files=tuple(raw_files),
                            has_other_resources=has_other)


def config_context_files(path: Path) -> list[Path]:
    """The module's manifests and Gradle file, and the ``NAME``/``NAME_debug`` companion of this config."""
    location = locate_resource(path)
    found = module_manifests(location.module)
    found += module_gradle_files(location.module)
    stem = path.stem
    companion = stem[: -len("_debug")] if stem.endswith("_debug") else stem + "_debug"
    found.extend(xml_resource_files(location.module, companion))
    return found


def manifest_context_files(path: Path) -> list[Path]:
    """The module's Gradle file, its other manifests and its XML resources (network security configs)."""
    location = locate_manifest(path)
    return [
        *module_gradle_files(location.module),
        *module_manifests(location.module),
        *xml_resource_files(location.module),
    ]


#: What a parser's ``CONTEXT`` names -> the files that give a file of that kind its project context.
CONTEXT_FINDERS = {
    "android-config": config_context_files,
    "android-manifest": manifest_context_files,
}
