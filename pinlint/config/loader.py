"""The project's policy file: ``.pinlint.yaml`` or ``[tool.pinlint]`` in ``pyproject.toml``, as a ``Policy``.

Discovery starts at the scanned root (the common folder of the paths given) and walks up, stopping at the
folder that holds ``.git``. In each folder ``.pinlint.yaml`` wins over ``pyproject.toml``, and a
``pyproject.toml`` only counts when it has a ``[tool.pinlint]`` table. ``--config FILE`` names the file
instead and ``--no-config`` reads none.

The YAML is read as plain data only: every node's tag must be one of YAML's own scalar, list or mapping
tags, so a file with an application tag (``!!python/object/apply:...``) is refused before anything is
built from it. Aliases (``*name``) are refused too: nine levels of ten aliases make a few hundred bytes
stand for a billion values. A policy file is never read through a symbolic link (except one named with
``--config``), and ``extends`` never leaves the project, so no file outside it is read or shown. Every
problem is a ``ConfigError`` whose message is one line naming the file, the line and the key, and it
quotes values from the file cut to a few dozen characters.

Keys (``-`` and ``_`` are interchangeable in top-level keys):

- ``extends``: another config file, relative to this one and inside the same project (the folder holding
  ``.git``, or this file's folder when there is none); its values are read first, then this file's
  values replace them (``severity`` and ``options`` are merged rule by rule instead).
- ``select`` / ``ignore``: rule ids, slugs or prefixes.
- ``severity``: rule -> severity override.
- ``options``: rule -> {option: value}, checked against the options each rule declares.
- ``exclude``: gitignore-style patterns, relative to the folder of the file that lists them.
- ``sensitive-hosts``: host names (``*.`` wildcards allowed) that carry patient data.
- ``fail-on``: lowest severity that fails the run.
- ``max-file-size``: largest file read, in bytes.
- ``artifacts``: findings in compiled SDKs to ignore or re-rate: a list of ``{path: GLOB, class: GLOB,
  rules: [...], ignore: true | severity: LEVEL, reason: TEXT}`` (``path`` and ``reason`` required).
- ``include-vendored``: ``true`` scans vendored folders (``node_modules``, ``Pods``, ``build``...) in
  the precommit profile too, as the audit profile always does.
"""

from __future__ import annotations

import errno
import importlib
import os
import re
import reprlib
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pinlint.config.policy import ArtifactRule, Policy
from pinlint.model.facts import Note, Span
from pinlint.model.findings import SEVERITIES
from pinlint.rules import Rule, lookup, unknown_rule_message

if TYPE_CHECKING:
    import yaml

YAML_NAME = ".pinlint.yaml"
PYPROJECT_NAME = "pyproject.toml"
#: A policy file larger than this is refused (it is a few dozen lines in practice).
MAX_CONFIG_BYTES = 1024 * 1024
#: ``extends`` chains longer than this are refused (and loops are caught before).
MAX_EXTENDS_DEPTH = 16

KEYS = (
    "extends", "select", "ignore", "severity", "options", "exclude", "sensitive-hosts", "fail-on",
    "max-file-size", "artifacts", "include-vendored",
)

_YAML_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(
    _YAML_TAG + name for name in ("null", "bool", "int", "float", "str", "seq", "map", "merge", "timestamp")
)
_HOST = re.compile(r"^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$")


class ConfigError(Exception):
    """A policy file pinlint will not use: the message is one line naming the file, line and key."""


KeyPath = tuple[str, ...]


@dataclass
class _Document:
    """One file's data with the line of each key (``("options", "PIN101")`` -> 7), for error messages."""

    path: Path
    data: dict[str, Any]
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def where(self, key_path: KeyPath = ()) -> str:
        for end in range(len(key_path), 0, -1):
            line = self.lines.get(key_path[:end])
            if line is not None:
                return f"{_display(self.path)}:{line}"
        return _display(self.path)

    def fail(self, key_path: KeyPath, message: str, name_key: bool = True) -> ConfigError:
        shown = ".".join(key_path) if name_key else ""
        return ConfigError(f"{self.where(key_path)}: {f'{shown}: ' if shown else ''}{message}")


# ---------------------------------------------------------------------------------------------- reading


def _display(path: Path) -> str:
    """The path as the user knows it: relative to the working folder when inside it."""
    relative = os.path.relpath(os.path.abspath(path))
    return Path(path if relative.startswith("..") else relative).as_posix()


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxdict = _SHORT.maxlevel = 4


def _short(value: object) -> str:
    """``value`` as a short one-line text: a value from a policy file may be large, and is never shown whole."""
    text = value if isinstance(value, str) else _SHORT.repr(value)
    text = _one_line(text)
    return text if len(text) <= 60 else text[:57] + "..."


#: Flags that refuse a final symbolic link and never wait on a FIFO (0 where not supported).
_NOFOLLOW = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read_bytes(path: Path, follow_links: bool) -> bytes:
    """The file's bytes, refusing a link (unless ``follow_links``), a FIFO or device, and a file too large."""
    if not follow_links and path.is_symlink():
        raise ConfigError(f"{_display(path)}: is a symbolic link; policy files are not read through links "
                          "(name the file with --config to use it)")
    descriptor = os.open(path, _NOFOLLOW if not follow_links else os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise ConfigError(f"{_display(path)}: not a regular file")
        if status.st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{_display(path)}: {status.st_size} bytes is too large for a policy file")
        data = handle.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{_display(path)}: too large for a policy file")
    return data


def _read_text(path: Path, follow_links: bool = False) -> str:
    try:
        return _read_bytes(path, follow_links).decode("utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{_display(path)}: no such file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{_display(path)}: not UTF-8 text") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ConfigError(f"{_display(path)}: is a symbolic link; policy files are not read through links "
                              "(name the file with --config to use it)") from None
        raise ConfigError(f"{_display(path)}: cannot read: {error.strerror or error}") from None


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


#: Flow collections (``[``, ``{``) nested deeper than this are refused before PyYAML reads them: its
#: parser slows down sharply with depth (3,000 levels in 3 KB took seconds), and policies nest a few levels.
MAX_FLOW_DEPTH = 64
_FLOW = bytes(1 if chr(byte) in "[{" else 255 if chr(byte) in "]}" else 0 for byte in range(256))
_NOT_FLOW = bytes(byte for byte in range(256) if chr(byte) not in "[{]}")


def _flow_depth(text: str) -> int:
    """The deepest ``[``/``{`` nesting in ``text`` (quoted ones included: an overestimate), in C loops."""
    from itertools import accumulate

    steps = memoryview(text.encode("utf-8", "replace").translate(_FLOW, _NOT_FLOW)).cast("b")
    return max(accumulate(steps), default=0)


def _yaml_document(path: Path, text: str) -> _Document:
    import yaml  # only when a policy file is read

    if _flow_depth(text) > MAX_FLOW_DEPTH:
        raise ConfigError(f"{_display(path)}: not usable: nested too deeply")

    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                where = f"{_display(path)}:{event.start_mark.line + 1}" if event.start_mark else _display(path)
                raise ConfigError(f"{where}: YAML aliases (*name) are not allowed in a policy file; "
                                  "write the value out")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{_display(path)}:{mark.line + 1}" if mark is not None else _display(path)
        raise ConfigError(f"{where}: not valid YAML: {_one_line(error.problem or error.context)}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{_display(path)}: not valid YAML: {_one_line(error)}") from None
    except RecursionError:
        raise ConfigError(f"{_display(path)}: not usable: nested too deeply") from None
    if root is None:
        return _Document(path, {})
    lines: dict[KeyPath, int] = {}
    _check_nodes(path, root, lines)
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1
        raise ConfigError(f"{_display(path)}:{line}: the policy must be a mapping of keys to values")
    try:
        # Only YAML's own tags reach here (checked above), and SafeLoader builds no application objects.
        data = yaml.SafeLoader("").construct_document(root)
    except yaml.YAMLError as error:
        raise ConfigError(f"{_display(path)}: not valid YAML: {_one_line(error)}") from None
    except RecursionError:
        raise ConfigError(f"{_display(path)}: not usable: nested too deeply") from None
    return _Document(path, data if isinstance(data, dict) else {}, lines)


def _check_nodes(path: Path, root: yaml.Node, lines: dict[KeyPath, int]) -> None:
    """Refuse non-standard tags, aliases and duplicate keys; record each key's line."""
    import yaml

    stack: list[tuple[yaml.Node, KeyPath]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, key_path = stack.pop()
        if id(node) in seen:  # only an alias makes two places hold the same node
            where = f"{_display(path)}:{node.start_mark.line + 1}"
            raise ConfigError(f"{where}: YAML aliases (*name) are not allowed in a policy file; "
                              "write the value out")
        seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            tag = node.tag.replace(_YAML_TAG, "!!")
            where = f"{_display(path)}:{node.start_mark.line + 1}"
            raise ConfigError(f"{where}: YAML tag '{tag}' is not allowed (plain YAML only)")
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in node.value:
                where = f"{_display(path)}:{key_node.start_mark.line + 1}"
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _YAML_TAG + "str":
                    raise ConfigError(f"{where}: keys must be plain text")
                key = key_node.value
                if key in keys:
                    raise ConfigError(f"{where}: duplicate key '{_short(key)}'")
                keys.add(key)
                child = (*key_path, _normal_key(key) if not key_path else key)
                lines.setdefault(child, key_node.start_mark.line + 1)
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = (*key_path, str(index))
                lines.setdefault(child, item.start_mark.line + 1)
                stack.append((item, child))


def _toml_document(path: Path, text: str) -> _Document | None:
    """The ``[tool.pinlint]`` table, or None when the file has none."""
    if not re.search(r"^\s*\[\s*tool\s*\.\s*pinlint\s*[\].]", text, re.MULTILINE):
        return None
    try:
        tomllib = importlib.import_module("tomllib")  # in the standard library from Python 3.11
    except ImportError:
        raise ConfigError(f"{_display(path)}: [tool.pinlint] needs Python 3.11 or later to read; "
                          f"use {YAML_NAME} instead") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{_display(path)}: not valid TOML: {_one_line(error)}") from None
    except RecursionError:
        raise ConfigError(f"{_display(path)}: not usable: nested too deeply") from None
    table = data.get("tool", {}).get("pinlint")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{_display(path)}: [tool.pinlint] must be a table")
    return _Document(path, table, _toml_lines(text))


def _toml_lines(text: str) -> dict[KeyPath, int]:
    """Best-effort lines of the top-level keys of ``[tool.pinlint]`` (TOML parsers keep no positions)."""
    lines: dict[KeyPath, int] = {}
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            name = re.sub(r"\s+", "", header.group(1))
            inside = name == "tool.pinlint"
            if name.startswith("tool.pinlint."):
                lines.setdefault((_normal_key(name.split(".")[2]),), number)
            continue
        key = re.match(r"^\s*([A-Za-z0-9_-]+)\s*=", line)
        if inside and key:
            lines.setdefault((_normal_key(key.group(1)),), number)
    return lines


def _read_document(path: Path, follow_links: bool = False) -> _Document:
    text = _read_text(path, follow_links)
    if path.name == PYPROJECT_NAME or path.suffix == ".toml":
        document = _toml_document(path, text)
        if document is None:
            raise ConfigError(f"{_display(path)}: no [tool.pinlint] table")
        return document
    return _yaml_document(path, text)


# ------------------------------------------------------------------------------------------- validating


def _normal_key(key: str) -> str:
    return key.replace("_", "-")


def _names(document: _Document, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise document.fail((key,), "expected a list of rule ids or slugs")
    from pinlint.rules import UsageError, resolve_rule_names

    names = [name.strip() for item in value for name in item.split(",") if name.strip()]
    for index, name in enumerate(names):
        try:
            resolve_rule_names([name])
        except UsageError as error:
            raise document.fail((key, str(index)), str(error)) from None
    return names


def _rule(document: _Document, key_path: KeyPath, name: Any) -> Rule:
    rule = lookup(name) if isinstance(name, str) else None
    if rule is None:
        raise document.fail(key_path, unknown_rule_message(_short(name)))
    return rule


def _mapping(document: _Document, key_path: KeyPath, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise document.fail(key_path, "expected a mapping")
    return value


def _severity(document: _Document, value: Any) -> dict[str, str]:
    result: dict[str, str] = {}
    for name, severity in _mapping(document, ("severity",), value).items():
        rule = _rule(document, ("severity", name), name)
        if severity not in SEVERITIES:
            raise document.fail(("severity", name), f"'{_short(severity)}' is not one of {', '.join(SEVERITIES)}")
        result[rule.id] = severity
    return result


def _option_type_ok(default: Any, value: Any) -> bool:
    if default is None:
        return True
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, list):
        return isinstance(value, list) and all(
            _option_type_ok(default[0], item) for item in value) if default else isinstance(value, list)
    return isinstance(value, type(default))


def _options(document: _Document, value: Any) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for name, settings in _mapping(document, ("options",), value).items():
        rule = _rule(document, ("options", name), name)
        declared = rule.option_defaults()
        for option, setting in _mapping(document, ("options", name), settings).items():
            key_path = ("options", name, str(option))
            if option not in declared:
                known = ", ".join(sorted(declared)) or "none"
                raise document.fail(key_path, f"{rule.id} has no option '{_short(option)}' (its options: {known})")
            default = declared[option]
            if not _option_type_ok(default, setting):
                raise document.fail(key_path, f"expected a value like the default {default!r}, "
                                              f"got {_SHORT.repr(setting)[:60]}")
            result.setdefault(rule.id, {})[option] = setting
    return result


def _strings(document: _Document, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise document.fail((key,), "expected a list of strings")
    return list(value)


def _exclude(document: _Document, value: Any) -> list[str]:
    import pathspec

    patterns = _strings(document, "exclude", value)
    for index, pattern in enumerate(patterns):
        try:
            pathspec.GitIgnoreSpec.from_lines([pattern])
        except Exception as error:  # pathspec raises its own error types for bad patterns
            message = f"bad pattern '{_short(pattern)}': {_short(error)}"
            raise document.fail(("exclude", str(index)), message) from None
    return patterns


def _hosts(document: _Document, value: Any) -> list[str]:
    hosts = []
    for index, host in enumerate(_strings(document, "sensitive-hosts", value)):
        name = host.strip().lower()
        if "://" in name or "/" in name:
            raise document.fail(("sensitive-hosts", str(index)), f"'{_short(host)}' is a URL; write the host only")
        if not _HOST.match(name):
            raise document.fail(("sensitive-hosts", str(index)), f"'{_short(host)}' is not a host name")
        hosts.append(name.rstrip("."))
    return hosts


def _validate(document: _Document) -> dict[str, Any]:
    """The document's settings, checked, keyed by canonical key name."""
    settings: dict[str, Any] = {}
    for raw_key, value in document.data.items():
        key = _normal_key(str(raw_key))
        if key not in KEYS:
            raise document.fail((key,), f"unknown key '{_short(raw_key)}' (known keys: {', '.join(KEYS)})", False)
        if key == "extends":
            if not isinstance(value, str) or not value.strip():
                raise document.fail((key,), "expected the path of another policy file")
            settings[key] = value
        elif key in ("select", "ignore"):
            settings[key] = _names(document, key, value)
        elif key == "severity":
            settings[key] = _severity(document, value)
        elif key == "options":
            settings[key] = _options(document, value)
        elif key == "exclude":
            settings[key] = _exclude(document, value)
            settings["exclude-root"] = str(document.path.parent)
        elif key == "sensitive-hosts":
            settings[key] = _hosts(document, value)
        elif key == "fail-on":
            if value not in SEVERITIES:
                raise document.fail((key,), f"'{_short(value)}' is not one of {', '.join(SEVERITIES)}")
            settings[key] = value
        elif key == "include-vendored":
            if not isinstance(value, bool):
                raise document.fail((key,), "expected true or false")
            settings[key] = value
        elif key == "max-file-size":
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise document.fail((key,), "expected a positive number of bytes")
            settings[key] = value
        elif key == "artifacts":
            settings[key] = _artifacts(document, value)
    return settings


_ARTIFACT_KEYS = ("path", "class", "rules", "ignore", "severity", "reason")


def _artifacts(document: _Document, value: Any) -> list[ArtifactRule]:
    if not isinstance(value, list):
        raise document.fail(("artifacts",), "expected a list of {path, reason, ignore or severity} entries")
    entries = []
    for index, entry in enumerate(value):
        where: KeyPath = ("artifacts", str(index))
        if not isinstance(entry, dict):
            raise document.fail(where, "expected a mapping with path, reason and ignore or severity")
        unknown = sorted(str(key) for key in entry if key not in _ARTIFACT_KEYS)
        if unknown:
            raise document.fail(where, f"unknown key '{unknown[0]}' (known keys: {', '.join(_ARTIFACT_KEYS)})")
        path, reason, classes = entry.get("path"), entry.get("reason"), entry.get("class", "")
        if not isinstance(path, str) or not path.strip():
            raise document.fail(where, "needs 'path': a glob over the artifact's path")
        if not isinstance(reason, str) or not reason.strip():
            raise document.fail(where, "needs 'reason': why these findings are accepted (shown in the summary)")
        if not isinstance(classes, str):
            raise document.fail(where, "'class' must be a glob over class names")
        ignore = entry.get("ignore", False)
        severity = entry.get("severity")
        if not isinstance(ignore, bool) or (ignore == (severity is not None)):
            raise document.fail(where, "needs exactly one of 'ignore: true' or 'severity: LEVEL'")
        if severity is not None and severity not in SEVERITIES:
            raise document.fail(where, f"'{severity}' is not one of {', '.join(SEVERITIES)}")
        rules = tuple(_rule(document, (*where, "rules"), name).id for name in entry.get("rules", []) or [])
        entries.append(ArtifactRule(path.strip(), reason.strip(), classes.strip(), rules, ignore, severity))
    return entries


#: The settings key holding where each value came from (``"fail-on"`` -> ``".pinlint.yaml:12"``).
ORIGINS = "__origins__"


def _origins(document: _Document, settings: dict[str, Any]) -> dict[str, str]:
    """Where each setting of one file is written: top-level keys, and ``severity``/``options`` per rule."""
    origins: dict[str, str] = {}
    for key in settings:
        if key not in ("severity", "options", "exclude-root", "extends"):
            origins[key] = document.where((key,))
    raw_keys = {_normal_key(str(key)): key for key in document.data}
    for name in document.data.get(raw_keys.get("severity", ""), None) or {}:
        rule = lookup(str(name))
        if rule is not None:
            origins[f"severity.{rule.id}"] = document.where(("severity", str(name)))
    for name, options in (document.data.get(raw_keys.get("options", ""), None) or {}).items():
        rule = lookup(str(name))
        if rule is not None and isinstance(options, dict):
            for option in options:
                origins[f"options.{rule.id}.{option}"] = document.where(("options", str(name), str(option)))
    return origins


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if key == ORIGINS or key == "severity":
            merged[key] = {**base.get(key, {}), **value}
        elif key == "options":
            options = {rule: dict(settings) for rule, settings in base.get(key, {}).items()}
            for rule, settings in value.items():
                options.setdefault(rule, {}).update(settings)
            merged[key] = options
        else:
            merged[key] = value
    return merged


def project_root(path: Path) -> Path:
    """The project a policy file belongs to: the nearest folder holding ``.git``, else the file's folder."""
    folder = Path(os.path.realpath(path)).parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def _load_settings(path: Path, chain: tuple[Path, ...] = (), project: Path | None = None,
                   follow_links: bool = False) -> dict[str, Any]:
    real = Path(os.path.abspath(path))
    if real in chain:
        raise ConfigError(f"{_display(path)}: extends loops back to itself")
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ConfigError(f"{_display(path)}: extends chain is deeper than {MAX_EXTENDS_DEPTH} files")
    document = _read_document(path, follow_links)
    settings = _validate(document)
    settings[ORIGINS] = _origins(document, settings)
    extends = settings.pop("extends", None)
    if extends is None:
        return settings
    project = project or project_root(path)
    base_path = path.parent / extends
    if not _inside(Path(os.path.realpath(base_path)), project):
        raise document.fail(("extends",), f"'{_short(extends)}' is outside the project ({_display(project)}); "
                                          "extends stays inside it (name another file with --config)")
    if not base_path.is_file():
        raise document.fail(("extends",), f"no such file: {_short(extends)}")
    return _merge(_load_settings(base_path, (*chain, real), project), settings)


def load_config(path: Path, follow_links: bool = False) -> Policy:
    """The policy of one file (following ``extends`` inside its project). Raises ConfigError.

    ``follow_links``: read ``path`` even through a symbolic link (a file the user named with ``--config``).
    """
    settings = _load_settings(path, follow_links=follow_links)
    policy = Policy()
    policy.select = settings.get("select", [])
    policy.ignore = settings.get("ignore", [])
    policy.severity = settings.get("severity", {})
    policy.options = settings.get("options", {})
    policy.exclude = settings.get("exclude", [])
    policy.exclude_root = settings.get("exclude-root")
    policy.sensitive_hosts = settings.get("sensitive-hosts", [])
    policy.fail_on = settings.get("fail-on", policy.fail_on)
    policy.max_file_size = settings.get("max-file-size", policy.max_file_size)
    policy.artifacts = settings.get("artifacts", [])
    policy.include_vendored = settings.get("include-vendored", policy.include_vendored)
    policy.source = _display(path)
    policy.origins = settings.get(ORIGINS, {})
    return policy


# ------------------------------------------------------------------------------------------- discovering


def scan_root(targets: Sequence[Path]) -> Path:
    """The folder the scan is about: the common folder of the targets (a file's own folder)."""
    absolute = [Path(os.path.abspath(target)) for target in targets] or [Path(os.path.abspath("."))]
    folders = [path if path.is_dir() else path.parent for path in absolute]
    return Path(os.path.commonpath([str(folder) for folder in folders]))


def _has_pinlint_table(path: Path) -> bool:
    try:
        text = _read_bytes(path, follow_links=False).decode("utf-8-sig", errors="replace")
    except (OSError, ConfigError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*pinlint\s*[\].]", text, re.MULTILINE) is not None


def config_in(folder: Path) -> Path | None:
    """The policy file in one folder: ``.pinlint.yaml``, else a ``pyproject.toml`` with ``[tool.pinlint]``."""
    candidate = folder / YAML_NAME
    if candidate.is_file() or candidate.is_symlink():  # a link is refused when read, not passed over
        return candidate
    candidate = folder / PYPROJECT_NAME
    if candidate.is_symlink():
        return None  # an ordinary project file; pinlint reads none through a link
    if candidate.is_file() and _has_pinlint_table(candidate):
        return candidate
    return None


def is_config_file(location: str | Path) -> bool:
    """Whether a scanned file is a pinlint policy file (listed, not obeyed, in the audit profile)."""
    name = os.path.basename(location)
    return name == YAML_NAME or (name == PYPROJECT_NAME and _has_pinlint_table(Path(location)))


def discover(start: Path) -> list[Path]:
    """Folders from ``start`` up to the repository root (the folder holding ``.git``) or the top."""
    folders: list[Path] = []
    folder = start
    while True:
        folders.append(folder)
        if (folder / ".git").exists() or folder.parent == folder:
            return folders
        folder = folder.parent


def project_folder(targets: Sequence[Path]) -> Path:
    """The project the targets belong to: the nearest folder, from their common folder up, that holds a
    policy file or ``.git``; else their common folder. Baselines key paths from here
    (``pinlint.triage.baseline``), so they match whatever folder pinlint runs in."""
    start = scan_root(targets)
    for folder in discover(start):
        if config_in(folder) is not None or (folder / ".git").exists():
            return folder
    return start


def _inside(path: Path, root: Path) -> bool:
    try:
        Path(os.path.abspath(path)).relative_to(root)
    except ValueError:
        return False
    return True


def resolve_policy(
    targets: Sequence[Path],
    *,
    config: Path | None = None,
    no_config: bool = False,
    profile: str = "precommit",
) -> tuple[Policy, list[Note]]:
    """The policy for a scan, and notices about policy files not obeyed. Raises ConfigError.

    ``--config`` is always obeyed. Otherwise the closest policy file above the scanned folder counts, up
    to the repository root. In the audit profile the audited tree's policy files are listed, not obeyed:
    those inside the scanned folder and those above it on the way to the working folder (or to the tree's
    repository root, when the tree is not inside the working folder), so naming a file deep inside a
    vendor tree obeys nothing the vendor wrote. Only the auditor's own files count: found from the working
    folder up to its repository root, outside the scanned folder.
    """
    if no_config:
        return Policy(), []
    if config is not None:
        return load_config(config, follow_links=True), []
    root = scan_root(targets)
    if profile == "audit":
        return _audit_policy(root)
    for folder in discover(root):
        found = config_in(folder)
        if found is not None:
            return load_config(found), []
    return Policy(), []


_NOT_OBEYED = "policy file inside the audited tree is not obeyed in the audit profile"


def _audit_policy(root: Path) -> tuple[Policy, list[Note]]:
    working = Path(os.path.abspath("."))
    notices: list[Note] = []
    for folder in discover(root):
        if _inside(working, folder) and not _inside(folder, root):
            break  # the working folder's side: the auditor's
        found = config_in(folder)
        if found is not None:
            notices.append(Note(Span(_display(found)), _NOT_OBEYED))
    for folder in discover(working):
        found = config_in(folder)
        if found is None:
            continue
        if _inside(found, root):
            notices.append(Note(Span(_display(found)), _NOT_OBEYED))
            continue
        return load_config(found), _unique(notices)
    return Policy(), _unique(notices)


def _unique(notices: list[Note]) -> list[Note]:
    unique: dict[str, Note] = {}
    for note in notices:
        unique.setdefault(note.span.path, note)
    return list(unique.values())
