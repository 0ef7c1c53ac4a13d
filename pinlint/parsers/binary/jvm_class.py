"""JVM class files (``.class``, alone or inside JARs and AARs): trust managers, hostname verifiers, WebView SSL
handlers, forced TLS versions and OkHttp pins in compiled code (``pinlint.parsers.binary.code``)."""

from __future__ import annotations

from pinlint.model.facts import ParseError, Span
from pinlint.parsers import SourceFile

NAME = "jvm_class"
LANGUAGE = "jvm-bytecode"
#: A class's methods are read only when its constant pool names one of these (stored as plain UTF-8) or holds a
#: cleartext URL; of the other classes only the names are read, for inheritance (``pinlint.resolve.bytecode``).
METHOD_TRIGGERS: tuple[bytes, ...] = (
    b"checkServerTrusted", b"HostnameVerifier", b"onReceivedSslError", b"CertificatePinner", b"SSLContext",
    b"X509TrustManager", b"SSLSocketFactory",
)


def accepts(name: str, head: bytes) -> bool:
    return name.lower().endswith(".class") and head.startswith(b"\xca\xfe\xba\xbe")


def parse(source: SourceFile) -> list[object]:
    from pinlint.parsers.binary import classfile, code

    wanted = any(trigger in source.data for trigger in METHOD_TRIGGERS) or _cleartext_scheme(source.data)
    try:
        info = classfile.read(source.data, header_only=not wanted)
    except classfile.ClassFormatError as error:
        return [ParseError(Span(source.display), f"malformed class file: {error}")]
    return code.analyse([info], {info.name: source.display}, LANGUAGE)


def _cleartext_scheme(data: bytes) -> bool:
    """Whether ``http://`` or ``ws://`` (any case) occurs in ``data``."""
    position = data.find(b"://")
    while position >= 0:
        scheme = data[max(position - 4, 0):position].lower()
        if scheme == b"http" or scheme[-2:] == b"ws":
            return True
        position = data.find(b"://", position + 3)
    return False
