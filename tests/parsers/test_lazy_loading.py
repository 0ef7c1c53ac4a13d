"""Prefilters and lazy loading of the cross-platform front ends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pinlint import parsers
from pinlint.discover.walk import Candidate
from pinlint.pipeline import parse_candidate

MODULES = {
    "lang_dart": ("main.dart", "void main() { print('hello'); }\n"),
    "lang_csharp": ("Program.cs", "class P { static void Main() { System.Console.WriteLine(1); } }\n"),
    "lang_javascript": ("index.js", "export const answer = 42;\n"),
    "lang_python": ("tool.py", "def answer():\n    return 42\n"),
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_files_without_trigger_words_are_never_parsed(
    module: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parser = parsers.load(parsers.module_named(module))
    name, code = MODULES[module]
    assert not any(trigger in code.encode() for trigger in parser.TRIGGERS)  # type: ignore[attr-defined]

    def explode(_source: object) -> list[object]:
        raise AssertionError("parsed a file without trigger words")

    monkeypatch.setattr(parser, "parse", explode)
    path = tmp_path / name
    path.write_text(code)
    assert parse_candidate(Candidate(str(path), name), 1_000_000) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_files_with_a_trigger_word_are_parsed(module: str, tmp_path: Path) -> None:
    name, code = MODULES[module]
    path = tmp_path / name
    path.write_text(
        code + ("# " if module == "lang_python" else "// ") + "see http://docs.carenote-health.com\n"
    )
    facts = parse_candidate(Candidate(str(path), name), 1_000_000)
    assert facts == []  # the URL is in a comment: parsed, and nothing found


def test_importing_the_front_ends_loads_no_grammar_and_no_libcst() -> None:
    code = (
        "import sys\n"
        "import pinlint.parsers.code.lang_dart, pinlint.parsers.code.lang_csharp\n"
        "import pinlint.parsers.code.lang_javascript\n"
        "import pinlint.parsers.code.lang_python\n"
        "loaded = [m for m in ('libcst', 'tree_sitter_dart', 'tree_sitter_c_sharp', 'tree_sitter_javascript',\n"
        "          'tree_sitter_typescript') if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


@pytest.mark.parametrize(
    "name, expected",
    [
        ("app.js", True),
        ("App.jsx", True),
        ("x.mjs", True),
        ("x.cjs", True),
        ("api.ts", True),
        ("App.tsx", True),
        ("types.d.ts", False),
        ("vendor.min.js", True),  # read by audit, listed as not analysed by precommit,
        ("main.bundle.js", True),
        ("x.json", False),
    ],
)
def test_javascript_file_names(name: str, expected: bool) -> None:
    parser = parsers.load("pinlint.parsers.code.lang_javascript")
    assert parser.accepts(name, b"") is expected


def test_invalid_top_level_domain_is_not_an_endpoint() -> None:
    from pinlint.model.facts import Span
    from pinlint.parsers.code.codeutil import url_endpoint

    assert url_endpoint("http://api.invalid/v1", Span("a.py"), "python", "python") is None
    assert url_endpoint("http://api.invalid.io/v1", Span("a.py"), "python", "python") is not None


@pytest.mark.parametrize("url", ["http://svc.test/x", "http://host.example/x"])
def test_test_and_example_domains_stand_for_real_servers(url: str) -> None:
    """Like the JVM and Swift front ends: a cleartext URL to a ``.test``/``.example`` host in code is reported."""
    from pinlint.model.facts import Span
    from pinlint.parsers.code.codeutil import url_endpoint

    assert url_endpoint(url, Span("a.py"), "python", "python") is not None


@pytest.mark.parametrize("url", ["http://example.com/x", "http://api.example.org", "http://www.example.net"])
def test_example_domains_stand_for_real_servers(url: str) -> None:
    """Like the JVM and Swift front ends, a URL to example.com is reported: code uses it for a real host."""
    from pinlint.model.facts import Span
    from pinlint.parsers.code.codeutil import url_endpoint

    assert url_endpoint(url, Span("a.py"), "python", "python") is not None


def test_a_grammar_package_laid_out_otherwise_is_imported_the_ordinary_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pinlint.parsers.code.treesitter import grammar_binding

    package = tmp_path / "grammar_of_another_layout"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "_binding.py").write_text("def language():\n    return 'pointer'\n")  # not a compiled module
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert grammar_binding("grammar_of_another_layout").language() == "pointer"
        assert "grammar_of_another_layout" in sys.modules  # the package itself was imported
    finally:
        for name in ("grammar_of_another_layout", "grammar_of_another_layout._binding"):
            sys.modules.pop(name, None)
