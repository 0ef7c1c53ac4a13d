"""Only ``live-check`` can open a network connection: the socket, TLS and HTTP modules are imported by one
module, ``pinlint/live/connect.py``, and that module only by the live-check command (and, for its result
type, the live-check result builder while type checking). ``check`` and the pre-commit hook therefore cannot
reach the network; the hostile-corpus test also proves no socket is created during a scan."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "pinlint"
NETWORK_MODULES = {"socket", "ssl", "http", "urllib.request", "asyncio", "socketserver", "ftplib", "smtplib"}


def _imports(path: Path) -> set[str]:
    """Modules imported at run time (imports under ``if TYPE_CHECKING:`` are left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            skipped.update(id(child) for statement in node.body for child in ast.walk(statement))
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _importers(wanted: set[str]) -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        imported = _imports(path)
        if any(name == module or name.startswith(module + ".") for name in imported for module in wanted):
            found.add(path.relative_to(PACKAGE.parent).as_posix())
    return found


#: The editor server (``pinlint lsp``) runs pygls's asyncio event loop for its debounce timers and speaks over
#: standard input and output only: it may import asyncio, and no other module of ``NETWORK_MODULES``.
EVENT_LOOP_USERS = {"pinlint/lsp/server.py"}


def test_only_the_live_check_connector_imports_network_modules() -> None:
    assert _importers(NETWORK_MODULES - {"asyncio"}) == {"pinlint/live/connect.py"}
    assert _importers({"asyncio"}) <= {"pinlint/live/connect.py", *EVENT_LOOP_USERS}


def test_only_the_live_check_command_imports_the_connector() -> None:
    assert _importers({"pinlint.live.connect"}) == {"pinlint/cli/live.py"}
