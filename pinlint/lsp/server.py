"""The protocol side: pygls wiring, when to check which file, and what to send back.

Checks run on the server's event loop, one at a time: a file is checked at once when it is opened or
saved, and ``DEBOUNCE_SECONDS`` after the last change while it is being typed, so a burst of keystrokes
costs one scan. A check of one file also schedules the open files that read it as context (a network
security config whose manifest was edited), one level deep. No error inside a check stops the server:
it is logged to the editor and the file keeps its last diagnostics.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from pinlint import __version__
from pinlint.discover.walk import display_path
from pinlint.lsp.actions import EXPLAIN_COMMAND, explain_action, suppression_action
from pinlint.lsp.analysis import FileReport, PolicyUnusable, analyse, warm_up_steps
from pinlint.lsp.diagnostics import SOURCE, documentation_uri, problem_diagnostic, report_diagnostics
from pinlint.lsp.documents import DocumentStore, OpenDocument, normal_path, project_root
from pinlint.lsp.hover import hover_for
from pinlint.lsp.positions import UTF16
from pinlint.rules import lookup

#: Quiet time after the last keystroke before an unsaved buffer is checked.
DEBOUNCE_SECONDS = 0.1


class PinlintServer(LanguageServer):
    """pinlint's language server: open documents, their last diagnostics, and the checks to run."""

    def __init__(self, today: date | None = None) -> None:
        super().__init__("pinlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        #: The reference date for expiry checks; None: the day of each check.
        self.today = today
        self.documents = DocumentStore()
        #: The diagnostics last published for each open document (hover and code actions read them).
        self.published: dict[str, list[types.Diagnostic]] = {}
        #: The files each open document read as context in its last check.
        self.context_of: dict[str, frozenset[Path]] = {}
        self._pending: dict[str, asyncio.TimerHandle] = {}

    # ------------------------------------------------------------------------------------ documents

    def workspace_roots(self) -> list[Path]:
        roots: list[Path] = []
        for folder in self.workspace.folders.values():
            path = to_fs_path(folder.uri)
            if path:
                roots.append(normal_path(path))
        root_path = self.workspace.root_path
        if root_path:
            roots.append(normal_path(root_path))
        return roots

    def encoding(self) -> str:
        return str(self.workspace.position_encoding or UTF16)

    def track(self, uri: str, text: str, version: int | None) -> OpenDocument | None:
        """Remember an opened buffer (a document that is not a file on disk is not checked)."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if not path:
            return None
        document = OpenDocument(uri, normal_path(path), text, version)
        self.documents.open(document)
        return document

    def current_text(self, uri: str) -> str:
        return self.workspace.get_text_document(uri).source

    # ------------------------------------------------------------------------------------ checking

    def schedule(self, uri: str, delay: float, propagate: bool = True) -> None:
        """Check ``uri`` after ``delay`` seconds, replacing any check of it already waiting."""
        waiting = self._pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        loop = asyncio.get_running_loop()
        self._pending[uri] = loop.call_later(delay, self.check_now, uri, propagate)

    def cancel_all(self) -> None:
        for waiting in self._pending.values():
            waiting.cancel()
        self._pending.clear()

    def check_now(self, uri: str, propagate: bool = True) -> None:
        """Check one open document and publish its diagnostics; then schedule the documents that read it."""
        self._pending.pop(uri, None)
        document = self.documents.get(uri)
        if document is None:
            return
        try:
            diagnostics = self.diagnose(document)
        except Exception as error:  # a bug in a check must not take the editor's server down
            detail = traceback.format_exception_only(type(error), error)[-1].strip()
            self.log(types.MessageType.Error, f"pinlint: internal error checking {document.path}: {detail}")
            return
        self.published[uri] = diagnostics
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=document.version))
        if propagate:
            for other in self.documents.documents():
                if other.uri != uri and document.path in self.context_of.get(other.uri, frozenset()):
                    self.schedule(other.uri, DEBOUNCE_SECONDS, propagate=False)

    def diagnose(self, document: OpenDocument) -> list[types.Diagnostic]:
        root = project_root(document.path, self.workspace_roots())
        try:
            report: FileReport = analyse(document.path, root, self.documents.overlays(), self.today or date.today())
        except PolicyUnusable as error:
            self.context_of.pop(document.uri, None)
            return [problem_diagnostic(f"pinlint cannot use the project's policy: {error}")]
        self.context_of[document.uri] = report.context
        for message in report.errors:
            self.log(types.MessageType.Warning, f"pinlint: {message}")
        return report_diagnostics(report, document.text, root, self.encoding())

    def warm_up(self, steps: Iterator[str] | None = None) -> None:
        """Load what a first check needs while the editor is idle (``analysis.warm_up_steps``), one step per
        turn of the event loop, so a file opened meanwhile waits for one small sample at most."""
        steps = warm_up_steps() if steps is None else steps
        try:
            next(steps)
        except StopIteration:
            return
        except Exception as error:  # a slower first check, never a broken server
            self.log(types.MessageType.Warning, f"pinlint: warm-up failed: {error!r}")
            return
        asyncio.get_running_loop().call_soon(self.warm_up, steps)

    def log(self, kind: types.MessageType, message: str) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    # ------------------------------------------------------------------------------------ requests

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        document = self.documents.get(uri)
        if document is None:
            return []
        root = project_root(document.path, self.workspace_roots())
        shown = display_path(document.path, root)
        actions: list[types.CodeAction] = []
        explained: set[str] = set()
        for diagnostic in params.context.diagnostics:
            if diagnostic.source != SOURCE or not isinstance(diagnostic.code, str):
                continue
            rule = lookup(diagnostic.code)
            if rule is None:
                continue
            line = _finding_line(diagnostic)
            suppress = suppression_action(uri, shown, document.text, diagnostic, rule.id, line, self.encoding())
            if suppress is not None:
                actions.append(suppress)
            if rule.id not in explained:
                explained.add(rule.id)
                actions.append(explain_action(rule.id, rule.slug, diagnostic))
        return actions

    def explain(self, rule_id: str) -> None:
        """Open the rule's documentation: its file in the editor when the client can show one, else a message."""
        rule = lookup(rule_id)
        if rule is None:
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"unknown rule '{rule_id}'"))
            return
        href = documentation_uri(rule)
        window = self.client_capabilities.window
        if href and window is not None and window.show_document is not None and window.show_document.support:
            self.window_show_document(types.ShowDocumentParams(uri=href, take_focus=True))
            return
        self.window_show_message(types.ShowMessageParams(types.MessageType.Info, rule.markdown()))


def _finding_line(diagnostic: types.Diagnostic) -> int:
    """The finding's 1-based line, from the diagnostic's data (a client may drop it: then its range)."""
    data: Any = diagnostic.data
    if isinstance(data, dict) and isinstance(data.get("line"), int):
        return int(data["line"])
    return diagnostic.range.start.line + 1


def create_server(today: date | None = None) -> PinlintServer:
    """A server with every feature registered; ``start_io()`` runs it on standard input and output."""
    server = PinlintServer(today)

    @server.feature(types.INITIALIZED)
    def initialized(ls: PinlintServer, _params: types.InitializedParams) -> None:
        asyncio.get_running_loop().call_soon(ls.warm_up)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PinlintServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        if ls.track(item.uri, item.text, item.version) is not None:
            ls.schedule(item.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PinlintServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        if ls.documents.update(uri, ls.current_text(uri), params.text_document.version) is not None:
            ls.schedule(uri, DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: PinlintServer, params: types.DidSaveTextDocumentParams) -> None:
        if ls.documents.get(params.text_document.uri) is not None:
            ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PinlintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        closed = ls.documents.close(uri)
        waiting = ls._pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        ls.published.pop(uri, None)
        ls.context_of.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        if closed is not None:  # the documents that read its buffer now read the file on disk
            for other in ls.documents.documents():
                if closed.path in ls.context_of.get(other.uri, frozenset()):
                    ls.schedule(other.uri, 0, propagate=False)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: PinlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: PinlintServer, params: types.HoverParams) -> types.Hover | None:
        return hover_for(ls.published.get(params.text_document.uri, []), params.position)

    @server.command(EXPLAIN_COMMAND)
    def explain(ls: PinlintServer, *arguments: Any) -> None:
        if arguments and isinstance(arguments[0], str):
            ls.explain(arguments[0])

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: PinlintServer, *_params: Any) -> None:
        ls.cancel_all()

    return server


def run(today: date | None = None) -> None:
    """Serve on standard input and output until the client says ``exit``."""
    logging.basicConfig(level=logging.WARNING)  # pygls logs to standard error, never to the protocol stream
    create_server(today).start_io()
