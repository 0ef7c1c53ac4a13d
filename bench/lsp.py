#!/usr/bin/env python3
"""Benchmark the editor server: time from a buffer event to its diagnostics, for 1,000-line files.

Usage (from a clone, with pinlint and its lsp extra installed in the running Python):

    python bench/lsp.py [--runs 10] [--lines 1000] [--json OUT]

The real server runs as an editor starts it (``python -m pinlint lsp``) and is driven over standard
input and output with Content-Length framing (the test suite's client, ``tests/lsp/stdio_client.py``).
Cases, each timed from the moment the client has written the notification to the moment the server's
``publishDiagnostics`` for that version has been read:

- ``open-cold``: the first didOpen, right after ``initialized`` (an editor reopening its files at start):
  the server loads what the file needs then, while its warm-up loads the rest between checks;
- ``open``: didOpen of another 1,000-line file ``IDLE_SECONDS`` later (everything loaded);
- ``change``: a didChange of one line of an open 1,000-line file; includes the server's debounce
  (``DEBOUNCE_SECONDS``), which the table also gives so the check's own time can be read off;
- ``scan``: the same check in this process, without the protocol (``pinlint.lsp.analysis.analyse``).

Beside each wall time the table gives the CPU time the server spent on the event (from
``/proc/PID/stat``, 10 ms resolution) or, for ``scan``, the CPU time of this process: on a shared machine
the wall time says how loaded it was, the CPU time what the check costs.

Files: ``kotlin-dense``, a Kotlin class that builds an OkHttp client with a certificate pinner and URL
literals every eight lines after a trust manager that accepts everything (a worst case: every line is
networking code the trust, pinning, TLS and endpoint analyses look at); ``kotlin-app``, ordinary app code
(data classes, formatting, validation) with one such trust manager and one client; ``nsc``, a network
security config of domain-configs with two pins each (lxml). Timing belongs here, never in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from pinlint.lsp.analysis import analyse  # noqa: E402
from pinlint.lsp.server import DEBOUNCE_SECONDS  # noqa: E402
from pinlint.pipeline import overlay_key  # noqa: E402
from tests.lsp.stdio_client import StdioClient, start_server  # noqa: E402

TARGET_SECONDS = 0.2
#: Pause between the first open and the next, as between an editor's start and the next file opened.
IDLE_SECONDS = 3.0


def kotlin_source(lines: int, variant: int) -> str:
    """A Kotlin file of about ``lines`` lines with real networking shapes in it."""
    head = [
        f"package com.example.care.net{variant}",
        "",
        "import java.security.cert.X509Certificate",
        "import javax.net.ssl.X509TrustManager",
        "import okhttp3.CertificatePinner",
        "import okhttp3.OkHttpClient",
        "",
        "class TrustEverything : X509TrustManager {",
        "    override fun checkClientTrusted(chain: Array<X509Certificate>, authType: String) {}",
        "    override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {}",
        "    override fun getAcceptedIssuers(): Array<X509Certificate> = arrayOf()",
        "}",
        "",
        "class Endpoints {",
    ]
    body: list[str] = []
    index = 0
    while len(head) + len(body) < lines - 1:
        body += [
            f"    fun client{index}(token: String): OkHttpClient {{",
            f"        val pinner = CertificatePinner.Builder().add(\"api{index}.example.com\", \"sha256/{'A' * 43}=\")",
            "            .build()",
            f"        val url = \"https://api{index}.example.com/v1/records?page=\" + token.length",
            f"        require(url.startsWith(\"https://\")) {{ \"bad url {index}\" }}",
            "        return OkHttpClient.Builder().certificatePinner(pinner).build()",
            "    }",
            "",
        ]
        index += 1
    return "\n".join([*head, *body[: lines - len(head) - 1], "}"]) + "\n"


def kotlin_app_source(lines: int, variant: int) -> str:
    """A Kotlin file of about ``lines`` lines of ordinary app code with one trust-all manager in it."""
    out = kotlin_source(40, variant).rstrip("}\n").splitlines()
    index = 0
    while len(out) < lines - 1:
        out += [
            f"    data class Reading{index}(val patientId: String, val value: Double, val unit: String) {{",
            "        fun label(): String = \"$patientId: ${\"%.1f\".format(value)} $unit\"",
            "        fun isValid(): Boolean = patientId.isNotBlank() && value >= 0.0 && unit in UNITS",
            "    }",
            "",
            f"    fun summarise{index}(readings: List<Reading{index}>): Map<String, Double> =",
            "        readings.filter { it.isValid() }.groupBy { it.patientId }",
            "            .mapValues { (_, values) -> values.sumOf { it.value } / values.size }",
            "",
        ]
        index += 1
    return "\n".join([*out[: lines - 1], "}"]) + "\n"


def nsc_source(lines: int) -> str:
    """A network security config of about ``lines`` lines: domain-configs with two pins each."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<network-security-config>"]
    index = 0
    while len(out) < lines - 1:
        out += [
            "    <domain-config>",
            f"        <domain includeSubdomains=\"true\">api{index}.example.com</domain>",
            "        <pin-set expiration=\"2099-01-01\">",
            f"            <pin digest=\"SHA-256\">{chr(65 + index % 26) * 43}=</pin>",
            f"            <pin digest=\"SHA-256\">{chr(66 + index % 25) * 43}=</pin>",
            "        </pin-set>",
            "    </domain-config>",
        ]
        index += 1
    return "\n".join([*out[: lines - 1], "</network-security-config>"]) + "\n"


def summary(values: list[float], cpu: list[float]) -> dict[str, float]:
    return {"median_ms": statistics.median(values) * 1000, "min_ms": min(values) * 1000,
            "max_ms": max(values) * 1000, "cpu_median_ms": statistics.median(cpu) * 1000}


def process_cpu(pid: int) -> float:
    """User plus system CPU seconds of a process so far (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Session:
    def __init__(self, root: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.client: StdioClient = start_server(root, env)
        self.client.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(),
                                           "workspaceFolders": [{"uri": root.as_uri(), "name": "bench"}],
                                           "capabilities": {}})
        self.client.notify("initialized", {})

    def open(self, path: Path, language: str, text: str) -> tuple[float, float]:
        uri = path.as_uri()
        return self._timed(uri, 1, "textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language, "version": 1, "text": text}})

    def change(self, path: Path, version: int, line: int, text: str) -> tuple[float, float]:
        uri = path.as_uri()
        return self._timed(uri, version, "textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                          "end": {"line": line, "character": 0}}, "text": text}]})

    def _timed(self, uri: str, version: int, method: str, params: object) -> tuple[float, float]:
        """Wall and server CPU seconds from sending ``method`` to reading the diagnostics of ``version``."""
        pid = self.client.process.pid
        cpu = process_cpu(pid)
        start = time.perf_counter()
        self.client.notify(method, params)
        self.client.diagnostics(uri, version=version)
        return time.perf_counter() - start, process_cpu(pid) - cpu

    def close(self) -> None:
        self.client.request("shutdown")
        self.client.notify("exit")
        self.client.exit_code()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="pinlint-lsp-bench-") as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        kinds = {
            "kotlin-dense": ("app/src/main/java/com/example/Net{n}.kt", "kotlin", kotlin_source),
            "kotlin-app": ("app/src/main/java/com/example/App{n}.kt", "kotlin", kotlin_app_source),
            "nsc": ("app/src/main/res/xml/network_security_config_{n}.xml", "xml", lambda lines, _n: nsc_source(lines)),
        }
        for kind, (pattern, language, make) in kinds.items():
            text = make(args.lines, 0)
            timings: dict[str, tuple[list[float], list[float]]] = {
                case: ([], []) for case in ("open-cold", "open", "change", "scan")}

            def record(case: str, measured: tuple[float, float],
                       timings: dict[str, tuple[list[float], list[float]]] = timings) -> None:
                timings[case][0].append(measured[0])
                timings[case][1].append(measured[1])

            for run in range(args.runs):
                paths = [root / pattern.format(n=f"{run}_{n}") for n in range(2)]
                for path in paths:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8")
                session = Session(root)
                try:
                    record("open-cold", session.open(paths[0], language, text))
                    time.sleep(IDLE_SECONDS)  # the user reads; the server finishes its warm-up
                    record("open", session.open(paths[1], language, text))
                    record("change", session.change(paths[1], 2, args.lines // 2, "\n"))
                finally:
                    session.close()
                analyse(paths[1], root, {overlay_key(paths[1]): text.encode()}, date.today())  # warm
                start, cpu = time.perf_counter(), time.process_time()
                analyse(paths[1], root, {overlay_key(paths[1]): text.encode()}, date.today())
                record("scan", (time.perf_counter() - start, time.process_time() - cpu))
            results[kind] = {case: summary(wall, cpu) for case, (wall, cpu) in timings.items()}
    print(f"time to diagnostics, {args.lines}-line files, {args.runs} runs each "
          f"(debounce {DEBOUNCE_SECONDS * 1000:.0f} ms inside 'change'; target {TARGET_SECONDS * 1000:.0f} ms)")
    print(f"{'file':<13} {'case':<10} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'cpu ms':>8}")
    for kind, cases in results.items():
        for case, numbers in cases.items():
            print(f"{kind:<13} {case:<10} {numbers['median_ms']:>10.1f} {numbers['min_ms']:>8.1f} "
                  f"{numbers['max_ms']:>8.1f} {numbers['cpu_median_ms']:>8.1f}")
    print(f"machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
