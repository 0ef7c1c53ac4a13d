"""The flow runs one way (discover -> parse -> resolve -> checks -> triage -> render), read from the code.

Fails when a module imports a later stage, when a module outside discovery lists folders, when a renderer
opens a file, or when modules import each other in a cycle. Imports under ``if TYPE_CHECKING:`` are
annotations only and do not count.
"""

from __future__ import annotations

import ast

from tests.conftest import ROOT

#: Each package's stage; a module may import its own stage and earlier ones, never a later one.
STAGES = {
    "pinlint.vocab": 0, "pinlint.model": 0,
    "pinlint.rules": 1, "pinlint.config": 1, "pinlint.certs": 1,
    "pinlint.discover": 2,
    "pinlint.parsers": 3,
    "pinlint.resolve": 4,
    "pinlint.checks": 5,
    "pinlint.triage": 6,
    "pinlint.pipeline": 7,
    "pinlint.live": 8, "pinlint.evidence": 8,
    "pinlint.render": 9,
    "pinlint.cli": 10, "pinlint.lsp": 10, "pinlint.__main__": 10,
}
#: ``os.listdir``/``os.scandir``/``os.walk``, and ``Path.iterdir``/``glob``/``rglob`` on any object.
OS_LISTING_CALLS = {"listdir", "scandir", "walk"}
LISTING_CALLS = {"iterdir", "glob", "rglob"}
OPENING_CALLS = {"open", "open_regular", "read_bytes", "read_text", "fdopen"}
#: Listing outside discovery that never touches the scanned tree, and why.
LISTING_ALLOWED = {
    "pinlint.rules": "lists the package's own rule files",
    "pinlint.cli.output_file": "lists the folder of the report being written, to clear its stale temporary files",
}


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted((ROOT / "pinlint").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def stage_of(name: str) -> int | None:
    matches = [prefix for prefix in STAGES if name == prefix or name.startswith(prefix + ".")]
    return STAGES[max(matches, key=len)] if matches else None


def _type_checking_only(tree: ast.Module) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(child) for statement in node.body for child in ast.walk(statement)}
    return skipped


def imports(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """The pinlint modules ``name`` imports (a name imported from a package counts as its submodule)."""
    skipped = _type_checking_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module  # pinlint imports absolutely; a relative import is not followed
            found |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names}
    return {module for module in found if module in known and module != name}


def calls(tree: ast.Module, names: set[str], os_names: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """Calls of a function or method in ``names``, and of ``os.NAME`` for ``os_names``."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Attribute):
            on_os = isinstance(function.value, ast.Name) and function.value.id == "os"
            if function.attr in names or (on_os and function.attr in os_names):
                found.append((node.lineno, function.attr))
        elif isinstance(function, ast.Name) and function.id in names:
            found.append((node.lineno, function.id))
    return found


def test_every_package_has_a_stage() -> None:
    assert [name for name in modules() if name != "pinlint" and stage_of(name) is None] == []


def test_no_module_imports_a_later_stage() -> None:
    tree = modules()
    backwards = [
        f"{name} (stage {stage_of(name)}) imports {imported} (stage {stage_of(imported)})"
        for name, module in tree.items() for imported in sorted(imports(name, module, set(tree)))
        if (stage_of(name) or 0) < (stage_of(imported) or 0)
    ]
    assert backwards == []


def test_only_discovery_lists_folders() -> None:
    listing = [f"{name}:{line} {call}()" for name, module in modules().items()
               if stage_of(name) != STAGES["pinlint.discover"] and name not in LISTING_ALLOWED
               for line, call in calls(module, LISTING_CALLS, frozenset(OS_LISTING_CALLS))]
    assert listing == []


def test_no_renderer_opens_a_file() -> None:
    opening = [f"{name}:{line} {call}()" for name, module in modules().items()
               if stage_of(name) == STAGES["pinlint.render"] for line, call in calls(module, OPENING_CALLS)]
    assert opening == []


def test_no_import_cycle() -> None:
    tree = modules()
    graph = {name: imports(name, module, set(tree)) for name, module in tree.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for imported in sorted(graph[name]):
            if state.get(imported) == 1:
                cycles.append([*path[path.index(imported):], imported])
            elif imported not in state:
                visit(imported, [*path, imported])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_tests_live_in_their_stage_folders() -> None:
    """Tests are grouped by the stage they test (``tests/parsers``, ``tests/checks``, ...), none at the top."""
    assert sorted(path.name for path in (ROOT / "tests").glob("test_*.py")) == []
