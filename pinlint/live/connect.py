"""Connecting: TLS with SNI, in bounded time, a few hosts at a time, and the chain exactly as presented.

The handshake does not verify anything (``CERT_NONE``): pinlint wants the chain even when it is broken,
and judges it afterwards. The presented chain comes from ``SSLSocket.get_unverified_chain()`` (Python
3.13+); on 3.10-3.12 the same OpenSSL call is reached through the socket's ``_sslobj`` (the standard
library has had it since 3.10 and made it public in 3.13). pyOpenSSL's ``get_peer_cert_chain`` would
do as well, but it is one more dependency whose releases pin narrow ``cryptography`` ranges, for a call
the standard library already makes. When neither exists, the leaf alone is read and the result says so.

Every failure (bad DNS, refused, timeout, a handshake the server breaks off) is returned as one line for
that host: it never stops the others.
"""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pinlint.live.targets import Target

#: Hosts asked at once: enough to keep a cron job short, few enough not to look like a scan.
PARALLEL = 4


@dataclass(frozen=True)
class Presented:
    """What one host presented: the DER certificates as sent, or why there are none."""

    target: Target
    chain: tuple[bytes, ...] = ()
    peer: str = ""
    error: str | None = None
    #: Set when this Python could read only the leaf (not the rest of the chain).
    leaf_only_reader: bool = False


def _context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _presented_chain(tls: ssl.SSLSocket) -> tuple[tuple[bytes, ...], bool]:
    public = getattr(tls, "get_unverified_chain", None)
    if public is not None:  # Python 3.13+
        return tuple(bytes(item) for item in public() or ()), False
    inner = getattr(getattr(tls, "_sslobj", None), "get_unverified_chain", None)
    if inner is not None:  # Python 3.10-3.12: _ssl.Certificate objects
        return tuple(item.public_bytes(ssl._ssl.ENCODING_DER) for item in inner() or ()), False  # type: ignore[attr-defined]
    leaf = tls.getpeercert(binary_form=True)
    return ((leaf,) if leaf else ()), True


def _describe_error(error: BaseException) -> str:
    if isinstance(error, socket.gaierror):
        return f"cannot resolve the name: {error.strerror or error}"
    if isinstance(error, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ssl.SSLError):
        return f"TLS handshake failed: {error.reason or error}"
    if isinstance(error, OSError):
        return f"cannot connect: {error.strerror or error}"
    return f"{type(error).__name__}: {error}"


def fetch_chain(target: Target, timeout: float) -> Presented:
    """Connect to ``target`` (SNI = its host) and read the presented chain; ``timeout`` bounds each step."""
    deadline = time.monotonic() + timeout
    try:
        with socket.create_connection((target.address, target.address_port), timeout=timeout) as raw:
            raw.settimeout(max(0.1, deadline - time.monotonic()))
            server_name = None if _is_address(target.host) else target.host
            with _context().wrap_socket(raw, server_hostname=server_name) as tls:
                peer = tls.getpeername()
                chain, leaf_only = _presented_chain(tls)
    except Exception as error:  # every failure is this host's result, never the run's
        return Presented(target, error=_describe_error(error))
    if not chain:
        return Presented(target, peer=_peer_text(peer), error="the server presented no certificate")
    return Presented(target, chain, _peer_text(peer), leaf_only_reader=leaf_only)


def _is_address(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _peer_text(peer: object) -> str:
    if isinstance(peer, tuple) and len(peer) >= 2:
        host, port = peer[0], peer[1]
        return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"
    return str(peer)


def fetch_all(targets: Sequence[Target], timeout: float, parallel: int = PARALLEL) -> list[Presented]:
    """Every target's chain, in the order given, ``parallel`` at a time."""
    if not targets:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(parallel, len(targets)))) as pool:
        return list(pool.map(lambda target: fetch_chain(target, timeout), targets))
