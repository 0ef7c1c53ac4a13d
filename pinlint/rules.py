"""The rule catalogue: one YAML file per rule in ``rules/``, shipped inside the wheel.

Each file holds the rule's id, slug, title, default severity and confidence, references (CWE, OWASP
MASVS, HIPAA), platforms, options with defaults, the check that implements it, and its documentation in
five sections. ``pinlint explain`` and SARIF rule help are rendered from it.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from pinlint.model.findings import CONFIDENCES, SEVERITIES

DOC_SECTIONS = (
    ("what_it_does", "What it does"),
    ("why_bad", "Why is this bad?"),
    ("example", "Example"),
    ("use_instead", "Use instead"),
    ("references", "References"),
)

REQUIRED_KEYS = (
    "id", "slug", "title", "severity", "confidence", "cwe", "masvs", "platforms", "check",
    "what_it_does", "why_bad", "example", "use_instead", "references",
)


@dataclass(frozen=True)
class RuleOption:
    name: str
    default: Any
    description: str


@dataclass(frozen=True)
class Rule:
    id: str
    slug: str
    title: str
    severity: str
    confidence: str
    cwe: tuple[str, ...]
    masvs: tuple[str, ...]
    hipaa: str
    platforms: tuple[str, ...]
    check: str
    what_it_does: str
    why_bad: str
    example: str
    use_instead: str
    references: tuple[str, ...]
    options: tuple[RuleOption, ...] = field(default_factory=tuple)
    help_uri: str = ""
    #: False for rules whose flagged line may hold secrets (a private key): reports never quote it.
    show_source: bool = True
    #: The shipped YAML file the rule was read from: its documentation (the editor server links to it).
    file: Path | None = None

    def option_defaults(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}

    def load_check(self) -> Callable[..., Iterable[Any]]:
        module_name, _, function_name = self.check.partition(":")
        module = importlib.import_module(module_name)
        check: Callable[..., Iterable[Any]] = getattr(module, function_name)
        return check

    def markdown(self) -> str:
        """The full documentation in the five sections, as Markdown."""
        parts = [f"# {self.id} {self.slug}: {self.title}", ""]
        meta = [f"Severity: {self.severity}", f"Confidence: {self.confidence}"]
        if self.cwe:
            meta.append("CWE: " + ", ".join(self.cwe))
        if self.masvs:
            meta.append("OWASP MASVS: " + ", ".join(self.masvs))
        if self.hipaa:
            meta.append("HIPAA: " + self.hipaa)
        meta.append("Platforms: " + ", ".join(self.platforms))
        parts += [" · ".join(meta), ""]
        for key, heading in DOC_SECTIONS:
            parts.append(f"## {heading}")
            if key == "references":
                parts.extend(f"- {reference}" for reference in self.references)
            else:
                parts.append(getattr(self, key).strip())
            parts.append("")
        if self.options:
            parts.append("## Options")
            parts.extend(f"- `{o.name}` (default `{o.default}`): {o.description}" for o in self.options)
            parts.append("")
        return "\n".join(parts).rstrip() + "\n"


class CatalogueError(Exception):
    """A rule file is malformed: a packaging bug, reported with the file name."""


def _rules_dir() -> Path:
    """``_rules`` inside the installed package, else ``rules/`` of a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_rules"
    if packaged.is_dir():
        return packaged
    return here.parent / "rules"


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return (str(value),)


def parse_rule(data: dict[str, Any], source: str) -> Rule:
    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise CatalogueError(f"{source}: missing keys {', '.join(missing)}")
    if data["severity"] not in SEVERITIES or data["confidence"] not in CONFIDENCES:
        raise CatalogueError(f"{source}: bad severity or confidence")
    options = tuple(
        RuleOption(name, spec.get("default"), str(spec.get("description", "")))
        for name, spec in (data.get("options") or {}).items()
    )
    return Rule(
        id=str(data["id"]), slug=str(data["slug"]), title=str(data["title"]),
        severity=str(data["severity"]), confidence=str(data["confidence"]),
        cwe=_as_tuple(data["cwe"]), masvs=_as_tuple(data["masvs"]), hipaa=str(data.get("hipaa") or ""),
        platforms=_as_tuple(data["platforms"]), check=str(data["check"]),
        what_it_does=str(data["what_it_does"]), why_bad=str(data["why_bad"]), example=str(data["example"]),
        use_instead=str(data["use_instead"]), references=_as_tuple(data["references"]), options=options,
        help_uri=str(data.get("help_uri") or ""),
        show_source=bool(data.get("show_source", True)),
    )


def _safe_loader() -> type[Any]:
    """libyaml's safe loader when PyYAML was built with it (ten times faster), else the pure-Python one."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: Bumped when the cache's layout changes, so an older pinlint's cache is not read.
CACHE_FORMAT = 1


def cache_file() -> Path:
    """Where the parsed catalogue is kept between runs: ``$XDG_CACHE_HOME/pinlint`` (else ``~/.cache/pinlint``),
    one file per installed pinlint (its version and rules folder), so two installations never take turns."""
    import zlib

    from pinlint import __version__

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = zlib.crc32(f"{__version__}\0{_rules_dir()}".encode("utf-8", "surrogateescape"))
    return Path(base) / "pinlint" / f"rules-{key:08x}.json"


def _signature(paths: list[Path]) -> list[Any]:
    """What the cache was made from: pinlint's version and each rule file's name, size and modification time
    (as Python's own bytecode cache decides)."""
    from pinlint import __version__

    signature: list[Any] = [CACHE_FORMAT, __version__, str(_rules_dir())]
    for path in paths:
        status = path.stat()
        signature.append([path.name, status.st_size, status.st_mtime_ns])
    return signature


def _read_cache(signature: list[Any]) -> list[dict[str, Any]] | None:
    """The rule files' data from the cache, when it was made from exactly these files; else None."""
    import json

    try:
        cached = json.loads(cache_file().read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("signature") != signature:
        return None
    rules = cached.get("rules")
    if not isinstance(rules, list) or not all(isinstance(data, dict) for data in rules):
        return None
    return rules


def _write_cache(signature: list[Any], rules: list[dict[str, Any]]) -> None:
    """Keep the rule files' data for the next run, written whole or not at all; a cache that cannot be
    written (a read-only home, data JSON cannot hold) is left alone."""
    import json

    try:
        text = json.dumps({"signature": signature, "rules": rules})
        if json.loads(text)["rules"] != rules:  # a value JSON would change (a date): read the YAML every time
            return
        target = cache_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        # a name of our own, created exclusively, rather than tempfile: importing tempfile alone costs a
        # one-file run more than writing the cache does
        temporary = target.parent / f".rules-{os.getpid()}-{os.urandom(6).hex()}.json"
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except (OSError, TypeError, ValueError):
        return


def _load_yaml(paths: list[Path]) -> list[dict[str, Any]]:
    import yaml

    loader = _safe_loader()
    found: list[dict[str, Any]] = []
    for path in paths:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        if not isinstance(data, dict):
            raise CatalogueError(f"{path.name}: not a mapping")
        found.append(data)
    return found


@cache
def catalogue() -> dict[str, Rule]:
    """Every rule, keyed by id, in id order.

    The rule files are YAML; their data is kept in a JSON cache (``cache_file``) checked against each
    file's size and modification time, so a run does not load the YAML reader when no rule file changed.
    """
    paths = sorted(_rules_dir().glob("*.yaml"))
    signature = _signature(paths)
    data = _read_cache(signature)
    if data is None or len(data) != len(paths):
        data = _load_yaml(paths)
        _write_cache(signature, data)
    rules: dict[str, Rule] = {}
    for path, fields in zip(paths, data, strict=True):
        rule = replace(parse_rule(fields, path.name), file=path)
        rules[rule.id] = rule
    return dict(sorted(rules.items()))


def lookup(name: str) -> Rule | None:
    """A rule by id (case-insensitive) or slug."""
    rules = catalogue()
    upper = name.strip().upper()
    if upper in rules:
        return rules[upper]
    lowered = name.strip().lower()
    for rule in rules.values():
        if rule.slug == lowered:
            return rule
    return None


def closest(name: str) -> Rule | None:
    """The rule whose id or slug is most like ``name`` (a typo), or None when none is close."""
    import difflib

    rules = catalogue()
    by_name = {rule.id.lower(): rule for rule in rules.values()}
    by_name.update({rule.slug: rule for rule in rules.values()})
    matches = difflib.get_close_matches(name.strip().lower(), list(by_name), n=1, cutoff=0.6)
    return by_name[matches[0]] if matches else None


def unknown_rule_message(name: str) -> str:
    """``unknown rule 'X'``, with the closest rule when there is one, and where to see them all."""
    near = closest(name)
    hint = f"; did you mean '{near.slug}' ({near.id})?" if near is not None else ""
    return f"unknown rule '{name}'{hint} (see 'pinlint rules')"


class UsageError(Exception):
    """A bad rule name or option: exit code 2."""


def resolve_rule_names(names: Iterable[str]) -> set[str]:
    """Rule ids for ids, slugs or id prefixes (``PIN`` selects every pinning rule)."""
    ids: set[str] = set()
    rules = catalogue()
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        rule = lookup(name)
        if rule is not None:
            ids.add(rule.id)
            continue
        prefixed = {rule_id for rule_id in rules if rule_id.startswith(name.upper())}
        if name.upper() == "ALL":
            prefixed = set(rules)
        if not prefixed:
            raise UsageError(unknown_rule_message(name))
        ids |= prefixed
    return ids


def active_rules(select: Iterable[str], ignore: Iterable[str]) -> dict[str, Rule]:
    """The catalogue's rules that ``select`` (every rule when empty) keeps and ``ignore`` does not drop."""
    rules = catalogue()
    chosen = list(select)
    selected = resolve_rule_names(chosen) if chosen else set(rules)
    ignored = resolve_rule_names(ignore)
    return {rule_id: rule for rule_id, rule in rules.items() if rule_id in selected and rule_id not in ignored}
