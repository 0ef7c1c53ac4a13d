"""The flow runs one way (discover -> parse -> resolve -> checks -> triage -> render), read from the code.

Fails when a module imports a later stage, when a module outside discovery lists folders, when a renderer,
check, resolver, triage step or the certificate library opens, reads or resolves a path (facts in, facts
out), or when modules import each other in a cycle. Imports under ``if TYPE_CHECKING:`` are
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
#: ``Path`` methods that ask the file system about a path; counted when called without positional arguments
#: (``path.resolve()``), so that ``resolve(store)`` or ``store.stat(x)`` are not mistaken for them.
PATH_QUERY_CALLS = {"resolve", "absolute", "exists", "is_file", "is_dir", "stat", "lstat", "readlink", "cwd"}
#: ``os.path`` functions that ask the file system.
OS_PATH_CALLS = {"realpath", "abspath", "exists", "isfile", "isdir", "getsize", "samefile"}
#: Packages that work on facts only: they never open, read or resolve a path.
FACTS_ONLY = ("pinlint.certs", "pinlint.resolve", "pinlint.checks", "pinlint.triage", "pinlint.render")
#: Reads inside those packages that never touch the scanned tree, and why.
READING_ALLOWED = {
    "pinlint.certs.roots": "reads certifi's bundled Mozilla roots (the trust store), never the scanned tree",
}
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


def test_stages_after_parsing_import_no_parser() -> None:
    """Resolvers, checks, triage and renderers read facts of ``pinlint.model`` (Android and bytecode
    intermediates included), never a parser's own classes."""
    tree = modules()
    later = ("pinlint.resolve", "pinlint.checks", "pinlint.triage", "pinlint.render")
    reaching = [f"{name} imports {imported}" for name, module in tree.items() if name.startswith(later)
                for imported in sorted(imports(name, module, set(tree))) if imported.startswith("pinlint.parsers")]
    assert reaching == []


def test_only_discovery_lists_folders() -> None:
    listing = [f"{name}:{line} {call}()" for name, module in modules().items()
               if stage_of(name) != STAGES["pinlint.discover"] and name not in LISTING_ALLOWED
               for line, call in calls(module, LISTING_CALLS, frozenset(OS_LISTING_CALLS))]
    assert listing == []


def file_access(tree: ast.Module) -> list[tuple[int, str]]:
    """Opening or reading a file, ``path.resolve()`` and the like, and ``os.path.realpath(...)`` and the like."""
    found = calls(tree, OPENING_CALLS)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        function = node.func
        if function.attr in PATH_QUERY_CALLS and not node.args:
            found.append((node.lineno, function.attr))
        elif function.attr in OS_PATH_CALLS and ast.unparse(function.value) == "os.path":
            found.append((node.lineno, f"os.path.{function.attr}"))
    return sorted(found)


def test_facts_only_stages_touch_no_file() -> None:
    touching = [f"{name}:{line} {call}()" for name, module in modules().items()
                if name.startswith(FACTS_ONLY) and name not in READING_ALLOWED
                for line, call in file_access(module)]
    assert touching == []


def test_facts_only_stages_name_real_packages() -> None:
    """Every stage from resolution to rendering (but the pipeline, which runs discovery, the live check, which
    reads the network, and the evidence stage, which reads result files) and the certificate library are held
    to facts only; each name still holds modules, so a renamed package cannot pass the check vacuously."""
    reading_on_purpose = {"pinlint.pipeline", "pinlint.live", "pinlint.evidence"}
    held = {prefix for prefix, stage in STAGES.items()
            if STAGES["pinlint.resolve"] <= stage <= STAGES["pinlint.render"] and prefix not in reading_on_purpose}
    assert held | {"pinlint.certs"} == set(FACTS_ONLY)
    names = set(modules())
    assert [prefix for prefix in FACTS_ONLY if not any(name.startswith(prefix + ".") for name in names)] == []


def test_the_file_access_test_sees_what_it_forbids() -> None:
    """The forbidden shapes are found, the look-alikes are not."""
    caught = ast.parse("p.read_bytes()\nopen(x)\nPath(p).resolve()\nos.path.realpath(p)\nq.exists()\n")
    assert [call for _, call in file_access(caught)] == ["read_bytes", "open", "resolve", "os.path.realpath",
                                                        "exists"]
    harmless = ast.parse("resolve(store)\nandroid.resolve(store)\nfacts.stat(x)\nos.path.join(a, b)\n")
    assert file_access(harmless) == []


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


#: The verdicts of the trust rules: only checks may name them (parsers and resolvers state neutral guards).
VERDICT_NAMES = {"TRUST_ALL", "HOSTNAME_OFF", "PIN_FAIL_OPEN", "WEBVIEW_PROCEED", "FORGEABLE"}
#: (``webview-proceed`` stays a code shape: it names the shape in fingerprints, not a verdict.)
VERDICT_STRINGS = {"trust-all", "hostname-off", "pin-fail-open", "forgeable-trust"}


def _docstrings(tree: ast.Module) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            found.add(id(first.value))
    return found


def test_parsers_and_resolvers_decide_no_rule() -> None:
    """Checks decide: code before the checks never names a verdict, a rule id or a finding's kind."""
    deciding = []
    for name, module in modules().items():
        if (stage_of(name) or 0) >= STAGES["pinlint.checks"]:
            continue
        docstrings = _docstrings(module)
        for node in ast.walk(module):
            named = (node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute)
                     else node.name if isinstance(node, ast.alias) else None)
            if named is not None and named.rsplit(".", 1)[-1] in VERDICT_NAMES:
                deciding.append(f"{name}:{getattr(node, 'lineno', 0)} {named}")
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                  and (node.value in VERDICT_STRINGS or (node.value[:3] == "TRU" and node.value[3:].isdigit()))):
                deciding.append(f"{name}:{node.lineno} {node.value!r}")
    assert deciding == []
