"""Android Gradle build scripts (``build.gradle``, ``build.gradle.kts``): minSdk, targetSdk, debuggable builds.

minSdk and targetSdk are read by one reader: ``minSdk = 21`` / ``minSdkVersion 21`` like ``targetSdk``. Their
values may also live in a version catalog (``gradle/libs.versions.toml``, ``[versions] minSdk = "21"``,
used as ``libs.versions.minSdk.get().toInt()``), in literal constants of ``buildSrc`` or convention plugins
(``object Versions { const val MIN_SDK = 21 }``, used as ``Versions.MIN_SDK``), or in a convention plugin's
own ``defaultConfig { minSdk = 21 }``; those files give ``GradleConstants`` that every module can use.

A build script is a program, but the two settings pinlint needs are written as plain statements in
practice: ``targetSdk = 34``, ``targetSdkVersion 34``, ``targetSdkVersion(34)`` inside ``android { }``, and
``debuggable true`` / ``isDebuggable = true`` inside a ``buildTypes`` entry. A small tokenizer (comments and
strings understood, so neither can fake a setting) tracks the block nesting and reads those statements.
Anything computed (a variable, ``libs.versions...``, ``flutter.targetSdkVersion``) is recorded as set but
unknown, and the script is never executed.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NamedTuple

from pinlint.model.facts import ParseError, Span
from pinlint.parsers import SourceFile
from pinlint.vocab import android_layout

if TYPE_CHECKING:
    from pinlint.model.android import GradleBuildScript, GradleConstants, GradleSetting

# The Android model is imported where a build file is read, not with this module: it is loaded to ask
# ``accepts`` about every Kotlin file (``buildSrc`` constants), and most Kotlin files are not build files.

NAME = "gradle"

_TARGET_SDK_NAMES = frozenset({"targetSdk", "targetSdkVersion"})
_MIN_SDK_NAMES = frozenset({"minSdk", "minSdkVersion"})
#: Words that mark a Kotlin file of ``buildSrc`` or a convention plugin worth reading for constants.
_CONSTANT_TRIGGERS = (b"minsdk", b"min_sdk", b"targetsdk", b"target_sdk")
_MODIFIERS = frozenset({"const", "val", "var", "private", "internal", "public", "def", "final", "static"})
_DEBUGGABLE_NAMES = frozenset({"debuggable", "isDebuggable"})
_NAMED_BLOCK_CALLS = frozenset({"getByName", "create", "named", "register", "maybeCreate"})
_STATEMENT_END = frozenset({"\n", ";", "}"})


def accepts(name: str, head: bytes) -> bool:
    if name in android_layout.GRADLE_NAMES or name.endswith(".versions.toml"):
        return True
    if not name.endswith((".kt", ".kts")):
        return False
    lowered = head.lower()
    return any(word in lowered for word in _CONSTANT_TRIGGERS)


class Token(NamedTuple):
    """One token of a build script (a named tuple: a script of thousands of tokens builds them fastest)."""

    kind: str  # "name", "number", "string", "punct", "newline"
    text: str
    line: int
    col: int


def tokenize(text: str) -> list[Token]:
    """Tokens of a Groovy or Kotlin script; comments dropped, string contents kept as one token."""
    tokens: list[Token] = []
    index, line, line_start = 0, 1, 0
    length = len(text)
    while index < length:
        char = text[index]
        col = index - line_start + 1
        if char == "\n":
            tokens.append(Token("newline", "\n", line, col))
            index += 1
            line += 1
            line_start = index
            continue
        if char in " \t\r\f":
            index += 1
            continue
        if text.startswith("//", index):
            end = text.find("\n", index)
            index = length if end < 0 else end
            continue
        if text.startswith("/*", index):
            end = text.find("*/", index + 2)
            end = length if end < 0 else end + 2
            line += text.count("\n", index, end)
            last = text.rfind("\n", index, end)
            if last >= 0:
                line_start = last + 1
            index = end
            continue
        if char in "\"'":
            quote = text[index:index + 3] if text[index:index + 3] in ('"""', "'''") else char
            start = index + len(quote)
            cursor = start
            while cursor < length and not text.startswith(quote, cursor):
                if text[cursor] == "\\" and len(quote) == 1:
                    cursor += 1
                elif text[cursor] == "\n" and len(quote) == 1:
                    break
                cursor += 1
            content = text[start:cursor]
            end = min(length, cursor + (len(quote) if text.startswith(quote, cursor) else 0))
            tokens.append(Token("string", content, line, col))
            line += text.count("\n", index, end)
            last = text.rfind("\n", index, end)
            if last >= 0:
                line_start = last + 1
            index = end
            continue
        if char.isalpha() or char == "_" or char == "$":
            end = index + 1
            while end < length and (text[end].isalnum() or text[end] in "_$"):
                end += 1
            tokens.append(Token("name", text[index:end], line, col))
            index = end
            continue
        if char.isdigit():
            end = index + 1
            while end < length and (text[end].isalnum() or text[end] in "._"):
                end += 1
            tokens.append(Token("number", text[index:end], line, col))
            index = end
            continue
        tokens.append(Token("punct", char, line, col))
        index += 1
    return tokens


MAX_DIGITS = 9


def _literal(tokens: list[Token]) -> int | bool | None:
    if len(tokens) != 1:
        return None
    token = tokens[0]
    # an SDK level has a few digits; a longer run is not a version (and int() refuses huge ones)
    if token.kind in ("number", "string") and token.text.isdigit() and len(token.text) <= MAX_DIGITS:
        return int(token.text)
    if token.kind == "name" and token.text in ("true", "false"):
        return token.text == "true"
    return None


class _Reader:
    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.tokens = tokenize(source.text())
        self.blocks: list[str] = []
        self.target_sdk: list[GradleSetting] = []
        self.min_sdk: list[GradleSetting] = []
        self.debuggable: dict[str, GradleSetting] = {}
        self.ext_values: dict[str, int] = {}
        self.constants: dict[str, int] = {}
        #: a buildSrc or convention-plugin file, not a module's build script
        self.shared = source.path.name not in android_layout.GRADLE_NAMES

    def read(self) -> GradleBuildScript:
        from pinlint.model.android import GradleBuildScript

        tokens = self.tokens
        index = 0
        at_statement_start = True
        while index < len(tokens):
            token = tokens[index]
            if token.kind == "punct" and token.text == "{":
                self.blocks.append(self._block_name(index))
                at_statement_start = True
                index += 1
                continue
            if token.kind == "punct" and token.text == "}":
                if self.blocks:
                    self.blocks.pop()
                at_statement_start = True
                index += 1
                continue
            if token.kind == "newline" or (token.kind == "punct" and token.text == ";"):
                at_statement_start = True
                index += 1
                continue
            if at_statement_start and token.kind == "name":
                index = self._statement(index)
                at_statement_start = False
                continue
            at_statement_start = False
            index += 1
        return GradleBuildScript(
            file=self.source.path.as_posix(), display=self.source.display, span=Span(self.source.display),
            target_sdk=tuple(self.target_sdk), min_sdk=tuple(self.min_sdk), debuggable=self.debuggable,
            ext_values=self.ext_values, is_library=self._is_library(), context_only=self.source.context_only,
        )

    def shared_constants(self) -> GradleConstants:
        """The constants of a buildSrc / convention-plugin file (read after ``read``)."""
        from pinlint.model.android import CONVENTION_MIN_SDK, CONVENTION_TARGET_SDK, GradleConstants

        values = dict(self.constants)
        for key, settings in ((CONVENTION_MIN_SDK, self.min_sdk), (CONVENTION_TARGET_SDK, self.target_sdk)):
            literal = [s.value for s in settings if isinstance(s.value, int) and not isinstance(s.value, bool)]
            if len(set(literal)) == 1:
                values[key] = literal[0]
        return GradleConstants(self.source.display, values)

    def _is_library(self) -> bool:
        texts = [token.text for token in self.tokens if token.kind in ("string", "name")]
        if "com.android.library" in texts:
            return True
        joined = ".".join(texts)
        return "plugins.android.library" in joined or "androidLibrary" in texts

    def _block_name(self, brace: int) -> str:
        """The name of the block a ``{`` opens (``android``; ``release`` for ``getByName("release")``)."""
        index = brace - 1
        while index >= 0 and self.tokens[index].kind == "newline":
            index -= 1
        if index < 0:
            return ""
        before = self.tokens[index]
        if before.kind == "name":
            return before.text
        if before.kind == "punct" and before.text == ")":
            depth = 0
            cursor = index
            while cursor >= 0:
                token = self.tokens[cursor]
                if token.kind == "punct" and token.text == ")":
                    depth += 1
                elif token.kind == "punct" and token.text == "(":
                    depth -= 1
                    if depth == 0:
                        break
                cursor -= 1
            if cursor > 0 and self.tokens[cursor - 1].kind == "name":
                call = self.tokens[cursor - 1].text
                argument = self.tokens[cursor + 1] if cursor + 1 < len(self.tokens) else None
                if call in _NAMED_BLOCK_CALLS and argument is not None and argument.kind == "string":
                    return argument.text
                return call
        return ""

    def _statement(self, start: int) -> int:
        """Read ``a.b.c = value`` / ``a value`` / ``a(value)``; return the index after the name chain."""
        tokens = self.tokens
        while (start + 1 < len(tokens) and tokens[start].text in _MODIFIERS and tokens[start + 1].kind == "name"):
            start += 1  # `const val NAME = 21`, `def NAME = 21`
        chain = [tokens[start].text]
        index = start + 1
        while (index + 1 < len(tokens) and tokens[index].kind == "punct" and tokens[index].text == "."
               and tokens[index + 1].kind == "name"):
            chain.append(tokens[index + 1].text)
            index += 2
        if index >= len(tokens):
            return index
        following = tokens[index]
        value_start = index
        if following.kind == "punct" and following.text == "=":
            value_start = index + 1
            value_end = self._statement_end(value_start)
        elif following.kind == "punct" and following.text == "(":
            value_start = index + 1
            value_end = self._matching_paren(index)
            after = value_end + 1
            if after < len(tokens) and not self._ends_statement(tokens[after]):
                return index
        elif following.kind in ("number", "string", "name"):
            value_end = self._statement_end(value_start)
        else:
            return index
        self._record(chain, tokens[value_start:value_end], tokens[start])
        return index

    def _ends_statement(self, token: Token) -> bool:
        return token.kind == "newline" or (token.kind == "punct" and token.text in _STATEMENT_END)

    def _statement_end(self, index: int) -> int:
        depth = 0
        while index < len(self.tokens):
            token = self.tokens[index]
            if token.kind == "punct" and token.text in "([{":
                depth += 1
            elif token.kind == "punct" and token.text in ")]}":
                if depth == 0:
                    return index
                depth -= 1
            elif depth == 0 and self._ends_statement(token):
                return index
            index += 1
        return index

    def _matching_paren(self, open_index: int) -> int:
        depth = 0
        index = open_index
        while index < len(self.tokens):
            token = self.tokens[index]
            if token.kind == "punct" and token.text == "(":
                depth += 1
            elif token.kind == "punct" and token.text == ")":
                depth -= 1
                if depth == 0:
                    return index
            index += 1
        return index

    def _record(self, chain: list[str], value_tokens: list[Token], first: Token) -> None:
        from pinlint.model.android import GradleSetting

        name = chain[-1]
        blocks = tuple(self.blocks)
        text = "".join(token.text for token in value_tokens)
        span = Span(self.source.display, first.line, first.col)
        setting = GradleSetting(_literal(value_tokens), text, span, blocks)
        in_android = "android" in blocks or chain[0] == "android" or (
            self.shared and ("defaultConfig" in blocks or "defaultConfig" in chain))
        if name in _TARGET_SDK_NAMES and in_android:
            self.target_sdk.append(setting)
        elif name in _MIN_SDK_NAMES and in_android:
            self.min_sdk.append(setting)
        elif name in _DEBUGGABLE_NAMES and "buildTypes" in blocks:
            position = blocks.index("buildTypes")
            if position + 1 < len(blocks):
                self.debuggable[blocks[position + 1]] = setting
        elif ("ext" in blocks and len(chain) == 1) or (len(chain) == 2 and chain[0] == "ext"):
            value = setting.value
            if isinstance(value, int) and not isinstance(value, bool):
                self.ext_values[name] = value
        if self.shared and len(chain) == 1 and isinstance(setting.value, int) and not isinstance(setting.value, bool):
            owner = next((block for block in reversed(blocks) if block), "")
            self.constants["const:" + (f"{owner}.{name}" if owner else name)] = setting.value
            self.constants.setdefault("const:" + name, setting.value)


def parse(source: SourceFile) -> list[object]:
    if source.path.name.endswith(".versions.toml"):
        return _catalog(source)
    reader = _Reader(source)
    script = reader.read()
    if reader.shared:
        return [reader.shared_constants()]
    return [script]


def _catalog(source: SourceFile) -> list[object]:
    """The integer ``[versions]`` of a version catalog, as ``libs.versions.ALIAS``."""
    from pinlint.model.android import GradleConstants, catalog_alias

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib
    try:
        document = tomllib.loads(source.text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError) as error:
        return [ParseError(Span(source.display), f"cannot read the version catalog: {error}")]
    versions = document.get("versions")
    values: dict[str, int] = {}
    if isinstance(versions, dict):
        for name, value in versions.items():
            text = value if isinstance(value, str) else str(value) if isinstance(value, int) else ""
            if text.isdigit() and len(text) <= MAX_DIGITS:
                values["libs.versions." + catalog_alias(str(name))] = int(text)
    return [GradleConstants(source.display, values)]
