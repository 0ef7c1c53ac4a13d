"""Mach-O binaries (``.framework`` and ``.xcframework`` executables, dylibs, objects, static libraries), loose or
inside ``.ipa`` and zipped bundles, read with ``pinlint.parsers.binary.macho``:

- the libraries each links (``LinkedLibrary`` facts: TrustKit, Alamofire, AFNetworking... present or not);
- SPKI pins in its string sections: a 44-character base64 string of 32 bytes (optionally ``sha256/``-prefixed)
  is the shape of a SHA-256 pin, so each is a pin found in a binary (``PinSet.found_in_binary``). The host is
  unknown, unless a host name stands just before the pins in the same string section (where compilers put an
  Objective-C or C dictionary's key before its values): that name is kept as a hint, and said as one;
- an encrypted App Store slice (``LC_ENCRYPTION_INFO(_64)`` with ``cryptid`` set) cannot be read: CFG901 says
  so, since a binary that could not be read is not a clean one;
- a malformed binary is CFG901 too, and the scan goes on.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from pinlint.model.facts import LinkedLibrary, ParseError, Pin, PinSet, Span
from pinlint.parsers import CLAIMS, SourceFile
from pinlint.parsers.binary import macho

NAME = "macho_file"
PLATFORM = "ios"
ORIGIN = "binary-strings"
#: Strings looked back over, from the first pin of a group, for the host name they belong to.
HOST_LOOKBACK = 4
#: Strings that may stand between two pins of one group (a date, a flag name).
GROUP_GAP = 3

#: A SHA-256 SPKI pin: 43 base64 characters, the last holding 4 bits (so one of 16), then one ``=``.
_PIN = re.compile(r"(?<![A-Za-z0-9+/])(?:sha256/)?([A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=)(?![A-Za-z0-9+/=])")
_HOST = re.compile(r"(?:https?://|wss?://)?((?:\*\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                   r"[A-Za-z]{2,24})(?::\d{1,5})?(?:/\S*)?")
#: First labels of reverse-DNS names (``com.vendor.sdk``: bundle identifiers, queue labels), never hosts.
_REVERSE_DNS = frozenset({"com", "org", "net", "io", "de", "uk", "fr", "jp", "cn", "edu", "gov", "ca", "au", "nl",
                          "se", "ch", "es", "ru", "br", "kr"})
#: Endings that make a dotted string a file name or a symbol, not a host.
_FILE_ENDINGS = frozenset({"plist", "json", "png", "jpg", "jpeg", "gif", "xml", "html", "js", "css", "txt",
                           "strings", "nib", "storyboard", "framework", "dylib", "bundle", "app", "swift", "m",
                           "h", "mm", "db", "sqlite", "cer", "der", "crt", "pem", "log", "zip", "mp4", "caf"})


def accepts(name: str, head: bytes) -> bool:
    """Mach-O by its magic number, under the names binaries have (no extension, ``.dylib``, ``.o``, ``.a``)."""
    return macho.kind_of(head) is not None and CLAIMS[__name__].may_accept(name)


def parse(source: SourceFile) -> list[object]:
    try:
        binary = macho.read(source.data)
    except macho.MachOFormatError as error:
        return [ParseError(Span(source.display), f"malformed Mach-O binary: {error}")]
    facts: list[object] = []
    span = Span(source.display)
    seen_libraries: set[tuple[str, str]] = set()
    for image in binary.slices:
        for library in image.libraries:
            if (library.path, library.how) not in seen_libraries:
                seen_libraries.add((library.path, library.how))
                facts.append(LinkedLibrary(library.path, short_name(library.path), library.how, span, PLATFORM))
    seen_groups: set[tuple[tuple[str, ...], str]] = set()
    for image in binary.slices:
        for pins, hint in pin_groups(image):
            if (pins, hint) in seen_groups:
                continue
            seen_groups.add((pins, hint))
            facts.append(PinSet(
                origin=ORIGIN, platform=PLATFORM, hosts=(), span=span,
                pins=tuple(Pin(value, "sha256", span) for value in pins),
                label="pins found in the binary's strings", count_unknown=True, found_in_binary=True,
                host_hint=hint))
    encrypted = [image for image in binary.slices if image.crypt_id]
    if encrypted:
        where = "; ".join(f"{image.encryption_command} cryptid {image.crypt_id} in the {image.where}"
                          for image in encrypted)
        facts.append(ParseError(span, (
            f"encrypted App Store binary ({where}): its code and strings cannot be read, so it was not checked, "
            "which is not the same as clean; scan a decrypted build or the vendor's unencrypted framework")))
    return facts


def short_name(path: str) -> str:
    """``TrustKit`` for ``@rpath/TrustKit.framework/TrustKit`` (or ``TrustKit.framework``), else the file name."""
    parts = path.split("/")
    for part in parts:
        if part.endswith(".framework"):
            return part[: -len(".framework")]
    return parts[-1]


def pin_groups(image: macho.Slice) -> Iterator[tuple[tuple[str, ...], str]]:
    """Each group of pins found together in one string section, with the host name just before it (or "")."""
    for strings in image.strings:
        if not strings.separated:
            found = tuple(dict.fromkeys(_pins_in(" ".join(strings.texts))))
            if found:
                yield found, ""
            continue
        group: list[str] = []
        last_pin = -GROUP_GAP - 2
        hint = ""
        for index, text in enumerate(strings.texts):
            pins = _pins_in(text) if len(text) >= 44 else []
            if not pins:
                continue
            if group and index - last_pin > GROUP_GAP + 1:
                yield tuple(dict.fromkeys(group)), hint
                group = []
            if not group:
                hint = _host_before(strings.texts, index)
            group.extend(pins)
            last_pin = index
        if group:
            yield tuple(dict.fromkeys(group)), hint


def _pins_in(text: str) -> list[str]:
    return [match.group(1) for match in _PIN.finditer(text) if _is_digest(match.group(1))]


def _is_digest(value: str) -> bool:
    try:
        return len(base64.b64decode(value, validate=True)) == 32
    except (binascii.Error, ValueError):
        return False


def _host_before(texts: tuple[str, ...], index: int) -> str:
    for earlier in range(index - 1, max(-1, index - 1 - HOST_LOOKBACK), -1):
        if _PIN.search(texts[earlier]):
            continue
        host = host_name(texts[earlier])
        if host:
            return host
    return ""


def host_name(text: str) -> str:
    """The host a string names when the whole string is a host name or a URL (lower-cased), else ""."""
    match = _HOST.fullmatch(text.strip())
    if match is None:
        return ""
    host = match.group(1).lower()
    labels = host.lstrip("*.").split(".")
    if labels[-1] in _FILE_ENDINGS or (labels[0] in _REVERSE_DNS and "://" not in text):
        return ""
    return host
