#!/usr/bin/env python3
"""Compiled-SDK benchmark: milliseconds per MB of DEX and of class files, the peak memory of scanning a large
APK, and the same binaries through androguard and mobsfscan when they are installed.

Usage (from a clone, with pinlint importable, and smali, javac, jar and aapt installed):
    python bench/binary_bench.py [--classes 4000] [--apk-mb 50] [--artifact PATH ...] [--runs 3]
                                 [--peers-venv bench/.peers-venv] [--json OUT]

Cases:

- ``worst-dex`` and ``worst-jar``: a DEX (smali) and a JAR (javac) of ``--classes`` classes in which every
  class is a trust manager whose code calls ``SSLContext``, so every class is read and two methods of each
  are decoded and analysed: the upper bound of the cost per MB.
- each ``--artifact`` (a real APK, AAR or JAR): what a vendor audit meets, where few methods touch TLS.
- ``apk-50mb``: an APK padded to ``--apk-mb`` MB with stored assets (which a scan does not read) around two
  copies of the worst-case DEX; its peak resident memory is the bar.

Every scan is ``pinlint check --profile audit --jobs 1`` in a fresh process (compiled bytecode cached in a
folder of the benchmark's own, after one warm-up run, as an installed pinlint has it). Times are the CPU time
(user + system) of that process, the best of ``--runs``, steadier than wall time on a shared machine; "ms per
MB" is that time minus the time of a scan of an empty folder, divided by the megabytes of DEX or class files
inside the artifact; "over fixed" subtracts a scan of a one-class JAR instead, and "marginal" is what a second
copy of the artifact adds to a scan of the first (the cost of each further MB once the readers are in use).

Peers, each from the virtual environment ``--peers-venv`` (install them there, never beside pinlint:
``python -m venv bench/.peers-venv && bench/.peers-venv/bin/pip install androguard mobsfscan==1.1.0``);
a peer that is not there is skipped with a message:

- androguard: ``AnalyzeAPK``/``AnalyzeDex`` and a small detector over its analysis (``checkServerTrusted``
  with no call and no throw, ``verify`` returning the constant true, ``onReceivedSslError`` calling
  ``proceed``, ``http://``/``ws://`` strings that code loads). androguard reads DEX, not class files.
- mobsfscan: run on a folder holding only the artifact (it reads source code, not binaries).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SMALI_CLASS = """.class public Lbench/C{n};
.super Ljava/lang/Object;
.source "C{n}.java"
.implements Ljavax/net/ssl/X509TrustManager;

.method public checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V
    .registers 4
    .line 10
    iget-object v0, p0, Lbench/C{n};->d:Ljavax/net/ssl/X509TrustManager;
    invoke-interface {{v0, p1, p2}}, Ljavax/net/ssl/X509TrustManager;->{check}
    .line 11
    return-void
.end method

.method public work(I)Ljava/lang/String;
    .registers 5
    .line 20
    const-string v0, "https://api{n}.example.com/v1"
    new-instance v1, Ljava/lang/StringBuilder;
    invoke-direct {{v1}}, Ljava/lang/StringBuilder;-><init>()V
    invoke-virtual {{v1, v0}}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    if-eqz p1, :done
    .line 21
    const-string v2, "TLSv1.2"
    invoke-static {{v2}}, Ljavax/net/ssl/SSLContext;->getInstance(Ljava/lang/String;)Ljavax/net/ssl/SSLContext;
    :done
    .line 22
    invoke-virtual {{v1}}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v0
    return-object v0
.end method
"""

CHECK = "checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V"
JAVA_CLASS = """class C{n} implements javax.net.ssl.X509TrustManager {{
    private javax.net.ssl.X509TrustManager d;
    public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {{}}
    public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a)
            throws java.security.cert.CertificateException {{ d.checkServerTrusted(c, a); }}
    public java.security.cert.X509Certificate[] getAcceptedIssuers() {{ return d.getAcceptedIssuers(); }}
    String work(int i) throws Exception {{
        StringBuilder b = new StringBuilder("https://api{n}.example.com/v1");
        if (i > 0) javax.net.ssl.SSLContext.getInstance("TLSv1.2");
        return b.append(i).toString();
    }}
}}
"""

#: The detector run over androguard's analysis (in the peers' environment).
ANDROGUARD = r"""
import json, resource, sys, time
began = time.process_time()
try:
    from loguru import logger
    logger.remove()
except ImportError:
    pass
from androguard.misc import AnalyzeAPK, AnalyzeDex
path = sys.argv[1]
_, _, dx = AnalyzeDex(path) if path.endswith(".dex") else AnalyzeAPK(path)
found = {"classes": 0, "methods": 0, "trust-all": 0, "verify-true": 0, "webview-proceed": 0, "cleartext-url": 0}
for klass in dx.get_classes():
    if not klass.is_external():
        found["classes"] += 1
for analysed in dx.get_methods():
    if analysed.is_external():
        continue
    found["methods"] += 1
    method = analysed.get_method()
    name, descriptor = method.get_name(), method.get_descriptor().replace(" ", "")
    if name not in ("checkServerTrusted", "verify", "onReceivedSslError"):
        continue
    code = [(instruction.get_name(), instruction.get_output()) for instruction in method.get_instructions()]
    names = [op for op, _ in code]
    if name == "checkServerTrusted" and descriptor.startswith("([Ljava/security/cert/X509Certificate;"):
        if "throw" not in names and not any(op.startswith("invoke") for op in names):
            found["trust-all"] += 1
    elif name == "verify" and descriptor == "(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z":
        if names == ["const/4", "return"] and code[0][1].endswith(", 1"):
            found["verify-true"] += 1
    elif name == "onReceivedSslError" and any("->proceed()V" in out for _, out in code):
        found["webview-proceed"] += 1
for string in dx.get_strings():
    value = string.get_value().lstrip().lower()
    if value.startswith(("http://", "ws://")) and string.get_xref_from():
        found["cleartext-url"] += 1
print(json.dumps(found))
"""


@dataclass
class Run:
    """One process: CPU and wall seconds, peak resident MB, what it printed."""

    cpu: float
    wall: float
    peak_mb: float
    stdout: str = ""
    returncode: int = 0


@dataclass
class Row:
    case: str
    tool: str
    mb_code: float = 0.0
    runs: list[Run] = field(default_factory=list)
    found: str = ""
    note: str = ""
    #: CPU seconds of one scan of two copies of the artifact (pinlint only): the second copy's cost is what
    #: each further MB of code adds, with no start-up or first-use cost in it.
    twice_cpu: float | None = None

    def best(self) -> Run:
        return min(self.runs, key=lambda run: run.cpu)


def measure(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 3600) -> Run:
    """Run ``command`` and read its own resource use from ``wait4`` (the process and its children)."""
    began = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.DEVNULL)
        deadline = began + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, text, process.returncode)


def pinlint_env(cache: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def pinlint_scan(target: Path, env: dict[str, str]) -> Run:
    return measure([sys.executable, "-m", "pinlint", "check", "--profile", "audit", "--format", "json",
                    "--jobs", "1", target.name], target.parent, env)


def pinlint_twice(target: Path, env: dict[str, str], runs: int) -> float:
    """Best CPU seconds of one scan of a folder holding ``target`` twice (under two names)."""
    with tempfile.TemporaryDirectory(prefix="pinlint-twice-") as folder:
        both = Path(folder) / "twice"
        both.mkdir()
        for copy in ("a", "b"):
            shutil.copy(target, both / f"{copy}-{target.name}")
        pinlint_scan(both, env)
        return min(pinlint_scan(both, env).cpu for _ in range(runs))


def pinlint_found(run: Run) -> str:
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        return "no report"
    rules = Counter(finding["rule"] for finding in report["findings"])
    return ", ".join(f"{rule} {count}" for rule, count in sorted(rules.items())) or "nothing"


def build_dex(work: Path, classes: int) -> Path:
    folder = work / "smali"
    folder.mkdir()
    for number in range(classes):
        (folder / f"C{number}.smali").write_text(SMALI_CLASS.format(n=number, check=CHECK))
    dex = work / "classes.dex"
    subprocess.run(["smali", "assemble", "-o", str(dex), str(folder)], check=True, capture_output=True)
    return dex


def build_jar(work: Path, classes: int) -> Path:
    source = work / "java" / "bench"
    source.mkdir(parents=True)
    for number in range(classes):
        (source / f"C{number}.java").write_text("package bench;\n" + JAVA_CLASS.format(n=number))
    out = work / "classes"
    files = [str(path) for path in source.glob("*.java")]
    subprocess.run(["javac", "-nowarn", "-d", str(out), *files], check=True, capture_output=True)
    jar = work / "jar" / "bench.jar"
    jar.parent.mkdir()
    subprocess.run(["jar", "cf", str(jar), "-C", str(out), "."], check=True, capture_output=True)
    return jar


def code_megabytes(path: Path) -> float:
    """Megabytes of DEX and class files in an artifact (nested archives included)."""
    def inside(archive: zipfile.ZipFile) -> int:
        total = 0
        for info in archive.infolist():
            name = info.filename.lower()
            if name.endswith((".dex", ".class")):
                total += info.file_size
            elif name.endswith((".jar", ".aar", ".apk", ".zip")):
                import io

                with zipfile.ZipFile(io.BytesIO(archive.read(info))) as nested:
                    total += inside(nested)
        return total

    if path.suffix.lower() == ".dex":
        return path.stat().st_size / 1e6
    with zipfile.ZipFile(path) as archive:
        return inside(archive) / 1e6


def padded_apk(work: Path, dex: Path, megabytes: int) -> Path:
    big = work / "big" / "app.apk"
    big.parent.mkdir()
    rng = random.Random(1)
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as apk:
        apk.write(dex, "classes.dex")
        apk.write(dex, "classes2.dex")
    padding = megabytes * 1_000_000 - big.stat().st_size
    with zipfile.ZipFile(big, "a") as apk:
        number = 0
        while padding > 0:
            size = min(4_000_000, padding)
            apk.writestr(zipfile.ZipInfo(f"assets/blob{number}.bin"), rng.randbytes(size), zipfile.ZIP_STORED)
            padding -= size
            number += 1
    return big


def peer_rows(case: str, target: Path, venv: Path, runs: int) -> list[Row]:
    rows: list[Row] = []
    python = venv / "bin" / "python"
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PYTHONPATH", None)
    if not python.exists():
        print(f"peers: no virtual environment at {venv}; androguard and mobsfscan skipped", file=sys.stderr)
        return rows
    if subprocess.run([str(python), "-c", "import androguard"], capture_output=True).returncode != 0:
        print(f"peers: androguard is not installed in {venv}; skipped", file=sys.stderr)
    elif target.suffix.lower() in (".jar", ".aar"):
        rows.append(Row(case, "androguard", note="does not read class files (JAR/AAR)"))
    else:
        row = Row(case, "androguard")
        for _ in range(runs):
            row.runs.append(measure([str(python), "-c", ANDROGUARD, str(target)], target.parent, env))
        best = row.best()
        try:
            found = json.loads(best.stdout.strip().splitlines()[-1])
            row.found = ", ".join(f"{name} {count}" for name, count in found.items())
        except (json.JSONDecodeError, IndexError):
            row.found = f"failed (exit {best.returncode})"
        rows.append(row)
    mobsfscan = venv / "bin" / "mobsfscan"
    if not mobsfscan.exists():
        print(f"peers: mobsfscan is not installed in {venv}; skipped", file=sys.stderr)
        return rows
    with tempfile.TemporaryDirectory(prefix="pinlint-peer-") as folder:
        alone = Path(folder) / "scan"
        alone.mkdir()
        os.link(target, alone / target.name) if target.stat().st_dev == alone.stat().st_dev else shutil.copy(
            target, alone / target.name)
        row = Row(case, "mobsfscan")
        out = Path(folder) / "out.json"
        for _ in range(runs):
            row.runs.append(measure([str(mobsfscan), "--json", "-o", str(out), "--no-fail", str(alone)],
                                    Path(folder), env))
        try:
            results = json.loads(out.read_text()).get("results", {})
            row.found = f"{len(results)} rules" if results else "nothing (reads source, not binaries)"
        except (OSError, json.JSONDecodeError):
            row.found = "no report"
        rows.append(row)
    return rows


def table(rows: list[Row], baseline: float, fixed: float) -> str:
    """``baseline``: CPU seconds of an empty scan; ``fixed``: of a scan of a one-class JAR (loading the archive
    and bytecode readers, resolvers and checks once). pinlint's "ms per MB" is over the empty scan, "over
    fixed" over the one-class scan (the cost that grows with the code), "marginal" the second copy's cost in
    a scan of two copies (what each further MB adds once the readers are loaded and in use); a peer's is its
    whole CPU time."""
    lines = ["| case | tool | DEX/class MB | CPU s (best) | wall s | ms per MB | ms per MB over fixed "
             "| marginal ms per MB | peak MB | finds |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        if not row.runs:
            lines.append(f"| {row.case} | {row.tool} | | | | | | | | {row.note} |")
            continue
        best = row.best()
        cost = best.cpu - baseline if row.tool == "pinlint" else best.cpu
        per_mb = f"{1000 * cost / row.mb_code:.0f}" if row.mb_code else ""
        over = f"{1000 * max(best.cpu - fixed, 0) / row.mb_code:.0f}" if row.tool == "pinlint" and row.mb_code else ""
        marginal = (f"{1000 * max(row.twice_cpu - best.cpu, 0) / row.mb_code:.0f}"
                    if row.twice_cpu is not None and row.mb_code else "")
        lines.append(f"| {row.case} | {row.tool} | {row.mb_code:.2f} | {best.cpu:.2f} | {best.wall:.2f} | "
                     f"{per_mb} | {over} | {marginal} | {best.peak_mb:.0f} | {row.found or row.note} |")
    return "\n".join(lines)


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--classes", type=int, default=4000)
    arguments.add_argument("--apk-mb", type=int, default=50)
    arguments.add_argument("--artifact", type=Path, action="append", default=[],
                           help="a real APK, AAR, JAR or DEX to scan too (repeatable)")
    arguments.add_argument("--runs", type=int, default=3)
    arguments.add_argument("--peer-runs", type=int, default=1, help="runs of each peer (they are slow)")
    arguments.add_argument("--peers-venv", type=Path, default=ROOT / "bench" / ".peers-venv")
    arguments.add_argument("--no-peers", action="store_true")
    arguments.add_argument("--json", type=Path)
    options = arguments.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pinlint-binary-bench-"))
    env = pinlint_env(work / "pycache")
    empty = work / "empty"
    empty.mkdir()
    (empty / "README").write_text("nothing here\n")
    pinlint_scan(empty, env)  # warm-up: compiles the bytecode cache
    baseline = min(pinlint_scan(empty, env).cpu for _ in range(options.runs))

    dex = build_dex(work, options.classes)
    dex_apk = work / "dex" / "app.apk"
    dex_apk.parent.mkdir()
    with zipfile.ZipFile(dex_apk, "w", zipfile.ZIP_DEFLATED) as apk:
        apk.write(dex, "classes.dex")
    jar = build_jar(work, options.classes)
    one_class = work / "fixed" / "one.jar"
    one_class.parent.mkdir()
    with zipfile.ZipFile(jar) as built, zipfile.ZipFile(one_class, "w") as single:
        single.writestr("bench/C0.class", built.read("bench/C0.class"))
    pinlint_scan(one_class, env)
    fixed = min(pinlint_scan(one_class, env).cpu for _ in range(options.runs))
    cases: list[tuple[str, Path]] = [("worst-dex", dex_apk), ("worst-jar", jar)]
    for artifact in options.artifact:
        staged = work / "artifacts" / artifact.stem / artifact.name
        staged.parent.mkdir(parents=True)
        shutil.copy(artifact, staged)
        cases.append((artifact.name, staged))
    rows: list[Row] = []
    for case, target in cases:
        pinlint_scan(target, env)  # warm-up: imports the binary readers' bytecode into the cache
        row = Row(case, "pinlint", code_megabytes(target))
        row.runs = [pinlint_scan(target, env) for _ in range(options.runs)]
        row.found = pinlint_found(row.best())
        row.twice_cpu = pinlint_twice(target, env, options.runs)
        rows.append(row)
        if not options.no_peers:
            for peer in peer_rows(case, target, options.peers_venv, options.peer_runs):
                peer.mb_code = row.mb_code
                rows.append(peer)
    big = padded_apk(work, dex, options.apk_mb)
    row = Row(f"apk-{options.apk_mb}mb", "pinlint", code_megabytes(big))
    row.runs = [pinlint_scan(big, env)]
    row.found = pinlint_found(row.runs[0])
    rows.append(row)
    if not options.no_peers:
        for peer in peer_rows(f"apk-{options.apk_mb}mb", big, options.peers_venv, 1):
            peer.mb_code = row.mb_code
            rows.append(peer)
    print(f"empty scan: {baseline:.3f} s CPU; one-class JAR: {fixed:.3f} s CPU; load average "
          f"{os.getloadavg()[0]:.2f}")
    print(table(rows, baseline, fixed))
    if options.json:
        options.json.write_text(json.dumps({
            "empty_scan_cpu_s": round(baseline, 3), "one_class_jar_cpu_s": round(fixed, 3),
            "rows": [{"case": row.case, "tool": row.tool, "code_mb": round(row.mb_code, 3), "found": row.found,
                      "note": row.note, "twice_cpu_s": row.twice_cpu,
                      "runs": [vars(run) | {"stdout": None} for run in row.runs]}
                     for row in rows]}, indent=2) + "\n")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
