"""A minimal LSP client over standard input and output, as an editor speaks to a language server.

It frames JSON-RPC messages with ``Content-Length`` headers itself, reads the server's messages on a
thread into a queue, and bounds every wait with a timeout: a server that hangs, dies or answers wrongly
fails the test instead of stalling it.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Message = dict[str, Any]

#: The longest any single answer may take (the first check imports the grammars; CI machines are slow).
ANSWER_TIMEOUT = 60.0


#: What the client answers to the server's requests (null for the rest).
SERVER_REQUEST_ANSWERS: dict[str, Any] = {"window/showDocument": {"success": True}}


class ServerGone(AssertionError):
    """The server closed its output or did not answer in time."""


class StdioClient:
    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        self._inbox: queue.Queue[Message | None] = queue.Queue()
        self._stderr: list[bytes] = []
        self._next_id = 0
        #: Every notification and server request received, in order.
        self.received: list[Message] = []
        threading.Thread(target=self._read_messages, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    # ---------------------------------------------------------------------------------- wire

    def _read_messages(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        try:
            while True:
                headers: dict[str, str] = {}
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = stream.read(int(headers["content-length"]))
                self._inbox.put(json.loads(body.decode("utf-8")))
        finally:
            self._inbox.put(None)

    def _drain_stderr(self) -> None:
        stream = self.process.stderr
        assert stream is not None
        for line in stream:
            self._stderr.append(line)

    def stderr(self) -> str:
        return b"".join(self._stderr[-40:]).decode("utf-8", "replace")

    def send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    # ---------------------------------------------------------------------------------- protocol

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any = None, timeout: float = ANSWER_TIMEOUT) -> Any:
        self._next_id += 1
        request_id = self._next_id
        self.send({"id": request_id, "method": method, "params": params})
        answer = self.wait_for(lambda m: m.get("id") == request_id and "method" not in m, timeout,
                               f"the answer to {method}")
        if "error" in answer:
            raise AssertionError(f"{method} failed: {answer['error']}")
        return answer.get("result")

    def wait_for(self, wanted: Callable[[Message], bool], timeout: float = ANSWER_TIMEOUT,
                 what: str = "a message") -> Message:
        """The next message ``wanted`` accepts; server requests met on the way are answered with null."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ServerGone(f"no {what} within {timeout:.0f} s; server stderr:\n{self.stderr()}")
            try:
                message = self._inbox.get(timeout=remaining)
            except queue.Empty:
                continue
            if message is None:
                raise ServerGone(f"the server closed its output while waiting for {what}; stderr:\n{self.stderr()}")
            if "method" in message:
                self.received.append(message)
                if "id" in message:  # a request from the server (showDocument, registerCapability...)
                    self.send({"id": message["id"], "result": SERVER_REQUEST_ANSWERS.get(message["method"])})
            if wanted(message):
                return message

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = ANSWER_TIMEOUT) -> list[Any]:
        """The next diagnostics published for ``uri`` (for ``version`` when given)."""
        def wanted(message: Message) -> bool:
            if message.get("method") != "textDocument/publishDiagnostics":
                return False
            params = message["params"]
            return bool(params["uri"] == uri and (version is None or params.get("version") == version))

        found: list[Any] = self.wait_for(wanted, timeout, f"diagnostics for {uri}")["params"]["diagnostics"]
        return found

    def exit_code(self, timeout: float = ANSWER_TIMEOUT) -> int:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ServerGone(f"the server did not exit within {timeout:.0f} s") from None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def start_server(cwd: Path, env: dict[str, str], extra: tuple[str, ...] = ()) -> StdioClient:
    """``python -m pinlint lsp`` as an editor starts it."""
    return StdioClient([sys.executable, "-m", "pinlint", "lsp", *extra], cwd, env)
