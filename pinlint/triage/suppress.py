"""Inline suppressions: ``pinlint: ignore[PIN101, cleartext-permitted] reason`` in a comment.

The directive is only read inside the file's own comment syntax: after ``<!--`` in XML and plists, after
``//`` or ``/*`` (or on a ``*`` continuation line of a block comment) in C-family sources and Gradle, after
``#`` in Python, YAML and Ruby. It covers findings on its own line, and on the next line when the comment
stands alone on its line. Rules are named by id or slug.

A reason is required: a directive without one is never obeyed and is reported; so is one whose reason is
still ``REASON_PLACEHOLDER``, the text the editor server's "suppress" action writes for the user to replace.
Suppressed findings are kept and marked, so every output can show them. A directive that suppresses
nothing is reported as unused. In the audit profile no directive is obeyed; each is listed instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from pinlint.model.facts import Note, Span
from pinlint.model.findings import Finding, Suppression
from pinlint.rules import lookup

_XML = ("<!--",)
_C_FAMILY = ("//", "/*")
_HASH = ("#",)

#: Comment openers by file suffix (lower-case) or whole file name.
COMMENT_OPENERS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys((".xml", ".plist", ".entitlements", ".storyboard", ".xib", ".html", ".htm"), _XML),
    **dict.fromkeys((
        ".kt", ".kts", ".java", ".gradle", ".groovy", ".swift", ".m", ".mm", ".h", ".c", ".cc", ".cpp",
        ".dart", ".cs", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".pbxproj", ".json5",
        ".jsonc",
    ), _C_FAMILY),
    **dict.fromkeys((
        ".py", ".pyi", ".yaml", ".yml", ".rb", ".properties", ".toml", ".pro", ".cfg",
        "podfile", "fastfile", "gemfile", "cartfile",
    ), _HASH),
}

#: The reason an editor writes into a new directive: it counts as no reason until the user replaces it.
REASON_PLACEHOLDER = "<why this is safe>"

_DIRECTIVE = re.compile(r"pinlint:\s*ignore\[(?P<names>[^\]\n]*)\](?P<rest>[^\n]*)")
_CLOSERS = ("-->", "*/")
_MARKER = b"pinlint:"


@dataclass(frozen=True, slots=True)
class Directive:
    """One ``pinlint: ignore[...]`` comment."""

    span: Span
    names: tuple[str, ...]
    rule_ids: frozenset[str]
    unknown: tuple[str, ...]
    reason: str
    #: The comment is alone on its line, so it also covers the next line.
    standalone: bool


def openers_for(path: str) -> tuple[str, ...] | None:
    name = path.rpartition("/")[2].rpartition("\\")[2].lower()
    dot = name.rfind(".")
    suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # as Path.suffix: ".bashrc" has none
    return COMMENT_OPENERS.get(name) or COMMENT_OPENERS.get(suffix)


def _before_closer(rest: str) -> str:
    """The directive's text up to the end of its comment (``-->``, ``*/``), without trailing space."""
    for closer in _CLOSERS:
        index = rest.find(closer)
        if index >= 0:
            rest = rest[:index]
    return rest.rstrip()


def _reason(rest: str) -> str:
    reason = _before_closer(rest).strip().lstrip(":-–—").strip()
    return "" if reason == REASON_PLACEHOLDER else reason


def parse_directives(display: str, text: str) -> list[Directive]:
    """Every directive written inside a comment of ``text`` (a file shown as ``display``)."""
    openers = openers_for(display)
    if openers is None:
        return []
    directives: list[Directive] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "pinlint:" not in line:
            continue
        for match in _DIRECTIVE.finditer(line):
            before = line[:match.start()]
            starts = [before.rfind(opener) for opener in openers]
            opener_at = max(starts)
            continuation = openers is _C_FAMILY and before.lstrip().startswith("*")
            if opener_at < 0 and not continuation:
                continue
            standalone = continuation or not before[:opener_at].strip()
            names = tuple(name.strip() for name in match.group("names").split(",") if name.strip())
            known: set[str] = set()
            unknown: list[str] = []
            for name in names:
                rule = lookup(name)
                if rule is None:
                    unknown.append(name)
                else:
                    known.add(rule.id)
            directives.append(Directive(
                span=Span(display, number, match.start() + 1, number,
                          match.start("rest") + len(_before_closer(match.group("rest"))) + 1),
                names=names,
                rule_ids=frozenset(known),
                unknown=tuple(unknown),
                reason=_reason(match.group("rest")),
                standalone=standalone,
            ))
    return directives


def may_hold_directives(display: str) -> bool:
    """Whether the file's type has a comment syntax pinlint reads directives from."""
    return openers_for(display) is not None


def directives_in(display: str, data: bytes) -> list[Directive]:
    """The directives in one file's bytes (a byte search skips files without any, and binary files)."""
    if _MARKER not in data or b"\x00" in data[:8192]:
        return []
    return parse_directives(display, data.decode("utf-8-sig", errors="replace"))


def apply_inline(
    findings: Iterable[Finding],
    directives: Mapping[str, list[Directive]],
    active_rules: Iterable[str],
    obey: bool = True,
) -> tuple[list[Finding], list[Note]]:
    """Mark findings covered by a reasoned directive; report unused, reasonless and unknown-rule directives.

    With ``obey`` False (the audit profile) nothing is suppressed and every directive is listed.
    """
    by_line: dict[tuple[str, int], list[Directive]] = {}
    for display, listed in directives.items():
        for directive in listed:
            by_line.setdefault((display, directive.span.line), []).append(directive)
    used: set[Span] = set()
    marked: list[Finding] = []
    for finding in findings:
        path, line = finding.span.path, finding.span.line
        covering = list(by_line.get((path, line), ()))
        covering += [d for d in by_line.get((path, line - 1), ()) if d.standalone]
        suppression = finding.suppression
        for directive in covering:
            if finding.rule_id not in directive.rule_ids:
                continue
            used.add(directive.span)
            if suppression is None and obey and directive.reason:
                suppression = Suppression("inline", directive.reason, directive.span)
        if suppression is not finding.suppression:
            finding = replace(finding, suppression=suppression)
        marked.append(finding)
    return marked, _directive_notices(directives, used, set(active_rules), obey)


def _directive_notices(
    directives: Mapping[str, list[Directive]], used: set[Span], active: set[str], obey: bool,
) -> list[Note]:
    notices: list[Note] = []
    for listed in directives.values():
        for directive in listed:
            shown = ", ".join(directive.names) or "nothing"
            if directive.unknown:
                plural = "s" if len(directive.unknown) > 1 else ""
                notices.append(Note(directive.span,
                                    f"suppression names unknown rule{plural} {', '.join(directive.unknown)}"))
            if not directive.reason:
                notices.append(Note(directive.span, f"suppression of {shown} has no reason and is not "
                                    "obeyed; write why after the brackets"))
            elif not obey:
                state = "matches a finding" if directive.span in used else "matches no finding"
                notices.append(Note(directive.span, f"suppression of {shown} ({state}) is not obeyed in the "
                                    f"audit profile; reason given: {directive.reason}"))
            elif directive.span not in used and directive.rule_ids & active:
                notices.append(Note(directive.span, f"unused suppression of {shown}: no such finding here"))
    return sorted(notices, key=lambda note: (note.span.path, note.span.line, note.span.col))
