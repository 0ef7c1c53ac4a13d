#!/usr/bin/env python3
"""Compiled-SDK benchmark: milliseconds per MB of DEX and of class files, and the peak memory of scanning a
large APK.

Usage (from a clone, with pinlint importable, and smali, javac, jar and aapt installed):
    python bench/binary_bench.py [--classes 4000] [--apk-mb 50] [--json OUT]

It generates a DEX of many classes (smali) and a JAR of many classes (javac), each class with trust-manager,
verifier, string and call code, so every class is read and analysed; times ``pinlint check`` on each (best of
three, minus the time of an empty scan), and scans an APK padded to ``--apk-mb`` MB with stored assets
(which a scan does not read) in a child process whose peak resident memory is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
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
    jar = work / "bench.jar"
    subprocess.run(["jar", "cf", str(jar), "-C", str(out), "."], check=True, capture_output=True)
    return jar


def scan_seconds(target: Path) -> float:
    """Best of three wall-clock times of ``pinlint check`` on ``target`` in a fresh interpreter."""
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pinlint", "check", "--profile", "audit", "--format", "json",
                        "--jobs", "1", str(target)], capture_output=True, cwd=target.parent,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        best = min(best, time.perf_counter() - began)
    return best


PEAK = """import resource, sys, time
from pinlint.cli.app import main
began = time.perf_counter()
try:
    main(["check", "--profile", "audit", "--format", "json", "--jobs", "1", sys.argv[1]])
except SystemExit:
    pass
print(time.perf_counter() - began, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)
"""


def peak_memory_mb(target: Path) -> tuple[float, float]:
    """(seconds, peak resident MB) of one scan of ``target`` in a fresh child process of its own."""
    done = subprocess.run([sys.executable, "-c", PEAK, str(target)], capture_output=True, text=True,
                          cwd=target.parent, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    seconds, peak = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(peak)


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--classes", type=int, default=4000)
    arguments.add_argument("--apk-mb", type=int, default=50)
    arguments.add_argument("--json", type=Path)
    options = arguments.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pinlint-binary-bench-"))
    results: dict[str, object] = {"classes": options.classes}
    empty = work / "empty"
    empty.mkdir()
    (empty / "README").write_text("nothing here\n")
    baseline = scan_seconds(empty)
    results["empty_scan_s"] = round(baseline, 3)

    dex = build_dex(work, options.classes)
    dex_apk = work / "dex" / "app.apk"
    dex_apk.parent.mkdir()
    with zipfile.ZipFile(dex_apk, "w", zipfile.ZIP_DEFLATED) as apk:
        apk.write(dex, "classes.dex")
    dex_mb = dex.stat().st_size / 1e6
    dex_seconds = scan_seconds(dex_apk) - baseline
    results["dex_mb"] = round(dex_mb, 2)
    results["dex_ms_per_mb"] = round(1000 * dex_seconds / dex_mb, 1)

    jar = build_jar(work, options.classes)
    with zipfile.ZipFile(jar) as archive:
        class_mb = sum(info.file_size for info in archive.infolist() if info.filename.endswith(".class")) / 1e6
    jar_folder = work / "jar"
    jar_folder.mkdir()
    jar = jar.rename(jar_folder / "bench.jar")
    class_seconds = scan_seconds(jar) - baseline
    results["class_mb"] = round(class_mb, 2)
    results["class_ms_per_mb"] = round(1000 * class_seconds / class_mb, 1)

    big = work / "big" / "app.apk"
    big.parent.mkdir()
    rng = random.Random(1)
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as apk:
        apk.write(dex, "classes.dex")
        apk.write(dex, "classes2.dex")
        padding = options.apk_mb * 1_000_000 - big.stat().st_size if big.exists() else options.apk_mb * 1_000_000
        chunk = 4_000_000
        number = 0
        while padding > 0:
            size = min(chunk, padding)
            apk.writestr(zipfile.ZipInfo(f"assets/blob{number}.bin"), rng.randbytes(size), zipfile.ZIP_STORED)
            padding -= size
            number += 1
    seconds, peak = peak_memory_mb(big)
    results["apk_mb"] = round(big.stat().st_size / 1e6, 1)
    results["apk_scan_s"] = round(seconds, 2)
    results["apk_peak_rss_mb"] = round(peak, 1)
    print(json.dumps(results, indent=2))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
