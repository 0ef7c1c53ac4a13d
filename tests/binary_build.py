"""Builds the compiled fixtures of ``fixtures/_vendor-sdk`` with the real tools, into a temporary folder.

The sources there are the vendor SDK as source code; each builder turns them into what a vendor ships: a JAR
and an AAR (``javac`` and ``jar``), and more in later builders. ``tests/binary_stubs`` holds compile-time
stand-ins for the Android and OkHttp classes the SDK uses; they are never packaged.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
SDK = FIXTURES / "_vendor-sdk"
#: The vendor's iOS SDK as Objective-C source (its own folder: its host is pinned differently on Android).
IOS_SDK = FIXTURES / "_vendor-ios-sdk"
STUBS = ROOT / "tests" / "binary_stubs"


def tool_path(tool: str) -> str | None:
    """The program ``tool``, or Debian's versioned name of an LLVM tool (``ld64.lld-14``, ``llvm-lipo-14``)."""
    found = shutil.which(tool)
    for version in range(30, 13, -1):
        if found is not None:
            break
        found = shutil.which(f"{tool}-{version}")
    return found


def missing_tools(*tools: str) -> list[str]:
    return [tool for tool in tools if tool_path(tool) is None]


def run(*command: str | Path, cwd: Path | None = None) -> None:
    program = tool_path(str(command[0])) or str(command[0])
    subprocess.run([program, *(str(part) for part in command[1:])], cwd=cwd, check=True, capture_output=True,
                   timeout=300)


def compile_classes(work: Path) -> Path:
    """The SDK's classes compiled against the stubs (with line numbers, as javac does by default)."""
    stubs = work / "stubs"
    classes = work / "classes"
    stubs.mkdir(parents=True, exist_ok=True)
    classes.mkdir(parents=True, exist_ok=True)
    run("javac", "-d", stubs, *sorted(STUBS.rglob("*.java")))
    run("javac", "--release", "8", "-cp", stubs, "-d", classes, *sorted((SDK / "java").rglob("*.java")))
    return classes


def build_jar(work: Path, classes: Path) -> Path:
    jar = work / "vendor.jar"
    run("jar", "cf", jar, "-C", classes, ".")
    return jar


FRAMEWORK_RES = Path("/usr/share/android-framework-res/framework-res.apk")


def build_dex(work: Path) -> Path:
    """``classes.dex`` assembled by smali from ``fixtures/_vendor-sdk/smali``: the same classes as the Java
    sources, written as d8 compiles them (Debian packages no d8 or dx, but packages the smali assembler)."""
    dex = work / "classes.dex"
    run("smali", "assemble", "-o", dex, SDK / "smali")
    return dex


def build_apk(work: Path, dex: Path, manifest: Path = SDK / "AndroidManifest.xml", res: Path | None = SDK / "res",
              name: str = "app.apk") -> Path:
    """An APK with binary XML and ``resources.arsc`` compiled by aapt against the platform's framework
    resources (Debian's android-framework-res), then the DEX added."""
    apk = work / name
    command: list[str | Path] = ["aapt", "package", "-f", "-M", manifest, "-I", FRAMEWORK_RES, "-F", apk]
    if res is not None:
        command[5:5] = ["-S", res]
    run(*command)
    staging = Path(tempfile.mkdtemp(prefix="dex-"))  # outside the scanned folder
    shutil.copy(dex, staging / "classes.dex")
    run("aapt", "add", apk, "classes.dex", cwd=staging)
    return apk


def build_aar(work: Path, jar: Path) -> Path:
    """An AAR as the Android Gradle plugin lays it out: text manifest and resources, ``classes.jar``."""
    layout = work / "aar"
    layout.mkdir(parents=True, exist_ok=True)
    shutil.copy(SDK / "AndroidManifest.xml", layout / "AndroidManifest.xml")
    shutil.copytree(SDK / "res", layout / "res", dirs_exist_ok=True)
    shutil.copy(jar, layout / "classes.jar")
    aar = work / "vendor.aar"
    run("jar", "cfM", aar, "AndroidManifest.xml", "res", "classes.jar", cwd=layout)
    return aar


APPLE_STUBS = STUBS / "apple"
#: The libraries the Objective-C SDK links, as stub dylibs with their real install names: each defines the symbols
#: the SDK uses (as data; the linker only resolves names). ``weak`` ones are linked with ``-weak_library``.
APPLE_LIBRARIES: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "TrustKit": ("@rpath/TrustKit.framework/TrustKit",
                 ("_OBJC_CLASS_$_TrustKit", "_kTSKEnforcePinning", "_kTSKPinnedDomains", "_kTSKPublicKeyHashes"),
                 False),
    "Foundation": ("/System/Library/Frameworks/Foundation.framework/Foundation",
                   ("_OBJC_CLASS_$_NSArray", "_OBJC_CLASS_$_NSDictionary", "_OBJC_CLASS_$_NSNumber"), False),
    "CoreFoundation": ("/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation",
                       ("___CFConstantStringClassReference",), False),
    "libobjc": ("/usr/lib/libobjc.A.dylib", ("_objc_msgSend", "_objc_release", "_objc_retainAutoreleasedReturnValue",
                                             "_objc_storeStrong"), False),
    "libSystem": ("/usr/lib/libSystem.B.dylib", ("___stack_chk_fail", "___stack_chk_guard", "dyld_stub_binder"),
                  False),
    "Alamofire": ("@rpath/Alamofire.framework/Alamofire", ("_AlamofireVersionNumber",), True),
}
#: clang targets and linker platforms per architecture: arm64 (64-bit) for iOS, arm64_32 (a 32-bit Mach-O) for
#: watchOS, which ld64.lld links (its armv7 support is incomplete).
APPLE_TARGETS = {"arm64": ("arm64-apple-ios14", "ios", "14.0"),
                 "arm64_32": ("arm64_32-apple-watchos5", "watchos", "5.0")}
APPLE_TOOLS = ("clang", "ld64.lld", "llvm-lipo", "llvm-ar")


def _link(work: Path, arch: str, objects: list[Path], output: Path, *options: str | Path) -> Path:
    _target, platform, version = APPLE_TARGETS[arch]
    run("ld64.lld", "-arch", arch, "-platform_version", platform, version, version, *options, *objects, "-o", output)
    return output


def apple_stub_libraries(work: Path, arch: str) -> list[str | Path]:
    """Linker arguments naming each stub library of ``APPLE_LIBRARIES`` for ``arch``, built on first use."""
    arguments: list[str | Path] = []
    for name, (install_name, symbols, weak) in APPLE_LIBRARIES.items():
        library = work / f"stub-{arch}-{name}"
        if not library.exists():
            source = work / f"stub-{arch}-{name}.c"
            source.write_text("".join(f'char stub_{index}[8] __asm__("{symbol}");\n'
                                      for index, symbol in enumerate(symbols)))
            run("clang", "-target", APPLE_TARGETS[arch][0], "-c", source, "-o", source.with_suffix(".o"))
            _link(work, arch, [source.with_suffix(".o")], library, "-dylib", "-install_name", install_name)
        arguments.extend(["-weak_library", library] if weak else [library])
    return arguments


def compile_objc(work: Path, arch: str) -> Path:
    """``fixtures/_vendor-ios-sdk/VendorPinning.m`` compiled by clang into a Mach-O object for ``arch``."""
    output = work / f"VendorPinning-{arch}.o"
    run("clang", "-target", APPLE_TARGETS[arch][0], "-fobjc-arc", "-I", APPLE_STUBS, "-c",
        IOS_SDK / "VendorPinning.m", "-o", output)
    return output


def build_framework_binary(work: Path, arch: str) -> Path:
    """The SDK as a dynamic framework's executable (``@rpath/Vendor.framework/Vendor``) for ``arch``."""
    return _link(work, arch, [compile_objc(work, arch)], work / f"Vendor-{arch}", "-dylib", "-install_name",
                 "@rpath/Vendor.framework/Vendor", *apple_stub_libraries(work, arch))


def build_fat_binary(work: Path) -> Path:
    """A universal framework executable (64-bit arm64 and 32-bit arm64_32 slices) joined by llvm-lipo."""
    output = work / "Vendor-fat"
    run("llvm-lipo", "-create", build_framework_binary(work, "arm64"), build_framework_binary(work, "arm64_32"),
        "-output", output)
    return output


def build_static_library(work: Path) -> Path:
    """The SDK as a static framework's binary: an ``ar`` archive (BSD format, as Apple's tools write) of objects."""
    output = work / "libVendor.a"
    run("llvm-ar", "--format=darwin", "rcs", output, compile_objc(work, "arm64"))
    return output


def build_app_executable(work: Path, encrypted: bool = False) -> Path:
    """An iOS app executable linking the SDK. The linker writes ``LC_ENCRYPTION_INFO_64`` with ``cryptid`` 0, as
    for any iOS executable; with ``encrypted`` the ``cryptid`` is then set to 1, the mark App Store encryption
    leaves (pinlint never decrypts, so the encrypted bytes themselves do not matter)."""
    main = work / "main.c"
    main.write_text("void VendorStartPinning(void);\nint main(void) { VendorStartPinning(); return 0; }\n")
    run("clang", "-target", APPLE_TARGETS["arm64"][0], "-c", main, "-o", work / "main.o")
    output = _link(work, "arm64", [work / "main.o", build_framework_binary(work, "arm64")],
                   work / ("App-encrypted" if encrypted else "App"), "-e", "_main",
                   *apple_stub_libraries(work, "arm64"))
    if encrypted:
        data = bytearray(output.read_bytes())
        offset = 32  # after mach_header_64
        for _ in range(struct.unpack_from("<I", data, 16)[0]):
            command, size = struct.unpack_from("<II", data, offset)
            if command == 0x2C:  # LC_ENCRYPTION_INFO_64: cmd, cmdsize, cryptoff, cryptsize, cryptid
                struct.pack_into("<I", data, offset + 16, 1)
                break
            offset += size
        else:
            raise AssertionError("the linker wrote no LC_ENCRYPTION_INFO_64")
        output.write_bytes(bytes(data))
    return output
