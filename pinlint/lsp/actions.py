"""Code actions on a pinlint diagnostic: write an inline suppression, or open the rule's documentation.

The suppression is written in the file's own comment syntax (``pinlint.suppress`` decides which files
have one and reads the directives back), with ``REASON_PLACEHOLDER`` for the reason: until the user
replaces it the directive is not obeyed, and the editor shows the notice that says so. A new directive
stands alone on the line above the finding (indented like it), so it covers the finding's line; in XML,
where a comment cannot stand inside a start tag, it goes above a line that opens a tag and at the end of
a line that closes one, and no action is offered elsewhere. When a directive already covers the line,
the rule is added to its brackets and its reason is kept. Every edit is parsed back before it is offered:
an edit whose directive would not cover the finding is never offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lsprotocol import types

from pinlint.lsp.positions import UTF16, split_lines, units_of
from pinlint.triage.suppress import REASON_PLACEHOLDER, openers_for, parse_directives

EXPLAIN_COMMAND = "pinlint.explainRule"

_XML_OPENER = "<!--"
_BRACKETS = re.compile(r"pinlint:\s*ignore\[(?P<names>[^\]\n]*)\]")


@dataclass(frozen=True, slots=True)
class LineInsert:
    """Text to insert at a 0-based ``line`` and character ``column`` (in characters, converted later)."""

    line: int
    column: int
    text: str


def directive_text(rule_id: str, opener: str) -> str:
    """A new directive for ``rule_id`` in the comment syntax that starts with ``opener``."""
    body = f"pinlint: ignore[{rule_id}] {REASON_PLACEHOLDER}"
    if opener == _XML_OPENER:
        return f"<!-- {body} -->"
    if opener == "/*":
        return f"// {body}"
    return f"{opener} {body}"


def _covers(display: str, text: str, line: int, rule_id: str) -> bool:
    """Whether a directive in ``text`` names ``rule_id`` for the 1-based ``line``."""
    for directive in parse_directives(display, text):
        same = directive.span.line == line
        above = directive.span.line == line - 1 and directive.standalone
        if (same or above) and rule_id in directive.rule_ids:
            return True
    return False


def _apply(lines: list[str], insert: LineInsert) -> str:
    edited = list(lines)
    target = edited[insert.line] if insert.line < len(edited) else ""
    joined = target[:insert.column] + insert.text + target[insert.column:]
    if insert.line < len(edited):
        edited[insert.line] = joined
    else:
        edited.append(joined)
    return "\n".join(edited)


def _extend_existing(display: str, lines: list[str], line: int, rule_id: str) -> LineInsert | None:
    """Add ``rule_id`` to a directive that already covers the 1-based ``line`` (same line, or alone above)."""
    for directive in parse_directives(display, "\n".join(lines)):
        same = directive.span.line == line
        above = directive.span.line == line - 1 and directive.standalone
        if not (same or above) or rule_id in directive.rule_ids:
            continue
        text = lines[directive.span.line - 1]
        match = _BRACKETS.search(text, directive.span.col - 1)
        if match is None:
            continue
        separator = ", " if match.group("names").strip() else ""
        return LineInsert(directive.span.line - 1, match.end("names"), separator + rule_id)
    return None


def _new_directive(display: str, lines: list[str], line: int, rule_id: str,
                   newline: str = "\n") -> LineInsert | None:
    openers = openers_for(display)
    if not openers:
        return None
    text = lines[line - 1] if line - 1 < len(lines) else ""
    indent = text[: len(text) - len(text.lstrip())]
    comment = directive_text(rule_id, openers[0])
    if openers[0] != _XML_OPENER:
        return LineInsert(line - 1, 0, f"{indent}{comment}{newline}")
    stripped = text.strip()
    if stripped.startswith("<") and not stripped.startswith("<?xml"):
        return LineInsert(line - 1, 0, f"{indent}{comment}{newline}")
    if stripped.endswith(">"):
        return LineInsert(line - 1, len(text.rstrip()), f" {comment}")
    return None


def suppression_insert(display: str, text: str, line: int, rule_id: str) -> LineInsert | None:
    """The edit that suppresses ``rule_id`` on the 1-based ``line`` of a file shown as ``display``.

    None when the file has no comment syntax pinlint reads, or no place where a directive could cover
    the line; never an edit whose directive would not cover it when read back.
    """
    lines = split_lines(text)
    if not 1 <= line <= len(lines):
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    for insert in (_extend_existing(display, lines, line, rule_id),
                   _new_directive(display, lines, line, rule_id, newline)):
        if insert is None:
            continue
        shifted = line + insert.text.count("\n")
        if _covers(display, _apply(lines, insert), shifted, rule_id):
            return insert
    return None


def text_edit(insert: LineInsert, text: str, encoding: str = UTF16) -> types.TextEdit:
    """``insert`` as an LSP text edit on a document whose text is ``text``."""
    lines = split_lines(text)
    target = lines[insert.line] if insert.line < len(lines) else ""
    position = types.Position(insert.line, units_of(target[:insert.column], encoding))
    return types.TextEdit(types.Range(position, position), insert.text)


def suppression_action(uri: str, display: str, text: str, diagnostic: types.Diagnostic, rule_id: str,
                       line: int, encoding: str = UTF16) -> types.CodeAction | None:
    """The quick fix that writes a suppression of ``rule_id`` for the diagnostic's line."""
    insert = suppression_insert(display, text, line, rule_id)
    if insert is None:
        return None
    edit = types.WorkspaceEdit(changes={uri: [text_edit(insert, text, encoding)]})
    return types.CodeAction(
        title=f"Suppress {rule_id} on this line (then write the reason)",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=edit,
    )


def explain_action(rule_id: str, slug: str, diagnostic: types.Diagnostic) -> types.CodeAction:
    """The action that opens the rule's documentation (``pinlint explain``) in the editor."""
    return types.CodeAction(
        title=f"Explain {rule_id} ({slug})",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        command=types.Command(title=f"Explain {rule_id}", command=EXPLAIN_COMMAND, arguments=[rule_id]),
    )
