"""String literals as each code front end reads them: escapes, raw strings, interpolation, adjacent parts.

Every front end reads literals through ``pinlint.parsers.code.literals`` with its own escape table and node
kinds; this table pins down what each one decodes (and what it keeps as written) on tricky literals.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pinlint.parsers.code import lang_csharp, lang_dart, lang_javascript
from pinlint.parsers.code import treesitter as ts
from pinlint.parsers.code.apple.objc import ObjcSyntax
from pinlint.parsers.code.apple.swift import SwiftSyntax
from pinlint.parsers.code.jvm.syntax import JAVA, KOTLIN
from pinlint.parsers.code.literals import HOLE, StringPart
from pinlint.parsers.code.treesitter import Node

SWIFT = SwiftSyntax()
OBJC = ObjcSyntax()

CSHARP_STRINGS = ("string_literal", "verbatim_string_literal", "raw_string_literal", "interpolated_string_expression")
SWIFT_STRINGS = ("line_string_literal", "multi_line_string_literal", "raw_string_literal")


def first(source: str, grammar: str, kinds: tuple[str, ...]) -> Node:
    """The first (outermost) node of one of ``kinds`` in ``source``."""
    for node in ts.walk(ts.parse(source.encode(), grammar)):
        if node.type in kinds:
            return node
    raise AssertionError(f"no {kinds} in {source!r}")


def jvm_written(syntax: object) -> Callable[[Node], list[tuple[str, str]]]:
    """A JVM literal's parts as ``(kind, text)``: ``text``, ``expr`` (its source) or ``ref`` (``$name``)."""

    def read(node: Node) -> list[tuple[str, str]]:
        parts: list[StringPart] | None = syntax.string_parts(node)  # type: ignore[attr-defined]
        assert parts is not None
        return [
            ("ref", part.reference) if part.reference is not None
            else ("expr", ts.text(part.expression)) if part.expression is not None
            else ("text", part.text)
            for part in parts
        ]

    return read


CASES: list[tuple[str, str, str, tuple[str, ...], Callable[[Node], object], object]] = [
    # C#: a few escapes decoded, the others kept; verbatim doubles quotes; interpolations are holes.
    ("csharp escapes", "csharp", 'var s = "a\\nb\\tc\\\\d\\"e";', CSHARP_STRINGS, lang_csharp.string_value,
     'a\nb\tc\\d"e'),
    ("csharp kept escapes", "csharp", 'var s = "x\\ry\\u0041";', CSHARP_STRINGS, lang_csharp.string_value,
     "x\\ry\\u0041"),
    ("csharp verbatim", "csharp", 'var s = @"C:\\dir ""q""";', CSHARP_STRINGS, lang_csharp.string_value,
     'C:\\dir "q"'),
    ("csharp interpolated", "csharp", 'var s = $"http://{host}/api\\n";', CSHARP_STRINGS, lang_csharp.string_value,
     f"http://{HOLE}/api\n"),
    ("csharp interpolated verbatim", "csharp", 'var s = $@"https://{a}.example/{b}";', CSHARP_STRINGS,
     lang_csharp.string_value, f"https://{HOLE}.example/{HOLE}"),
    ("csharp raw", "csharp", 'var s = """say "hi" \\n""";', CSHARP_STRINGS, lang_csharp.string_value,
     'say "hi" \\n'),
    # JavaScript: quotes, slash and backtick escapes decoded; template substitutions are holes.
    ("js escapes", "javascript", "const s = 'a\\/b\\'c\\\\d';", ("string",), lang_javascript.string_value,
     "a/b'c\\d"),
    ("js kept escapes", "javascript", 'const s = "a\\nb\\u0041";', ("string",), lang_javascript.string_value,
     "a\\nb\\u0041"),
    ("js template", "javascript", "const s = `http://${host}:${port}/x\\``;", ("template_string",),
     lang_javascript.string_value, f"http://{HOLE}:{HOLE}/x`"),
    ("ts template", "typescript", "const s: string = `wss://${cfg.host}/live`;", ("template_string",),
     lang_javascript.string_value, f"wss://{HOLE}/live"),
    # Kotlin: $name references and ${expr} templates, escapes decoded; the grammar gives no escape node for
    # \uXXXX, which stays as written; raw strings as written.
    ("kotlin escapes", "kotlin", 'val s = "a\\tb\\u0041\\$1"', ("string_literal",), jvm_written(KOTLIN),
     [("text", "a"), ("text", "\t"), ("text", "b"), ("text", "\\u"), ("text", "0041"), ("text", "$"),
      ("text", "1")]),
    ("kotlin reference", "kotlin", 'val s = "http://$host/api"', ("string_literal",), jvm_written(KOTLIN),
     [("text", "http://"), ("ref", "host"), ("text", "/api")]),
    ("kotlin template", "kotlin", 'val s = "ws://${cfg.host}:8080"', ("string_literal",), jvm_written(KOTLIN),
     [("text", "ws://"), ("expr", "cfg.host"), ("text", ":8080")]),
    ("kotlin raw", "kotlin", 'val s = """a\\nb"""', ("string_literal", "multiline_string_literal"),
     jvm_written(KOTLIN), [("text", "a\\nb")]),
    # Java: escapes decoded like Kotlin's, an unknown escape reads as its character.
    ("java escapes", "java", 'class A { String s = "a\\tb\\u0041\\\\"; }', ("string_literal",), jvm_written(JAVA),
     [("text", "a"), ("text", "\t"), ("text", "b"), ("text", "A"), ("text", "\\")]),
    ("java text block", "java", 'class A { String s = """\n  x\\ty"""; }', ("string_literal",), jvm_written(JAVA),
     [("text", "\n  x"), ("text", "\t"), ("text", "y")]),
    # Swift: \(x) interpolation, multi-line literals trimmed, raw strings keep backslashes.
    ("swift escapes", "swift", 'let s = "a\\nb\\"c\\u{41}"', SWIFT_STRINGS, SWIFT.string_value, 'a\nb"c\\u{41}'),
    ("swift interpolation prefix", "swift", 'let s = "http://\\(host)/x"', SWIFT_STRINGS, SWIFT.string_prefix,
     ("http://", True)),
    ("swift interpolation pieces", "swift", 'let s = "http://\\(host):\\(port)/x"', SWIFT_STRINGS,
     SWIFT.string_pieces, [("http://", False), ("host", True), (":", False), ("port", True), ("/x", False)]),
    ("swift interpolated value", "swift", 'let s = "a\\(b)"', SWIFT_STRINGS, SWIFT.string_value, None),
    ("swift multi-line", "swift", 'let s = """\nhttps://a.example/x\n"""', SWIFT_STRINGS, SWIFT.string_value,
     "https://a.example/x"),
    ("swift raw", "swift", 'let s = #"a\\nb"#', SWIFT_STRINGS, SWIFT.string_value, "a\\nb"),
    # Dart: adjacent strings joined, $name and ${expr} as holes, r'...' raw, escapes kept as written.
    ("dart adjacent", "dart", "var s = 'http://' \"a.example\" '/x';", ("string_literal",), lang_dart.string_value,
     "http://a.example/x"),
    ("dart interpolation", "dart", "var s = 'http://$host/${path.first}';", ("string_literal",),
     lang_dart.string_value, f"http://{HOLE}/{HOLE}"),
    ("dart raw", "dart", "var s = r'$x\\n';", ("string_literal",), lang_dart.string_value, "$x\\n"),
    ("dart escapes kept", "dart", "var s = 'a\\nb\\$c';", ("string_literal",), lang_dart.string_value,
     "a\\nb\\$c"),
    # Objective-C: escapes kept as written, adjacent literals joined.
    ("objc escapes kept", "objc", 'NSString *s = @"a\\nb";', ("string_literal", "concatenated_string"),
     OBJC.string_value, "a\\nb"),
    ("objc adjacent", "objc", 'NSString *s = @"https://" @"a.example";', ("concatenated_string",),
     OBJC.string_value, "https://a.example"),
]


@pytest.mark.parametrize(
    ("grammar", "source", "kinds", "read", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_literal_value(
    grammar: str, source: str, kinds: tuple[str, ...], read: Callable[[Node], object], expected: object
) -> None:
    assert read(first(source, grammar, kinds)) == expected


def test_kotlin_escaped_dollar_is_text() -> None:
    node = first('val s = "\\$host"', "kotlin", ("string_literal",))
    assert jvm_written(KOTLIN)(node) == [("text", "$"), ("text", "host")]
