"""The rule catalogue: one YAML file per rule in ``rules/``, shipped inside the wheel.

Each file holds the rule's id, slug, title, default severity and confidence, references (CWE, OWASP
MASVS, HIPAA), platforms, options with defaults, the check that implements it, and its documentation in
five sections. ``pinlint explain`` and SARIF rule help are rendered from it.
"""

from __future__ import annotations

import importlib
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


@cache
def catalogue() -> dict[str, Rule]:
    """Every rule, keyed by id, in id order."""
    import yaml

    loader = _safe_loader()
    rules: dict[str, Rule] = {}
    for path in sorted(_rules_dir().glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        if not isinstance(data, dict):
            raise CatalogueError(f"{path.name}: not a mapping")
        rule = replace(parse_rule(data, path.name), file=path)
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
