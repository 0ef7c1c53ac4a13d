"""TLS servers for the live-check tests: threads serving a fixed chain on 127.0.0.1 only.

Each server accepts a bounded number of connections, polls with a short timeout, and stops by itself after
a bounded number of polls even when nobody connects; ``stop()`` ends it sooner. No other address is ever
bound or dialled.
"""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

LOCALHOST = "127.0.0.1"


class TlsServer:
    """Serves ``chain_file`` (leaf first) with ``key_file`` to at most ``accepts`` clients."""

    def __init__(self, chain_file: Path, key_file: Path, accepts: int = 16, polls: int = 600) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(str(chain_file), str(key_file))
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind((LOCALHOST, 0))
        self.listener.listen(8)
        self.listener.settimeout(0.1)
        self.port: int = self.listener.getsockname()[1]
        self.handshakes = 0
        self._accepts, self._polls = accepts, polls
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        accepted = 0
        for _poll in range(self._polls):
            if self._stopping.is_set() or accepted >= self._accepts:
                break
            try:
                connection, _peer = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            accepted += 1
            connection.settimeout(2)
            try:
                with self.context.wrap_socket(connection, server_side=True) as tls:
                    self.handshakes += 1
                    tls.recv(1)  # until the client closes, or the timeout
            except (OSError, ssl.SSLError):
                pass
            finally:
                connection.close()
        self.listener.close()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)


class RefusingPort:
    """A bound, never-listening port on 127.0.0.1: every connection to it is refused."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind((LOCALHOST, 0))
        self.port: int = self.socket.getsockname()[1]

    def close(self) -> None:
        self.socket.close()
