"""Hover text over a pinlint diagnostic: the rule's title, why it matters and how to fix it."""

from __future__ import annotations

from collections.abc import Iterable

from lsprotocol import types

from pinlint.lsp.diagnostics import SOURCE, documentation_uri
from pinlint.rules import Rule, lookup


def contains(where: types.Range, position: types.Position) -> bool:
    """Whether ``position`` falls inside ``where`` (its end included, so a hover at a squiggle's end counts)."""
    start, end = where.start, where.end
    after_start = (position.line, position.character) >= (start.line, start.character)
    before_end = (position.line, position.character) <= (end.line, end.character)
    return after_start and before_end


def rule_markdown(rule: Rule, message: str) -> str:
    """The hover text of one diagnostic of ``rule``."""
    parts = [f"**{rule.id}** `{rule.slug}`: {rule.title} ({rule.severity})", "", message, "",
             "**Why it matters**", "", rule.why_bad.strip(), "", "**Fix**", "", rule.use_instead.strip()]
    href = documentation_uri(rule)
    if href:
        parts += ["", f"[{rule.id} documentation]({href})"]
    return "\n".join(parts)


def hover_for(diagnostics: Iterable[types.Diagnostic], position: types.Position) -> types.Hover | None:
    """The hover at ``position``: one section per pinlint diagnostic there, or None."""
    sections: list[str] = []
    for diagnostic in diagnostics:
        if diagnostic.source != SOURCE or not isinstance(diagnostic.code, str):
            continue
        if not contains(diagnostic.range, position):
            continue
        rule = lookup(diagnostic.code)
        if rule is not None:
            sections.append(rule_markdown(rule, diagnostic.message))
    if not sections:
        return None
    content = types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(sections))
    return types.Hover(contents=content)
